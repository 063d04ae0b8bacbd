package registrypullaccess;

import com.pulumi.core.Output;
import com.pulumi.gcp.artifactregistry.RepositoryIamMember;
import com.pulumi.gcp.artifactregistry.RepositoryIamMemberArgs;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.serviceaccount.Key;
import com.pulumi.gcp.serviceaccount.KeyArgs;
import com.pulumi.gcp.storage.BucketIAMMember;
import com.pulumi.gcp.storage.BucketIAMMemberArgs;
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
import com.pulumi.resources.Resource;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.DockerConfigJson;
import registrypullaccess.registry.LegacyStorageBucket;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectReader;
import registrypullaccess.registry.PullSource;
import registrypullaccess.registry.RegistryCredential;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pull access for one cluster: read access for a puller identity to every configured Google registry,
 * and, unless the stack is keyless, a GCP service account with a JSON key stored in every namespace as a
 * docker-registry Secret that the namespace's {@code default} ServiceAccount lists in
 * {@code imagePullSecrets}.
 */
public final class PullAccess extends ComponentResource {

    public static final String TYPE = "registry-pull-access:index:PullAccess";
    public static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    public static final String HOSTS_ANNOTATION = "registry-pull-access/hosts";
    /** The ServiceAccount pods run as when they name none, so patching it covers unmodified workloads. */
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";

    private static final Pattern TRAILING_NEWLINES = Pattern.compile("\n+$");

    public final Output<String> serviceAccountEmail;
    public final Output<List<String>> registryHosts;
    /** Per configured entry: the host written to the pull secret and the grant made. */
    public final Output<List<Map<String, String>>> registries;
    /** Empty in keyless mode, where no Secret exists. */
    public final Optional<Output<String>> pullSecretName;
    public final Optional<Output<List<String>>> namespaces;

    public PullAccess(String name, Settings settings, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();

        Output<String> member;
        List<Resource> grants;
        if (settings.keyless()) {
            var nodeServiceAccount = settings.nodeServiceAccount().orElseThrow();
            member = Output.of("serviceAccount:" + nodeServiceAccount);
            grants = declareGrants(name, settings, member, child);
            this.serviceAccountEmail = Output.of(nodeServiceAccount);
            this.pullSecretName = Optional.empty();
            this.namespaces = Optional.empty();
        } else {
            var account = new Account(name + "-sa", AccountArgs.builder()
                    .project(settings.gcpProject())
                    .accountId(settings.serviceAccountId())
                    .displayName("Kubernetes image puller")
                    .description("Pulls container images into Kubernetes clusters. Managed by Pulumi "
                            + "(registry-pull-access); changes made by hand are undone on the next update.")
                    .build(), child);
            grants = declareGrants(name, settings, account.member(), child);
            var key = new Key(name + "-key", KeyArgs.builder().serviceAccountId(account.name()).build(), child);
            declarePullSecrets(name, settings, key, grants);
            this.serviceAccountEmail = account.email();
            this.pullSecretName = Optional.of(Output.of(settings.secretName()));
            this.namespaces = Optional.of(Output.of(settings.namespaces()));
        }
        this.registryHosts = Output.of(settings.registryHosts());
        this.registries = Output.of(describe(settings.sources()));

        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", serviceAccountEmail);
        outputs.put("registryHosts", registryHosts);
        outputs.put("registries", registries);
        pullSecretName.ifPresent(secretName -> outputs.put("pullSecretName", secretName));
        namespaces.ifPresent(list -> outputs.put("namespaces", list));
        registerOutputs(outputs);
    }

    /** One additive grant per distinct grant: IAM members, never bindings or policies. */
    private List<Resource> declareGrants(String name, Settings settings, Output<String> member,
                                         CustomResourceOptions child) {
        var declared = new HashSet<Object>();
        var grants = new ArrayList<Resource>();
        for (var source : settings.sources()) {
            if (source.grant().isEmpty() || !declared.add(source.grant().get())) {
                continue;
            }
            var role = source.grant().get().role();
            grants.add(declareGrant(name, source, role, member, child));
        }
        return grants;
    }

    private static Resource declareGrant(String name, PullSource source, String role, Output<String> member,
                                         CustomResourceOptions child) {
        if (source instanceof ArtifactRepository repository) {
            return new RepositoryIamMember(name + "-reader-" + slug(repository.project() + "-"
                    + repository.location() + "-" + repository.repository()),
                    RepositoryIamMemberArgs.builder()
                            .project(repository.project())
                            .location(repository.location())
                            .repository(repository.repository())
                            .role(role)
                            .member(member)
                            .build(), child);
        }
        if (source instanceof LegacyStorageBucket bucket) {
            return new BucketIAMMember(name + "-reader-" + slug(bucket.bucket()), BucketIAMMemberArgs.builder()
                    .bucket(bucket.bucket())
                    .role(role)
                    .member(member)
                    .build(), child);
        }
        if (source instanceof ProjectReader project) {
            return new IAMMember(name + "-reader-project-" + project.project(), IAMMemberArgs.builder()
                    .project(project.project())
                    .role(role)
                    .member(member)
                    .build(), child);
        }
        throw new IllegalStateException("no grant is made for " + source.entry());
    }

    private void declarePullSecrets(String name, Settings settings, Key key, List<Resource> grants) {
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
                    .build(), CustomResourceOptions.builder().parent(this).build());

            // A patch, not a ServiceAccount resource: the ServiceAccount belongs to the cluster, and
            // deleting a patch only gives up the fields it set, so `pulumi destroy` never deletes it.
            // It waits for the grants too, so pods it enables do not pull before access exists.
            var dependencies = new ArrayList<Resource>(grants);
            dependencies.add(secret);
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
                    CustomResourceOptions.builder().parent(this).dependsOn(dependencies).build());
        }
    }

    private static List<Map<String, String>> describe(List<PullSource> sources) {
        return sources.stream().map(source -> {
            var description = new LinkedHashMap<String, String>();
            description.put("entry", source.entry());
            description.put("host", source.host());
            source.grant().ifPresent(grant -> {
                description.put("role", grant.role());
                description.put("resource", grant.resource());
            });
            return Map.copyOf(description);
        }).toList();
    }

    /** A resource-name fragment: Pulumi names allow dots, but dashes read alike everywhere. */
    private static String slug(String text) {
        return text.replace('.', '-');
    }

    private static String dockerConfigJson(Settings settings, String keyJson) {
        var keyCredential = RegistryCredential.jsonKey(keyJson, settings.email());
        var credentials = new LinkedHashMap<String, RegistryCredential>();
        for (var source : settings.sources()) {
            credentials.put(source.host(), source instanceof OtherRegistry other ? other.credential() : keyCredential);
        }
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
