package pfgm.kernel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

/**
 * Resolves Maven coordinates with their runtime dependencies through Maven's own resolver, as mvn
 * on this machine would ({@link MavenSettings}): an artifact already in the local repository is
 * taken from there without the network, others are downloaded into it.
 */
final class MavenResolver {
    static final String COORDINATE_FORMAT = "group:artifact[:extension[:classifier]]:version";

    private RepositorySystem system;

    /** The jar files of {@code coordinates} and of what they need at run time, in class path order. */
    List<Path> resolve(List<String> coordinates, PrintStream progress) throws MagicException {
        List<Dependency> roots = new ArrayList<>();
        for (String coordinate : coordinates) {
            roots.add(new Dependency(artifact(coordinate), JavaScopes.RUNTIME));
        }
        MavenSettings settings = MavenSettings.load();
        DefaultRepositorySystemSession session = session(settings, progress);
        List<RemoteRepository> repositories = system().newResolutionRepositories(session, settings.repositories());
        CollectRequest collect = new CollectRequest(roots, null, repositories);
        try {
            return system().resolveDependencies(session, new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME)))
                    .getArtifactResults().stream()
                    .map(ArtifactResult::getArtifact)
                    .filter(artifact -> artifact.getFile() != null && artifact.getFile().getName().endsWith(".jar"))
                    .map(artifact -> artifact.getFile().toPath())
                    .toList();
        } catch (DependencyResolutionException e) {
            throw new MagicException(explain(e, coordinates, settings, repositories));
        }
    }

    private static Artifact artifact(String coordinate) throws MagicException {
        try {
            return new DefaultArtifact(coordinate);
        } catch (IllegalArgumentException e) {
            throw new MagicException("%maven: '" + coordinate + "' is not a Maven coordinate; write " + COORDINATE_FORMAT
                    + ", e.g. org.apache.commons:commons-csv:1.10.0");
        }
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    private DefaultRepositorySystemSession session(MavenSettings settings, PrintStream progress) {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession(); // Maven's scopes, exclusions, conflicts
        session.setLocalRepositoryManager(system().newLocalRepositoryManager(session, new LocalRepository(settings.localRepository().toFile())));
        session.setOffline(settings.offline());
        session.setMirrorSelector(settings.mirrors());
        session.setProxySelector(settings.proxies());
        session.setAuthenticationSelector(settings.credentials());
        // A notebook retries at once after a typo or a network failure: no "cached failure, retry in a day".
        session.setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(ResolutionErrorPolicy.CACHE_DISABLED));
        session.setTransferListener(new AbstractTransferListener() {
            @Override
            public void transferInitiated(TransferEvent event) {
                if (event.getRequestType() == TransferEvent.RequestType.GET && event.getResource().getResourceName().endsWith(".jar")) {
                    progress.println("%maven: downloading " + event.getResource().getRepositoryUrl() + event.getResource().getResourceName());
                }
            }
        });
        return session;
    }

    /** One line: what could not be had, from where, and what to do. */
    private static String explain(DependencyResolutionException e, List<String> requested, MavenSettings settings,
            List<RemoteRepository> repositories) {
        Optional<ArtifactTransferException> transfer = causes(e).stream()
                .filter(ArtifactTransferException.class::isInstance).map(ArtifactTransferException.class::cast).findFirst();
        if (transfer.isEmpty()) {
            return "%maven cannot resolve " + String.join(" ", requested) + ": " + deepestMessage(e);
        }
        Artifact missing = transfer.get().getArtifact();
        String what = missing + (requested.stream().anyMatch(coordinate -> sameArtifact(coordinate, missing))
                ? "" : " (needed by " + String.join(" ", requested) + ")");
        String local = "the local repository " + settings.localRepository();
        if (settings.offline()) {
            return "%maven: " + what + " is not in " + local + " and Maven is offline (<offline> in " + settings.files() + ")";
        }
        if (causes(e).stream().anyMatch(ArtifactNotFoundException.class::isInstance)) {
            return "%maven: no " + what + " in " + local + " or in " + describe(repositories)
                    + "; check the coordinate (" + COORDINATE_FORMAT + ")";
        }
        return "%maven: could not download " + what + ": " + deepestMessage(transfer.get())
                + " (" + describe(repositories) + "; jars already in " + local + " need no network)";
    }

    private static boolean sameArtifact(String coordinate, Artifact artifact) {
        try {
            Artifact asked = new DefaultArtifact(coordinate);
            return asked.getGroupId().equals(artifact.getGroupId()) && asked.getArtifactId().equals(artifact.getArtifactId());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(List<RemoteRepository> repositories) {
        return repositories.stream().map(repository -> repository.getId() + " (" + repository.getUrl() + ")").collect(Collectors.joining(", "));
    }

    /** The exception, its causes, and the failures of each artifact the resolver reports beside them. */
    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> found = new ArrayList<>();
        Deque<Throwable> pending = new ArrayDeque<>(List.of(thrown));
        while (!pending.isEmpty()) {
            Throwable next = pending.removeFirst();
            if (found.contains(next)) {
                continue;
            }
            found.add(next);
            if (next.getCause() != null) {
                pending.add(next.getCause());
            }
            if (next instanceof DependencyResolutionException resolution && resolution.getResult() != null) {
                resolution.getResult().getCollectExceptions().forEach(pending::add);
                resolution.getResult().getArtifactResults().forEach(result -> pending.addAll(result.getExceptions()));
            }
            if (next instanceof ArtifactResolutionException resolution) {
                resolution.getResults().forEach(result -> pending.addAll(result.getExceptions()));
            }
        }
        return found;
    }

    private static String deepestMessage(Throwable thrown) {
        Throwable deepest = thrown;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() != null ? deepest.getMessage() : deepest.toString();
    }
}
