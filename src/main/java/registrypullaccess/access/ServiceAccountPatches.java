package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatch;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatchArgs;
import com.pulumi.kubernetes.core.v1.inputs.LocalObjectReferencePatchArgs;
import com.pulumi.kubernetes.core.v1.outputs.LocalObjectReference;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaPatchArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.pullsecret.ImagePullSecrets;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds the pull secret to a ServiceAccount's {@code imagePullSecrets}, keeping every other entry but the former ones of
 * ours ({@link FormerEntries}).
 *
 * <p>A patch, not a ServiceAccount resource: the ServiceAccount belongs to the cluster. The list is
 * atomic to server-side apply, so the patch writes back the entries it read from the live
 * ServiceAccount and forces ownership of the whole list, on condition that the ServiceAccount is still
 * at the {@code resourceVersion} it was read at: a write in between (another stack, a controller) makes
 * the API server refuse the apply, and the update fails, instead of our list overwriting that write. Deleting a patch would relinquish that list
 * and so erase the other teams' entries; the patch is therefore retained on delete, and a clean
 * removal of our entry is `detach: true` and `pulumi up` before `pulumi destroy`, or, on the way to pods naming
 * the secret themselves, {@code detachServiceAccounts} before the patches leave the program.
 */
final class ServiceAccountPatches {

    /** Lets our patch take over a list another manager wrote: safe, since we write back its entries. */
    static final String PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

    private ServiceAccountPatches() {}

    /**
     * @param withOurs whether the list names ours; false takes them out (detach), keeping the rest
     * @param ours     the pull secrets this program manages, added in this order
     * @param former   which entries of ours the last update listed there and this one does not: taken out in the same
     *                 apply, after every one of ours exists ({@link FormerEntries})
     * @param created  the namespace, when this stack creates it
     */
    static Resource declare(
            Children children,
            Children.Siblings patches,
            boolean withOurs,
            List<String> ours,
            Output<FormerEntries> former,
            String namespace,
            Optional<Namespace> created,
            String serviceAccount,
            List<Resource> prerequisites) {
        var live = live(children, namespace, created, serviceAccount);
        // One step from the live list to the patch's: every Output costs the SDK a task and its futures.
        var pullSecrets = Output.tuple(live, former)
                .applyValue(read ->
                        ImagePullSecrets.merge(read.t1.names(), ours, read.t2.in(namespace, serviceAccount), withOurs)
                                .stream()
                                .map(name -> LocalObjectReferencePatchArgs.builder()
                                        .name(name)
                                        .build())
                                .toList());
        return new ServiceAccountPatch(
                patches.name(namespace, serviceAccount, "sa"),
                ServiceAccountPatchArgs.builder()
                        .metadata(ObjectMetaPatchArgs.builder()
                                .name(serviceAccount)
                                .namespace(namespace)
                                .annotations(Map.of(PATCH_FORCE_ANNOTATION, "true"))
                                // The version the list was read at: the apply is conditional on it.
                                .resourceVersion(live.applyValue(Live::resourceVersion))
                                .build())
                        .imagePullSecrets(pullSecrets)
                        .build(),
                patches.options(ServiceAccountPatch.class, namespace, serviceAccount, "sa")
                        .dependsOn(patches.after(prerequisites))
                        .retainOnDelete(true)
                        .build());
    }

    /** What the live ServiceAccount lists, and the {@code metadata.resourceVersion} it was read at. */
    private record Live(List<String> names, String resourceVersion) {}

    /**
     * The list the live ServiceAccount has now, and its version, read in every namespace: one this stack creates may
     * already exist (created by an earlier run, or by someone else and adopted), and what others listed
     * there must be kept as anywhere else.
     *
     * <p>In a namespace this stack creates, the read waits for the namespace's id, which a preview does
     * not know before the namespace exists: no read is made then (there is nothing to keep), and the list
     * stays unknown in the preview. The read is then declared inside {@code apply}, not given the unknown id:
     * Pulumi Java 1.36.1 turns a {@code get} whose id is unknown into a registration, so the preview would
     * show the stack creating, and owning, the ServiceAccount.
     *
     * <p>A race remains right after the namespace is created: Kubernetes' ServiceAccount controller makes
     * {@code default} a moment later, and a read before that fails with "not found". The patch needs the
     * ServiceAccount to exist anyway; a second {@code pulumi up} completes.
     */
    private static Output<Live> live(
            Children children, String namespace, Optional<Namespace> created, String serviceAccount) {
        var id = namespace + "/" + serviceAccount;
        var name = children.name(namespace, serviceAccount, "live");
        // A read is not kept in state as its own: under a new name it is simply read again, no alias needed.
        return created.map(ns -> ns.id()
                        .apply(ignored -> read(ServiceAccount.get(
                                name,
                                Output.of(id),
                                children.options()
                                        .dependsOn(children.after(List.of(ns)))
                                        .build()))))
                .orElseGet(() -> read(ServiceAccount.get(
                        name, Output.of(id), children.options().build())));
    }

    private static Output<Live> read(ServiceAccount live) {
        return Output.tuple(live.imagePullSecrets(), live.metadata())
                .applyValue(read ->
                        new Live(names(read.t1), read.t2.resourceVersion().orElse("")));
    }

    /** The names a live list holds; none when it has no list. */
    private static List<String> names(List<LocalObjectReference> references) {
        return references == null
                ? List.of()
                : references.stream()
                        .map(LocalObjectReference::name)
                        .flatMap(Optional::stream)
                        .toList();
    }
}
