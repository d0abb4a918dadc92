package pfgm.kernel;

import java.nio.file.Path;

/** Paths written in magic lines: "~/" is the user's home, relative paths start at the kernel's folder. */
final class MagicPaths {
    private MagicPaths() {}

    static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** The folder relative paths start at: the notebook's, where Jupyter starts the kernel. */
    static Path workingFolder() {
        return Path.of("").toAbsolutePath();
    }
}
