package registrypullaccess.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What Google's registry hosts mean: the location behind each, and the shape of project ids. */
public final class GoogleHosts {

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
            "us",
            "europe",
            "asia",
            "africa-south1",
            "asia-east1",
            "asia-east2",
            "asia-northeast1",
            "asia-northeast2",
            "asia-northeast3",
            "asia-south1",
            "asia-south2",
            "asia-southeast1",
            "asia-southeast2",
            "australia-southeast1",
            "australia-southeast2",
            "europe-central2",
            "europe-north1",
            "europe-north2",
            "europe-southwest1",
            "europe-west1",
            "europe-west2",
            "europe-west3",
            "europe-west4",
            "europe-west6",
            "europe-west8",
            "europe-west9",
            "europe-west10",
            "europe-west12",
            "me-central1",
            "me-central2",
            "me-west1",
            "northamerica-northeast1",
            "northamerica-northeast2",
            "northamerica-south1",
            "southamerica-east1",
            "southamerica-west1",
            "us-central1",
            "us-east1",
            "us-east4",
            "us-east5",
            "us-south1",
            "us-west1",
            "us-west2",
            "us-west3",
            "us-west4");

    private static final Pattern DOCKER_PKG_DEV = Pattern.compile("([a-z0-9-]+)-docker\\.pkg\\.dev");
    private static final Pattern REGIONAL_ENDPOINT = Pattern.compile("docker\\.([a-z0-9-]+)\\.rep\\.pkg\\.dev");
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");

    static final String HOSTS_HINT =
            "gcr.io, us.gcr.io, eu.gcr.io, asia.gcr.io, LOCATION-docker.pkg.dev or docker.LOCATION.rep.pkg.dev";

    private GoogleHosts() {}

    static Optional<String> gcrLocation(String host) {
        return Optional.ofNullable(GCR_HOST_LOCATIONS.get(host));
    }

    /** Whether images on this host are served by Google, whatever its location. */
    static boolean isGoogle(String host) {
        return GCR_HOST_LOCATIONS.containsKey(host) || host.endsWith(".gcr.io") || host.endsWith(".pkg.dev");
    }

    /** The Artifact Registry location of a {@code pkg.dev} host. */
    static String artifactRegistryLocation(String entry, String host) {
        var pkgDev = DOCKER_PKG_DEV.matcher(host);
        var regional = REGIONAL_ENDPOINT.matcher(host);
        String location;
        if (pkgDev.matches()) {
            location = pkgDev.group(1);
        } else if (regional.matches()) {
            location = regional.group(1);
        } else {
            throw invalid(entry, "'" + host + "' is not a Google registry host: use " + HOSTS_HINT);
        }
        if (!LOCATIONS.contains(location)) {
            throw invalid(
                    entry,
                    "'" + location + "' is not an Artifact Registry location; "
                            + "see `gcloud artifacts locations list` (e.g. europe-west1, us-central1, europe)");
        }
        return location;
    }

    static boolean isProjectId(String project) {
        return PROJECT_ID.matcher(project).matches();
    }

    /** The project's rules; an unset project is a problem only where one is needed. */
    public static List<String> projectProblems(String gcpProject, boolean needed) {
        if (gcpProject.isBlank() && !needed) {
            return List.of();
        }
        if (gcpProject.isBlank()) {
            // Not "where the service account is made": node mode makes none, and needs the project all the same.
            return List.of("gcp:project is not set: the project the puller is made in (not in node mode) and of "
                    + "gcr.io entries that name none. "
                    + "Set it with `pulumi config set gcp:project YOUR_PROJECT_ID`.");
        }
        if (gcpProject.contains(":")) {
            return List.of("gcp:project: \"" + gcpProject + "\" is a domain-scoped project id, which this program "
                    + "does not support: in such a project image paths turn ':' into '/' (gcr.io/"
                    + gcpProject.replace(':', '/') + "), service account e-mails put the domain last (ID@"
                    + gcpProject.substring(gcpProject.indexOf(':') + 1) + "."
                    + gcpProject.substring(0, gcpProject.indexOf(':'))
                    + ".iam.gserviceaccount.com), and the registry parsing and grants here "
                    + "only know plain project ids. Use a project with a plain id for the service account.");
        }
        if (!isProjectId(gcpProject)) {
            return List.of("gcp:project: \"" + gcpProject + "\" is not a project id (6 to 30 lowercase letters, "
                    + "digits and '-', starting with a letter); `gcloud projects list` shows yours.");
        }
        return List.of();
    }

    static String requireProject(String entry, String project) {
        if (!isProjectId(project)) {
            throw invalid(
                    entry,
                    "'" + project + "' is not a project id: 6 to 30 lowercase letters, "
                            + "digits and '-', starting with a letter");
        }
        return project;
    }

    static void rejectScheme(String entry) {
        rejectUserInfo(
                entry,
                "write the registry alone, e.g. eu.gcr.io: a Google registry is reached through IAM, "
                        + "with no password");
        if (entry.contains("://")) {
            throw invalid(entry, "write the registry without a scheme, e.g. eu.gcr.io, not https://eu.gcr.io");
        }
    }

    /**
     * Refuses a user name or password typed into a host ({@code robot:PASSWORD@ghcr.io}). The message
     * masks it: a problem is printed, and the value may be a password the stack stores as a secret.
     */
    static void rejectUserInfo(String entry, String how) {
        if (entry.contains("@")) {
            throw invalid(entry, "holds a user name or password before '@' (masked here): " + how);
        }
    }

    /** Every message about an entry goes through here, so none repeats what comes before an '@'. */
    static IllegalArgumentException invalid(String entry, String how) {
        return new IllegalArgumentException("\"" + masked(entry) + "\": " + how);
    }

    private static String masked(String entry) {
        var at = entry.lastIndexOf('@');
        if (at < 0) {
            return entry;
        }
        var scheme = entry.indexOf("://");
        var start = scheme >= 0 && scheme < at ? scheme + "://".length() : 0;
        return entry.substring(0, start) + "***" + entry.substring(at);
    }
}
