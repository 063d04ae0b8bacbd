package registrypullaccess.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model API server: server-side apply and its conflicts, plain updates, garbage collection. */
class ModelClusterTest {

    private final ModelCluster cluster = new ModelCluster();

    private void kubectlCreate(String data) {
        cluster.write("kubectl-create", "Secret", "team-a", "regcred", Map.of("data", data), "foreign");
    }

    @Test
    void anApplyOfAnotherValueConflictsWithTheManagerThatOwnsTheField() {
        kubectlCreate("old");

        var conflict = assertThrows(
                ModelCluster.Conflict.class,
                () -> cluster.apply(
                        "pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), false, Set.of(), "stack"));

        assertTrue(conflict.getMessage().contains("kubectl-create"), conflict.getMessage());
    }

    @Test
    void anApplyThatWouldTakeTheObjectsAnnotationsOver256KiBIsRefusedAndChangesNothing() {
        cluster.write(
                "others", "Namespace", "", "default", Map.of("annotation:others", "x".repeat(200_000)), "foreign");
        var fits = "y".repeat(ModelCluster.TOTAL_ANNOTATION_BYTES - 200_000 - "others".length() - "ours".length());
        cluster.apply("pulumi", "Namespace", "", "default", Map.of("annotation:ours", fits), true, Set.of(), "stack");

        assertThrows(
                ModelCluster.Refused.class,
                () -> cluster.apply(
                        "pulumi",
                        "Namespace",
                        "",
                        "default",
                        Map.of("annotation:ours", fits + "y"),
                        true,
                        Set.of(),
                        "stack"));
        assertEquals(
                fits,
                cluster.get("Namespace", "", "default").orElseThrow().fields.get("annotation:ours"));
    }

    @Test
    void anApplyOfTheSameValueSharesTheFieldAndAForcedOneTakesIt() {
        kubectlCreate("same");

        cluster.apply("pulumi", "Secret", "team-a", "regcred", Map.of("data", "same"), false, Set.of(), "stack");
        assertEquals(
                Set.of("kubectl-create", "pulumi"),
                cluster.get("Secret", "team-a", "regcred").orElseThrow().managersOf("data"));

        cluster.apply("pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), true, Set.of(), "stack");
        assertEquals(
                Set.of("pulumi"),
                cluster.get("Secret", "team-a", "regcred").orElseThrow().managersOf("data"));
    }

    @Test
    void anApplyAtAnOlderResourceVersionConflictsEvenWhenForced() {
        kubectlCreate("old");
        var read = cluster.get("Secret", "team-a", "regcred").orElseThrow().resourceVersion;
        kubectlCreate("changed in between");

        var conflict = assertThrows(
                ModelCluster.Conflict.class,
                () -> cluster.apply(
                        "pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), true, Set.of(), "stack", read));

        assertTrue(conflict.getMessage().contains("the object has been modified"), conflict.getMessage());
        assertEquals(
                "changed in between",
                cluster.get("Secret", "team-a", "regcred").orElseThrow().fields.get("data"));
    }

    @Test
    void anApplyAtTheCurrentVersionIsWrittenAndAnApplyThatChangesNothingIsNot() {
        kubectlCreate("old");
        var changes = new ArrayList<ModelCluster.Change>();
        cluster.watch(changes::add);
        var read = cluster.get("Secret", "team-a", "regcred").orElseThrow().resourceVersion;

        var written = cluster.apply(
                "pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), true, Set.of(), "stack", read);
        var version = written.resourceVersion;
        cluster.apply("pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), true, Set.of(), "stack", version);

        assertEquals(1, changes.size());
        assertEquals(version, cluster.get("Secret", "team-a", "regcred").orElseThrow().resourceVersion);
        assertNotEquals(read, version);
    }

    @Test
    void takenOverManagersNeverConflict() {
        cluster.write("kubectl", "Secret", "team-a", "regcred", Map.of("data", "old"), "foreign");

        cluster.apply(
                "pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), false, Set.of("kubectl"), "stack");

        assertEquals(
                "new",
                cluster.get("Secret", "team-a", "regcred").orElseThrow().fields.get("data"));
    }

    @Test
    void anApplyOfNothingRemovesWhatOnlyThatManagerOwned() {
        cluster.write("kube-controller-manager", "ServiceAccount", "team-a", "default", Map.of(), "kubernetes");
        cluster.apply(
                "patch",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of("regcred")),
                true,
                Set.of(),
                "stack");

        cluster.apply("patch", "ServiceAccount", "team-a", "default", Map.of(), false, Set.of(), "stack");

        assertFalse(cluster.get("ServiceAccount", "team-a", "default")
                .orElseThrow()
                .fields
                .containsKey("imagePullSecrets"));
    }

    @Test
    void deletingAnOwnerDeletesWhatItOwns() {
        cluster.write("pulumi", "ExternalSecret", "team-a", "regcred", Map.of("spec", Map.of()), "stack");
        cluster.write("external-secrets", "Secret", "team-a", "regcred", Map.of("data", "x"), "eso")
                .owners
                .add(KObject.key("ExternalSecret", "team-a", "regcred"));

        cluster.delete("ExternalSecret", "team-a", "regcred", "pulumi");

        assertTrue(cluster.get("Secret", "team-a", "regcred").isEmpty());
    }

    @Test
    void anObjectWithTwoOwnersStaysUntilTheLastOneGoes() {
        cluster.write("pulumi", "ConfigMap", "team-a", "regcred-owner", Map.of(), "stack");
        cluster.write("pulumi", "ExternalSecret", "team-a", "regcred", Map.of("spec", Map.of()), "stack");
        var secret = cluster.write("external-secrets", "Secret", "team-a", "regcred", Map.of("data", "x"), "eso");
        secret.owners.add(KObject.key("ConfigMap", "team-a", "regcred-owner"));
        secret.owners.add(KObject.key("ExternalSecret", "team-a", "regcred"));

        cluster.delete("ConfigMap", "team-a", "regcred-owner", "pulumi");
        assertTrue(cluster.get("Secret", "team-a", "regcred").isPresent());

        cluster.delete("ExternalSecret", "team-a", "regcred", "pulumi");
        assertTrue(cluster.get("Secret", "team-a", "regcred").isEmpty());
    }

    @Test
    void aDryRunConflictsAsAnApplyWouldButPersistsNothingAndTellsNoWatcher() {
        kubectlCreate("old");
        var seen = new java.util.ArrayList<ModelCluster.Change>();
        cluster.watch(seen::add);

        assertThrows(
                ModelCluster.Conflict.class,
                () -> cluster.dryRunApply("pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), false));
        cluster.dryRunApply("pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), true);
        cluster.dryRunApply("pulumi", "Secret", "team-a", "other", Map.of("data", "new"), false);

        assertEquals(
                "old",
                cluster.get("Secret", "team-a", "regcred").orElseThrow().fields.get("data"));
        assertEquals(
                Set.of("kubectl-create"),
                cluster.get("Secret", "team-a", "regcred").orElseThrow().managersOf("data"));
        assertTrue(cluster.get("Secret", "team-a", "other").isEmpty());
        assertEquals(List.of(), seen);
    }

    @Test
    void anApplyRefusedAtAdmissionChangesNothing() {
        kubectlCreate("old");
        cluster.admission((kind, namespace, name, before, after) -> {
            if ("new".equals(after.get("data"))) {
                throw new ModelCluster.Refused("no");
            }
        });

        assertThrows(
                ModelCluster.Refused.class,
                () -> cluster.apply(
                        "pulumi", "Secret", "team-a", "regcred", Map.of("data", "new"), true, Set.of(), "stack"));

        assertEquals(
                "old",
                cluster.get("Secret", "team-a", "regcred").orElseThrow().fields.get("data"));
    }

    @Test
    void aPlainUpdateTakesTheFieldsItChangesFromEveryOtherManager() {
        cluster.apply("pulumi", "Secret", "team-a", "regcred", Map.of("data", "a"), false, Set.of(), "stack");

        cluster.write("kyverno", "Secret", "team-a", "regcred", Map.of("data", "b"), "kyverno");

        assertEquals(
                Set.of("kyverno"),
                cluster.get("Secret", "team-a", "regcred").orElseThrow().managersOf("data"));
        assertThrows(
                ModelCluster.Conflict.class,
                () -> cluster.apply(
                        "pulumi", "Secret", "team-a", "regcred", Map.of("data", "c"), false, Set.of(), "stack"));
    }

    @Test
    void theServiceAccountControllerMakesDefaultInANewNamespaceASecondLater() {
        var model = new Model();

        model.world.cluster.write("foreign", "Namespace", "", "team-d", Map.of(), "foreign");
        assertTrue(
                model.world.cluster.get("ServiceAccount", "team-d", "default").isEmpty());
        model.world.advance(1);

        assertTrue(
                model.world.cluster.get("ServiceAccount", "team-d", "default").isPresent());
    }
}
