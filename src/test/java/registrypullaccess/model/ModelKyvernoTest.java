package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.kyverno.KyvernoPolicies;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kyverno v1.19.0 as the model runs it, on the policies the program declares. */
class ModelKyvernoTest {

    private static final KyvernoPolicies.Scope SCOPE =
            new KyvernoPolicies.Scope("regcred", "home", Map.of(), List.of("kube-system"), List.of("default"));

    private final World world = new World();

    ModelKyvernoTest() {
        var unused = new ModelKyverno(world);
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

    @Test
    void deletingThePolicyDeletesEveryCopy() {
        namespace("home");
        namespace("team-a");
        source();
        policy("copy", KyvernoPolicies.copySpec(SCOPE));
        world.advance(10);

        world.cluster.delete("ClusterPolicy", "", "copy", "pulumi");
        world.advance(10);

        assertTrue(!copied("team-a"));
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
        policy("entries", KyvernoPolicies.serviceAccountSpec(SCOPE, false));
        world.advance(10);
        world.cluster.write("kubernetes", "ServiceAccount", "team-a", "builder", Map.of(), "kubernetes");
        world.cluster.delete("ClusterPolicy", "", "entries", "pulumi");
        world.advance(10);

        var account = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of("regcred"), ModelKyverno.imagePullSecrets(account));
        var builder = world.cluster.get("ServiceAccount", "team-a", "builder").orElseThrow();
        assertEquals(List.of(), ModelKyverno.imagePullSecrets(builder), "only the named ServiceAccounts");
    }
}
