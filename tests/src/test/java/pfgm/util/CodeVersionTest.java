package pfgm.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pfgm.PfgmProcess;

/** The library knows which code it is: its build's commit, whether the sources differed, and their hash. */
class CodeVersionTest {
    static final Path SOURCES = PfgmProcess.ROOT.resolve("lib/src/main");

    /** The hash recomputed here: SHA-256 of sha256sum's listing of every source file, sorted by path. */
    @Test
    void theSourcesHashIsTheHashOfTheSourcesListing() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(Files::isRegularFile).sorted((a, b) -> compareBytes(name(a), name(b))).toList();
        }
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        for (Path file : files) {
            String line = HexFormat.of().formatHex(sha256(Files.readAllBytes(file))) + "  " + name(file) + "\n";
            listing.write(line.getBytes(StandardCharsets.UTF_8));
        }
        String expected = HexFormat.of().formatHex(sha256(listing.toByteArray()));
        assertEquals(expected, CodeVersion.current().sources());
    }

    /** The commit and the changed flag are git's, when the tests run in a git checkout. */
    @Test
    void theCommitAndTheChangedFlagAreGits() throws Exception {
        if (!Files.isDirectory(PfgmProcess.ROOT.resolve(".git")) && !Files.isRegularFile(PfgmProcess.ROOT.resolve(".git"))) {
            return; // a source tree without git: the version says "unknown", which the id then carries with the hash
        }
        String head = git("rev-parse", "--short=12", "HEAD");
        boolean changed = !git("status", "--porcelain", "--", "lib/src/main").isEmpty();
        CodeVersion version = CodeVersion.current();
        assertEquals(head, version.commit());
        assertEquals(changed, version.dirty());
        assertEquals(changed ? head + "+" + version.sources().substring(0, 8) : head, version.id());
        assertTrue(version.sameCode(new CodeVersion("other", true, version.sources())));
    }

    private static String name(Path file) {
        return "./" + SOURCES.relativize(file).toString().replace('\\', '/');
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static String git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", PfgmProcess.ROOT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }
}
