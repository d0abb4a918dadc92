package pfgm;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import pfgm.util.Threads;

/**
 * The tests' PyTorch threads follow the kit's rule, as the command and the kernel do: set before
 * any test loads the engine (JUnit calls this first; registered in META-INF/services).
 */
public final class ThreadsForTests implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Threads.useDefault();
    }
}
