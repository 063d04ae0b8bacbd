package registrypullaccess.settings;

import org.junit.jupiter.api.Test;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.PullSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings records refuse what the configuration reader refuses: an invalid value cannot be built. */
class SettingsRecordsTest {

    private static final PullSecretSettings PULL_SECRET =
            new PullSecretSettings(PullSecretSettings.DEFAULT_NAME, Optional.empty(), false, false);
    private static final Puller KEY = new Puller.Key("image-puller", 90, false, PULL_SECRET);

    /** Settings for the given project, registries and way of pulling, everything else at its default. */
    private static Settings settings(String project, List<? extends PullSource> sources, Puller puller) {
        return new Settings(
                project,
                List.copyOf(sources),
                Coverage.Listed.DEFAULT_NAMESPACES,
                PullSecretUse.ThroughServiceAccounts.DEFAULT_SERVICE_ACCOUNTS,
                puller,
                false,
                Optional.empty(),
                List.of());
    }

    private static String problem(Runnable construct) {
        var error = assertThrows(InvalidSettingsException.class, construct::run);
        return String.join("\n", error.problems());
    }

    @Test
    void aKeyPullerRefusesABadServiceAccountIdAndRotation() {
        assertTrue(problem(() -> new Puller.Key("Puller", 90, false, PULL_SECRET))
                .contains("is not a service account id"));
        assertTrue(problem(() -> new Puller.Key("image-puller", 3651, false, PULL_SECRET))
                .contains("3651 is not a number of days from 0 (never rotate) to 3650"));
    }

    @Test
    void aNodeIdentityPullerRefusesWhatIsNotAServiceAccountEmail() {
        assertTrue(problem(() -> new Puller.Node("nodes")).contains("is not a service account e-mail"));
    }

    @Test
    void pullSecretSettingsRefuseABadNameOrEmail() {
        assertTrue(problem(() -> new PullSecretSettings("Pull_Secret", Optional.empty(), false, false))
                .contains("is not a Secret name"));
        assertTrue(problem(() -> new PullSecretSettings("pull", Optional.of("ops"), false, false))
                .contains("is not an e-mail address"));
    }

    @Test
    void settingsRefuseBadNamesNoRegistryAndAMismatchedPullCheck() {
        var eu = ArtifactRepository.parse("eu.gcr.io", "acme-dev");
        assertTrue(problem(() -> new Settings(
                        "acme-dev",
                        List.of(eu),
                        List.of("Team-A"),
                        List.of("default"),
                        KEY,
                        false,
                        Optional.empty(),
                        List.of()))
                .contains("\"Team-A\" is not a namespace name"));
        assertTrue(problem(() -> settings("acme-dev", List.of(), KEY)).contains("registries is empty"));
        assertTrue(problem(() -> new PullSecretUse.ThroughServiceAccounts(List.of()))
                .contains("serviceAccounts is empty"));
        assertTrue(problem(() -> new PullSecretUse.NamedByPods(List.of("Builder"), java.util.Optional.empty()))
                .contains("detachServiceAccounts: \"Builder\" is not a ServiceAccount name"));
        assertTrue(problem(() -> new Settings(
                        "acme-dev",
                        List.of(eu),
                        List.of("default"),
                        List.of("default"),
                        KEY,
                        false,
                        Optional.of(new PullCheck("ghcr.io/acme/app:1", PullCheck.DEFAULT_HELPER_IMAGE)),
                        List.of()))
                .contains("is not a configured registry"));
    }

    @Test
    void settingsRefuseNodeIdentityWithAPasswordRegistry() {
        var ghcr = OtherRegistry.of("ghcr.io", "bot", "pw", Optional.empty());

        assertTrue(problem(() ->
                        settings("acme-dev", List.of(ghcr), new Puller.Node("nodes@acme-dev.iam.gserviceaccount.com")))
                .contains("cannot be combined with registry-pull-access:otherRegistries"));
    }

    @Test
    void settingsRefuseNodeIdentityForPodsThatNameThePullSecretAndDetachWhereNothingIsListed() {
        var eu = ArtifactRepository.parse("eu.gcr.io", "acme-dev");
        var nodes = new Puller.Node("nodes@acme-dev.iam.gserviceaccount.com");
        var detached = new Puller.Key(
                "image-puller",
                90,
                false,
                new PullSecretSettings(PullSecretSettings.DEFAULT_NAME, Optional.empty(), false, true));

        assertTrue(problem(() -> new Settings(
                        "acme-dev",
                        List.of(eu),
                        List.of("default"),
                        List.of(),
                        nodes,
                        false,
                        Optional.empty(),
                        List.of()))
                .contains("credentials node has no pull secret"));
        assertTrue(problem(() -> new Settings(
                        "acme-dev",
                        List.of(eu),
                        List.of("default"),
                        List.of(),
                        detached,
                        false,
                        Optional.empty(),
                        List.of()))
                .contains("detach has nothing to do"));
        assertTrue(new Settings(
                        "acme-dev", List.of(eu), List.of("default"), List.of(), KEY, false, Optional.empty(), List.of())
                .podsNameThePullSecret());
    }

