package pfgm.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * A notebook in Jupyter Notebook 6's classic page (Debian's notebook 6.4), used the way a person
 * uses it (menus, the toolbar, the keyboard) and read from what the page shows.
 */
final class NotebookPage {
    /** "In [3]:" once a cell has run; "In [*]:" while it runs or waits, "In [ ]:" before. */
    private static final Pattern FINISHED_PROMPT = Pattern.compile("In\\s*\\[\\d+\\]:");

    private final ChromeDriver driver;

    NotebookPage(ChromeDriver driver) {
        this.driver = driver;
    }

    void open(String url, Duration kernelStart) {
        driver.get(url);
        Poll.until(kernelStart, "the kernel to start and go idle", this::kernelIdle);
    }

    /** The kernel indicator in the top right corner is the empty circle. */
    boolean kernelIdle() {
        return driver.findElement(By.id("kernel_indicator_icon")).getAttribute("class").contains("kernel_idle_icon");
    }

    /** Cell > Run All. */
    void runAll() {
        driver.findElement(By.id("celllink")).click();
        driver.findElement(By.cssSelector("#run_all_cells > a")).click();
    }

    /** The stop button of the toolbar (Kernel > Interrupt). */
    void interrupt() {
        driver.findElement(By.cssSelector("button[data-jupyter-action='jupyter-notebook:interrupt-kernel']")).click();
    }

    List<WebElement> codeCells() {
        return driver.findElements(By.cssSelector("#notebook-container .cell.code_cell"));
    }

    WebElement codeCell(int index) {
        return codeCells().get(index);
    }

    String prompt(int cell) {
        return codeCell(cell).findElement(By.cssSelector(".input_prompt")).getText().replace('\u00a0', ' ');
    }

    boolean finished(int cell) {
        return FINISHED_PROMPT.matcher(prompt(cell)).matches();
    }

    /** The output areas of a cell, one per output the page shows. */
    List<WebElement> outputs(int cell) {
        return codeCell(cell).findElements(By.cssSelector(".output_area"));
    }

    /** Error outputs: the red traceback boxes. */
    List<WebElement> errors(int cell) {
        return codeCell(cell).findElements(By.cssSelector(".output_subarea.output_error"));
    }

    /** What the cell's outputs show, without their "Out[n]:" prompts. */
    String outputText(int cell) {
        return String.join("\n", codeCell(cell).findElements(By.cssSelector(".output_subarea")).stream().map(WebElement::getText).toList());
    }

    /** Whether an image has arrived and decoded, and its width in pixels (0 when not). */
    long imageWidth(WebElement image) {
        Object width = driver.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0;", image);
        return ((Number) width).longValue();
    }

    /** How many lines of text an element takes on the page. */
    long lines(WebElement element) {
        Object lines = driver.executeScript("const style = getComputedStyle(arguments[0]);"
                + "const text = arguments[0].getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);"
                + "return Math.round(text / parseFloat(style.lineHeight));", element);
        return ((Number) lines).longValue();
    }

    /**
     * {@code code} typed, as a person types (the editor closes brackets as they are opened), into
     * a new cell at the end, or into the empty one Shift+Enter left there. Returns its index.
     */
    int typeNewCell(String code) {
        List<WebElement> cells = codeCells();
        WebElement last = cells.get(cells.size() - 1);
        last.findElement(By.cssSelector(".input_area")).click(); // edit mode in the last cell
        if (!last.findElement(By.cssSelector(".CodeMirror-code")).getText().isBlank()) {
            keys(Keys.ESCAPE, Keys.ESCAPE); // command mode (a first Escape may only close a completion list)
            keys("b"); // insert a cell below, selected
            keys(Keys.ENTER); // edit it
            cells = codeCells();
        }
        keys(code);
        return cells.size() - 1;
    }

    /** Shift+Enter: runs the cell being edited. */
    void runCurrentCell() {
        new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.ENTER).keyUp(Keys.SHIFT).perform();
    }

    void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    void shiftTab() {
        new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    }

    /** The entries of the completion list Tab opened, once it shows. */
    List<String> completions(Duration timeout) {
        return Poll.until(timeout, "the completion list", () -> {
            List<String> entries = driver.findElements(By.cssSelector("#complete select option")).stream().map(WebElement::getText).toList();
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries);
        });
    }

    /** The Shift-Tab tooltip, once it shows text. */
    WebElement tooltip(Duration timeout) {
        return Poll.until(timeout, "the Shift-Tab tooltip", () -> driver.findElements(By.cssSelector("#tooltip .tooltiptext")).stream()
                .filter(WebElement::isDisplayed).filter(text -> !text.getText().isBlank()).findFirst());
    }

    /** Scrolls the notebook so that {@code element} (a tooltip below the last cell, say) is in the window. */
    void scrollIntoView(WebElement element) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    }

    /** The browser window as it is now. */
    void screenshot(Path file) throws IOException {
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** One element, scrolled into view. */
    void screenshot(WebElement element, Path file) throws IOException {
        Files.write(file, element.getScreenshotAs(OutputType.BYTES));
    }
}
