package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatch;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatchArgs;
import com.pulumi.kubernetes.core.v1.inputs.LocalObjectReferencePatchArgs;
import com.pulumi.kubernetes.core.v1.outputs.LocalObjectReference;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaPatchArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.PullSecretSettings;
import registrypullaccess.registry.ImagePullSecrets;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds the pull secret to a ServiceAccount's {@code imagePullSecrets}, keeping every other entry.
 *
 * <p>A patch, not a ServiceAccount resource: the ServiceAccount belongs to the cluster. The list is
 * atomic to server-side apply, so the patch writes back the entries it read from the live
 * ServiceAccount and forces ownership of the whole list. Deleting a patch would relinquish that list
 * and so erase the other teams' entries; the patch is therefore retained on delete, and a clean
 * removal of our entry is `detach: true` and `pulumi up` before `pulumi destroy`.
 */
final class ServiceAccountPatches {

    /** Lets our patch take over a list another manager wrote: safe, since we write back its entries. */
    static final String PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

    private ServiceAccountPatches() {
    }

    /**
     * @param ours the pull secrets this program manages, added in this order
     */
    static Resource declare(Children children, PullSecretSettings pullSecret, List<String> ours, boolean adopt,
                            String namespace, String serviceAccount, List<Resource> prerequisites) {
        var pullSecrets = liveImagePullSecrets(children, pullSecret, adopt, namespace, serviceAccount)
                .applyValue(live -> ImagePullSecrets.merge(live, ours, !pullSecret.detach()).stream()
                        .map(name -> LocalObjectReferencePatchArgs.builder().name(name).build())
                        .toList());
        return new ServiceAccountPatch(children.name(namespace, serviceAccount, "sa"), ServiceAccountPatchArgs.builder()
                .metadata(ObjectMetaPatchArgs.builder()
                        .name(serviceAccount)
                        .namespace(namespace)
                        .annotations(Map.of(PATCH_FORCE_ANNOTATION, "true"))
                        .build())
                .imagePullSecrets(pullSecrets)
                .build(), children.options()
                .dependsOn(prerequisites)
                .retainOnDelete(true)
                .build());
    }

    /**
     * The names the live ServiceAccount lists now. A namespace this stack is about to create has nothing
     * to keep, and cannot be read before it exists.
     */
    private static Output<List<String>> liveImagePullSecrets(Children children, PullSecretSettings pullSecret,
                                                             boolean adopt, String namespace, String serviceAccount) {
        if (pullSecret.createNamespaces() && !adopt) {
            return Output.of(List.of());
        }
        var live = ServiceAccount.get(children.name(namespace, serviceAccount, "live"),
                Output.of(namespace + "/" + serviceAccount), children.options().build());
        return live.imagePullSecrets().applyValue(references -> references == null ? List.<String>of()
                : references.stream().map(LocalObjectReference::name).flatMap(Optional::stream).toList());
    }
}
