package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.kubernetes.core.v1.SecretArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
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
    }

    private PullSecrets() {}

    /**
     * Declares the pull secrets and ServiceAccount entries of every listed namespace.
     *
     * @param secretNames    the Secrets the ServiceAccounts list, in that order
     * @param inNamespace    declares each namespace's secrets
     * @param grants         what must exist before a pod can pull with the secrets
     * @param namespacesWait what a namespace the stack creates waits for (a preflight check)
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
            List<Resource> namespacesWait) {
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
                                .dependsOn(namespacesWait)
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
                    namespace,
                    namespaceCreated,
                    serviceAccount,
                    prerequisites)));
            ready.put(namespace, List.copyOf(needed));
        }
        return ready;
    }

    /**
     * A {@code kubernetes.io/dockerconfigjson} Secret.
     *
     * @param hosts  the servers in its data, shown to kubectl and reviewers, who cannot read the data
     * @param data   its data, secret
     * @param forced whether to take over fields another field manager owns: in a namespace others use, a Secret
     *               made by {@code kubectl create secret docker-registry} (adopted, or taken over by a create) has
     *               its data and type owned by field manager kubectl-create, which pulumi-kubernetes v4.0.0 does not
     *               take over by itself (provider/pkg/await/await.go: patchForce, fixCSAFieldManagers): writing the
     *               new key would conflict
     */
    static Secret dockerConfigSecret(
            String resourceName,
            String name,
            String namespace,
            List<String> hosts,
            Output<Map<String, String>> data,
            boolean forced,
            CustomResourceOptions options) {
        var hostList = String.join(",", hosts);
        return new Secret(
                resourceName,
                SecretArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(name)
                                .namespace(namespace)
                                .labels(LABELS)
                                .annotations(
                                        forced
                                                ? Map.of(
                                                        HOSTS_ANNOTATION,
                                                        hostList,
                                                        ServiceAccountPatches.PATCH_FORCE_ANNOTATION,
                                                        "true")
                                                : Map.of(HOSTS_ANNOTATION, hostList))
                                .build())
                        .type(DOCKER_CONFIG_JSON_TYPE)
                        .data(data)
                        .build(),
                options);
    }
}
