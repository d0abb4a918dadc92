package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the kernel on the connection file Jupyter passes (see the kernel spec's argv). */
public final class KernelMain {
    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        // Charts render off-screen: a kernel has no display, and AWT reads this once, on first use.
        System.setProperty("java.awt.headless", "true");
        // PyTorch's intra-op threads: the kit's default unless given (pfgm.util.Threads; PFGM_THREADS).
        pfgm.util.Threads.useDefault();
        if (args.length != 1) {
            System.err.println("usage: pfgm.kernel.KernelMain <connection-file>");
            System.exit(2);
        }
        // The protocol library logs every bind and loop start at INFO on the notebook server's console.
        Logger.getLogger("").setLevel(Level.WARNING);

        var properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        var connection = new ResilientConnection(properties);
        var kernel = new JavaKernel();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        // Threads a notebook started (thread pools, DJL, AWT) must not keep a shut-down kernel alive.
        System.exit(0);
    }
}
