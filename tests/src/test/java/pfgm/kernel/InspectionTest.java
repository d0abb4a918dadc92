package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shift-Tab (inspect_request): the signature and the first sentence of the Javadoc of what is at
 * the cursor, read from the sources the kernel spec names (the kit's, DJL's, XChart's, Tablesaw's).
 */
class InspectionTest {
    private static KernelDriver kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = KernelDriver.start();
    }

    @AfterAll
    static void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    private static String shown(String code, int detailLevel) {
        JsonObject reply = kernel.inspect(code, detailLevel);
        assertEquals("ok", reply.get("status").getAsString(), reply::toString);
        assertTrue(reply.get("found").getAsBoolean(), "found: " + reply);
        return reply.getAsJsonObject("data").get("text/plain").getAsString();
    }

    @Test
    void theKernelsDisplayShowsItsSignatureAndFirstSentence() {
        assertEquals("String pfgm.kernel.Notebook.display(Object value, String... mimeTypes)\n"
                + "Shows value below the running cell, as mimeTypes or its preferred type; returns its display id.",
                shown("var shownId = display(", 0));
    }

    @Test
    void aLibraryMethodShowsItsJavadocWithInlineTagsReadOut() {
        // Runs.open's Javadoc reads "... in {@link #root()}, on {@code device}, ... ({@link Devices#forTraining})."
        assertEquals("Run Runs.open(String preset, Map<String,String> overrides, ai.djl.Device device) throws java.io.IOException\n"
                + "Opens (training or resuming when asked to train) the run of a preset with overrides, in root(), on device,"
                + " or data-parallel on the devices PFGM_DEVICES lists when it is set (Devices.forTraining).",
                shown("int before = 1;\nvar run = Runs.open(", 0));
    }

    @Test
    void overloadsOfADjlMethodAreEachShownAndDetailGivesTheWholeJavadoc() {
        String brief = shown("new Shape(2, 3).size(", 0);
        assertEquals("long Shape.size(int... dimensions)\nReturns the size of a specific dimension or several specific dimensions.\n\n"
                + "long Shape.size()\nReturns the total size.", brief);
        String detailed = shown("new Shape(2, 3).size(", 1);
        assertTrue(detailed.contains("@param dimensions the dimension or dimensions to find the size of"), detailed);
        assertTrue(detailed.contains("@return the size of specific dimension(s)"), detailed);
    }

    @Test
    void aCellsOwnMethodShowsItsSignature() {
        kernel.ok("/** Doubles x. */\nint doubled(int x) { return 2 * x; }");
        assertTrue(shown("doubled(", 0).startsWith("int doubled(int x)"));
    }

    @Test
    void nothingKnownAtTheCursorIsNotFound() {
        JsonObject reply = kernel.inspect("int nothingHere = 1; notDeclaredAnywhere(", 0);
        assertEquals("ok", reply.get("status").getAsString());
        assertFalse(reply.get("found").getAsBoolean(), reply::toString);
    }
}
