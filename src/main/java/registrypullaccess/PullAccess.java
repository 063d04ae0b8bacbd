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
import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.kubernetes.core.v1.SecretArgs;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatch;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatchArgs;
import com.pulumi.kubernetes.core.v1.inputs.CapabilitiesArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EmptyDirVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.LocalObjectReferencePatchArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSecurityContextArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ResourceRequirementsArgs;
import com.pulumi.kubernetes.core.v1.inputs.SeccompProfileArgs;
import com.pulumi.kubernetes.core.v1.inputs.SecurityContextArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.core.v1.outputs.LocalObjectReference;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Pull access for one cluster: read access for a puller identity to every configured Google registry,
 * and, unless the stack is keyless, a GCP service account with a JSON key stored in every namespace as a
 * docker-registry Secret that the namespace's ServiceAccounts list in {@code imagePullSecrets}.
 *
 * <p>Built to run for years next to other teams: the key is replaced on a fixed schedule, new key first;
 * pull-secret lists keep the entries other teams put there; grants only ever add a member.
 */
public final class PullAccess extends ComponentResource {

    public static final String TYPE = "registry-pull-access:index:PullAccess";
    public static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    public static final String HOSTS_ANNOTATION = "registry-pull-access/hosts";
    /** Lets our patch take over a list another manager wrote: safe, since we write back its entries. */
    public static final String PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";
    public static final String KEY_PERIOD_KEEPER = "rotationPeriodStart";
    public static final String CHECKED_IMAGE_ANNOTATION = "registry-pull-access/checked-image";
    public static final String CHECKED_KEY_ANNOTATION = "registry-pull-access/checked-key";
    public static final String CHECKED_SECRET_ANNOTATION = "registry-pull-access/checked-secret";
    /** Long enough for a new IAM grant to take effect; the kubelet retries the pull meanwhile. */
    public static final int PULL_CHECK_SECONDS = 600;

