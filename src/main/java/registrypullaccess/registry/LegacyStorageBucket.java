package registrypullaccess.registry;

import java.util.Optional;

/**
 * A gcr.io host still served from Container Registry's storage bucket
 * ({@code [REGION.]artifacts.PROJECT.appspot.com}). Only on explicit opt-in: since the shutdown
 * (2025-03-18) such buckets serve no pulls unless a project kept them, and the grant is
 * {@code roles/storage.objectViewer} on that one bucket, never on the project.
 *
 * @param entry   the configuration entry
 * @param host    the gcr.io host
 * @param project the project that owns the bucket
 */
public record LegacyStorageBucket(String entry, String host, String project) implements PullSource {

    /** Parses {@code HOST} or {@code HOST/PROJECT} for a gcr.io host. */
    public static LegacyStorageBucket parse(String entry, String defaultProject) {
        GoogleHosts.rejectScheme(entry);
        var parts = entry.split("/", -1);
        if (GoogleHosts.gcrLocation(parts[0]).isEmpty() || parts.length > 2) {
            throw GoogleHosts.invalid(
                    entry,
                    "legacy storage is for gcr.io hosts: gcr.io, us.gcr.io, eu.gcr.io or "
                            + "asia.gcr.io, optionally with /PROJECT");
        }
        var project = parts.length == 2 ? GoogleHosts.requireProject(entry, parts[1]) : defaultProject;
        return new LegacyStorageBucket(entry, parts[0], project);
    }

    /** The bucket Container Registry kept this host's layers in. */
    public String bucket() {
        var region = host.equals("gcr.io") ? "" : host.substring(0, host.indexOf('.') + 1);
        return region + "artifacts." + project + ".appspot.com";
    }

    /** Images of the project on that host. */
    @Override
    public boolean serves(String image) {
        return image.startsWith(host + "/" + project + "/");
    }

    @Override
    public Optional<Grant> grant() {
        return Optional.of(new Grant.OnBucket(bucket()));
    }
}
