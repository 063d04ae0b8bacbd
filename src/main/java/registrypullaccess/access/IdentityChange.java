package registrypullaccess.access;

import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.Puller;

import java.util.Map;
import java.util.Optional;

/**
 * Token mode with another identity: who mints the tokens (the puller's project and account, and how the cluster
 * proves itself to Google) changes. Recorded in {@link DeployedShape}, carried by the pull check's pod, and refused
 * under the same {@code secretName}.
 */
final class IdentityChange {

    /**
     * On the pull check's pod: {@link #whoMints}, so that a new identity runs the check again (a changed pod template
     * makes the Job be replaced: pulumi-kubernetes v4.0.0, provider/pkg/provider/diff.go, {@code job}:
     * {@code .spec.template} forces a new Job).
     */
    static final String CHECKED_IDENTITY_ANNOTATION = "registry-pull-access/checked-identity";

    private IdentityChange() {}

    /**
     * A digest of who mints the tokens: the puller's project and account, and the GKE cluster or the OIDC issuer. A
     * change of any of these means tokens of another account, or minted through another trust, that only a new mint
     * proves. The issuer's public keys ({@code oidcJwks}) are left out: setting them again after the cluster's keys
     * rotate repairs the same trust, and is what the docs tell users to do.
     */
    static String whoMints(String project, Puller.Token puller) {
        return KyvernoPolicies.digest(Map.of(
                "project",
                project,
                "serviceAccountId",
                puller.serviceAccountId(),
                "identity",
                puller.identity()
                        .match(
                                gke -> "gke " + gke.project() + "/" + gke.location() + "/" + gke.name(),
                                oidc -> "oidc " + oidc.issuer())));
    }

    /**
     * Token mode to token mode under the same {@code secretName} with another identity: nothing can hold the update
     * until the Secrets carry a token of the new identity. An access token does not name its account, and the Secret
     * holds exactly what kubectl writes, so the token-ready Job and the pull check cannot tell the old token from the
     * new; ESO syncs each ExternalSecret when its annotations change (ESO v2.9.0,
     * pkg/controllers/externalsecret/externalsecret_controller.go, shouldRefreshPeriodic), but a copy may read the
     * home Secret before the new mint has landed (the generator's calls, one after the other:
     * providers/v1/gcp/secretmanager/workload_identity.go, TokenSource; a new trust grant, up to 7 minutes or more),
     * and pulumi-kubernetes v4.0.0 awaits no custom resource. The old account and its grants are replaced, and the
     * old ones deleted at the end of the update (pulumi v3.253.0, pkg/resource/deploy/step_generator.go: the delete of
     * a create-before-replace "is generated 'later' on, after all creates/updates finish"; deployment_executor.go,
     * performPostSteps) while copies may still hold the old token. Under a new name the Secrets are new objects that
     * ESO writes only once the new identity has minted (externalsecret_controller.go, Reconcile: a failed
     * GetProviderSecretData returns before any write), and the token-ready Jobs, which every delete of the update
     * waits for, mount them. Not where the next deployment detaches (teardown): it takes the entries out, so that no
     * pod is to pull with the Secrets from then on, and a new name would only make the teardown two updates long (on
     * the model: TransitionTest, 0 windows).
     *
     * @param last what the stack deployed last
     */
    static Optional<String> refusal(DeployedShape last, DeployedShape next, String secretNameKey, boolean nextChecks) {
        if (!DeployedShape.TOKEN.equals(last.credentials())
                || !DeployedShape.TOKEN.equals(next.credentials())
                || last.tokenIdentity().isEmpty()
                || last.tokenIdentity().equals(next.tokenIdentity())
                || !last.secretName().equals(next.secretName())
                || next.detach()) {
            return Optional.empty();
        }
        var check = FirstCover.coversFirstTime(next, Optional.of(last)) && !nextChecks
                ? " and the pull check (`pulumi config set " + ConfigKeys.key("verifyImage")
                        + " <image>`, an image in a repository the stack grants)"
                : "";
        return Optional.of("Another identity mints the tokens (" + ConfigKeys.key("serviceAccountId")
                + ", gcp:project, "
                + ConfigKeys.key("gkeCluster") + " or " + ConfigKeys.key("oidcIssuer") + " changed) while Secret "
                + last.secretName() + " keeps its name: a token does not name its account, so the update cannot wait"
                + " until every copy holds one of the new identity, and the old account's grants go at its end while"
                + " copies may still hold the old token. Switch under a new name in one step: set " + secretNameKey
                + " to a name not in use (e.g. `pulumi config set " + secretNameKey + " " + last.secretName() + "-2`)"
                + check + "; External Secrets Operator writes the new Secrets only once the new identity has minted,"
                + " and the update waits for them before the old account goes.");
    }
}
