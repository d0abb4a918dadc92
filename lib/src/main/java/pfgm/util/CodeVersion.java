package pfgm.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which code a number came from: the commit the library was built from, whether its sources differed
 * from that commit, and a SHA-256 over the sources themselves (written at build time into
 * pfgm/version.properties). The sources' hash is what decides whether two numbers came from the same
 * code: it is the same on every machine and says something even when the tree had changes or no git.
 *
 * @param commit the commit's first 12 hex digits, or "unknown" (no git at build time)
 * @param dirty whether lib/src/main differed from the commit
 * @param sources SHA-256 (hex) over lib/src/main
 */
public record CodeVersion(String commit, boolean dirty, String sources) {
    private static CodeVersion current;

    /** The library's own version. */
    public static synchronized CodeVersion current() {
        if (current == null) {
            try (InputStream in = CodeVersion.class.getResourceAsStream("/pfgm/version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("the library has no pfgm/version.properties: build it with Maven "
                            + "(mvn -pl lib package), which writes it");
                }
                Properties p = new Properties();
                p.load(in);
                current = new CodeVersion(p.getProperty("commit", "unknown"), Boolean.parseBoolean(p.getProperty("dirty")),
                        p.getProperty("sources", "unknown"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return current;
    }

    /** What rows and logs show: the commit, and for changed sources "+" and the first 8 digits of their hash. */
    public String id() {
        return dirty || commit.equals("unknown") ? commit + "+" + sources.substring(0, 8) : commit;
    }

    /** Whether {@code other} is the same code (the same sources). */
    public boolean sameCode(CodeVersion other) {
        return sources.equals(other.sources);
    }

    @Override
    public String toString() {
        return id();
    }
}
