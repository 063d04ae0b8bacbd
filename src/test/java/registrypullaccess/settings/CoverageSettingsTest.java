package registrypullaccess.settings;

import org.junit.jupiter.api.Test;
import registrypullaccess.Fixtures;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.problemWith;

class CoverageSettingsTest {

    @Test
    void namespacesStayTheDefaultCoverage() {
        var coverage = Fixtures.fromConfig("namespaces", "[\"team-a\"]").coverage();

        assertEquals(new Coverage.Listed(List.of("team-a")), coverage);
    }

    @Test
    void allNamespacesCoversEveryNamespaceButTheDefaultExclusionsFromTheDefaultHome() {
        var coverage = assertInstanceOf(
                Coverage.ClusterWide.class,
                Fixtures.fromConfig("allNamespaces", "true").coverage());

        assertTrue(coverage.allNamespaces());
        assertEquals(List.of("kube-system", "kube-public", "kube-node-lease", "kyverno"), coverage.excluded());
        assertEquals("registry-pull-access", coverage.home());
        assertEquals(false, coverage.installKyverno());
    }

    @Test
    void withoutInstallKyvernoTheProgramSaysWhichKyvernoItExpects() {
        var warnings = Fixtures.fromConfig("allNamespaces", "true").warnings();

        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("Cluster-wide coverage expects Kyverno v1.19.0 (Helm chart 3.9.0)"));
        assertEquals(
                List.of(),
                Fixtures.fromConfig("allNamespaces", "true", "installKyverno", "true")
                        .warnings());
        assertEquals(List.of(), Fixtures.fromConfig().warnings());
    }

    @Test
    void aSelectorCoversLabelledNamespaces() {
        var coverage = assertInstanceOf(
                Coverage.ClusterWide.class,
                Fixtures.fromConfig(
                                "namespaceSelector",
                                "{\"team\":\"payments\",\"example.com/env\":\"prod\"}",
                                "homeNamespace",
                                "pull-secrets",
                                "excludeNamespaces",
                                "[\"kube-system\"]",
                                "installKyverno",
                                "true")
                        .coverage());

        assertEquals(Map.of("team", "payments", "example.com/env", "prod"), coverage.selector());
        assertEquals(List.of("kube-system"), coverage.excluded());
        assertEquals("pull-secrets", coverage.home());
        assertTrue(coverage.installKyverno());
    }

    @Test
    void theCliPassingDefaultsAsValuesIsNoConflict() {
        // The Pulumi CLI hands the program Pulumi.yaml's defaults as if they were set.
        var settings = Fixtures.fromConfig(
                "allNamespaces",
                "true",
                "namespaces",
                "[\"default\"]",
                "excludeNamespaces",
                "[\"kube-system\",\"kube-public\",\"kube-node-lease\",\"kyverno\"]",
                "homeNamespace",
                "registry-pull-access",
                "installKyverno",
                "false",
                "namespaceSelector",
                "");
        assertInstanceOf(Coverage.ClusterWide.class, settings.coverage());
        assertEquals(List.of(), settings.namespaces());
        assertInstanceOf(
                Coverage.Listed.class,
                Fixtures.fromConfig(
                                "excludeNamespaces",
                                "[\"kube-system\",\"kube-public\",\"kube-node-lease\",\"kyverno\"]",
                                "homeNamespace",
                                "registry-pull-access")
                        .coverage());
    }

    @Test
    void aListAndClusterWideCoverageTogetherAreRefused() {
        var problem = problemWith("allNamespaces", "true", "namespaces", "[\"team-a\"]");

        assertTrue(
                problem.contains("registry-pull-access:namespaces lists [team-a] while "
                        + "registry-pull-access:allNamespaces is true"),
                problem);
        assertTrue(problem.contains("pulumi config rm registry-pull-access:namespaces"), problem);
    }

    @Test
    void allNamespacesAndASelectorTogetherAreRefused() {
        assertTrue(problemWith("allNamespaces", "true", "namespaceSelector", "{\"team\":\"a\"}")
                .contains("Remove one of them"));
    }

    @Test
    void keylessModeHasNoSecretToCopy() {
        var problem = problemWith(
                "allNamespaces",
                "true",
                "keyless",
                "true",
                "nodeServiceAccount",
                "123-compute@developer.gserviceaccount.com");

        assertTrue(problem.startsWith("registry-pull-access:credentials node cannot be combined with"), problem);
        assertTrue(problem.contains("no pull Secret to copy"), problem);
    }

    @Test
    void createNamespacesAndAdoptAreRefusedClusterWide() {
        assertTrue(problemWith("allNamespaces", "true", "createNamespaces", "true")
                .startsWith("registry-pull-access:createNamespaces cannot be combined with"));
        assertTrue(problemWith("namespaceSelector", "{\"team\":\"a\"}", "adopt", "true")
                .startsWith("registry-pull-access:adopt cannot be combined with"));
    }

    @Test
    void clusterWideKeysWithoutClusterWideCoverageAreRefused() {
        assertTrue(problemWith("excludeNamespaces", "[\"kube-system\"]")
                .startsWith("registry-pull-access:excludeNamespaces is set to [kube-system]; it only applies with"));
        assertTrue(problemWith("homeNamespace", "pulls").startsWith("registry-pull-access:homeNamespace is set"));
        assertTrue(problemWith("installKyverno", "true").startsWith("registry-pull-access:installKyverno is true"));
    }

    @Test
    void theHomeNamespaceMustBeOneKyvernoWatches() {
        assertTrue(problemWith("allNamespaces", "true", "homeNamespace", "kyverno")
                .contains("is also in registry-pull-access:excludeNamespaces"));
        assertTrue(problemWith("allNamespaces", "true", "homeNamespace", "kube-system", "excludeNamespaces", "[]")
                .contains("a namespace Kyverno ignores by default"));
        assertTrue(
                problemWith("allNamespaces", "true", "homeNamespace", "Pulls").contains("is not a namespace name"));
    }

    @Test
    void aSelectorMustBeLabels() {
        assertTrue(problemWith("namespaceSelector", "[\"team=a\"]").contains("must be a mapping of label to value"));
        assertTrue(problemWith("namespaceSelector", "{}").contains("is empty"));
        assertTrue(problemWith("namespaceSelector", "{\"team\":true}").contains("must be a string"));
        assertTrue(problemWith("namespaceSelector", "{\"bad key!\":\"a\"}").contains("is not a label key"));
        assertTrue(problemWith("namespaceSelector", "{\"team\":\"-a\"}").contains("is not a label value"));
    }

    @Test
    void theCheckNamespaceMustBeAValidName() {
        var home = "h".repeat(60);
        var error = assertThrows(
                InvalidSettingsException.class,
                () -> Fixtures.fromConfig(
                        "allNamespaces", "true", "homeNamespace", home, "verifyImage", "eu.gcr.io/acme-dev/a:1"));
        assertTrue(error.problems().get(0).contains("at most 63 characters"), error.getMessage());
    }

    /** Kyverno v1.19.0 refuses a policy named with more than 63 characters; the longest is the entries policy. */
    @Test
    void theHomeNamespaceLeavesRoomForKyvernosPolicyNames() {
        var longest = "h".repeat(63 - "-pull-secret-entries".length());
        var coverage = assertInstanceOf(
                Coverage.ClusterWide.class,
                Fixtures.fromConfig("allNamespaces", "true", "homeNamespace", longest)
                        .coverage());
        assertEquals(63, coverage.serviceAccountPolicyName().length());

        var problem = problemWith("allNamespaces", "true", "homeNamespace", longest + "h");

        assertTrue(
                problem.startsWith("registry-pull-access:homeNamespace: cluster-wide coverage names its Kyverno "
                        + "policies after the home namespace, and Kyverno refuses a policy whose name is longer than 63 "
                        + "characters: \"" + longest + "h-pull-secret-entries\" (64). Shorten "
                        + "registry-pull-access:homeNamespace."),
                problem);
    }

    @Test
    void aSecretNameOtherThanTheDefaultLengthensTheCopyPolicysName() {
        var longest = "h".repeat(63 - "-copy-pull-secret-".length() - 10);
        var coverage = assertInstanceOf(
                Coverage.ClusterWide.class,
                Fixtures.fromConfig("allNamespaces", "true", "homeNamespace", longest, "secretName", "team-pull")
                        .coverage());
        assertEquals(63, coverage.copyPolicyName("team-pull").length());

        var problem = problemWith("allNamespaces", "true", "homeNamespace", longest + "h", "secretName", "team-pull");

        assertTrue(problem.contains("(the copy policy also after a secretName other than the default)"), problem);
        assertTrue(problem.contains(": \"" + longest + "h-copy-pull-secret-"), problem);
        assertTrue(problem.endsWith("\" (64). Shorten registry-pull-access:homeNamespace."), problem);
    }

    @Test
    void theRecordsRefuseWhatTheReaderRefuses() {
        assertThrows(
                InvalidSettingsException.class,
                () -> new Coverage.ClusterWide(Map.of(), List.of("kyverno"), "kyverno", false));
        var wide = new Coverage.ClusterWide(Map.of(), List.of(), "pulls", false);
        var keyless = new Puller.Node("123-compute@developer.gserviceaccount.com");
        var error = assertThrows(
                InvalidSettingsException.class,
                () -> new Settings(
                        "acme-dev",
                        List.of(registrypullaccess.registry.ArtifactRepository.parse("eu.gcr.io", "acme-dev")),
                        wide,
                        PullSecretUse.of(List.of("default")),
                        keyless,
                        false,
                        java.util.Optional.empty(),
                        List.of()));
        assertTrue(error.getMessage().contains("credentials node cannot be combined"), error.getMessage());
    }
}
