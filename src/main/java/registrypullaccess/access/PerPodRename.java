package registrypullaccess.access;

import registrypullaccess.settings.ConfigKeys;

import java.util.Optional;

/**
 * A new {@code secretName} under pods that name the Secret themselves ({@code serviceAccounts: []}) before and after:
 * the update creates the new Secret and deletes the old one at its end (listed: its owner ConfigMap replaced under the
 * new name, the old one deleted after the program, pulumi v3.253.0, pkg/resource/deploy/step_generator.go,
 * GenerateDeletes; cluster-wide: the old copy policy deleted, and Kyverno v1.19.0 deletes its copies with it), and a
 * pod that names only the old Secret cannot pull from then until its workload is edited: the program neither reads
 * nor edits pods. So the rename is refused unless {@code podsNameNewSecret} equals the new name: the user's word, in a
 * key the program checks, that the pods name the new Secret beside the old one. The kubelet skips a name it cannot
 * read and tries the next (kubernetes pkg/kubelet/kubelet_pods.go, getPullSecretsForPod: "Unable to retrieve pull
 * secret, the image pull may not succeed.", then {@code continue}; seen through the code index, not at a pinned tag),
 * so pods may name the new Secret before it exists and the old one after it is gone. Run on the model, the named way
 * has no window (NamedPathTest).
 */
final class PerPodRename {

    private PerPodRename() {}

    /**
     * Why {@code next} cannot follow {@code last}: both have pods name the Secret, the name changes, namespaces stay
     * covered, and the pods are not said to name the new one ({@code podsNameNewSecret}). Empty otherwise.
     *
     * @param podsNameNewSecret the Secret the user says the pods name beside the old one
     */
    static Optional<String> refusal(DeployedShape last, DeployedShape next, Optional<String> podsNameNewSecret) {
        if (!last.podsNameSecret()
                || !next.podsNameSecret()
                || last.secretName().equals(next.secretName())
                || DeployedShape.NODE.equals(last.credentials())
                || DeployedShape.NODE.equals(next.credentials())
                || last.detach()
                || next.detach()
                || !RenamedEntries.coversAgain(last, next)
                || podsNameNewSecret.filter(next.secretName()::equals).isPresent()) {
            return Optional.empty();
        }
        var key = ConfigKeys.key("podsNameNewSecret");
        return Optional.of("Pods name Secret " + last.secretName() + " themselves, which this update deletes before it"
                + " ends (the new " + ConfigKeys.key("secretName") + " is " + next.secretName() + "): a pod that names"
                + " only " + last.secretName() + " cannot pull from then until its workload is edited, and the program"
                + " cannot see pods. Switch in two steps: first add " + next.secretName() + " beside "
                + last.secretName() + " in the pods' imagePullSecrets and roll them out (the kubelet skips a Secret"
                + " that does not exist yet); then say so, `pulumi config set " + key + " " + next.secretName()
                + "`, and `pulumi up`. Take " + last.secretName() + " out of the pods afterwards.");
    }
}
