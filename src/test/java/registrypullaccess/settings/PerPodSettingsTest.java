package registrypullaccess.settings;

import org.junit.jupiter.api.Test;
import registrypullaccess.Fixtures;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.problemWith;

/** `serviceAccounts: []`: pods name the pull secret themselves, and no ServiceAccount is patched. */
class PerPodSettingsTest {

    private static final String NODE = "nodes@acme-dev.iam.gserviceaccount.com";

    @Test
    void anExplicitlyEmptyListOfServiceAccountsIsAcceptedWithAKeyOrATokenListedOrClusterWide() {
        var configurations = List.of(
                new String[] {"serviceAccounts", "[]"},
                new String[] {"serviceAccounts", "[]", "allNamespaces", "true", "installKyverno", "true"},
                new String[] {
                    "serviceAccounts",
                    "[]",
                    "credentials",
                    "token",
                    "gkeCluster",
                    "projects/acme-dev/locations/europe-west1/clusters/dev"
                },
                new String[] {
                    "serviceAccounts",
                    "[]",
                    "credentials",
                    "token",
                    "gkeCluster",
                    "projects/acme-dev/locations/europe-west1/clusters/dev",
                    "allNamespaces",
                    "true",
                    "installKyverno",
                    "true"
                });
        for (var keys : configurations) {
            var settings = Fixtures.fromConfig(keys);

            assertEquals(List.of(), settings.serviceAccounts(), String.join(" ", keys));
            assertTrue(settings.podsNameThePullSecret(), String.join(" ", keys));
        }
    }

    @Test
    void theDefaultStillListsThePullSecretInEachNamespacesDefaultServiceAccount() {
        var settings = Fixtures.fromConfig();

        assertEquals(List.of("default"), settings.serviceAccounts());
        assertEquals(false, settings.podsNameThePullSecret());
    }

    @Test
    void podsNameNewSecretEqualToSecretNameIsAcceptedWherePodsNameTheSecret() {
        var settings = Fixtures.fromConfig(
                "serviceAccounts", "[]", "secretName", "team-pull", "podsNameNewSecret", "team-pull");

        assertEquals(java.util.Optional.of("team-pull"), settings.podsNameNewSecret());
        assertEquals(
                java.util.Optional.empty(),
                Fixtures.fromConfig("serviceAccounts", "[]").podsNameNewSecret());
    }

    @Test
    void podsNameNewSecretIsRefusedWherePodsDoNotNameTheSecret() {
        var problem = problemWith("secretName", "team-pull", "podsNameNewSecret", "team-pull");

        assertTrue(
                problem.startsWith("registry-pull-access:podsNameNewSecret is \"team-pull\", but pods do not name the"
                        + " pull secret themselves"),
                problem);
        assertTrue(problem.contains("`pulumi config rm registry-pull-access:podsNameNewSecret`"), problem);
    }

    @Test
    void podsNameNewSecretNamingAnotherSecretThanSecretNameIsRefused() {
        var problem =
                problemWith("serviceAccounts", "[]", "secretName", "team-pull", "podsNameNewSecret", "team-pulls");

        assertTrue(
                problem.startsWith("registry-pull-access:podsNameNewSecret is \"team-pulls\", but"
                        + " registry-pull-access:secretName is \"team-pull\""),
                problem);
        assertTrue(problem.contains("`pulumi config rm registry-pull-access:podsNameNewSecret`"), problem);
    }

    @Test
    void nodeModeRefusesAnEmptyListBecauseThereIsNoSecretForPodsToName() {
        var problem = problemWith("credentials", "node", "nodeServiceAccount", NODE, "serviceAccounts", "[]");

        assertTrue(
                problem.startsWith("registry-pull-access:serviceAccounts is [] (pods name the pull secret "
                        + "themselves), but registry-pull-access:credentials node has no pull secret"),
                problem);
        assertTrue(problem.contains("Remove serviceAccounts"), problem);
    }

    @Test
    void detachIsRefusedWithAnEmptyListForListedNamespacesBecauseNoServiceAccountListsTheSecret() {
        var problem = problemWith("serviceAccounts", "[]", "detach", "true");

        assertTrue(problem.contains("detach has nothing to do"), problem);
        assertTrue(problem.contains("detachServiceAccounts"), problem);
    }

    @Test
    void detachIsAcceptedWithAnEmptyListClusterWideWhereItStillHasKyvernoDeleteTheCopies() {
        var settings = Fixtures.fromConfig(
                "serviceAccounts", "[]", "detach", "true", "allNamespaces", "true", "installKyverno", "true");

        assertTrue(settings.podsNameThePullSecret());
    }

    @Test
    void detachServiceAccountsTakesOurEntryOutOfServiceAccountsAnEarlierConfigurationPatched() {
        var settings =
                Fixtures.fromConfig("serviceAccounts", "[]", "detachServiceAccounts", "[\"default\",\"builder\"]");

        assertEquals(List.of("default", "builder"), settings.detachServiceAccounts());
        assertEquals(List.of(), Fixtures.fromConfig("serviceAccounts", "[]").detachServiceAccounts());
    }

    @Test
    void detachServiceAccountsIsRefusedWhileTheStackStillListsTheSecretInServiceAccounts() {
        var problem = problemWith("detachServiceAccounts", "[\"builder\"]");

        assertTrue(
                problem.startsWith("registry-pull-access:detachServiceAccounts only applies with "
                        + "registry-pull-access:serviceAccounts []"),
                problem);
    }

    @Test
    void detachServiceAccountsMustBeServiceAccountNamesEachOnce() {
        var problem = problemWith("serviceAccounts", "[]", "detachServiceAccounts", "[\"Builder\"]");

        assertTrue(problem.contains("\"Builder\" is not a ServiceAccount name"), problem);
        assertTrue(problemWith("serviceAccounts", "[]", "detachServiceAccounts", "[\"a\",\"a\"]")
                .contains("listed more than once"));
    }
}
