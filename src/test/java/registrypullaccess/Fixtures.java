package registrypullaccess;

import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.registry.PullSource;
import registrypullaccess.settings.ConfigSource;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.PullSecretUse;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared ways to build settings and run the program under the mock engine. */
public final class Fixtures {

    public static final String ACCOUNT = "gcp:serviceaccount/account:Account";
    public static final String KEY = "gcp:serviceaccount/key:Key";
    public static final String GRANT = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember";
    public static final String BUCKET_GRANT = "gcp:storage/bucketIAMMember:BucketIAMMember";
    public static final String PROJECT_GRANT = "gcp:projects/iAMMember:IAMMember";
    public static final String SECRET = "kubernetes:core/v1:Secret";
    public static final String PATCH = "kubernetes:core/v1:ServiceAccountPatch";
    public static final String NAMESPACE = "kubernetes:core/v1:Namespace";
    public static final String RELEASE = "kubernetes:helm.sh/v3:Release";
    public static final String JOB = "kubernetes:batch/v1:Job";
    public static final String MEMBER = "serviceAccount:image-puller@acme-dev.iam.gserviceaccount.com";
    public static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

    private Fixtures() {}

    /** Settings with every optional key at its default. */
    public static Settings settings(
            List<? extends PullSource> sources, List<String> namespaces, Optional<String> email) {
        return new Settings(
                "acme-dev",
                List.copyOf(sources),
                namespaces,
                PullSecretUse.ThroughServiceAccounts.DEFAULT_SERVICE_ACCOUNTS,
                new Puller.Key(
                        Puller.DEFAULT_SERVICE_ACCOUNT_ID,
                        Puller.Key.DEFAULT_ROTATION_DAYS,
                        false,
                        new PullSecretSettings(PullSecretSettings.DEFAULT_NAME, email, false, false)),
                false,
                Optional.empty(),
                List.of());
    }

    /**
     * An image in the smallest configuration's registry, for the pull check: a cluster-wide stack's first `pulumi up`
     * must have the check (DeployedShape#firstCoverRefusal), so tests of what cluster-wide declares set it.
     */
    public static final String CHECK_IMAGE = "eu.gcr.io/acme-dev/tools/check:1";

    /** Settings read from the smallest valid configuration plus the given keys of this project. */
    public static Settings fromConfig(String... keysAndValues) {
        var config = new HashMap<String, String>();
        config.put("gcp:project", "acme-dev");
        config.put("registry-pull-access:registries", "[\"eu.gcr.io\"]");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put("registry-pull-access:" + keysAndValues[i], keysAndValues[i + 1]);
        }
        return Settings.fromConfig(ConfigSource.of(config, Set.of()));
    }

    /** A GitHub password in otherRegistries, as `pulumi config set --secret` stores it. */
    public static final String GHCR_PASSWORD = "ghp_secret";

    /**
     * Runs the program for eu.gcr.io plus a ghcr.io password stored as a secret, and the given keys of this
     * program; the run's failure, if any, is the caller's to check.
     */
    public static OfflineRun runWithOtherRegistry(String... keysAndValues) {
        var config = new HashMap<String, String>();
        config.put("gcp:project", "acme-dev");
        config.put("registry-pull-access:registries", "[\"eu.gcr.io\"]");
        config.put(
                "registry-pull-access:otherRegistries",
                "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\"" + GHCR_PASSWORD + "\"}]");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put("registry-pull-access:" + keysAndValues[i], keysAndValues[i + 1]);
        }
        return OfflineRun.run(
                new FakeGoogleCloud(), config, Set.of("registry-pull-access:otherRegistries"), App::stack);
    }

    /** The one problem that the smallest valid configuration plus the given keys has. */
    public static String problemWith(String... keysAndValues) {
        var error = assertThrows(InvalidSettingsException.class, () -> fromConfig(keysAndValues));
        assertEquals(1, error.problems().size(), error.getMessage());
        return error.problems().get(0);
    }

    /** Stack configuration for N namespaces team-1 .. team-N pulling from the given registries. */
    public static Map<String, String> manyNamespaces(int namespaces, String... registries) {
        var names = IntStream.rangeClosed(1, namespaces)
                .mapToObj(i -> "\"team-" + i + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        var hosts = Stream.of(registries).map(host -> "\"" + host + "\"").collect(Collectors.joining(",", "[", "]"));
        return Map.of(
                "gcp:project",
                "acme-dev",
                "registry-pull-access:registries",
                hosts,
                "registry-pull-access:namespaces",
                names);
    }

    public static OfflineRun deploy(Settings settings) {
        return deploy(new FakeGoogleCloud(), settings, TODAY);
    }

    public static OfflineRun deploy(FakeGoogleCloud cloud, Settings settings, LocalDate today) {
        var run = OfflineRun.run(cloud, Map.of(), Set.of(), ctx -> App.declare(ctx, settings, today));
        assertEquals(List.of(), run.exceptions());
        return run;
    }

    public static String decodedDockerConfig(DeclaredResource secret) {
        var data = (String) secret.input("data", ".dockerconfigjson");
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    public static DeclaredResource inNamespace(List<DeclaredResource> resources, String namespace) {
        return resources.stream()
                .filter(r -> namespace.equals(r.input("metadata", "namespace")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing in namespace " + namespace));
    }
}