    @Test
    void aPullCheckRefusesWhatIsNotAnImage() {
        assertEquals(
                2,
                assertThrows(InvalidSettingsException.class, () -> new PullCheck("not an image", "nor this"))
                        .problems()
                        .size());
    }

    @Test
    void aTokenPullerAndItsIdentitiesRefuseWhatTheReaderRefuses() {
        var oidc = new TokenIdentity.Oidc("https://issuer.example", Optional.empty());
        assertTrue(problem(() -> new Puller.Token("image-puller", oidc, 4, false, PULL_SECRET))
                .contains("tokenRefreshMinutes: 4 is not a number of minutes from 5 to 45"));
        assertTrue(problem(() -> new Puller.Token("Puller", oidc, 30, false, PULL_SECRET))
                .contains("\"Puller\" is not a service account id"));
        assertTrue(problem(() -> new TokenIdentity.Oidc("http://issuer.example", Optional.empty()))
                .contains("\"http://issuer.example\" is not an https URL"));
        assertTrue(problem(() -> new TokenIdentity.Gke("Acme", "europe-west1", "prod"))
                .startsWith("registry-pull-access:gkeCluster: the project in it is not valid (gcp:project: \"Acme\" "
                        + "is not a project id"));
        assertEquals(Optional.empty(), TokenIdentity.Gke.parse("projects/Acme/locations/europe-west1/clusters/prod"));
        assertEquals(
                Optional.of(new TokenIdentity.Gke("acme-dev", "europe-west1", "prod")),
                TokenIdentity.Gke.parse("projects/acme-dev/locations/europe-west1/clusters/prod"));
    }

    @Test
    void serviceAccountIdsHaveSixToThirtyCharacters() {
        for (var id : List.of("a".repeat(6), "a".repeat(30))) {
            assertEquals(id, new Puller.Key(id, 90, false, PULL_SECRET).serviceAccountId());
        }
        for (var id : List.of("a".repeat(5), "a".repeat(31))) {
            assertTrue(
                    problem(() -> new Puller.Key(id, 90, false, PULL_SECRET)).contains("is not a service account id"));
        }
    }

    @Test
    void kubernetesNamesHaveAtMost253Characters() {
        var longest = "a".repeat(253);
        // A Secret's name leaves room for its owner's, NAME-owner.
        var longestSecret = "a".repeat(247);
        assertEquals(longestSecret, new PullSecretSettings(longestSecret, Optional.empty(), false, false).name());
        assertTrue(problem(() -> new PullSecretSettings(longest, Optional.empty(), false, false))
                .contains("use at most 247"));
        var notAName = problem(() -> new PullSecretSettings(longest + "a", Optional.empty(), false, false));
        assertTrue(notAName.contains("is not a Secret name") && !notAName.contains("-owner"), notAName);
        assertEquals(
                List.of(),
                KubernetesNames.listProblems(
                        "serviceAccounts",
                        List.of(longest),
                        KubernetesNames.RFC_1123_SUBDOMAIN,
                        KubernetesNames.SERVICE_ACCOUNT,
                        List.of("default")));
        assertEquals(
                List.of("registry-pull-access:serviceAccounts is empty: list at least one, or remove the key to "
                        + "use [\"default\"]."),
                KubernetesNames.listProblems(
                        "serviceAccounts",
                        List.of(),
                        KubernetesNames.RFC_1123_SUBDOMAIN,
                        KubernetesNames.SERVICE_ACCOUNT,
                        List.of("default")));
    }

    @Test
    void nodeIdentityNeedsAProjectEvenWithoutRegistriesOfItsOwn() {
        var eu = ArtifactRepository.parse("eu.gcr.io", "acme-dev");
        var ghcr = OtherRegistry.of("ghcr.io", "bot", "pw", Optional.empty());

        assertTrue(problem(() -> settings("", List.of(eu), new Puller.Node("nodes@acme-dev.iam.gserviceaccount.com")))
                .startsWith("gcp:project is not set"));
        assertTrue(problem(() -> settings("", List.of(eu), KEY)).startsWith("gcp:project is not set"));
        assertEquals("", settings("", List.of(ghcr), KEY).gcpProject());
    }

    @Test
    void keyModeTakesPasswordRegistriesBesideGoogleOnes() {
        var eu = ArtifactRepository.parse("eu.gcr.io", "acme-dev");
        var ghcr = OtherRegistry.of("ghcr.io", "bot", "pw", Optional.empty());

        assertEquals(
                List.of("eu.gcr.io", "ghcr.io"),
                settings("acme-dev", List.of(ghcr, eu), KEY).registryHosts());
    }

    @Test
    void tokenModeRefusesToCreateANamespaceEveryClusterHas() {
        var token = new Puller.Token(
                "image-puller",
                new TokenIdentity.Oidc("https://issuer.example", Optional.empty()),
                30,
                false,
                new PullSecretSettings("pull", Optional.empty(), true, false));

        assertTrue(SettingsRules.createdNamespaceProblems(List.of("team-a", "kube-system"), token)
                .get(0)
                .startsWith("registry-pull-access:createNamespaces is true but namespaces lists \"kube-system\""));
    }
}
