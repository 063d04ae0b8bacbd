package registrypullaccess.registry;

import java.util.Optional;

/**
 * Read access to every repository of a project, only on explicit opt-in: broader than pulls need, so
 * the program warns whenever it is used.
 *
 * @param entry   the configuration entry
 * @param host    the host written to the pull secret
 * @param project the project whose repositories the puller may read
 */
public record ProjectWideReader(String entry, String host, String project) implements PullSource {

    /** Parses {@code HOST/PROJECT}, or a bare gcr.io host meaning the default project. */
    public static ProjectWideReader parse(String entry, String defaultProject) {
        GoogleHosts.rejectScheme(entry);
        var parts = entry.split("/", -1);
        var host = parts[0];
        if (GoogleHosts.gcrLocation(host).isEmpty()) {
            GoogleHosts.artifactRegistryLocation(entry, host);
            if (parts.length != 2) {
                throw GoogleHosts.invalid(entry, "a project-wide entry is HOST/PROJECT, e.g. " + host + "/acme-shared");
            }
        } else if (parts.length > 2) {
            throw GoogleHosts.invalid(entry, "a project-wide entry is HOST/PROJECT, e.g. " + host + "/acme-shared");
        }
        var project = parts.length == 2 ? GoogleHosts.requireProject(entry, parts[1]) : defaultProject;
        return new ProjectWideReader(entry, host, project);
    }

    /** Images of any repository of the project on that host. */
    @Override
    public boolean serves(String image) {
        return image.startsWith(host + "/" + project + "/");
    }

    @Override
    public Optional<Grant> grant() {
        return Optional.of(new Grant.OnProject(project));
    }
}
