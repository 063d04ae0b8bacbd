package registrypullaccess;

import com.pulumi.core.Output;
import com.pulumi.gcp.artifactregistry.RepositoryIamMember;
import com.pulumi.gcp.artifactregistry.RepositoryIamMemberArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.serviceaccount.Key;
import com.pulumi.gcp.serviceaccount.KeyArgs;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.kubernetes.core.v1.SecretArgs;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatch;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatchArgs;
import com.pulumi.kubernetes.core.v1.inputs.LocalObjectReferencePatchArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaPatchArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import registrypullaccess.registry.DockerConfigJson;
import registrypullaccess.registry.GoogleRegistry;
import registrypullaccess.registry.RegistryCredential;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pull access for one cluster: a GCP service account that may read the configured repositories, a JSON
 * key for it, and in every namespace a docker-registry Secret holding that key which the namespace's
 * {@code default} ServiceAccount lists in {@code imagePullSecrets}.
 */
public final class PullAccess extends ComponentResource {

    public static final String TYPE = "registry-pull-access:index:PullAccess";
    public static final String READER_ROLE = "roles/artifactregistry.reader";
    public static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    public static final String HOSTS_ANNOTATION = "registry-pull-access/hosts";
    /** The ServiceAccount pods run as when they name none, so patching it covers unmodified workloads. */
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";

    private static final Pattern TRAILING_NEWLINES = Pattern.compile("\n+$");

    public final Output<String> serviceAccountEmail;
    public final Output<String> pullSecretName;
    public final Output<List<String>> namespaces;
    public final Output<List<String>> registryHosts;

    public PullAccess(String name, Settings settings, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();

        var account = new Account(name + "-sa", AccountArgs.builder()
                .project(settings.gcpProject())
                .accountId(settings.serviceAccountId())
                .displayName("Kubernetes image puller")
                .description("Pulls container images into Kubernetes clusters. Managed by Pulumi "
                        + "(registry-pull-access); changes made by hand are undone on the next update.")
                .build(), child);

        for (var registry : settings.registries()) {
            new RepositoryIamMember(name + "-reader-" + grantSuffix(registry), RepositoryIamMemberArgs.builder()
                    .project(registry.project())
                    .location(registry.location())
                    .repository(registry.repository())
                    .role(READER_ROLE)
                    .member(account.member())
                    .build(), child);
        }

        var key = new Key(name + "-key", KeyArgs.builder()
                .serviceAccountId(account.name())
                .build(), child);

        var dockerConfig = key.privateKey()
                .applyValue(privateKey -> dockerConfigJson(settings, decodeKeyFile(privateKey)))
                .asSecret();

        for (var namespace : settings.namespaces()) {
            var secret = new Secret(name + "-" + namespace + "-pull-secret", SecretArgs.builder()
                    .metadata(ObjectMetaArgs.builder()
                            .name(settings.secretName())
                            .namespace(namespace)
                            .labels(Map.of("app.kubernetes.io/managed-by", "pulumi",
                                    "app.kubernetes.io/part-of", Settings.PROJECT))
                            // The hosts are inside the secret data; this shows them to kubectl and reviewers.
                            .annotations(Map.of(HOSTS_ANNOTATION, String.join(",", settings.registryHosts())))
                            .build())
                    .type("kubernetes.io/dockerconfigjson")
                    .data(dockerConfig.applyValue(json -> Map.of(DOCKER_CONFIG_JSON, base64(json))))
                    .build(), child);

            // A patch, not a ServiceAccount resource: the ServiceAccount belongs to the cluster, and
            // deleting a patch only gives up the fields it set, so `pulumi destroy` never deletes it.
            new ServiceAccountPatch(name + "-" + namespace + "-" + DEFAULT_SERVICE_ACCOUNT + "-sa",
                    ServiceAccountPatchArgs.builder()
                            .metadata(ObjectMetaPatchArgs.builder()
                                    .name(DEFAULT_SERVICE_ACCOUNT)
                                    .namespace(namespace)
                                    .build())
                            .imagePullSecrets(LocalObjectReferencePatchArgs.builder()
                                    .name(settings.secretName())
                                    .build())
                            .build(),
                    CustomResourceOptions.builder().parent(this).dependsOn(secret).build());
        }

        this.serviceAccountEmail = account.email();
        this.pullSecretName = Output.of(settings.secretName());
        this.namespaces = Output.of(settings.namespaces());
        this.registryHosts = Output.of(settings.registryHosts());
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", serviceAccountEmail);
        outputs.put("pullSecretName", pullSecretName);
        outputs.put("namespaces", namespaces);
        outputs.put("registryHosts", registryHosts);
        registerOutputs(outputs);
    }

    /** A stable, unique resource-name suffix per repository: two stacks' grants never collide. */
    private static String grantSuffix(GoogleRegistry registry) {
        return (registry.project() + "-" + registry.location() + "-" + registry.repository()).replace('.', '-');
    }

    private static String dockerConfigJson(Settings settings, String keyJson) {
        var credential = RegistryCredential.jsonKey(keyJson, settings.email());
        var credentials = new LinkedHashMap<String, RegistryCredential>();
        settings.registryHosts().forEach(host -> credentials.put(host, credential));
        return DockerConfigJson.render(credentials);
    }

    /**
     * {@code Key.privateKey} is the key file base64-encoded; registries want the JSON itself. The final
     * newline is dropped as {@code --docker-password="$(cat key.json)"} drops it, so the Secret is the
     * one the manual steps make, byte for byte.
     */
    private static String decodeKeyFile(String privateKey) {
        var keyFile = new String(Base64.getDecoder().decode(privateKey), StandardCharsets.UTF_8);
        return TRAILING_NEWLINES.matcher(keyFile).replaceFirst("");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
