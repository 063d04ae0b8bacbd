package registrypullaccess.settings;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One run names every problem of a configuration, each once and in the order the keys are read: a wrong
 * {@code credentials} or one bad entry of a list hides neither the other keys' problems nor the rules between
 * settings that do not read the wrong value.
 */
class EveryProblemAtOnceTest {

    private static final String KEY = "registry-pull-access:";

    private static Map<String, String> config(String... keysAndValues) {
        var config = SettingsTest.minimal();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(KEY + keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    /** Asserts the problems, in order, by how each begins: one a line, so that a failure shows them all. */
    private static void assertProblemsBegin(List<String> beginnings, Map<String, String> config) {
        var problems = assertThrows(
                        InvalidSettingsException.class,
                        () -> Settings.fromConfig(ConfigSource.of(config, Set.of(KEY + "otherRegistries"))))
                .problems();
        var cut = new ArrayList<String>();
        for (int i = 0; i < problems.size(); i++) {
            var length = i < beginnings.size()
                    ? beginnings.get(i).length()
                    : problems.get(i).length();
            cut.add(problems.get(i)
                    .substring(0, Math.min(length, problems.get(i).length())));
        }
        assertEquals(String.join("\n", beginnings), String.join("\n", cut), String.join("\n", problems));
    }

    @Test
    void aWrongCredentialsValueAndBadListEntriesHideNoOtherProblem() {
        var config = config(
                "registries",
                "[\"eu.gcr.io\",\"eu.gcr.io/acme-dev\"]",
                "otherRegistries",
                "[{\"host\":\"ghcr.io\"}]",
                "namespaces",
                "[\"team-a\",\"Team B\"]",
                "serviceAccounts",
                "[\"default\",\"Bad!\"]",
                "detachServiceAccounts",
                "[\"old-puller\"]",
                "credentials",
                "keys",
                "keyRotationDays",
                "5000",
                "secretName",
                "Bad_Name",
                "verifyImage",
                "eu.gcr.io/acme-dev/app:1.0",
                "verifyHelperImage",
                "Busy Box");

        assertProblemsBegin(
                List.of(
                        KEY + "otherRegistries[0] needs host, username and password",
                        KEY + "namespaces: \"Team B\" is not a namespace name",
                        KEY + "serviceAccounts: \"Bad!\" is not a ServiceAccount name",
                        KEY + "detachServiceAccounts only applies with " + KEY + "serviceAccounts []",
                        KEY + "credentials: \"keys\" is not key, token or node.",
                        KEY + "keyRotationDays: 5000 is not a number of days",
                        KEY + "secretName: \"Bad_Name\" is not a Secret name",
                        KEY + "verifyHelperImage: \"Busy Box\" is not an image reference.",
                        "\"eu.gcr.io/acme-dev\" repeats \"eu.gcr.io\""),
                config);
    }

    @Test
    void aBadExcludedNamespaceOrSelectorLabelLeavesTheRulesOfClusterWideCoverageJudged() {
        for (var coverage : List.of(
                List.of("allNamespaces", "true", "excludeNamespaces", "[\"kube-system\",\"Kube_Public\"]"),
                List.of("namespaceSelector", "{\"team\":1}"))) {
            var config = config("createNamespaces", "true", "adopt", "true");
            config.put(KEY + coverage.get(0), coverage.get(1));
            if (coverage.size() > 2) {
                config.put(KEY + coverage.get(2), coverage.get(3));
            }

            assertProblemsBegin(
                    List.of(
                            coverage.size() > 2
                                    ? KEY + "excludeNamespaces: \"Kube_Public\" is not a namespace name"
                                    : KEY + "namespaceSelector: the value of team must be a string",
                            KEY + "createNamespaces cannot be combined with " + KEY + "allNamespaces / ",
                            KEY + "adopt cannot be combined with " + KEY + "allNamespaces / "),
                    config);
        }
    }

    @Test
    void aWayOfPullingWithAWrongValueIsStillJudgedAgainstTheCoverage() {
        var config = config(
                "credentials", "token", "serviceAccountId", "gcp", "allNamespaces", "true", "createNamespaces", "true");

        assertProblemsBegin(
                List.of(
                        KEY + "serviceAccountId: \"gcp\" is not a service account id",
                        KEY + "credentials token needs exactly one of " + KEY + "gkeCluster",
                        KEY + "createNamespaces cannot be combined with " + KEY + "allNamespaces / "),
                config);
    }
}