    /** Marks what this program put in the cluster, for `kubectl get -l app.kubernetes.io/part-of=...`. */
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "pulumi",
            "app.kubernetes.io/part-of", Settings.PROJECT);
    private static final Pattern TRAILING_NEWLINES = Pattern.compile("\n+$");

    public final Output<String> serviceAccountEmail;
    public final Output<List<String>> registryHosts;
    /** Per configured entry: the host written to the pull secret and the grant made. */
    public final Output<List<Map<String, String>>> registries;
    /** Empty in keyless mode, where no Secret exists; likewise below. */
    public final Optional<Output<String>> pullSecretName;
    public final Optional<Output<List<String>>> namespaces;
    public final Optional<Output<String>> keyPeriodStart;
    public final Optional<Output<String>> nextKeyRotation;

    /**
     * @param today the date that picks the key's rotation period; passed in so that a run is a pure
     *              function of its inputs
     */
    public PullAccess(String name, Settings settings, LocalDate today, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.registryHosts = Output.of(settings.registryHosts());
        this.registries = Output.of(describe(settings.sources()));

        if (settings.keyless()) {
            var nodeServiceAccount = settings.nodeServiceAccount().orElseThrow();
            var grants = declareGrants(name, settings, Output.of("serviceAccount:" + nodeServiceAccount));
            for (var namespace : settings.namespaces()) {
                declarePullCheck(name, settings, namespace, grants, Output.of(Map.of()));
            }
            this.serviceAccountEmail = Output.of(nodeServiceAccount);
            this.pullSecretName = Optional.empty();
            this.namespaces = Optional.empty();
            this.keyPeriodStart = Optional.empty();
            this.nextKeyRotation = Optional.empty();
        } else {
            var account = new Account(name + "-sa", AccountArgs.builder()
                    .project(settings.gcpProject())
                    .accountId(settings.serviceAccountId())
                    .displayName("Kubernetes image puller")
                    .description("Pulls container images into Kubernetes clusters. Managed by Pulumi "
                            + "(registry-pull-access); changes made by hand are undone on the next update.")
                    .build(), adoptable(settings, "projects/" + settings.gcpProject() + "/serviceAccounts/"
                    + settings.serviceAccountId() + "@" + settings.gcpProject() + ".iam.gserviceaccount.com",
                    "displayName", "description").protect(settings.protect()).build());
            var grants = declareGrants(name, settings, account.member());
            var rotation = KeyRotation.of(settings.keyRotationDays(), today);
            var key = declareKey(name, account, rotation);
            var patchesByNamespace = declarePullSecrets(name, settings, key, grants);
            // A new key or a new Secret changes the check's pod template, which makes Kubernetes replace
            // the Job: the check runs again exactly when what it checks has changed.
            var triggers = key.name().applyValue(keyName -> Map.of(CHECKED_KEY_ANNOTATION, keyName,
                    CHECKED_SECRET_ANNOTATION, secretShape(settings)));
            patchesByNamespace.forEach((namespace, patches) -> {
                var prerequisites = new ArrayList<>(grants);
                prerequisites.addAll(patches);
                declarePullCheck(name, settings, namespace, prerequisites, triggers);
            });
            this.serviceAccountEmail = account.email();
            this.pullSecretName = Optional.of(Output.of(settings.secretName()));
            this.namespaces = Optional.of(Output.of(settings.namespaces()));
            this.keyPeriodStart = rotation.periodStart().map(start -> Output.of(start.toString()));
            this.nextKeyRotation = rotation.nextRotation().map(next -> Output.of(next.toString()));
        }

        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", serviceAccountEmail);
        outputs.put("registryHosts", registryHosts);
        outputs.put("registries", registries);
        pullSecretName.ifPresent(output -> outputs.put("pullSecretName", output));
        namespaces.ifPresent(output -> outputs.put("namespaces", output));
        keyPeriodStart.ifPresent(output -> outputs.put("keyPeriodStart", output));
        nextKeyRotation.ifPresent(output -> outputs.put("nextKeyRotation", output));
        registerOutputs(outputs);
    }

    /** One additive grant per distinct grant: IAM members, never bindings or policies. */
    private List<Resource> declareGrants(String name, Settings settings, Output<String> member) {
        var options = CustomResourceOptions.builder().parent(this).protect(settings.protect()).build();
        var declared = new HashSet<Object>();
        var grants = new ArrayList<Resource>();
        for (var source : settings.sources()) {
            if (source.grant().isEmpty() || !declared.add(source.grant().get())) {
                continue;
            }
            var role = source.grant().get().role();
            grants.add(declareGrant(name, source, role, member, options));
        }
        return grants;
    }

    private static Resource declareGrant(String name, PullSource source, String role, Output<String> member,
                                         CustomResourceOptions options) {
        if (source instanceof ArtifactRepository repository) {
            return new RepositoryIamMember(name + "-reader-" + slug(repository.project() + "-"
                    + repository.location() + "-" + repository.repository()),
                    RepositoryIamMemberArgs.builder()
                            .project(repository.project())
                            .location(repository.location())
                            .repository(repository.repository())
                            .role(role)
                            .member(member)
                            .build(), options);
        }
        if (source instanceof LegacyStorageBucket bucket) {
            return new BucketIAMMember(name + "-reader-" + slug(bucket.bucket()), BucketIAMMemberArgs.builder()
                    .bucket(bucket.bucket())
                    .role(role)
                    .member(member)
                    .build(), options);
        }
        if (source instanceof ProjectReader project) {
            return new IAMMember(name + "-reader-project-" + project.project(), IAMMemberArgs.builder()
                    .project(project.project())
                    .role(role)
                    .member(member)
                    .build(), options);
        }
        throw new IllegalStateException("no grant is made for " + source.entry());
    }

    /**
     * The key records its rotation period, so a new period replaces it. Pulumi replaces by creating the
     * new key first, updating everything that uses it (the Secrets), and deleting the old key last, so
     * pulls never see a deleted key.
     */
    private Key declareKey(String name, Account account, KeyRotation rotation) {
        var args = KeyArgs.builder().serviceAccountId(account.name());
        rotation.periodStart().ifPresent(start -> args.keepers(Map.of(KEY_PERIOD_KEEPER, start.toString())));
        return new Key(name + "-key", args.build(), CustomResourceOptions.builder()
                .parent(this)
                .deleteBeforeReplace(false)
                .build());
    }

    /** Declares every namespace's Secret and patches; returns each namespace's patches. */
    private Map<String, List<Resource>> declarePullSecrets(String name, Settings settings, Key key,
                                                           List<Resource> grants) {
        var patchesByNamespace = new LinkedHashMap<String, List<Resource>>();
        // One secret value shared by every namespace's Secret: computed once, not once per namespace.
        var secretData = key.privateKey()
                .applyValue(privateKey -> Map.of(DOCKER_CONFIG_JSON,
                        base64(DockerConfigJson.render(credentials(settings, decodeKeyFile(privateKey))))))
                .asSecret();
        for (var namespace : settings.namespaces()) {
            var prerequisites = new ArrayList<Resource>(grants);
            if (settings.createNamespaces()) {
                prerequisites.add(new Namespace(name + "-" + namespace + "-namespace", NamespaceArgs.builder()
                        .metadata(ObjectMetaArgs.builder().name(namespace).build())
                        .build(), adoptable(settings, namespace, "metadata").build()));
            }
            var secret = new Secret(name + "-" + namespace + "-pull-secret", SecretArgs.builder()
                    .metadata(ObjectMetaArgs.builder()
                            .name(settings.secretName())
                            .namespace(namespace)
                            .labels(LABELS)
                            // The hosts are inside the secret data; this shows them to kubectl and reviewers.
                            .annotations(Map.of(HOSTS_ANNOTATION, String.join(",", settings.registryHosts())))
                            .build())
                    .type("kubernetes.io/dockerconfigjson")
                    .data(secretData)
                    .build(), adoptable(settings, namespace + "/" + settings.secretName(), "data", "metadata")
                    .dependsOn(prerequisites)
                    .build());
            prerequisites.add(secret);
            var patches = new ArrayList<Resource>();
            for (var serviceAccount : settings.serviceAccounts()) {
                patches.add(declarePatch(name, settings, namespace, serviceAccount, prerequisites));
            }
            patchesByNamespace.put(namespace, patches);
        }
        return patchesByNamespace;
    }

    /**
     * Adds the pull secret to a ServiceAccount's {@code imagePullSecrets}, keeping every other entry.
     *
     * <p>A patch, not a ServiceAccount resource: the ServiceAccount belongs to the cluster. The list is
     * atomic to server-side apply, so the patch writes back the entries it read from the live
     * ServiceAccount and forces ownership of the whole list. Deleting a patch would relinquish that list
     * and so erase the other teams' entries; the patch is therefore retained on delete, and a clean
     * removal of our entry is `detach: true` and `pulumi up` before `pulumi destroy`.
     */
    private Resource declarePatch(String name, Settings settings, String namespace, String serviceAccount,
                                  List<Resource> prerequisites) {
        var resourceName = name + "-" + namespace + "-" + serviceAccount;
        var pullSecrets = liveImagePullSecrets(resourceName, settings, namespace, serviceAccount)
                .applyValue(live -> ImagePullSecrets.merge(live, settings.secretName(), !settings.detach()).stream()
                        .map(secretName -> LocalObjectReferencePatchArgs.builder().name(secretName).build())
                        .toList());
        return new ServiceAccountPatch(resourceName + "-sa", ServiceAccountPatchArgs.builder()
                .metadata(ObjectMetaPatchArgs.builder()
                        .name(serviceAccount)
                        .namespace(namespace)
                        .annotations(Map.of(PATCH_FORCE_ANNOTATION, "true"))
                        .build())
                .imagePullSecrets(pullSecrets)
                .build(), CustomResourceOptions.builder()
                .parent(this)
                .dependsOn(prerequisites)
                .retainOnDelete(true)
                .build());
    }

    /**
     * The names the live ServiceAccount lists now. A namespace this stack is about to create has nothing
     * to keep, and cannot be read before it exists.
     */
    private Output<List<String>> liveImagePullSecrets(String resourceName, Settings settings, String namespace,
                                                      String serviceAccount) {
        if (settings.createNamespaces() && !settings.adopt()) {
            return Output.of(List.of());
        }
        var live = ServiceAccount.get(resourceName + "-live", Output.of(namespace + "/" + serviceAccount),
                CustomResourceOptions.builder().parent(this).build());
        return live.imagePullSecrets().applyValue(references -> references == null ? List.<String>of()
                : references.stream().map(LocalObjectReference::name).flatMap(Optional::stream).toList());
    }

    /**
     * The pull check of one namespace: a Job whose pod runs under the patched ServiceAccount and names no
     * pull secret itself, so it pulls exactly as an ordinary workload would. The image is pulled with
     * {@code Always}, so a copy cached on the node cannot hide a missing permission. The image is not
     * trusted to have a shell: a helper copies a static busybox into a shared volume and the checked
     * container runs {@code busybox true} from there. Pulumi waits for the Job to complete; while IAM
     * propagates the kubelet keeps retrying the pull, and after {@link #PULL_CHECK_SECONDS} the Job is
     * stopped by Kubernetes and `pulumi up` fails with the pod's last pull error.
     */
    private void declarePullCheck(String name, Settings settings, String namespace, List<Resource> prerequisites,
                                  Output<Map<String, String>> triggers) {
        var check = settings.pullCheck();
        if (check.isEmpty()) {
            return;
        }
        var image = check.get().image();
        var volume = VolumeMountArgs.builder().name("check").mountPath("/check").build();
        var restricted = SecurityContextArgs.builder()
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .capabilities(CapabilitiesArgs.builder().drop("ALL").build())
                .build();
        var resources = ResourceRequirementsArgs.builder()
                .requests(Map.of("cpu", "10m", "memory", "16Mi"))
                .limits(Map.of("memory", "64Mi"))
                .build();
        var annotations = triggers.applyValue(keys -> {
            var all = new LinkedHashMap<>(keys);
            all.put(CHECKED_IMAGE_ANNOTATION, image);
            return Map.copyOf(all);
        });
        new Job(name + "-" + namespace + "-pull-check", JobArgs.builder()
                .metadata(ObjectMetaArgs.builder()
                        .namespace(namespace)
                        .labels(LABELS)
                        .annotations(Map.of(CHECKED_IMAGE_ANNOTATION, image,
                                "pulumi.com/timeoutSeconds", String.valueOf(PULL_CHECK_SECONDS + 60)))
                        .build())
                .spec(JobSpecArgs.builder()
                        .backoffLimit(0)
                        .activeDeadlineSeconds(PULL_CHECK_SECONDS)
                        .template(PodTemplateSpecArgs.builder()
                                .metadata(ObjectMetaArgs.builder().annotations(annotations).build())
                                .spec(PodSpecArgs.builder()
                                        .serviceAccountName(settings.serviceAccounts().get(0))
                                        .automountServiceAccountToken(false)
                                        .restartPolicy("Never")
                                        .securityContext(PodSecurityContextArgs.builder()
                                                .runAsNonRoot(true)
                                                .runAsUser(65534)
                                                .seccompProfile(SeccompProfileArgs.builder().type("RuntimeDefault").build())
                                                .build())
                                        .volumes(VolumeArgs.builder().name("check")
                                                .emptyDir(EmptyDirVolumeSourceArgs.builder().build()).build())
                                        .initContainers(ContainerArgs.builder()
                                                .name("lend-busybox")
                                                .image(check.get().helperImage())
                                                .command("cp", "/bin/busybox", "/check/busybox")
                                                .volumeMounts(volume)
                                                .securityContext(restricted)
                                                .resources(resources)
                                                .build())
                                        .containers(ContainerArgs.builder()
                                                .name("pull")
                                                .image(image)
                                                .imagePullPolicy("Always")
                                                .command("/check/busybox", "true")
                                                .volumeMounts(volume)
                                                .securityContext(restricted)
                                                .resources(resources)
                                                .build())
                                        .build())
                                .build())
                        .build())
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(prerequisites).build());
    }

    /** Options that, when adopting, import what the manual steps made instead of failing on it. */
    private CustomResourceOptions.Builder adoptable(Settings settings, String importId, String... differing) {
        var options = CustomResourceOptions.builder().parent(this);
        if (settings.adopt()) {
            // A hand-made resource differs in these fields; ignoring them lets the import succeed, and
            // the next `pulumi up` without adopt brings them to the declared state.
            options.importId(importId).ignoreChanges(List.of(differing));
        }
        return options;
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
            return Collections.unmodifiableMap(description);
        }).toList();
    }

    /**
     * A fingerprint of everything in the pull secret but its passwords (servers, usernames, e-mail):
     * changing any of them changes the Secret. Passwords are left out so that no secret value flows
     * into the check's spec, which reviewers read in every diff; the key's own change is caught by its name.
     */
    private static String secretShape(Settings settings) {
        var shape = new StringBuilder();
        credentials(settings, "").forEach((server, credential) -> shape.append(server).append(' ')
                .append(credential.username()).append(' ').append(credential.email().orElse("")).append('\n'));
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A resource-name fragment: Pulumi names allow dots, but dashes read alike everywhere. */
    private static String slug(String text) {
        return text.replace('.', '-');
    }

    /** What the pull secret holds per server: the key for Google's registries, their own for the others. */
    private static Map<String, RegistryCredential> credentials(Settings settings, String keyJson) {
        var keyCredential = RegistryCredential.jsonKey(keyJson, settings.email());
        var credentials = new TreeMap<String, RegistryCredential>();
        for (var source : settings.sources()) {
            credentials.put(source.host(), source instanceof OtherRegistry other ? other.credential() : keyCredential);
        }
        return credentials;
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
