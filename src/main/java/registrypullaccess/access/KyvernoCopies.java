package registrypullaccess.access;

import registrypullaccess.settings.ConfigKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the copies Kyverno made of the last deployment's Secret mean for the next one ({@link DeployedShape}): Kyverno
 * v1.19.0 deletes a deleted copy policy's copies by name, those it lists when the delete arrives, and puts a copy
 * someone else wrote back from its source until then; a new source under the same name in a namespace it copied into
 * is written into its copy.
 */
final class KyvernoCopies {

    private KyvernoCopies() {}

    /**
     * Cluster-wide to cluster-wide in another home namespace under the same name. Kyverno copied the Secret from the
     * old home into every namespace it covers, the new home too (with a selector, its labels are not known here: taken
     * as copied into). The new source Secret, declared there under that name before any policy, is written into
     * Kyverno's copy: Kyverno's field manager owns its labels (and data), so the update stops half-way at a
     * server-side apply conflict (pulumi-kubernetes v4.0.0, provider/pkg/await/await.go, Creation: not forced). Forced,
     * the source would still carry the old policy's labels, and Kyverno v1.19.0 deletes what carries them when that
     * policy goes after the program (pkg/policy/policy_controller.go, deletePolicy; pkg/background/generate/cleanup.go,
     * deleteDownstream). Under a new name, the new policy (another name: created before the old one is deleted)
     * copies the new Secret from the new home, and the pull check holds the update until a copy is there; only then
     * do the old policy and its copies go. Detaching needs no new home: detach where the copies come from.
     */
    static Optional<String> homeChange(
            DeployedShape last, DeployedShape next, String secretNameKey, boolean nextChecks) {
        if (!last.clusterWide()
                || last.detach()
                || !next.clusterWide()
                || last.home().equals(next.home())
                || !last.secretName().equals(next.secretName())
                || DeployedShape.NODE.equals(next.credentials())) {
            return Optional.empty();
        }
        var secretName = last.secretName();
        var home = last.home();
        var why = "Kyverno copied Secret " + secretName + " from the home namespace " + home + " into the namespaces"
                + " it covers, " + next.home() + " too: the new source Secret there would be written into Kyverno's"
                + " copy, and the update would stop half-way at a conflict with Kyverno's field manager (forced, the"
                + " source would keep the old copy policy's labels, and Kyverno deletes what carries them, the copies"
                + " of it too, when that policy goes after the program).";
        if (next.detach()) {
            return Optional.of(why + " Switch in one step: detach where the copies come from (`pulumi config set "
                    + ConfigKeys.key("homeNamespace") + " " + home + "`).");
        }
        var check = nextChecks
                ? ""
                : " and the pull check, which holds the update until Kyverno's copy of the new Secret is there"
                        + " (`pulumi config set " + ConfigKeys.key("verifyImage") + " <image>`, an image in a"
                        + " repository the stack grants)";
        return Optional.of(why + " Switch under a new name in one step: set " + secretNameKey + " to a name not in"
                + " use (e.g. `pulumi config set " + secretNameKey + " " + secretName + "-2`)" + check + "; the new"
                + " copy policy copies it from " + next.home() + " before the old policy and its copies go. (Or keep"
                + " the home namespace " + home + ".)");
    }

    /**
     * Cluster-wide to cluster-wide under the same name and home, covering other namespaces: another selector, or its
     * values, or other excluded namespaces. The copy policy keeps its name, and its rule's generate pattern (the
     * Secret, its source) stays while its match or exclude changes: Kyverno v1.19.0 refuses that update of a
     * synchronizing rule (pkg/validation/policy/generate.go, immutableGenerateFields: "changes of immutable fields of
     * a rule spec in a generate rule is disallowed"), in the preview's dry run too (pulumi-kubernetes v4.0.0 dry-runs
     * a replacement's create, an apply onto the live policy). Without the preview, the replacement deletes the policy
     * first (the provider's choice for a kept name) and Kyverno every copy with it, in the namespaces that stay covered
     * too (pkg/policy/policy_controller.go, deletePolicy). Under a new name the new policy is another object, created
     * before the old one goes after the program: it copies into the namespaces it covers (generateExisting,
     * pkg/policy/generate.go, handleGenerateForExisting), and the old one's copies go with it, in a namespace that
     * leaves coverage too: the change asked for. The ServiceAccount policy has no such rule (a mutate policy's match
     * may change: it is updated in place, and Kyverno never takes an entry out).
     *
     * @return what is wrong, for the way {@link DeployedShape#refusal} names (a new name)
     */
    static Optional<String> coverageChange(DeployedShape last, DeployedShape next) {
        if (!last.clusterWide()
                || last.detach()
                || !next.clusterWide()
                || next.detach()
                || !last.home().equals(next.home())
                || !last.secretName().equals(next.secretName())
                || DeployedShape.NODE.equals(next.credentials())) {
            return Optional.empty();
        }
        var changes = new ArrayList<String>();
        if (last.selector() != next.selector()
                || (last.selectorLabels() != null && !last.selectorLabels().equals(next.selectorLabels()))) {
            changes.add(ConfigKeys.key("namespaceSelector") + " " + selector(last) + " -> " + selector(next));
        }
        if (!last.excluded().equals(next.excluded())) {
            changes.add(ConfigKeys.key("excludeNamespaces") + " " + last.excluded() + " -> " + next.excluded()
                    + (Set.copyOf(last.excluded()).equals(Set.copyOf(next.excluded()))
                            ? " (the order only: keep it as it was)"
                            : ""));
        }
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Kyverno refuses to change which namespaces the copy policy matches ("
                + String.join(", ", changes) + ") while it copies Secret " + last.secretName() + " under the same"
                + " name (\"changes of immutable fields of a rule spec in a generate rule is disallowed\"): the preview"
                + " would fail at its dry run, and replaced without one, the policy would go first and Kyverno would"
                + " delete every copy with it, in the namespaces that stay covered too.");
    }

    /** A recorded selector, for a message. */
    private static String selector(DeployedShape shape) {
        if (!shape.selector()) {
            return "(none: every namespace)";
        }
        return shape.selectorLabels() == null ? "(a selector)" : new TreeMap<>(shape.selectorLabels()).toString();
    }

    /**
     * Cluster-wide to listed token mode under the same name: ESO writes its Secret into Kyverno's copy, and Kyverno puts
     * the copy back from its source (synchronize) until the copy policy goes, after the program. Kyverno v1.19.0 then
     * deletes by name the copies it lists when the delete arrives (pkg/policy/policy_controller.go, deletePolicy;
     * pkg/background/generate/cleanup.go, deleteDownstream): ESO's Secret too, wherever Kyverno wrote last, until ESO
     * writes it again.
     */
    static String esoOverKyverno(String secretName, List<String> overlap) {
        return "Kyverno copied Secret " + secretName + " into " + overlap + ": External Secrets Operator would write"
                + " into Kyverno's copy, which Kyverno puts back from its source (synchronize) until the copy policy"
                + " goes after the program, and Kyverno then deletes by name the copies it finds at that moment, ESO's"
                + " Secret too where Kyverno wrote last.";
    }
}
