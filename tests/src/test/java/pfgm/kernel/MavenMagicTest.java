package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven against Maven settings the test writes: the kernel's user home is a temporary folder
 * (-Duser.home, as mvn finds ~/.m2/settings.xml there too) whose settings name a local repository
 * and mirror or profile repositories in file:// folders holding small artifacts, so nothing
 * reaches the network. Settings are read again at every %maven, so each test writes its own.
 */
class MavenMagicTest {
    private static final String FORMAT = "group:artifact[:extension[:classifier]]:version";

    @TempDir
    static Path home;
    private static Path remote;
    private static Path local;
    private static KernelDriver kernel;

    @BeforeAll
    static void publishArtifactsAndStartKernel() throws Exception {
        remote = home.resolve("remote");
        local = home.resolve("local-repository");
        Path words = publish("words", "", Map.of("demo.Words", "package demo; public class Words { public static String world() { return \"world\"; } }"));
        // The test-scoped dependency exists nowhere: Maven does not pass a dependency's tests on.
        publish("greeter", dependency("words", "compile") + dependency("greeter-tests", "test"),
                Map.of("demo.Greeter", "package demo; public class Greeter { public String greet() { return \"hello, \" + Words.world(); } }"),
                words);
        publish("lonely", "", Map.of("demo.Lonely", "package demo; public class Lonely { public String name() { return \"lonely\"; } }"));
        publish("kept", "", Map.of("demo.Kept", "package demo; public class Kept {}"));
        publish("elsewhere", "", Map.of("demo.Elsewhere", "package demo; public class Elsewhere {}"));
        publish("broken", dependency("absent", "compile"), Map.of("demo.Broken", "package demo; public class Broken {}"));
        String options = System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "");
        kernel = KernelDriver.start(Map.of("JDK_JAVA_OPTIONS", (options + " -Duser.home=" + home).strip()));
    }

    @AfterAll
    static void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void aCoordinateComesWithItsRuntimeDependenciesThroughTheMirrorIntoTheLocalRepository() throws Exception {
        settings(mirrorOfEverything(remote));
        Execution run = kernel.ok("%maven demo:greeter:1.0\nnew demo.Greeter().greet()");
        assertEquals("hello, world", run.resultText());
        assertTrue(run.stream("stdout").endsWith("%maven: added to the class path: greeter-1.0.jar, words-1.0.jar\n"), run::toString);
        assertTrue(Files.isRegularFile(local.resolve("demo/words/1.0/words-1.0.jar")), "the settings' local repository holds them");
    }

    @Test
    void whatTheLocalRepositoryHoldsResolvesWithoutTheRemoteAndOffline() throws Exception {
        settings(mirrorOfEverything(remote));
        kernel.ok("%maven demo:kept:1.0");
        settings(mirrorOfEverything(home.resolve("gone")));
        assertEquals("%maven: already on the class path: kept-1.0.jar\n", kernel.ok("%maven demo:kept:1.0").stream("stdout"));

        settings("<offline>true</offline>" + mirrorOfEverything(remote));
        kernel.ok("%maven demo:kept:1.0");
        Execution notLocal = kernel.failing("%maven demo:elsewhere:1.0");
        assertEquals(List.of(headline(notLocal), "    %maven demo:elsewhere:1.0"), notLocal.traceback());
        assertTrue(headline(notLocal).contains(": %maven: demo:elsewhere:jar:1.0 is not in the local repository " + local
                + " and Maven is offline (<offline> in " + home.resolve(".m2/settings.xml")), notLocal::toString);
    }

    @Test
    void theRepositoriesOfAnActiveProfileAreSearched() throws Exception {
        Path empty = Files.createDirectories(home.resolve("empty-central"));
        settings("<mirrors><mirror><id>empty</id><mirrorOf>central</mirrorOf><url>" + empty.toUri() + "</url></mirror></mirrors>"
                + "<profiles><profile><id>demo</id><repositories><repository><id>demo-repository</id><url>" + remote.toUri()
                + "</url></repository></repositories></profile></profiles>"
                + "<activeProfiles><activeProfile>demo</activeProfile></activeProfiles>");
        assertEquals("lonely", kernel.ok("%maven demo:lonely:1.0\nnew demo.Lonely().name()").resultText());
    }

    @Test
    void anUnknownCoordinateIsOneClearErrorAndTheKernelCarriesOn() throws Exception {
        settings(mirrorOfEverything(remote));
        Execution unknown = kernel.failing("%maven demo:nothing:1.0");
        assertEquals("MagicException", unknown.reply().get("ename").getAsString());
        assertEquals(List.of(headline(unknown), "    %maven demo:nothing:1.0"), unknown.traceback());
        assertTrue(headline(unknown).matches("cell \\[\\d+\\], line 1: %maven: no demo:nothing:jar:1.0 in the local repository "
                + java.util.regex.Pattern.quote(local + " or in mirror (" + remote.toUri() + "); check the coordinate (" + FORMAT + ")")),
                unknown::toString);

        Execution missingDependency = kernel.failing("%maven demo:broken:1.0");
        assertTrue(headline(missingDependency).contains("%maven: no demo:absent:jar:1.0 (needed by demo:broken:1.0) in the local repository"),
                missingDependency::toString);
        assertEquals("2", kernel.ok("1 + 1").resultText());
    }

    @Test
    void aWrongCoordinateOrNoneIsRefusedWithTheFormat() {
        assertTrue(headline(kernel.failing("%maven greeter")).endsWith(
                "%maven: 'greeter' is not a Maven coordinate; write " + FORMAT + ", e.g. org.apache.commons:commons-csv:1.10.0"));
        assertTrue(headline(kernel.failing("%maven")).endsWith("%maven needs a coordinate (" + FORMAT + "), e.g. %maven org.apache.commons:commons-csv:1.10.0"));
    }

    @Test
    void settingsMavenCannotReadAreReported() throws Exception {
        Files.createDirectories(home.resolve(".m2"));
        Files.writeString(home.resolve(".m2/settings.xml"), "<settings><mirrors>");
        String headline = headline(kernel.failing("%maven demo:lonely:1.0"));
        assertTrue(headline.contains("%maven cannot read Maven's settings: ") && headline.contains(home.resolve(".m2/settings.xml").toString())
                && headline.endsWith("(fix the file, as mvn would refuse it too)"), headline);
    }

    private static String headline(Execution failed) {
        return failed.traceback().get(0);
    }

    private static String mirrorOfEverything(Path repository) {
        return "<mirrors><mirror><id>mirror</id><mirrorOf>*</mirrorOf><url>" + repository.toUri() + "</url></mirror></mirrors>";
    }

    /** ~/.m2/settings.xml of the kernel's home: the local repository, then {@code body}. */
    private static void settings(String body) throws IOException {
        Files.createDirectories(home.resolve(".m2"));
        Files.writeString(home.resolve(".m2/settings.xml"),
                "<settings><localRepository>" + local + "</localRepository>" + body + "</settings>");
    }

    private static String dependency(String artifactId, String scope) {
        return "<dependency><groupId>demo</groupId><artifactId>" + artifactId + "</artifactId><version>1.0</version><scope>"
                + scope + "</scope></dependency>";
    }

    /** demo:artifactId:1.0 (jar of {@code classes}, POM with {@code dependencies}, SHA-1s) in the remote repository. */
    private static Path publish(String artifactId, String dependencies, Map<String, String> classes, Path... classPath) throws Exception {
        Path folder = Files.createDirectories(remote.resolve("demo").resolve(artifactId).resolve("1.0"));
        Path jar = TestJars.write(folder.resolve(artifactId + "-1.0.jar"), home.resolve("build").resolve(artifactId), classes, classPath);
        Path pom = Files.writeString(folder.resolve(artifactId + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>demo</groupId><artifactId>" + artifactId + "</artifactId><version>1.0</version>"
                + "<dependencies>" + dependencies + "</dependencies></project>");
        for (Path file : List.of(jar, pom)) {
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), sha1(file));
        }
        return jar;
    }

    private static String sha1(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file)));
    }
}
