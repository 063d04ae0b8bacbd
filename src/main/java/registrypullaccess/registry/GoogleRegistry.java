package registrypullaccess.registry;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Artifact Registry repository that a cluster pulls from, and the host its images are named with.
 *
 * <p>Since Container Registry was shut down (2025-03-18) every Google registry host is served by an
 * Artifact Registry repository, so pull access is always {@code roles/artifactregistry.reader} on a
 * repository: for {@code gcr.io} hosts the repository is named after the host in a multi-region.
 *
 * @param host       the host written to the pull secret, e.g. {@code europe-west1-docker.pkg.dev}
 * @param location   the repository's Artifact Registry location, e.g. {@code europe-west1} or {@code us}
 * @param project    the project that owns the repository
 * @param repository the repository id, e.g. {@code images} or {@code eu.gcr.io}
 */
public record GoogleRegistry(String host, String location, String project, String repository) {

    /** gcr.io hosts and the multi-region their Artifact Registry repository lives in. */
    private static final Map<String, String> GCR_HOST_LOCATIONS = Map.of(
            "gcr.io", "us",
            "us.gcr.io", "us",
            "eu.gcr.io", "europe",
            "asia.gcr.io", "asia");

    /**
     * Artifact Registry locations, as Google listed them in 2026. A location missing here is far more
     * often a typo than a region opened since; add new regions to this list.
     */
    static final Set<String> LOCATIONS = Set.of(
            "us", "europe", "asia",
            "africa-south1",
            "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
            "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
            "australia-southeast1", "australia-southeast2",
            "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
            "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6",
            "europe-west8", "europe-west9", "europe-west10", "europe-west12",
            "me-central1", "me-central2", "me-west1",
            "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1",
            "southamerica-east1", "southamerica-west1",
            "us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
            "us-west1", "us-west2", "us-west3", "us-west4");

    private static final Pattern DOCKER_PKG_DEV = Pattern.compile("([a-z0-9-]+)-docker\\.pkg\\.dev");
    private static final Pattern REGIONAL_ENDPOINT = Pattern.compile("docker\\.([a-z0-9-]+)\\.rep\\.pkg\\.dev");
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern REPOSITORY_ID = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    public GoogleRegistry {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(repository, "repository");
    }

    /**
     * Parses a {@code registries} entry: a gcr.io host with an optional project ({@code eu.gcr.io},
     * {@code eu.gcr.io/other-project}), or an Artifact Registry repository path
     * ({@code europe-west1-docker.pkg.dev/PROJECT/REPOSITORY},
     * {@code docker.europe-west1.rep.pkg.dev/PROJECT/REPOSITORY}).
     *
     * @param defaultProject the project of a gcr.io entry that names none
     * @throws IllegalArgumentException saying what is wrong with the entry and how to write it
     */
    public static GoogleRegistry parse(String entry, String defaultProject) {
        if (entry.contains("://")) {
            throw invalid(entry, "write the registry without a scheme, e.g. eu.gcr.io, not https://eu.gcr.io");
        }
        var parts = entry.split("/", -1);
        var host = parts[0];
        var gcrLocation = GCR_HOST_LOCATIONS.get(host);
        if (gcrLocation != null) {
            if (parts.length > 2) {
                throw invalid(entry, "a gcr.io entry is HOST or HOST/PROJECT, e.g. eu.gcr.io/acme-shared");
            }
            var project = parts.length == 2 ? requireProject(entry, parts[1]) : defaultProject;
            return new GoogleRegistry(host, gcrLocation, project, host);
        }
        var location = artifactRegistryLocation(entry, host);
        if (parts.length != 3) {
            throw invalid(entry, "an Artifact Registry entry names its repository: "
                    + host + "/PROJECT/REPOSITORY, e.g. " + host + "/acme-shared/images");
        }
        var project = requireProject(entry, parts[1]);
        if (!REPOSITORY_ID.matcher(parts[2]).matches()) {
            throw invalid(entry, "'" + parts[2] + "' is not a repository id: up to 63 lowercase letters, "
                    + "digits and '-', starting with a letter");
        }
        return new GoogleRegistry(host, location, project, parts[2]);
    }

    private static String artifactRegistryLocation(String entry, String host) {
        var pkgDev = DOCKER_PKG_DEV.matcher(host);
        var regional = REGIONAL_ENDPOINT.matcher(host);
        String location;
        if (pkgDev.matches()) {
            location = pkgDev.group(1);
        } else if (regional.matches()) {
            location = regional.group(1);
        } else {
            throw invalid(entry, "'" + host + "' is not a Google registry host: use gcr.io, us.gcr.io, "
                    + "eu.gcr.io, asia.gcr.io, LOCATION-docker.pkg.dev or docker.LOCATION.rep.pkg.dev");
        }
        if (!LOCATIONS.contains(location)) {
            throw invalid(entry, "'" + location + "' is not an Artifact Registry location; "
                    + "see `gcloud artifacts locations list` (e.g. europe-west1, us-central1, europe)");
        }
        return location;
    }

    /** Whether a string has the shape of a project id (6 to 30 characters, as Google requires). */
    public static boolean isProjectId(String project) {
        return PROJECT_ID.matcher(project).matches();
    }

    private static String requireProject(String entry, String project) {
        if (!isProjectId(project)) {
            throw invalid(entry, "'" + project + "' is not a project id: 6 to 30 lowercase letters, "
                    + "digits and '-', starting with a letter");
        }
        return project;
    }

    private static IllegalArgumentException invalid(String entry, String how) {
        return new IllegalArgumentException("\"" + entry + "\": " + how);
    }
}
