package pfgm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Small jars for the class path tests, compiled from source by the JDK's compiler. */
final class TestJars {
    private TestJars() {}

    /**
     * Compiles {@code sources} (class name to source) against {@code classPath} into {@code work}
     * and writes their classes to {@code jar}.
     */
    static Path write(Path jar, Path work, Map<String, String> sources, Path... classPath) throws IOException {
        Path sourceFolder = work.resolve("src");
        Path classes = work.resolve("classes");
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString()));
        if (classPath.length > 0) {
            arguments.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, Stream.of(classPath).map(Path::toString).toList())));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceFolder.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            arguments.add(Files.writeString(file, source.getValue()).toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)), "compiles");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
