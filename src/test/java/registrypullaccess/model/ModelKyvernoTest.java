package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.kyverno.KyvernoRoles;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kyverno v1.19.0 as the model runs it, on the policies the program declares. */
class ModelKyvernoTest {

    private static final KyvernoPolicies.Scope SCOPE =
            new KyvernoPolicies.Scope("regcred", "home", Map.of(), List.of("kube-system"), List.of("default"));

    private final World world = new World();

    ModelKyvernoTest() {
        var unused = new ModelKyverno(world);
        role(
                "background",
                KyvernoRoles.BACKGROUND_CONTROLLER_AGGREGATION,
                KyvernoRoles.BACKGROUND_CONTROLLER_PERMISSIONS);
        role("admission", KyvernoRoles.ADMISSION_CONTROLLER_AGGREGATION, KyvernoRoles.ADMISSION_CONTROLLER_PERMISSIONS);
    }

    /** A ClusterRole aggregated to a Kyverno controller, as the program declares them. */
    private void role(String name, Map<String, String> aggregation, List<KyvernoRoles.Permission> permissions) {
        var fields = new java.util.LinkedHashMap<String, Object>();
        aggregation.forEach((label, value) -> fields.put("label:" + label, value));
        fields.put(
                "rules",
                permissions.stream()
                        .map(permission -> Map.of(
                                "apiGroups", List.of(""),
                                "resources", List.of(permission.resource()),
                                "verbs", permission.verbs()))
                        .toList());
        world.cluster.apply("pulumi", "ClusterRole", "", name, fields, false, java.util.Set.of(), "stack");
    }

    private void namespace(String name) {
        world.cluster.write("foreign", "Namespace", "", name, Map.of(), "foreign");
    }

    private void source() {
        world.cluster.write("pulumi", "Secret", "home", "regcred", Map.of("data", "v1"), "stack");
    }

    private void policy(String name, Map<String, Object> spec) {
        world.cluster.apply(
                "pulumi", "ClusterPolicy", "", name, Map.of("spec", spec), false, java.util.Set.of(), "stack");
    }

    private boolean copied(String namespace) {
        return world.cluster.get("Secret", namespace, "regcred").isPresent();
    }

    @Test
    void copiesIntoExistingNamespacesWhenThePolicyIsCreatedAndIntoNewOnes() {
        namespace("home");
        namespace("team-a");
        source();

        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);
        namespace("team-b");
        world.advance(10);

