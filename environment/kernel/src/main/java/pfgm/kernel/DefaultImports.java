package pfgm.kernel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The imports every notebook starts with, so that its first cell is about the work. */
final class DefaultImports {
    private static final List<String> COMMON = List.of(
            "java.util.*", "java.util.function.*", "java.util.stream.*", "java.nio.file.*",
            "ai.djl.ndarray.*", "ai.djl.ndarray.index.*", "ai.djl.ndarray.types.*",
            "org.knowm.xchart.*", "tech.tablesaw.api.*",
            "org.apache.commons.math3.distribution.*", "org.apache.commons.math3.stat.inference.*");
    /** The library's notebook helpers (rows(), ...), imported statically like display(). */
    private static final String LIBRARY_HELPERS = "pfgm.notebook.Notebook";
    /** Library packages a notebook has no use for: the command line and the kernel itself. */
    private static final List<String> NOT_FOR_NOTEBOOKS = List.of("pfgm.cli", "pfgm.bench", "pfgm.kernel");

    private DefaultImports() {}

    /** Import statements: the common packages, every pfgm package on {@code classPath}, display(). */
    static List<String> statements(String classPath) {
        List<String> imports = new ArrayList<>();
        COMMON.forEach(name -> imports.add("import " + name + ";"));
        libraryPackages(classPath).forEach(name -> imports.add("import " + name + ".*;"));
        imports.add("import static " + Notebook.class.getName() + ".*;");
        if (libraryPackages(classPath).contains("pfgm.notebook")) {
            imports.add("import static " + LIBRARY_HELPERS + ".*;");
        }
        return imports;
    }

    /** The pfgm packages found on the class path, so a package the library gains is imported too. */
    static SortedSet<String> libraryPackages(String classPath) {
        SortedSet<String> packages = new TreeSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            classFiles(Path.of(entry))
                    .filter(name -> name.startsWith("pfgm/"))
                    .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                    .filter(name -> NOT_FOR_NOTEBOOKS.stream().noneMatch(excluded -> isWithin(name, excluded)))
                    .forEach(packages::add);
        }
        return packages;
    }

    private static boolean isWithin(String packageName, String parent) {
        return packageName.equals(parent) || packageName.startsWith(parent + ".");
    }

    /** Names ("a/b/C.class") of the classes in a jar or a class folder; none for anything else. */
    private static Stream<String> classFiles(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    return files.map(file -> entry.relativize(file).toString().replace(File.separatorChar, '/'))
                            .filter(name -> name.endsWith(".class"))
                            .toList()
                            .stream();
                }
            }
            if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    return jar.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class")).toList().stream();
                }
            }
            return Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
