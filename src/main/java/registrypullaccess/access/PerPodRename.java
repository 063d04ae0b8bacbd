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
     * Why {@code next} cannot follow {@code last}: pods name the Secret, the name changes, namespaces stay covered, and
     * the pods are not said to name the new one ({@code podsNameNewSecret}), or the ServiceAccounts are to list it
     * ({@link #toServiceAccounts}). Empty otherwise.
     *
     * @param podsNameNewSecret the Secret the user says the pods name beside the old one
     */
    static Optional<String> refusal(DeployedShape last, DeployedShape next, Optional<String> podsNameNewSecret) {
        if (!last.podsNameSecret()
                || last.secretName().equals(next.secretName())
                || DeployedShape.NODE.equals(last.credentials())
                || DeployedShape.NODE.equals(next.credentials())
                || last.detach()
                || next.detach()
                || !RenamedEntries.coversAgain(last, next)
                || podsNameNewSecret.filter(next.secretName()::equals).isPresent()) {
            return Optional.empty();
        }
        if (!next.podsNameSecret()) {
            return Optional.of(toServiceAccounts(last, next));
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

    /**
     * From pods naming the Secret to ServiceAccounts listing it, under a new name: a pod that names any Secret gets
     * none of its ServiceAccount's (the ServiceAccount admission plugin copies the account's list only into a pod that
     * names none: kubernetes plugin/pkg/admission/serviceaccount/admission.go, Admit; read through the code index, not
     * at a tag), so until its workload is edited it names only the old Secret, which the update deletes. Under the
     * same name it stays, and the ServiceAccounts list it for pods whose workloads no longer name it.
     */
    private static String toServiceAccounts(DeployedShape last, DeployedShape next) {
        var secretName = ConfigKeys.key("secretName");
        return "Pods name Secret " + last.secretName() + " themselves, which this update deletes before it ends (the"
                + " new " + secretName + " is " + next.secretName()
                + "), and a pod that names a Secret itself gets none"
                + " of its ServiceAccount's: until its workload is edited it cannot pull. Switch in two updates: first"
                + " list " + last.secretName() + " in the ServiceAccounts under the same name (`pulumi config set "
                + secretName + " " + last.secretName() + "`, " + RenamedEntries.inStackFile(next.serviceAccounts())
                + ", `pulumi up`) and take imagePullSecrets out of the workloads; then `pulumi config set " + secretName
                + " " + next.secretName() + "` and `pulumi up`.";
    }
}
