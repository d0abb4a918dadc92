package pfgm.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code %maven group:artifact[:extension[:classifier]]:version...}: the artifacts and what they
 * need at run time, resolved as mvn would ({@link MavenResolver}), join the class path. Classes the
 * kernel already has (the library, DJL, XChart, ...) stay the kernel's: the class path of a cell
 * asks the kernel's first.
 */
final class MavenMagic implements Magic {
    private final MavenResolver resolver;
    private final Consumer<String> addToClasspath;
    private final Set<Path> added = new HashSet<>();

    MavenMagic(MavenResolver resolver, Consumer<String> addToClasspath) {
        this.resolver = resolver;
        this.addToClasspath = addToClasspath;
    }

    @Override
    public List<String> names() {
        return List.of("maven");
    }

    @Override
    public String usage() {
        return "%maven " + MavenResolver.COORDINATE_FORMAT + "...";
    }

    @Override
    public String summary() {
        return "adds artifacts and their dependencies to the class path, resolved as mvn does (its settings, local repository first)";
    }

    @Override
    public Optional<Object> run(String arguments) throws MagicException {
        if (arguments.isEmpty()) {
            throw new MagicException("%maven needs a coordinate (" + MavenResolver.COORDINATE_FORMAT
                    + "), e.g. %maven org.apache.commons:commons-csv:1.10.0");
        }
        List<Path> jars = resolver.resolve(List.of(arguments.split("\\s+")), System.out);
        List<Path> fresh = new ArrayList<>();
        for (Path jar : jars) {
            if (added.add(jar)) {
                addToClasspath.accept(jar.toString());
                fresh.add(jar);
            }
        }
        System.out.println(fresh.isEmpty()
                ? "%maven: already on the class path: " + names(jars)
                : "%maven: added to the class path: " + names(fresh));
        return Optional.empty();
    }

    private static String names(List<Path> jars) {
        return jars.stream().map(jar -> jar.getFileName().toString()).collect(Collectors.joining(", "));
    }
}
