package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.rbac.v1.Role;
import com.pulumi.kubernetes.rbac.v1.RoleArgs;
import com.pulumi.kubernetes.rbac.v1.RoleBinding;
import com.pulumi.kubernetes.rbac.v1.RoleBindingArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.PolicyRuleArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.RoleRefArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.SubjectArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.externalsecrets.ExternalSecretsOperator;
import registrypullaccess.settings.PullSecretSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Listed token mode: the token is minted once, in the home namespace, and External Secrets Operator copies the
 * home Secret into every listed namespace, each copy an {@code ExternalSecret} that reads it through the
 * Kubernetes provider of one {@code ClusterSecretStore}. Google sees one minter, whatever the number of
 * namespaces: one IAM member, where a minter per namespace took one each (and Google allows 1,500 per policy).
 *
 * <p>Read in ESO v2.9.0: the Kubernetes provider reads with the credentials of the store's ServiceAccount, a
 * token ESO requests for it (runtime/esutils/k8s_rest_config.go), so that ServiceAccount may get this one Secret
 * and nothing else (a Role with {@code resourceNames}); the store serves only the listed namespaces
 * ({@code conditions}, pkg/controllers/secretstore/client_manager.go), since any namespace's editor may create an
 * ExternalSecret (the chart aggregates that into {@code edit}); a store without a CA would check the API server's
 * certificate against the system's roots, so it names the cluster's CA in {@code kube-root-ca.crt}.
 *
 * <p>Each copy refreshes on its own schedule, whatever happens to events: the home Secret is refreshed every half
 * of {@code tokenRefreshMinutes} and so is each copy, so no copy holds a token older than
 * {@code tokenRefreshMinutes} (at most 45 of a token's 60). When a read fails the copy keeps its token
 * ({@code deletionPolicy: Retain}) and ESO retries, backing off up to 7 minutes (pkg/controllers/common/common.go).
 */
final class TokenCopies implements PullSecrets.InNamespace {

    /** Published by Kubernetes in every namespace: the CA that signed the API server's certificate. */
    static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    /** The API server as every pod reaches it; its certificate names it. */
    static final String API_SERVER = "https://kubernetes.default.svc";

    private final Children children;
    private final TokenPullSecrets secrets;
    private final String storeName;
    private final int refreshSeconds;
    private final List<Resource> copyPrerequisites;

    private TokenCopies(
            Children children,
            TokenPullSecrets secrets,
            String storeName,
            int refreshSeconds,
            List<Resource> copyPrerequisites) {
        this.children = children;
        this.secrets = secrets;
        this.storeName = storeName;
        this.refreshSeconds = refreshSeconds;
        this.copyPrerequisites = List.copyOf(copyPrerequisites);
    }

    /**
     * Declares what every copy needs, once: the token Secret in the home namespace, a ServiceAccount that may read
     * only that Secret, and the store that reads with it for the listed namespaces alone.
     *
     * @param homePrerequisites what the home's objects wait for: the home namespace, the grants, the operator
     */
    static TokenCopies declare(
            Children children,
            TokenPullSecrets secrets,
            PullSecretSettings pullSecret,
            String home,
            List<String> namespaces,
            int refreshMinutes,
            List<Resource> homePrerequisites,
            List<Resource> operator) {
        // Half each: the home Secret's token is at most half as old when read, and a copy holds it at most as long.
        var refreshSeconds = refreshMinutes * 30;
        var source = secrets.declareSource(home, homePrerequisites, Map.of(), refreshSeconds);
        var secretName = pullSecret.name();
        var reader = pullSecret.readerName();
        var readerAccount = new ServiceAccount(
                children.name(home, "token-reader"),
                ServiceAccountArgs.builder()
                        .metadata(objectMeta(reader, home))
                        // No pod runs as it: ESO asks the API server for its tokens.
                        .automountServiceAccountToken(false)
                        .build(),
                children.options().dependsOn(children.after(homePrerequisites)).build());
        var role = new Role(
                children.name(home, "token-reader-role"),
                RoleArgs.builder()
                        .metadata(objectMeta(reader, home))
                        .rules(PolicyRuleArgs.builder()
                                .apiGroups("")
                                .resources("secrets")
                                .resourceNames(secretName)
                                .verbs("get")
                                .build())
                        .build(),
                children.options().dependsOn(children.after(homePrerequisites)).build());
        var binding = new RoleBinding(
                children.name(home, "token-reader-binding"),
                RoleBindingArgs.builder()
                        .metadata(objectMeta(reader, home))
                        .roleRef(RoleRefArgs.builder()
                                .apiGroup("rbac.authorization.k8s.io")
                                .kind("Role")
                                .name(reader)
                                .build())
                        .subjects(SubjectArgs.builder()
                                .kind("ServiceAccount")
                                .name(reader)
                                .namespace(home)
                                .build())
                        .build(),
                children.options()
                        .dependsOn(children.after(List.of(role, readerAccount)))
                        .build());
        var storePrerequisites = new ArrayList<Resource>(List.of(binding));
        storePrerequisites.addAll(operator);
        var name = pullSecret.storeName(home);
        var store = new KubernetesObject(
                children.name("token-store"),
                ExternalSecretsOperator.EXTERNAL_SECRET_API_VERSION,
                ExternalSecretsOperator.STORE_KIND,
                Map.of("name", name, "labels", PullSecrets.LABELS),
                Output.of(storeSpec(home, reader, namespaces)),
                children.options().dependsOn(children.after(storePrerequisites)).build());
        var copyPrerequisites = new ArrayList<Resource>(List.of(store, source, binding));
        copyPrerequisites.addAll(operator);
        return new TokenCopies(children, secrets, name, refreshSeconds, copyPrerequisites);
    }

    /** The other registries' Secret of one listed namespace, if there are other registries: Pulumi writes it. */
    @Override
    public List<Resource> declare(String namespace, List<Resource> prerequisites) {
        return secrets.declareOtherRegistries(namespace, prerequisites).stream().toList();
    }

    /**
     * The copy in one listed namespace, under the name and resource name the namespace's minting ExternalSecret
     * had before: the same object, updated in place, keeps owning the Secret, which is never deleted on the way.
     *
     * <p>Made once the ServiceAccounts list the other registries' Secret too: the copy's first sync replaces all the
     * data of a Secret of its name that is there already (ESO v2.9.0, creationPolicy Owner:
     * pkg/controllers/externalsecret/externalsecret_controller_template.go, ApplyTemplate, clears the data unless the
     * policy is Merge or CreateOrMerge; externalsecret_controller.go, updateSecret), and from key mode that is the key
     * Secret, released to ESO, which holds the other registries' entries as well. ESO syncs a new ExternalSecret as
     * soon as its watch sees it, reading the home Secret through the store without asking Google: a race with the
     * engine's next step, which nothing in pulumi-kubernetes v4.0.0 orders. A name listed before its Secret exists is
     * skipped by the kubelet.
     */
    @Override
    public List<Resource> declareOnceListed(String namespace, List<Resource> listed) {
        var waitFor = new ArrayList<>(listed);
        waitFor.addAll(copyPrerequisites);
        var secretName = secrets.secretNames().get(0);
        var spec = new LinkedHashMap<String, Object>();
        spec.put("refreshInterval", TokenPullSecrets.goDuration(refreshSeconds));
        spec.put("secretStoreRef", Map.of("kind", ExternalSecretsOperator.STORE_KIND, "name", storeName));
        spec.put("target", secrets.target(Map.of(), Optional.empty()));
        spec.put(
                "data",
                List.of(Map.of(
                        "secretKey",
                        PullSecrets.DOCKER_CONFIG_JSON,
                        "remoteRef",
                        Map.of("key", secretName, "property", PullSecrets.DOCKER_CONFIG_JSON))));
        var copy = new KubernetesObject(
                children.name(namespace, "external-secret"),
                ExternalSecretsOperator.EXTERNAL_SECRET_API_VERSION,
                ExternalSecretsOperator.EXTERNAL_SECRET_KIND,
                secrets.externalSecretMetadata(secretName, namespace),
                Output.of(spec),
                children.options().dependsOn(children.after(waitFor)).build());
        // Until ESO has written the token here, the Secret may still hold the key this update deletes at its end: the
        // pull check waits for this Job, and the engine for every Job, before any delete. The patches need not: ESO
        // writes nothing into the Secret until it has minted (a failed fetch returns before any write).
        return List.of(copy, secrets.awaitToken(namespace, copy));
    }

    /** The store: the Kubernetes provider, reading the home namespace as the reader, for the listed namespaces. */
    static Map<String, Object> storeSpec(String home, String reader, List<String> namespaces) {
        var kubernetes = new LinkedHashMap<String, Object>();
        kubernetes.put("remoteNamespace", home);
        kubernetes.put(
                "server",
                Map.of(
                        "url",
                        API_SERVER,
                        "caProvider",
                        Map.of("type", "ConfigMap", "name", ROOT_CA_CONFIG_MAP, "key", "ca.crt", "namespace", home)));
        kubernetes.put("auth", Map.of("serviceAccount", Map.of("name", reader, "namespace", home)));
        var spec = new LinkedHashMap<String, Object>();
        spec.put("provider", Map.of("kubernetes", kubernetes));
        spec.put("conditions", List.of(Map.of("namespaces", namespaces)));
        return spec;
    }

    private static ObjectMetaArgs objectMeta(String name, String namespace) {
        return ObjectMetaArgs.builder()
                .name(name)
                .namespace(namespace)
                .labels(PullSecrets.LABELS)
                .build();
    }
}
