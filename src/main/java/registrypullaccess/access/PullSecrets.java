package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.kubernetes.core.v1.SecretArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.PullSecretSettings;
import registrypullaccess.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pull secret in every namespace, and the ServiceAccount entries that make pods use it.
 */
final class PullSecrets {

    static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    static final String HOSTS_ANNOTATION = "registry-pull-access/hosts";
    /** Marks what this program put in the cluster, for `kubectl get -l app.kubernetes.io/part-of=...`. */
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "pulumi",
            "app.kubernetes.io/part-of", Settings.PROJECT);

    private PullSecrets() {
    }

    /**
     * @param data          the Secret's data, secret
     * @param grants        what must exist before a pod can pull with the Secret
     * @return each namespace's ServiceAccount patches, which pods pull through
     */
    static Map<String, List<Resource>> declare(Children children, Settings settings, PullSecretSettings pullSecret,
                                               boolean adopt, Output<Map<String, String>> data,
                                               List<Resource> grants) {
        var patchesByNamespace = new LinkedHashMap<String, List<Resource>>();
        var namespaces = children.siblings(false, settings.namespaces().stream()
                .map(namespace -> List.of(namespace, "namespace")).toList());
        var secrets = children.siblings(false, settings.namespaces().stream()
                .map(namespace -> List.of(namespace, "pull-secret")).toList());
        var patches = children.siblings(false, settings.namespaces().stream()
                .flatMap(namespace -> settings.serviceAccounts().stream()
                        .map(serviceAccount -> List.of(namespace, serviceAccount, "sa")))
                .toList());
        for (var namespace : settings.namespaces()) {
            var prerequisites = new ArrayList<>(grants);
            Optional<Namespace> created = Optional.empty();
            if (pullSecret.createNamespaces()) {
                created = Optional.of(new Namespace(namespaces.name(namespace, "namespace"), NamespaceArgs.builder()
                        .metadata(ObjectMetaArgs.builder().name(namespace).build())
                        // Retained on delete, always: an adopted namespace was never this stack's to delete, and
                        // a later run without adopt cannot tell it from one the stack created, so a rule that
                        // depended on adopt would flip to deleting it. Deleting a namespace would also delete
                        // everything other teams run in it.
                        .build(), Children.adoptable(namespaces.options(namespace, "namespace"), adopt, namespace,
                        "metadata").retainOnDelete(true).build()));
                prerequisites.add(created.get());
            }
            var namespaceCreated = created;
            prerequisites.add(new Secret(secrets.name(namespace, "pull-secret"), SecretArgs.builder()
                    .metadata(ObjectMetaArgs.builder()
                            .name(pullSecret.name())
                            .namespace(namespace)
                            .labels(LABELS)
                            // The hosts are inside the secret data; this shows them to kubectl and reviewers.
                            .annotations(Map.of(HOSTS_ANNOTATION, String.join(",", settings.registryHosts())))
                            .build())
                    .type("kubernetes.io/dockerconfigjson")
                    .data(data)
                    .build(), Children.adoptable(secrets.options(namespace, "pull-secret"), adopt,
                            namespace + "/" + pullSecret.name(), "data", "metadata")
                    .dependsOn(prerequisites)
                    .build()));
            patchesByNamespace.put(namespace, settings.serviceAccounts().stream()
                    .map(serviceAccount -> ServiceAccountPatches.declare(children, patches, pullSecret, namespace,
                            namespaceCreated, serviceAccount, prerequisites))
                    .toList());
        }
        return patchesByNamespace;
    }
}
