package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maven coordinates of jars on this test's class path, which Maven took from the local repository. */
final class LocalRepository {
    private LocalRepository() {}

    /** "group:artifact:version" of the jar .../group/path/artifact/version/artifact-version.jar on the class path. */
    static String coordinateOf(String groupId, String artifactId) {
        Pattern layout = Pattern.compile(".*/" + Pattern.quote(groupId.replace('.', '/') + "/" + artifactId) + "/([^/]+)/"
                + Pattern.quote(artifactId) + "-\\1\\.jar");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher jar = layout.matcher(entry.replace(File.separatorChar, '/'));
            if (jar.matches()) {
                return groupId + ":" + artifactId + ":" + jar.group(1);
            }
        }
        return fail(groupId + ":" + artifactId + " is not on the test class path");
    }
}
