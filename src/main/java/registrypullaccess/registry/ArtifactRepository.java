package registrypullaccess.registry;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Artifact Registry repository that a cluster pulls from: the least access that works,
 * {@code roles/artifactregistry.reader} on that repository alone.
 *
 * <p>Since Container Registry was shut down (2025-03-18) every gcr.io host is served by an Artifact
 * Registry repository named after the host in a multi-region, so gcr.io entries are repositories too.
 *
 * @param entry      the configuration entry
 * @param host       the host written to the pull secret, e.g. {@code europe-west1-docker.pkg.dev}
 * @param location   the repository's Artifact Registry location, e.g. {@code europe-west1} or {@code us}
 * @param project    the project that owns the repository
 * @param repository the repository id, e.g. {@code images} or {@code eu.gcr.io}
 */
public record ArtifactRepository(String entry, String host, String location, String project, String repository)
        implements PullSource {

    private static final Pattern REPOSITORY_ID = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * Parses a gcr.io host with an optional project ({@code eu.gcr.io}, {@code eu.gcr.io/other-project})
     * or an Artifact Registry repository path ({@code europe-west1-docker.pkg.dev/PROJECT/REPOSITORY},
     * {@code docker.europe-west1.rep.pkg.dev/PROJECT/REPOSITORY}).
     *
     * @param defaultProject the project of a gcr.io entry that names none
     * @throws IllegalArgumentException saying what is wrong with the entry and how to write it
     */
    public static ArtifactRepository parse(String entry, String defaultProject) {
        GoogleHosts.rejectScheme(entry);
        var parts = entry.split("/", -1);
        var host = parts[0];
        var gcrLocation = GoogleHosts.gcrLocation(host);
        if (gcrLocation.isPresent()) {
            if (parts.length > 2) {
                throw GoogleHosts.invalid(entry, "a gcr.io entry is HOST or HOST/PROJECT, e.g. eu.gcr.io/acme-shared");
            }
            var project = parts.length == 2 ? GoogleHosts.requireProject(entry, parts[1]) : defaultProject;
            return new ArtifactRepository(entry, host, gcrLocation.get(), project, host);
        }
        var location = GoogleHosts.artifactRegistryLocation(entry, host);
        if (parts.length != 3) {
            throw GoogleHosts.invalid(
                    entry,
                    "an Artifact Registry entry names its repository: " + host + "/PROJECT/REPOSITORY, e.g. " + host
                            + "/acme-shared/images");
        }
        var project = GoogleHosts.requireProject(entry, parts[1]);
        if (!REPOSITORY_ID.matcher(parts[2]).matches()) {
            throw GoogleHosts.invalid(
                    entry,
                    "'" + parts[2] + "' is not a repository id: up to 63 lowercase "
                            + "letters, digits and '-', starting with a letter");
        }
        return new ArtifactRepository(entry, host, location, project, parts[2]);
    }

    /** Images under the repository: {@code HOST/PROJECT/REPOSITORY/...}, or {@code HOST/PROJECT/...} for gcr.io. */
    @Override
    public boolean serves(String image) {
        var path = host.equals(repository) ? host + "/" + project + "/" : host + "/" + project + "/" + repository + "/";
        return image.startsWith(path);
    }

    @Override
    public Optional<Grant> grant() {
        return Optional.of(new Grant.OnRepository(project, location, repository));
    }
}
