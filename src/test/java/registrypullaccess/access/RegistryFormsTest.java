package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.App;
import registrypullaccess.Golden;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.LegacyStorageBucket;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectWideReader;
import registrypullaccess.registry.PullSource;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.ACCOUNT;
import static registrypullaccess.Fixtures.BUCKET_GRANT;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.KEY;
import static registrypullaccess.Fixtures.MEMBER;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.PROJECT_GRANT;
import static registrypullaccess.Fixtures.SECRET;
import static registrypullaccess.Fixtures.TODAY;
import static registrypullaccess.Fixtures.decodedDockerConfig;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.settings;

/** Each form of registry entry, alone and mixed, under the mock engine. */
class RegistryFormsTest {

    static final String NODES = "123456789-compute@developer.gserviceaccount.com";

    static final PullSource LEGACY = LegacyStorageBucket.parse("eu.gcr.io/acme-legacy", "acme-dev");
    static final PullSource PROJECT_WIDE =
            ProjectWideReader.parse("europe-west1-docker.pkg.dev/acme-shared", "acme-dev");
    static final PullSource GHCR = OtherRegistry.of("ghcr.io", "acme-bot", "ghp_exampletoken", Optional.empty());
    static final PullSource DOCKER_HUB =
            OtherRegistry.of("docker.io", "acme-bot", "dckr_pat_example", Optional.empty());
    static final PullSource SHARED_IMAGES =
            ArtifactRepository.parse("europe-west1-docker.pkg.dev/acme-shared/images", "acme-dev");

    private static Set<String> gcpTypes(OfflineRun run) {
        return Set.copyOf(run.resources().stream()
                .map(DeclaredResource::type)
                .filter(t -> t.startsWith("gcp:"))
                .toList());
    }

    @Test
    void grantsObjectViewerOnTheLegacyBucketNeverOnTheProject() {
        var run = deploy(settings(List.of(LEGACY), List.of("default"), Optional.empty()));

        var grant = run.ofType(BUCKET_GRANT).get(0);
        assertEquals("eu.artifacts.acme-legacy.appspot.com", grant.input("bucket"));
        assertEquals("roles/storage.objectViewer", grant.input("role"));
        assertEquals(MEMBER, grant.input("member"));
        assertEquals(List.of(), run.ofType(PROJECT_GRANT));
        assertEquals(
                Golden.combined("eu.gcr.io.json"),
                decodedDockerConfig(run.ofType(SECRET).get(0)));
    }

    @Test
    void grantsTheReaderRoleProjectWideOnlyWhenAskedAndWarns() {
        var sources = List.of(PROJECT_WIDE);
        var run = OfflineRun.run(
                Map.of(),
                Set.of(),
                ctx -> App.declare(ctx, settings(sources, List.of("default"), Optional.empty()), TODAY));

        var grant = run.ofType(PROJECT_GRANT).get(0);
        assertEquals("acme-shared", grant.input("project"));
        assertEquals("roles/artifactregistry.reader", grant.input("role"));
        assertEquals(MEMBER, grant.input("member"));
        assertEquals(1, run.warnings().size(), run.warnings().toString());
        assertTrue(
                run.warnings().get(0).contains("on the whole project acme-shared"),
                run.warnings().get(0));
    }

    @Test
    void createsNoGoogleResourceAtAllWhenOnlyOtherRegistriesAreListed() {
        var run = deploy(settings(List.of(GHCR, DOCKER_HUB), List.of("team-a", "team-b"), Optional.empty()));

        assertEquals(Set.of(), gcpTypes(run), "no service account and no key that nothing would use");
        for (var secret : run.ofType(SECRET)) {
            assertEquals(Golden.combined("ghcr.io.json", "docker-hub.json"), decodedDockerConfig(secret));
            assertTrue(secret.isSecret("data"));
        }
        assertEquals(2, run.ofType(PATCH).size());
        assertEquals(
                Set.of("pullSecretName", "namespaces", "registryHosts", "registries"),
                run.outputs().keySet(),
                "no service account, and no key to rotate");
        assertFalse(
                run.outputs().toString().contains("ghp_exampletoken"),
                run.outputs().toString());
    }

    @Test
    void addsOtherRegistriesToThePullSecretWithoutAnyGcpResourceForThem() {
        var run = deploy(settings(List.of(SHARED_IMAGES, GHCR), List.of("default"), Optional.empty()));

        assertEquals(Set.of(ACCOUNT, KEY, GRANT), gcpTypes(run), "the puller and its grant, none for ghcr.io");
        assertEquals(1, run.ofType(GRANT).size());
        assertEquals(
                Golden.combined("europe-west1-docker.pkg.dev.json", "ghcr.io.json"),
                decodedDockerConfig(run.ofType(SECRET).get(0)));
    }

