package registrypullaccess.access;

import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.deployment.Deployment;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.ConfigMapArgs;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.kubernetes.core.v1.SecretArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.meta.v1.inputs.OwnerReferenceArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pull secrets in every namespace, and the ServiceAccount entries that make pods use them. What a
 * namespace's secrets are depends on the way of pulling: a Secret holding the key, or the objects that
 * keep a token Secret fresh.
 */
final class PullSecrets {

    static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    static final String DOCKER_CONFIG_JSON_TYPE = "kubernetes.io/dockerconfigjson";
    static final String HOSTS_ANNOTATION = "registry-pull-access/hosts";
    /** On the ConfigMap that owns a pull Secret: which one, for whoever finds it. */
    static final String OWNS_ANNOTATION = "registry-pull-access/owns";

    static final String OWNER_SUFFIX = PullSecretSettings.OWNER_SUFFIX;
    /** pulumi-kubernetes v4.0.0's annotation naming the field manager (provider/pkg/metadata/annotations.go). */
    static final String FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager";

    /** Marks what this program put in the cluster, for `kubectl get -l app.kubernetes.io/part-of=...`. */
    static final Map<String, String> LABELS =
            Map.of("app.kubernetes.io/managed-by", "pulumi", "app.kubernetes.io/part-of", ConfigKeys.PROJECT);

    /** Declares the pull secrets of one namespace. */
    interface InNamespace {
        /**
         * Declares them.
         *
         * @param prerequisites what must exist first: the grants, and the namespace if the stack creates it
         * @return what a pod needs in place before it pulls with the secrets
         */
        List<Resource> declare(String namespace, List<Resource> prerequisites);

        /**
         * Declares what writes into a Secret the ServiceAccounts list, once they list every secret of the namespace:
         * none but for a controller that takes over a Secret and writes less into it than was there.
         *
         * @param listed what must exist first: the prerequisites, the secrets and the ServiceAccount patches
         * @return what a pod needs in place before it pulls, besides the secrets and the patches
         */
        default List<Resource> declareOnceListed(String namespace, List<Resource> listed) {
            return List.of();
        }
    }

    private PullSecrets() {}

    /**
     * Declares the pull secrets and ServiceAccount entries of every listed namespace.
     *
     * @param secretNames    the Secrets the ServiceAccounts list, in that order
     * @param inNamespace    declares each namespace's secrets
     * @param grants         what must exist before a pod can pull with the secrets
     * @param namespacesWait what a namespace the stack creates waits for (a preflight check)
     * @param former         the entries of ours the last update listed in each ServiceAccount and this one does not
     * @return for each namespace, what a pod there needs in place before it pulls: its secrets, and the
     *         ServiceAccount patches that list them or, on the way to pods naming them, take them out
     */
    static Map<String, List<Resource>> declare(
            Children children,
            Settings settings,
            PullSecretSettings pullSecret,
            boolean adopt,
            List<String> secretNames,
            InNamespace inNamespace,
            List<Resource> grants,
            List<Resource> namespacesWait,
            Output<FormerEntries> former) {
        var entries = settings.serviceAccountEntries();
        var serviceAccounts = entries.serviceAccounts();
        var ready = new LinkedHashMap<String, List<Resource>>();
        var namespaces = children.siblings(
                false,
                settings.namespaces().stream()
                        .map(namespace -> List.of(namespace, "namespace"))
                        .toList());
        var patches = children.siblings(
                false,
                settings.namespaces().stream()
                        .flatMap(namespace -> serviceAccounts.stream()
                                .map(serviceAccount -> List.of(namespace, serviceAccount, "sa")))
                        .toList());
        for (var namespace : settings.namespaces()) {
            var prerequisites = new ArrayList<>(grants);
            Optional<Namespace> created = Optional.empty();
            if (pullSecret.createNamespaces()) {
                created = Optional.of(new Namespace(
                        namespaces.name(namespace, "namespace"),
                        NamespaceArgs.builder()
                                .metadata(
                                        ObjectMetaArgs.builder().name(namespace).build())
                                // Retained on delete, always: an adopted namespace was never this stack's to delete,
                                // and a later run without adopt cannot tell it from one the stack created, so a rule
                                // that depended on adopt would flip to deleting it. Deleting a namespace would also
                                // delete
                                // everything other teams run in it.
                                .build(),
                        Children.adoptable(
                                        namespaces.options(Namespace.class, namespace, "namespace"),
                                        adopt,
                                        namespace,
                                        "metadata")
                                .retainOnDelete(true)
                                .dependsOn(namespaces.after(namespacesWait))
                                .build()));
                prerequisites.add(created.get());
            }
            var namespaceCreated = created;
            var secrets = inNamespace.declare(namespace, List.copyOf(prerequisites));
            prerequisites.addAll(secrets);
            var needed = new ArrayList<>(secrets);
            serviceAccounts.forEach(serviceAccount -> needed.add(ServiceAccountPatches.declare(
                    children,
                    patches,
                    entries.add(),
                    secretNames,
                    former,
                    namespace,
                    namespaceCreated,
                    serviceAccount,
                    prerequisites)));
            prerequisites.addAll(needed);
            needed.addAll(inNamespace.declareOnceListed(namespace, List.copyOf(prerequisites)));
            ready.put(namespace, List.copyOf(needed));
        }
        return ready;
    }

