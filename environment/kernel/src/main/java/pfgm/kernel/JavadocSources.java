package pfgm.kernel;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Where Shift-Tab finds Javadoc. JShell's {@code documentation()} reads doc comments from sources,
 * but JDK 17 looks only in the JDK's own src.zip; the kit's and its libraries' sources (the kernel
 * spec names them in {@value #PROPERTY}) are added to that list, a private field of JShell's
 * implementation (the kernel spec opens jdk.jshell for it). Without it, inspection still shows
 * signatures, read from the class path.
 */
final class JavadocSources {
    static final String PROPERTY = "pfgm.kernel.sources";
    private static final Logger LOG = Logger.getLogger(JavadocSources.class.getName());

    private JavadocSources() {}

    /** Source folders and source jars from a path list; "dir/*" stands for the jars in dir, as on a class path. */
    static List<Path> parse(String paths) {
        List<Path> roots = new ArrayList<>();
        for (String entry : paths.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith(File.separator + "*")) {
                try (Stream<Path> files = Files.list(Path.of(entry.substring(0, entry.length() - 2)))) {
                    files.filter(file -> file.toString().endsWith(".jar")).sorted().forEach(roots::add);
                } catch (IOException e) {
                    LOG.warning("no Javadoc sources in " + entry + ": " + e);
                }
            } else if (Files.exists(Path.of(entry))) {
                roots.add(Path.of(entry));
            }
        }
        return roots;
    }

    /** Lets {@code analysis} read Javadoc from {@code roots} too; false, with a warning, when this JDK does not allow it. */
    static boolean attach(SourceCodeAnalysis analysis, List<Path> roots) {
        try {
            Method jdkSources = analysis.getClass().getDeclaredMethod("findSources");
            jdkSources.setAccessible(true);
            List<Path> sources = new ArrayList<>(); // the JDK's own (src.zip, when installed), then ours
            for (Object jdkSource : (List<?>) jdkSources.invoke(analysis)) {
                sources.add((Path) jdkSource);
            }
            sources.addAll(roots);
            Field field = analysis.getClass().getDeclaredField("availableSources");
            field.setAccessible(true);
            field.set(analysis, List.copyOf(sources));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("Shift-Tab shows no Javadoc of the kit: this JDK's JShell takes no extra sources (" + e + ")");
            return false;
        }
    }
}