    @Test
    void writesOneEntryPerHostMatchingKubectlWhenFormsAreMixed() {
        var run = deploy(settings(
                List.of(SHARED_IMAGES, LEGACY, PROJECT_WIDE, GHCR, DOCKER_HUB),
                List.of("team-a", "team-b"),
                Optional.empty()));

        assertEquals(1, run.ofType(GRANT).size());
        assertEquals(1, run.ofType(BUCKET_GRANT).size());
        assertEquals(1, run.ofType(PROJECT_GRANT).size());
        for (var secret : run.ofType(SECRET)) {
            // Servers in byte order, as Go writes map keys: "https://index.docker.io/v1/" sorts last.
            assertEquals(
                    Golden.combined(
                            "eu.gcr.io.json", "europe-west1-docker.pkg.dev.json", "ghcr.io.json", "docker-hub.json"),
                    decodedDockerConfig(secret));
        }
        // Every patch waits for every grant: a pod admitted after the patch finds its access in place.
        var grantUrns = run.resources().stream()
                .filter(r -> r.type().startsWith("gcp:")
                        && !r.type().equals(ACCOUNT)
                        && !r.type().equals(KEY))
                .map(DeclaredResource::urn)
                .toList();
        run.ofType(PATCH).forEach(patch -> assertTrue(patch.dependencies().containsAll(grantUrns), patch.name()));
    }

    @Test
    void keylessModeGrantsTheNodesAndCreatesNoKeyAndNoSecret() {
        var settings = new Settings(
                "acme-dev",
                List.of(SHARED_IMAGES, LEGACY),
                List.of("default"),
                List.of("default"),
                new Puller.Node(NODES),
                false,
                Optional.empty(),
                List.of());

        var run = deploy(settings);

        assertEquals(Set.of(GRANT, BUCKET_GRANT), gcpTypes(run));
        run.resources().stream()
                .filter(r -> r.type().startsWith("gcp:"))
                .forEach(grant -> assertEquals("serviceAccount:" + NODES, grant.input("member")));
        assertEquals(List.of(), run.ofType(SECRET));
        assertEquals(List.of(), run.ofType(PATCH));
        assertEquals(NODES, run.outputs().get("serviceAccountEmail"));
        assertFalse(run.outputs().containsKey("pullSecretName"));
    }

    @Test
    void exportsTheHostAndGrantOfEveryEntry() {
        var run = deploy(settings(List.of(LEGACY, GHCR), List.of("default"), Optional.empty()));

        assertEquals(
                List.of(
                        Map.of(
                                "entry",
                                "eu.gcr.io/acme-legacy",
                                "host",
                                "eu.gcr.io",
                                "role",
                                "roles/storage.objectViewer",
                                "resource",
                                "projects/_/buckets/eu.artifacts.acme-legacy.appspot.com"),
                        Map.of("entry", "ghcr.io", "host", "ghcr.io")),
                run.outputs().get("registries"));
    }

    @Test
    void rejectsAnInvalidFormBeforeDeclaringAnything() {
        var run = OfflineRun.run(
                Map.of(
                        "gcp:project",
                        "acme-dev",
                        "registry-pull-access:registries",
                        "[\"eu.gcr.io\"]",
                        "registry-pull-access:otherRegistries",
                        "[{\"host\":\"ghcr.io\",\"username\":\"u\",\"password\":\"p\"}]"),
                Set.of(),
                App::stack);

        assertInstanceOf(InvalidSettingsException.class, run.failure().orElseThrow());
        assertTrue(run.resources().stream().allMatch(r -> r.type().equals("pulumi:pulumi:Stack")));
    }

    @Test
    void acceptsSecretOtherRegistriesThroughThePulumiContext() {
        var run = OfflineRun.run(
                Map.of(
                        "gcp:project",
                        "acme-dev",
                        "registry-pull-access:registries",
                        "[]",
                        "registry-pull-access:otherRegistries",
                        "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\"ghp_exampletoken\"}]"),
                Set.of("registry-pull-access:otherRegistries"),
                App::stack);

        assertEquals(List.of(), run.exceptions());
        assertEquals(
                Golden.combined("ghcr.io.json"),
                decodedDockerConfig(run.ofType(SECRET).get(0)));
    }
}
