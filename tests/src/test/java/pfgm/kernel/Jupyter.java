package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** This checkout's kernel spec and Debian's Jupyter, which environment/setup installs; the tests install nothing. */
final class Jupyter {
    static final Path ROOT = Path.of(System.getProperty("pfgm.root", "..")).toAbsolutePath().normalize();
    /** A JUPYTER_PATH entry holding kernels/pfgm-java, written by the kernel module's build. */
    static final Path KERNEL_SPECS = ROOT.resolve("environment/kernel/target/jupyter");
    /** Debian's interpreter, where its Jupyter packages live, whichever python3 comes first on PATH. */
    static final String PYTHON = "/usr/bin/python3";

    private Jupyter() {}

    /** Fails the calling test with what to do when the kernel is not built or Jupyter is missing. */
    static void requireInstalled() {
        if (!Files.isRegularFile(KERNEL_SPECS.resolve("kernels/pfgm-java/kernel.json"))) {
            fail("the kernel is not built (" + KERNEL_SPECS + "): run environment/setup, or mvn package");
        }
        if (!pythonImports("jupyter_client", "nbclient", "nbconvert")) {
            fail("Debian's Jupyter is missing (" + PYTHON + " cannot import jupyter_client, nbclient, nbconvert): "
                    + "run environment/setup, which installs jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel");
        }
    }

    private static boolean pythonImports(String... modules) {
        try {
            Process check = new ProcessBuilder(List.of(PYTHON, "-c", "import " + String.join(", ", modules)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
