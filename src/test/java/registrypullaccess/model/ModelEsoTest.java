package registrypullaccess.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** External Secrets Operator v2.9.0 as the model runs it, for a GCRAccessToken on GKE. */
class ModelEsoTest {

    private static final String ACCOUNT = "image-puller@acme-dev.iam.gserviceaccount.com";
    private static final String MINTER = "serviceAccount:acme-dev.svc.id.goog[team-a/regcred-minter]";

    private final World world = new World();
    private final ModelEso eso = new ModelEso(world);

    private void declare() {
        world.google.accounts.add(ACCOUNT);
        world.cluster.write(
                "pulumi",
                "ServiceAccount",
                "team-a",
                "regcred-minter",
                Map.of("annotation:iam.gke.io/gcp-service-account", ACCOUNT),
                "stack");
        world.cluster.apply(
                "pulumi",
                "GCRAccessToken",
                "team-a",
                "regcred",
                Map.of(
                        "spec",
                        Map.of(
                                "projectID",
                                "acme-dev",
                                "auth",
                                Map.of(
                                        "workloadIdentity",
                                        Map.of(
                                                "clusterProjectID",
                                                "acme-dev",
                                                "serviceAccountRef",
                                                Map.of("name", "regcred-minter"))))),
                false,
                Set.of(),
                "stack");
        externalSecret(Map.of(
                "refreshInterval",
                "30m0s",
                "dataFrom",
                List.of(Map.of("sourceRef", Map.of("generatorRef", Map.of("name", "regcred")))),
                "target",
                ownedTarget(Map.of(
                        "type",
                        "kubernetes.io/dockerconfigjson",
                        "metadata",
                        Map.of("annotations", Map.of("registry-pull-access/hosts", "eu.gcr.io"))))));
    }

    /** The target Secret {@code regcred}, owned by its ExternalSecret ({@code creationPolicy: Owner}). */
    private static Map<String, Object> ownedTarget(Map<String, Object> template) {
        return Map.of("name", "regcred", "creationPolicy", "Owner", "template", template);
    }

    /** team-a's ExternalSecret {@code regcred}, applied as the program would. */
    private void externalSecret(Map<String, Object> spec) {
        world.cluster.apply(
                "pulumi", "ExternalSecret", "team-a", "regcred", Map.of("spec", spec), false, Set.of(), "stack");
    }

    private void grant() {
        world.google.addMember(
                "projects/acme-dev/serviceAccounts/" + ACCOUNT, "roles/iam.workloadIdentityUser", MINTER);
    }

    private boolean written() {
        return world.cluster.get("Secret", "team-a", "regcred").isPresent();
    }

    @Test
    void writesTheSecretOnlyOnceItsIdentityCanMintAndBacksOffUpToSevenMinutes() {
        declare();
        world.advance(3600);
        assertFalse(written());
        assertFalse(eso.ready("team-a", "regcred"));

        grant();
        world.advance(ModelEso.MAX_BACKOFF_SECONDS - 1);
        world.advance(1);

        assertTrue(written(), "retried at most 7 minutes apart");
        assertTrue(eso.ready("team-a", "regcred"));
    }

    @Test
    void theSecretIsOwnedByTheExternalSecretAndComesBackWhenDeleted() {
        grant();
        declare();
        world.advance(5);
        assertEquals(
                java.util.Set.of(KObject.key("ExternalSecret", "team-a", "regcred")),
                world.cluster.get("Secret", "team-a", "regcred").orElseThrow().owners);

        world.cluster.delete("Secret", "team-a", "regcred", "pulumi");
        world.advance(5);

        assertTrue(written());
    }

    @Test
    void mintsANewTokenEveryRefreshInterval() {
        grant();
        declare();
        world.advance(5);
        var first = data();

        world.advance(ModelEso.seconds("30m0s") - 10);
        assertEquals(first, data());
        world.advance(10);
        // The refresh's mint is under way: the Secret holds the last token until it returns.
        assertEquals(first, data());
        world.advance(ModelEso.MINT_SECONDS);

        assertFalse(first.equals(data()));
    }

    private Object data() {
        return world.cluster
                .get("Secret", "team-a", "regcred")
                .orElseThrow()
                .fields
                .get("data");
    }

    /**
     * ESO v2.9.0 {@code providers/v1/kubernetes/client.go} {@code GetSecret}: a {@code ClusterSecretStore} of the
     * Kubernetes provider reads the named Secret in its {@code remoteNamespace}, and the ExternalSecret writes it in its
     * own namespace (the store's RBAC is not modelled).
     */
    @Test
    void anExternalSecretOfAClusterSecretStoreCopiesTheSecretFromTheStoresNamespace() {
        world.cluster.write("kubectl-create", "Secret", "home", "regcred", Map.of("data", "e30="), "foreign");
        copyThroughAStore();

        assertEquals(
                "e30=",
                world.cluster
                        .get("Secret", "team-a", "regcred")
                        .orElseThrow()
                        .fields
                        .get("data"));
        assertTrue(eso.ready("team-a", "regcred"));
    }

    /** A store reading the home namespace, and an ExternalSecret in team-a copying {@code regcred} through it. */
    private void copyThroughAStore() {
        world.cluster.write(
                "kubectl-client-side-apply",
                "ClusterSecretStore",
                "",
                "home-store",
                Map.of("spec", Map.of("provider", Map.of("kubernetes", Map.of("remoteNamespace", "home")))),
                "foreign");

        externalSecret(Map.of(
                "refreshInterval",
                "1h",
                "secretStoreRef",
                Map.of("kind", "ClusterSecretStore", "name", "home-store"),
                "target",
                ownedTarget(Map.of("type", "kubernetes.io/dockerconfigjson")),
                "data",
                List.of(Map.of("secretKey", ".dockerconfigjson", "remoteRef", Map.of("key", "regcred")))));
        world.advance(5);
    }

    /**
     * ESO v2.9.0 with {@code creationPolicy: Owner} takes over a Secret of the target's name that is there already and
     * replaces all its data: {@code ApplyTemplate} clears it unless the policy is Merge or CreateOrMerge
     * (pkg/controllers/externalsecret/externalsecret_controller_template.go), and {@code updateSecret} writes the
     * whole object (externalsecret_controller.go). What the Secret held besides, another registry's entry, is gone.
     */
    @Test
    void anExternalSecretThatTakesOverASecretReplacesAllItsData() {
        world.cluster.write("kubectl-create", "Secret", "home", "regcred", Map.of("data", "e30="), "foreign");
        world.cluster.write(
                "pulumi", "Secret", "team-a", "regcred", Map.of("data", "eyJhdXRocyI6eyJnaGNyLmlvIjp7fX19"), "stack");
        copyThroughAStore();

        var secret = world.cluster.get("Secret", "team-a", "regcred").orElseThrow();
        assertEquals("e30=", secret.fields.get("data"));
        assertTrue(
                secret.owners.stream().anyMatch(owner -> owner.contains("ExternalSecret")), secret.owners.toString());
    }
}