        assertTrue(copied("team-a"));
        assertTrue(copied("team-b"));
        assertEquals(
                "kyverno",
                world.cluster.get("Secret", "team-a", "regcred").orElseThrow().label("app.kubernetes.io/managed-by"));
    }

    @Test
    void aCopyOverAnotherOwnersSecretIsNoLongerOwnedByIt() {
        namespace("home");
        namespace("team-a");
        source();
        world.cluster.write("pulumi", "ConfigMap", "team-a", "regcred-owner", Map.of(), "stack");
        world.cluster
                .write("pulumi", "Secret", "team-a", "regcred", Map.of("data", "old"), "stack")
                .owners
                .add(KObject.key("ConfigMap", "team-a", "regcred-owner"));

        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);
        world.cluster.delete("ConfigMap", "team-a", "regcred-owner", "pulumi");

        assertTrue(copied("team-a"));
    }

    /** The source copied into team-a by policy {@code copy}, which is then deleted. */
    private void copiedThenPolicyDeleted() {
        namespace("home");
        namespace("team-a");
        source();
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);
        world.cluster.delete("ClusterPolicy", "", "copy", "pulumi");
    }

    @Test
    void deletingThePolicyDeletesEveryCopy() {
        copiedThenPolicyDeleted();
        world.advance(10);

        assertTrue(!copied("team-a"));
    }

    /**
     * Kyverno v1.19.0 lists the copies when the policy's delete event arrives (pkg/policy/policy_controller.go,
     * deletePolicy; pkg/policy/generate.go, createURForDownstreamDeletion) and deletes each by name later
     * (pkg/background/generate/cleanup.go, deleteDownstream), whether a policy of that name is back by then or not.
     */
    @Test
    void deletingThePolicyDeletesTheCopiesItHadEvenWhenAPolicyOfThatNameIsBackBeforeKyvernoActs() {
        copiedThenPolicyDeleted();
        world.advance(1);
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(ModelKyverno.REACTION_SECONDS - 1);

        assertTrue(!copied("team-a"), "the copies listed at the delete are deleted");
        world.advance(10);
        assertTrue(copied("team-a"), "the policy that is back copies anew");
    }

    @Test
    void aMissingSourceIsRetriedAFewTimesThenLeftToTheHourlyScan() {
        namespace("home");
        namespace("team-a");
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(60);
        source();
        world.advance(600);
        assertTrue(!copied("team-a"), "the source's first appearance triggers nothing");

        world.advance(ModelKyverno.SCAN_SECONDS);

        assertTrue(copied("team-a"));
    }

    @Test
    void aCopyDeletedBySomeoneElseComesBack() {
        namespace("home");
        namespace("team-a");
        source();
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);

        world.cluster.delete("Secret", "team-a", "regcred", "pulumi");
        world.advance(10);

        assertTrue(copied("team-a"));
    }

    @Test
    void addsTheEntryToServiceAccountsAndNeverTakesItOutWhenThePolicyGoes() {
        namespace("team-a");
        world.cluster.write("kubernetes", "ServiceAccount", "team-a", "default", Map.of(), "kubernetes");
        policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false, List.of(), List.of()));
        world.advance(10);
        world.cluster.write("kubernetes", "ServiceAccount", "team-a", "builder", Map.of(), "kubernetes");
        world.cluster.delete("ClusterPolicy", "", "entries", "pulumi");
        world.advance(10);

        var account = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of("regcred"), ModelKyverno.imagePullSecrets(account));
        var builder = world.cluster.get("ServiceAccount", "team-a", "builder").orElseThrow();
        assertEquals(List.of(), ModelKyverno.imagePullSecrets(builder), "only the named ServiceAccounts");
    }

    @Test
    void takesAFormerEntryOutOnlyInTheNamespacesWhereItIsOursKeepingEveryOtherEntry() {
        for (var name : List.of("team-a", "team-c")) {
            namespace(name);
            world.cluster.write(
                    "kubernetes",
                    "ServiceAccount",
                    name,
                    "default",
                    Map.of("imagePullSecrets", List.of("theirs", "old", "regcred")),
                    "kubernetes");
        }
        policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false, List.of("old"), List.of("team-a")));
        world.advance(10);

        var ours = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of("theirs", "regcred"), ModelKyverno.imagePullSecrets(ours));
        var elsewhere = world.cluster.get("ServiceAccount", "team-c", "default").orElseThrow();
        assertEquals(
                List.of("theirs", "old", "regcred"),
                ModelKyverno.imagePullSecrets(elsewhere),
                "an entry of that name in a namespace where it is not known to be ours is someone else's");
    }

    @ParameterizedTest(name = "lists a Secret named {0} as a string")
    @ValueSource(strings = {"true", "yes", "on", "n", "y", "null", "123", "1e5", "1.0", "0x1f", "regcred"})
    void listsTheSecretWhateverYaml11WouldReadItsNameAs(String secretName) {
        namespace("team-a");
        world.cluster.write("kubernetes", "ServiceAccount", "team-a", "default", Map.of(), "kubernetes");
        var scope = new KyvernoPolicies.Scope(secretName, "home", Map.of(), List.of(), List.of("default"));
        policy("entries", KyvernoPolicies.serviceAccountSpec(scope, false, List.of(), List.of()));
        world.advance(10);

        var account = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of(secretName), ModelKyverno.imagePullSecrets(account));
    }

    @Test
    void aPatchNameThatYamlReadsAsAnotherTypeListsNothing() {
        assertEquals(null, ModelKyverno.patchedName("- op: add\n  path: /imagePullSecrets/-\n  value:\n    name: yes"));
        assertEquals(null, ModelKyverno.patchedName("- op: add\n  path: /imagePullSecrets/-\n  value:\n    name: n"));
        assertEquals("n", ModelKyverno.patchedName("[{\"op\":\"add\",\"value\":{\"name\":\"n\"}}]"));
    }

    @Test
    void aPolicyIsRefusedUntilItsControllersMayCarryItOut() {
        world.cluster.delete("ClusterRole", "", "background", "pulumi");

        var refused = assertThrows(
                ModelCluster.Refused.class,
                () -> policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false, List.of(), List.of())));

        assertTrue(
                refused.getMessage().contains(ModelKyverno.BACKGROUND_CONTROLLER + " requires permissions get,update"),
                refused.getMessage());
        assertTrue(world.cluster.get("ClusterPolicy", "", "entries").isEmpty());
        role("background", KyvernoRoles.BACKGROUND_CONTROLLER_AGGREGATION, KyvernoRoles.COPY_PERMISSIONS);
        assertThrows(
                ModelCluster.Refused.class,
                () -> policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false, List.of(), List.of())));
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
    }

    @Test
    void aSynchronizingCopyRuleKeepsItsMatchUnlessItsPatternChangesToo() {
        namespace("home");
        source();
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        var selected = new KyvernoPolicies.Scope("regcred", "home", Map.of("team", "payments"), List.of(), List.of());
        var renamed = new KyvernoPolicies.Scope("other", "home", Map.of("team", "payments"), List.of(), List.of());

        var refused =
                assertThrows(ModelCluster.Refused.class, () -> policy("copy", KyvernoPolicies.copySpec(selected)));
        var dryRun = assertThrows(
                ModelCluster.Refused.class,
                () -> world.cluster.dryRunApply(
                        "pulumi",
                        "ClusterPolicy",
                        "",
                        "copy",
                        Map.of("spec", KyvernoPolicies.copySpec(selected)),
                        true));

        assertTrue(refused.getMessage().contains("immutable fields"), refused.getMessage());
        assertEquals(refused.getMessage(), dryRun.getMessage());
        policy("copy", KyvernoPolicies.copySpec(renamed));
    }

    @Test
    void aChangeOfAWatchedSourceIsCopied() {
        namespace("home");
        namespace("team-a");
        source();
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);

        world.cluster.write("pulumi", "Secret", "home", "regcred", Map.of("data", "v2"), "stack");
        world.advance(10);

        assertEquals(
                "v2",
                world.cluster
                        .get("Secret", "team-a", "regcred")
                        .orElseThrow()
                        .fields
                        .get("data"));
    }

    @Test
    void addsTheEntryToANewServiceAccountOnAdmission() {
        policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false, List.of(), List.of()));
        namespace("team-b");

        world.cluster.write("kubernetes", "ServiceAccount", "team-b", "default", Map.of(), "kubernetes");

        var account = world.cluster.get("ServiceAccount", "team-b", "default").orElseThrow();
        assertEquals(List.of("regcred"), ModelKyverno.imagePullSecrets(account));
    }

    /**
     * Kyverno v1.19.0 {@code pkg/webhooks/resource/generation/handler.go} {@code processRequest}: a deleted watched
     * source makes an update request that deletes its downstream copies.
     */
    @Test
    void deletingTheSourceDeletesItsCopies() {
        namespace("home");
        namespace("team-a");
        source();
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);
        assertTrue(copied("team-a"));

        world.cluster.delete("Secret", "home", "regcred", "pulumi");
        world.advance(10);

        assertTrue(!copied("team-a"));
    }

    /**
     * Kyverno v1.19.0 {@code pkg/policy/mutate.go} {@code handleMutate}: with {@code mutateExistingOnPolicyUpdate} a
     * new policy mutates the ServiceAccounts already there, whether or not they change afterwards.
     */
    @Test
    void addsTheEntryToServiceAccountsThatExistedBeforeThePolicy() {
        namespace("team-a");
        world.cluster.write("kubernetes", "ServiceAccount", "team-a", "default", Map.of(), "kubernetes");
        world.advance(60);

        policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false, List.of(), List.of()));
        world.advance(10);

        var account = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of("regcred"), ModelKyverno.imagePullSecrets(account));
    }
}