    /**
     * A {@code kubernetes.io/dockerconfigjson} Secret whose data changes in place, never through a moment without it.
     *
     * <p>pulumi-kubernetes v4.0.0 replaces a Secret whose {@code type} or {@code data} changes
     * ({@code provider/pkg/provider/diff.go}, {@code forceNewProperties}; no {@code enableSecretMutable} at that tag,
     * first in a later release) and, the name being fixed, deletes it first ({@code provider/pkg/provider/provider.go},
     * {@code Diff}): a key rotation would leave pods without it, and cluster-wide Kyverno would delete every copy with
     * its source. So the replacement is made create-first ({@code deleteBeforeReplace(false)}, which overrides the
     * provider: pulumi v3.253.0, {@code pkg/resource/deploy/step_generator.go}); its Create is a server-side apply onto
     * the same object ({@code provider/pkg/await/await.go}, {@code Creation}), and under a field manager named here,
     * not a new random one ({@code provider.go}, {@code fieldManagerName}), so it does not conflict with itself. The
     * old resource's delete would then delete that same object by name, so Pulumi only forgets it
     * ({@code retainOnDelete}: {@code pkg/resource/deploy/step.go}, {@code DeleteStep.Apply}).
     *
     * <p>What deletes the Secret when it really goes (a namespace leaves, another way of pulling, {@code destroy}) is a
     * small ConfigMap that owns it: pulumi-kubernetes deletes it in the foreground ({@code await.go},
     * {@code deleteResource}) and Kubernetes' garbage collector takes the Secret with it, unless something else owns
     * the Secret by then (ESO's ExternalSecret that took it over); a copy Kyverno writes over it carries no owner
     * (Kyverno v1.19.0, {@code pkg/background/generate/clone.go}). The owner is never replaced but with the Secret's
     * name.
     *
     * @param resourceName  the Secret's resource name; the owner's is this with {@code -owner}
     * @param hosts         the servers in its data, shown to kubectl and reviewers, who cannot read the data
     * @param data          its data, secret
     * @param forced        whether the apply takes fields over from other managers ({@code pulumi.com/patchForce})
     * @param options       the Secret's options, but for what it waits for
     * @param prerequisites what must exist first
     * @param formerName    the resource name of the same Secret in earlier versions, if it had another: the Secret and
     *                      its owner are aliased to it, so that neither is deleted (by name) after the program
     */
    static Secret dockerConfigSecret(
            String resourceName,
            String name,
            String namespace,
            List<String> hosts,
            Output<Map<String, String>> data,
            boolean forced,
            CustomResourceOptions.Builder options,
            Children children,
            List<Resource> prerequisites,
            Optional<String> formerName) {
        var ownerName = name + OWNER_SUFFIX;
        var ownerOptions = children.options().dependsOn(children.after(prerequisites));
        formerName.ifPresent(former -> {
            ownerOptions.aliases(Alias.builder().name(former + OWNER_SUFFIX).build());
            options.aliases(Alias.builder().name(former).build());
        });
        var owner = new ConfigMap(
                resourceName + OWNER_SUFFIX,
                ConfigMapArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(ownerName)
                                .namespace(namespace)
                                .labels(LABELS)
                                .annotations(Map.of(OWNS_ANNOTATION, "Secret " + name))
                                .build())
                        .build(),
                ownerOptions.build());
        var annotations = new LinkedHashMap<String, String>();
        annotations.put(HOSTS_ANNOTATION, String.join(",", hosts));
        annotations.put(FIELD_MANAGER_ANNOTATION, fieldManager(resourceName));
        if (forced) {
            // A Secret made by `kubectl create secret docker-registry` (adopted, or taken over by a create) has its
            // data and type owned by field manager kubectl-create, which pulumi-kubernetes v4.0.0 does not take over by
            // itself (provider/pkg/await/await.go: patchForce, fixCSAFieldManagers): writing the new key would
            // conflict.
            annotations.put(ServiceAccountPatches.PATCH_FORCE_ANNOTATION, "true");
        }
        return new Secret(
                resourceName,
                SecretArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(name)
                                .namespace(namespace)
                                .labels(LABELS)
                                .annotations(annotations)
                                .ownerReferences(OwnerReferenceArgs.builder()
                                        .apiVersion("v1")
                                        .kind("ConfigMap")
                                        .name(ownerName)
                                        .uid(owner.metadata()
                                                .applyValue(metadata ->
                                                        metadata.uid().orElseThrow()))
                                        .build())
                                .build())
                        .type(DOCKER_CONFIG_JSON_TYPE)
                        .data(data)
                        .build(),
                options.dependsOn(children.after(prerequisites))
                        .deleteBeforeReplace(false)
                        .retainOnDelete(true)
                        .build());
    }

    /**
     * A Secret's field manager: the same in every run, as the provider's own would be after the first, and one per
     * resource and stack, so that two of them writing one object conflict as they would with the provider's.
     */
    static String fieldManager(String resourceName) {
        var digest = KyvernoPolicies.digest(
                Map.of("stack", Deployment.getInstance().getStackName(), "resource", resourceName));
        return ConfigKeys.PROJECT + "-" + digest.substring(0, 16);
    }
}
