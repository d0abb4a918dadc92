package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium through Debian's chromedriver, both named explicitly: Selenium Manager would
 * try to download a browser, and this machine's network is closed.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** Fails the calling test with what to do when the browser or its driver is missing. */
    static void requireInstalled() {
        for (Path program : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(program)) {
                fail(program + " is missing: run environment/setup, which installs Debian's chromium and chromium-driver");
            }
        }
    }

    /**
     * A headless browser with a fresh profile in {@code profile}, {@code width} x {@code height}
     * pixels; chromedriver's log goes to {@code log}.
     */
    static ChromeDriver start(Path profile, int width, int height, OutputStream log) throws IOException {
        requireInstalled();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(log)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                // Without these Chromium's own background connections are refused by the closed network.
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(profile),
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1");
        return new ChromeDriver(service, options);
    }

    static String version() {
        try {
            // stdout only: Debian's launcher script complains on stderr about the machine's memory size
            Process process = new ProcessBuilder(BROWSER.toString(), "--version").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new String(process.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }
}
