package pfgm.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/**
 * What the machine's {@code mvn} would use to resolve: the user's {@code ~/.m2/settings.xml} over
 * the installation's {@code conf/settings.xml}, read by Maven's own settings builder. From them:
 * the local repository, offline mode, the remote repositories (central, and those of the profiles
 * in {@code <activeProfiles>} or active by default), mirrors, proxies and server credentials.
 * Not read: profile activation by property, JDK, OS or file, and encrypted passwords.
 */
final class MavenSettings {
    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2";

    private final Settings settings;
    private final List<Path> files;

    private MavenSettings(Settings settings, List<Path> files) {
        this.settings = settings;
        this.files = files;
    }

    /** Reads the settings files as mvn would find them now (they may change between two %maven lines). */
    static MavenSettings load() throws MagicException {
        Path user = Path.of(System.getProperty("user.home"), ".m2", "settings.xml");
        Optional<Path> global = mavenHome().map(home -> home.resolve("conf").resolve("settings.xml"));
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(user.toFile());
        global.ifPresent(file -> request.setGlobalSettingsFile(file.toFile()));
        request.setSystemProperties(interpolationProperties());
        try {
            Settings effective = new DefaultSettingsBuilderFactory().newInstance().build(request).getEffectiveSettings();
            List<Path> read = Stream.concat(Stream.of(user), global.stream()).filter(Files::isRegularFile).toList();
            return new MavenSettings(effective, read);
        } catch (SettingsBuildingException e) {
            throw new MagicException("%maven cannot read Maven's settings: " + e.getProblems().get(0)
                    + " (fix the file, as mvn would refuse it too)");
        }
    }

    /**
     * The Maven installation whose conf/settings.xml mvn reads: $MAVEN_HOME (or the older
     * $M2_HOME), else the one the mvn on PATH belongs to (Debian's /usr/bin/mvn links into it).
     */
    private static Optional<Path> mavenHome() {
        for (String variable : List.of("MAVEN_HOME", "M2_HOME")) {
            String home = System.getenv(variable);
            if (home != null && !home.isBlank()) {
                return Optional.of(Path.of(home));
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(java.io.File.pathSeparator)) {
            Path mvn = Path.of(folder.isEmpty() ? "." : folder, "mvn");
            if (Files.isExecutable(mvn)) {
                try {
                    return Optional.ofNullable(mvn.toRealPath().getParent()).map(Path::getParent);
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** ${user.home}, ${env.HOME} and the like in settings files mean what they mean to mvn. */
    private static Properties interpolationProperties() {
        Properties properties = new Properties();
        properties.putAll(System.getProperties());
        System.getenv().forEach((name, value) -> properties.setProperty("env." + name, value));
        return properties;
    }

    /** -Dmaven.repo.local, else the settings' localRepository, else ~/.m2/repository. */
    Path localRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String configured = settings.getLocalRepository();
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    boolean offline() {
        return settings.isOffline();
    }

    /** The files read, for messages: "/root/.m2/settings.xml, /usr/share/maven/conf/settings.xml". */
    String files() {
        return files.isEmpty() ? "no settings file" : files.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** Central, as Maven's super POM declares it, then the active profiles' repositories (same id: replaced). */
    List<RemoteRepository> repositories() {
        List<RemoteRepository> repositories = new ArrayList<>();
        repositories.add(new RemoteRepository.Builder("central", "default", CENTRAL_URL)
                .setReleasePolicy(new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_WARN))
                .setSnapshotPolicy(new RepositoryPolicy(false, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_WARN))
                .build());
        for (Profile profile : activeProfiles()) {
            for (Repository declared : profile.getRepositories()) {
                RemoteRepository repository = new RemoteRepository.Builder(declared.getId(), declared.getLayout(), declared.getUrl())
                        .setReleasePolicy(policy(declared.getReleases()))
                        .setSnapshotPolicy(policy(declared.getSnapshots()))
                        .build();
                repositories.removeIf(existing -> existing.getId().equals(repository.getId()));
                repositories.add(repository);
            }
        }
        return repositories;
    }

    /**
     * Profiles named in activeProfiles; when none of those exists, the ones marked activeByDefault
     * (Maven's rule: a default profile gives way to one activated explicitly).
     */
    private List<Profile> activeProfiles() {
        Set<String> named = Set.copyOf(settings.getActiveProfiles());
        List<Profile> explicit = settings.getProfiles().stream().filter(profile -> named.contains(profile.getId())).toList();
        if (!explicit.isEmpty()) {
            return explicit;
        }
        return settings.getProfiles().stream()
                .filter(profile -> profile.getActivation() != null && profile.getActivation().isActiveByDefault())
                .toList();
    }

    private static RepositoryPolicy policy(org.apache.maven.settings.RepositoryPolicy declared) {
        if (declared == null) {
            return new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_WARN);
        }
        return new RepositoryPolicy(declared.isEnabled(),
                orDefault(declared.getUpdatePolicy(), RepositoryPolicy.UPDATE_POLICY_DAILY),
                orDefault(declared.getChecksumPolicy(), RepositoryPolicy.CHECKSUM_POLICY_WARN));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Mirrors, Maven 3.8's blocked external:http:* mirror among them. */
    MirrorSelector mirrors() {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror mirror : settings.getMirrors()) {
            selector.add(mirror.getId(), mirror.getUrl(), mirror.getLayout(), false, mirror.isBlocked(),
                    mirror.getMirrorOf(), mirror.getMirrorOfLayouts());
        }
        return selector;
    }

    ProxySelector proxies() {
        DefaultProxySelector selector = new DefaultProxySelector();
        settings.getProxies().stream().filter(org.apache.maven.settings.Proxy::isActive).forEach(proxy -> selector.add(
                new Proxy(proxy.getProtocol(), proxy.getHost(), proxy.getPort(), new AuthenticationBuilder()
                        .addUsername(proxy.getUsername()).addPassword(proxy.getPassword()).build()),
                proxy.getNonProxyHosts()));
        return selector;
    }

    AuthenticationSelector credentials() {
        DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
        for (Server server : settings.getServers()) {
            selector.add(server.getId(), new AuthenticationBuilder()
                    .addUsername(server.getUsername())
                    .addPassword(server.getPassword())
                    .addPrivateKey(server.getPrivateKey(), server.getPassphrase())
                    .build());
        }
        return selector;
    }
}
