package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The kernel as a person sees it: Debian's Jupyter Notebook, started by environment/notebook,
 * in Debian's Chromium. Runs tests/src/test/resources/notebooks/browser.ipynb with Cell > Run All,
 * reads from the page that each cell finished without an error and shows its chart, table, redrawn
 * output and sample grid, stops the training cell with the stop button, and uses Tab and Shift-Tab.
 * Screenshots go to tests/target/browser/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {
    // The code cells of browser.ipynb, in order.
    private static final int DEVICE = 0;
    private static final int CHART = 1;
    private static final int TABLE = 2;
    private static final int TICKS = 3;
    private static final int SAMPLES = 4;
    private static final int TRAINING = 5;

    private static final Duration KERNEL_START = Duration.ofMinutes(2);
    private static final Duration RUN_ALL = Duration.ofMinutes(3);
    private static final Duration ANSWER = Duration.ofSeconds(30);
    /** "Within seconds": the stop button to the cell's interrupted error, measured 1-2 s here. */
    private static final Duration INTERRUPT_LIMIT = Duration.ofSeconds(10);
    static final Path SCREENSHOTS = Jupyter.ROOT.resolve("tests/target/browser");

    @TempDir
    static Path work;
    private static NotebookServer server;
    private static OutputStream driverLog;
    private static ChromeDriver chromium;
    private static NotebookPage page;
    /** What the ticks cell showed while it ran, and the most outputs it ever had at once. */
    private static final Set<String> tickTexts = new TreeSet<>();
    private static int mostTickOutputs;

    @BeforeAll
    static void runAllCellsUntilTheTrainingCellTrains() throws Exception {
        Jupyter.requireInstalled();
        Chromium.requireInstalled();
        resetScreenshots();
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        Files.copy(Path.of(BrowserTest.class.getResource("/notebooks/browser.ipynb").toURI()), notebooks.resolve("browser.ipynb"));
        server = NotebookServer.start(Jupyter.ROOT, notebooks, work, Map.of(
                "PFGM_BUDGET", "smoke",
                "PFGM_RUNS", work.resolve("runs").toString(),
                "PFGM_OUTPUT_DIR", work.resolve("outputs").toString(),
                "PFGM_DATA", Jupyter.ROOT.resolve("data").toString()), SCREENSHOTS.resolve("notebook-server.log"));
        driverLog = Files.newOutputStream(SCREENSHOTS.resolve("chromedriver.log"));
        chromium = Chromium.start(work.resolve("chromium-profile"), 1280, 2000, driverLog);
        System.out.println("BrowserTest: " + Chromium.version() + ", page " + server.notebook("browser.ipynb").getPath());
        page = new NotebookPage(chromium);

        page.open(server.notebook("browser.ipynb").toString(), KERNEL_START);
        long started = System.nanoTime();
        page.runAll();
        Poll.until(RUN_ALL, "the training cell to start training", () -> {
            watchTicks();
            return page.outputText(TRAINING).contains("training from step") ? Optional.of(true) : Optional.empty();
        });
        System.out.printf("BrowserTest: Run All reached the training cell in %.1f s%n", (System.nanoTime() - started) / 1e9);
        page.screenshot(SCREENSHOTS.resolve("01-run-all.png"));
    }

    private static void resetScreenshots() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        try (Stream<Path> old = Files.list(SCREENSHOTS)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
    }

    /** Notes what the ticks cell shows now (it redraws one output every half second). */
    private static void watchTicks() {
        List<WebElement> outputs = page.outputs(TICKS);
        mostTickOutputs = Math.max(mostTickOutputs, outputs.size());
        if (outputs.size() == 1) {
            tickTexts.add(outputs.get(0).getText());
        }
    }

    @AfterAll
    static void closeBrowserAndServer() throws Exception {
        if (chromium != null) {
            page.screenshot(SCREENSHOTS.resolve("08-end.png"));
            chromium.quit();
        }
        if (driverLog != null) {
            driverLog.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void everyCellBeforeTheTrainingCellFinishedWithoutAnError() {
        for (int cell = DEVICE; cell < TRAINING; cell++) {
            int index = cell;
            Poll.until(ANSWER, "cell " + cell + " to finish", () -> page.finished(index));
            assertEquals(List.of(), page.errors(cell).stream().map(WebElement::getText).toList(), "errors shown by cell " + cell);
        }
    }

    @Test
    @Order(2)
    void anXChartShowsAsAnImage() throws IOException {
        WebElement image = page.codeCell(CHART).findElement(By.cssSelector(".output_png img"));
        assertEquals(480, page.imageWidth(image), "the chart's PNG arrived and decoded at its width");
        page.screenshot(page.codeCell(CHART), SCREENSHOTS.resolve("02-chart.png"));
    }

    @Test
    @Order(3)
    void aTablesawTableShowsAsATable() throws IOException {
        WebElement table = page.codeCell(TABLE).findElement(By.cssSelector(".output_html table"));
        WebElement caption = table.findElement(By.tagName("caption"));
        assertEquals("solvers: 3 rows × 2 columns", caption.getText());
        assertEquals(1, page.lines(caption), "the caption on one line");
        assertEquals(List.of("solver", "NFE"), table.findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList());
        assertEquals(List.of("euler 100", "heun 199", "rk45 146"),
                table.findElements(By.cssSelector("tbody tr")).stream().map(WebElement::getText).toList());
        page.screenshot(page.codeCell(TABLE), SCREENSHOTS.resolve("03-table.png"));
    }

    @Test
    @Order(4)
    void anUpdateDisplayOutputChangesInPlace() {
        assertEquals(1, mostTickOutputs, "one output at every look, never one per update");
        assertTrue(tickTexts.size() >= 3, "the page showed the output change while the cell ran: " + tickTexts);
        assertEquals(List.of("tick 6"), page.outputs(TICKS).stream().map(WebElement::getText).toList());
    }

    @Test
    @Order(5)
    void aSampleGridShowsAsAnImage() throws IOException {
        WebElement grid = page.codeCell(SAMPLES).findElement(By.cssSelector(".output_png img"));
        assertTrue(page.imageWidth(grid) >= 64, "16 samples of 16 x 16 pixels, 4 to a row, drawn at twice their size");
        page.screenshot(page.codeCell(SAMPLES), SCREENSHOTS.resolve("04-samples.png"));
    }

    @Test
    @Order(6)
    void theStopButtonStopsTrainingWithinSecondsAndTheNextCellRuns() throws IOException {
        Poll.sleep(2000); // well into training
        assertFalse(page.finished(TRAINING), "still training: " + page.prompt(TRAINING));
        long pressed = System.nanoTime();
        page.interrupt();
        Poll.until(INTERRUPT_LIMIT, "the training cell to stop", () -> page.finished(TRAINING) && !page.errors(TRAINING).isEmpty());
        System.out.printf("BrowserTest: the stop button stopped training in %.1f s%n", (System.nanoTime() - pressed) / 1e9);
        assertTrue(page.errors(TRAINING).get(0).getText().contains("Interrupted"), page.outputText(TRAINING));

        int next = page.typeNewCell("run.trainer().step()");
        page.runCurrentCell();
        Poll.until(ANSWER, "the cell after the interrupt to run", () -> page.finished(next));
        String steps = page.outputText(next).strip();
        assertTrue(steps.matches("\\d+") && Long.parseLong(steps) > 0, "the kernel answers and the run trained some steps: " + steps);
        page.screenshot(SCREENSHOTS.resolve("05-interrupted.png"));
    }

    @Test
    @Order(7)
    void tabOffersTheLibrarysMethods() throws IOException {
        page.typeNewCell("Runs.");
        page.keys(Keys.TAB);
        List<String> offered = page.completions(ANSWER);
        assertTrue(offered.contains("open("), "Tab after Runs. offers open(: " + offered);
        page.screenshot(SCREENSHOTS.resolve("06-tab-completion.png"));
        page.keys(Keys.ESCAPE);
    }

    @Test
    @Order(8)
    void shiftTabShowsTheSignatureAndJavadoc() throws IOException {
        page.typeNewCell("Runs.open("); // the editor adds the ')', the cursor stays inside
        page.shiftTab();
        WebElement shown = page.tooltip(ANSWER);
        String tooltip = shown.getText();
        page.scrollIntoView(shown);
        assertTrue(tooltip.contains("Run Runs.open(String preset, Map<String,String> overrides, ai.djl.Device device)"), tooltip);
        assertTrue(tooltip.contains("Opens (training or resuming when asked to train) the run of a preset with overrides"), tooltip);
        page.screenshot(SCREENSHOTS.resolve("07-shift-tab.png"));
    }
}
