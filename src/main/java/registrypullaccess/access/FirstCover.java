package registrypullaccess.access;

import registrypullaccess.settings.ConfigKeys;

import java.util.Optional;

/**
 * An update that has Kyverno cover namespaces for the first time, and why it needs the pull check. Kyverno copies the
 * Secret and adds the ServiceAccount entries a second or so after its policies exist (generateExisting,
 * mutateExistingOnPolicyUpdate: Kyverno v1.19.0, pkg/policy/generate.go, handleGenerateForExisting;
 * pkg/policy/mutate.go, handleMutate; both through UpdateRequests the background controller carries out later), and
 * nothing in pulumi-kubernetes v4.0.0 awaits Kyverno: the update would end, and the old Secrets' deletes after the
 * program run, before the copies are there. Only the check's pod, in a namespace the stack creates for it after the
 * policies ({@link PullCheckJob#declareClusterWide}), holds the update until Kyverno has copied there (docs/model.md,
 * "What the pull check proves on the model, and what not": not every namespace on a real Kyverno). Updates between
 * two deployments that covered the same namespaces need no check.
 */
final class FirstCover {

    private FirstCover() {}

    /**
     * Why {@code next} cannot go without the pull check, with the way: the check for this update; it may go
     * afterwards.
     *
     * @param last   what the stack deployed last; empty on a first update (or one last deployed by a version
     *               without the record)
     * @param checks whether {@code next} has the pull check ({@code verifyImage})
     */
    static Optional<String> refusal(DeployedShape next, Optional<DeployedShape> last, boolean checks) {
        if (checks || !coversFirstTime(next, last)) {
            return Optional.empty();
        }
        var from = last.map(FirstCover::describe)
                .orElse("nothing (a first `pulumi up`, or one after a version that kept no record)");
        var verifyImage = ConfigKeys.key("verifyImage");
        return Optional.of("this update has Kyverno copy Secret " + next.secretName() + " into namespaces it did not"
                + " cover before (from " + from + "), and add it to their ServiceAccounts, a second or so after its"
                + " policies exist: nothing but the pull check holds the update until then, and without it pods"
                + " started as the update ends cannot pull. Switch with the pull check for this update: `pulumi config"
                + " set " + verifyImage + " <image>` (an image in a repository this stack grants) and `pulumi up`;"
                + " once the namespaces are covered the check may go: `pulumi config rm " + verifyImage + "` and"
                + " `pulumi up`.");
    }

    /**
     * Whether Kyverno copies into namespaces, or lists the Secret in ServiceAccounts, the last deployment did not cover:
     * none recorded, listed, node credentials, detached or with pods naming the Secret cluster-wide (Kyverno's
     * mutate-existing adds the entries then), or a namespace the last one excluded, or left to a selector, and this
     * one covers.
     */
    static boolean coversFirstTime(DeployedShape next, Optional<DeployedShape> last) {
        if (!next.clusterWide() || next.detach() || DeployedShape.NODE.equals(next.credentials())) {
            return false;
        }
        return last.map(before -> !before.clusterWide()
                        || before.detach()
                        || (before.podsNameSecret() && !next.podsNameSecret())
                        || DeployedShape.NODE.equals(before.credentials())
                        || !next.excluded().containsAll(before.excluded())
                        || (before.selector() && !next.selector())
                        || widerSelector(before, next))
                .orElse(true);
    }

    /**
     * Whether another selector's values may match a namespace the last one did not: unless every label the last one
     * matched is still required. Unknown in records written before the values were kept (the last selector's values):
     * taken as not wider, as before.
     */
    private static boolean widerSelector(DeployedShape before, DeployedShape next) {
        return before.selector()
                && next.selector()
                && before.selectorLabels() != null
                && !next.selectorLabels()
                        .entrySet()
                        .containsAll(before.selectorLabels().entrySet());
    }

    /** What a record says was deployed, for a message. */
    private static String describe(DeployedShape shape) {
        var coverage = shape.clusterWide()
                ? "cluster-wide"
                : shape.podsNameSecret() ? "pods naming the Secret" : "listed namespaces";
        return shape.credentials() + " credentials, " + coverage + (shape.detach() ? ", detached" : "");
    }
}
