package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code %classpath <path-or-glob>...} (alias {@code %jars}): adds jars or class folders to the class path. */
final class ClasspathMagic implements Magic {
    private final Consumer<String> addToClasspath;

    ClasspathMagic(Consumer<String> addToClasspath) {
        this.addToClasspath = addToClasspath;
    }

    @Override
    public List<String> names() {
        return List.of("classpath", "jars");
    }

    @Override
    public String usage() {
        return "%classpath <path-or-glob>...";
    }

    @Override
    public String summary() {
        return "adds jars or class folders to the class path (alias %jars)";
    }

    @Override
    public Optional<Object> run(String arguments) throws MagicException {
        if (arguments.isEmpty()) {
            throw new MagicException("%classpath needs a path or a glob, e.g. %classpath lib/*.jar");
        }
        for (String glob : arguments.split("\\s+")) {
            matches(glob).forEach(path -> addToClasspath.accept(path.toAbsolutePath().normalize().toString()));
        }
        return Optional.empty();
    }

    private static List<Path> matches(String glob) throws MagicException {
        List<Path> matches = new ArrayList<>();
        try {
            new GlobFinder(MagicPaths.expandHome(glob)).computeMatchingPaths().forEach(matches::add);
        } catch (NoSuchFileException e) {
            // a folder of the glob is missing: nothing matches
        } catch (IOException e) {
            throw new MagicException("cannot list " + glob + ": " + e);
        }
        if (matches.isEmpty()) {
            throw new MagicException("no jar or folder matches " + glob + " (relative paths start at " + MagicPaths.workingFolder() + ")");
        }
        return matches;
    }
}
