package registrypullaccess.offline;

import com.pulumi.core.Output;
import com.pulumi.test.Mocks;
import registrypullaccess.access.PullAccess;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for Google Cloud and the cluster when the program runs without them: every resource type
 * the program declares gets the outputs the real provider would compute, and any other type fails, so
 * a resource added without thought shows up at once.
 */
public final class FakeGoogleCloud implements Mocks {

    /** A project number, as Google puts it in the names of workload identity pools. */
    public static final String PROJECT_NUMBER = "123456789012";

    private final Map<String, List<String>> liveImagePullSecrets;
    private final boolean keyCreationForbidden;
    private final boolean preview;
    private final boolean plainPrivateKeys;
    private final boolean kyvernoInstalled;
    private final boolean policyListsOmitted;
    private final Set<String> madeByKubectlCreate;
    /** The live Namespaces' labels and annotations, by name; a Namespace not listed has none. */
    private final Map<String, LiveNamespace> namespaces;
    /** The live ServiceAccounts' {@code metadata.resourceVersion}, keyed {@code namespace/name}; any other is "1". */
    private final Map<String, String> resourceVersions;

    private final List<String> readIds = new CopyOnWriteArrayList<>();
    /** The ClusterRoles this run creates: in a preview they do not exist yet when a policy is dry-run. */
    private final Set<String> rolesCreated = ConcurrentHashMap.newKeySet();

    /** A cluster whose ServiceAccounts list no pull secrets yet. */
    public FakeGoogleCloud() {
        this(Map.of());
    }

    /**
     * @param liveImagePullSecrets what the cluster's ServiceAccounts list now, keyed {@code namespace/name};
     *                             any other ServiceAccount lists none
     */
    public FakeGoogleCloud(Map<String, List<String>> liveImagePullSecrets) {
        this(liveImagePullSecrets, false, false, false, false, false, Set.of(), Map.of(), Map.of());
    }

    private FakeGoogleCloud(
            Map<String, List<String>> liveImagePullSecrets,
            boolean keyCreationForbidden,
            boolean preview,
            boolean plainPrivateKeys,
            boolean kyvernoInstalled,
            boolean policyListsOmitted,
            Set<String> madeByKubectlCreate,
            Map<String, LiveNamespace> namespaces,
            Map<String, String> resourceVersions) {
        this.namespaces = Map.copyOf(namespaces);
        this.resourceVersions = Map.copyOf(resourceVersions);
        this.policyListsOmitted = policyListsOmitted;
        this.madeByKubectlCreate = Set.copyOf(madeByKubectlCreate);
        this.liveImagePullSecrets = Map.copyOf(liveImagePullSecrets);
        this.keyCreationForbidden = keyCreationForbidden;
        this.preview = preview;
        this.plainPrivateKeys = plainPrivateKeys;
        this.kyvernoInstalled = kyvernoInstalled;
    }

    /**
     * The first {@code pulumi preview} of a new stack: nothing it declares exists yet, so, as the engine does,
     * every resource to be created has no id (an unknown id to the program).
     */
    public static FakeGoogleCloud inPreview(Map<String, List<String>> liveImagePullSecrets) {
        return new FakeGoogleCloud(
                liveImagePullSecrets, false, true, false, false, false, Set.of(), Map.of(), Map.of());
    }

    /**
     * The same cloud with Kyverno running already (its CRDs installed): a preview then sends each ClusterPolicy
     * whose inputs are all known to the API server as a dry run, and Kyverno's admission webhook refuses one its
     * controllers are not yet allowed to carry out, as Kyverno v1.19.0 does (pkg/validation/policy/actions.go,
     * pkg/policy/generate/validate.go, pkg/policy/mutate/validate.go; the message as pkg/policy/auth/auth.go
     * words it). Without the CRDs the provider skips the dry run (pulumi-kubernetes v4.0.0 provider.go, Create).
     */
    public FakeGoogleCloud withKyvernoInstalled() {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                keyCreationForbidden,
                preview,
                plainPrivateKeys,
                true,
                policyListsOmitted,
                madeByKubectlCreate,
                namespaces,
                resourceVersions);
    }

    /** Whether the program runs as a preview against this cloud. */
    public boolean preview() {
        return preview;
    }

    /** The ids of the live ServiceAccounts the program read, in order. */
    public List<String> readIds() {
        return List.copyOf(readIds);
    }

    /** The same cloud in a project that enforces iam.disableServiceAccountKeyCreation. */
    public FakeGoogleCloud forbiddingKeyCreation() {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                true,
                preview,
                plainPrivateKeys,
                kyvernoInstalled,
                policyListsOmitted,
                madeByKubectlCreate,
                namespaces,
                resourceVersions);
    }

    /**
     * The same cloud returning a key's {@code privateKey} unmarked. The real engine marks it secret because the
     * gcp SDK asks it to; here nothing does, so whatever is secret downstream is so because the program says so.
     */
    public FakeGoogleCloud returningPlainPrivateKeys() {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                keyCreationForbidden,
                preview,
                true,
                kyvernoInstalled,
                policyListsOmitted,
                madeByKubectlCreate,
                namespaces,
                resourceVersions);
    }

    /**
     * The same cloud answering the organisation-policy read without its policy lists, as the provider may for a
     * project with no policy set for the constraint: the gcp 7.0.0 SDK's own result type refuses a missing list
     * ({@code GetOrganizationPolicyResult.Builder} calls {@code Objects.requireNonNull} on each).
     */
    public FakeGoogleCloud omittingPolicyLists() {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                keyCreationForbidden,
                preview,
                plainPrivateKeys,
                kyvernoInstalled,
                true,
                madeByKubectlCreate,
                namespaces,
                resourceVersions);
    }

    /**
     * The same cluster holding Secrets, keyed {@code namespace/name}, made by {@code kubectl create secret
     * docker-registry}: field manager {@code kubectl-create} owns their {@code data} and {@code type}. Server-side
     * apply then refuses to write those fields unless forced; pulumi-kubernetes v4.0.0 forces only with
     * {@code pulumi.com/patchForce} or {@code PULUMI_K8S_ENABLE_PATCH_FORCE} (provider/pkg/await/await.go,
     * patchForce), and takes over only the {@code kubectl}, {@code before-first-apply} and its own client-side
     * managers (fixCSAFieldManagers). An import reads and writes nothing.
     */
    public FakeGoogleCloud withSecretsMadeByKubectlCreate(Set<String> secrets) {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                keyCreationForbidden,
                preview,
                plainPrivateKeys,
                kyvernoInstalled,
                policyListsOmitted,
                secrets,
                namespaces,
                resourceVersions);
    }

    /** A live Namespace's metadata, as a read returns it. */
    public record LiveNamespace(Map<String, String> labels, Map<String, String> annotations) {}

    /**
     * The same cluster whose Namespaces carry the given labels and annotations, by Namespace name: what a read of one
     * returns (the stack's record of what it deployed is an annotation of the {@code default} Namespace).
     */
    public FakeGoogleCloud withNamespaces(Map<String, LiveNamespace> live) {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                keyCreationForbidden,
                preview,
                plainPrivateKeys,
                kyvernoInstalled,
                policyListsOmitted,
                madeByKubectlCreate,
                live,
                resourceVersions);
    }

    /** The same cluster, its ServiceAccounts at these resource versions (keyed {@code namespace/name}). */
    public FakeGoogleCloud withResourceVersions(Map<String, String> versions) {
        return new FakeGoogleCloud(
                liveImagePullSecrets,
                keyCreationForbidden,
                preview,
                plainPrivateKeys,
                kyvernoInstalled,
                policyListsOmitted,
                madeByKubectlCreate,
                namespaces,
                versions);
    }

    /** Answers the invokes the program makes; any other fails, as an unknown resource type does. */
    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        if (!"gcp:projects/getOrganizationPolicy:getOrganizationPolicy".equals(args.token)) {
            return CompletableFuture.failedFuture(new IllegalStateException("FakeGoogleCloud does not know the invoke "
                    + args.token + "; teach it what the provider returns."));
        }
        var policy = new HashMap<String, Object>(args.args);
        policy.put("id", args.args.get("project") + ":" + args.args.get("constraint"));
        policy.put("etag", "");
        policy.put("updateTime", "");
        policy.put("version", 0);
        if (!policyListsOmitted) {
            policy.put("listPolicies", List.of());
            policy.put("restorePolicies", List.of());
            policy.put("booleanPolicies", keyCreationForbidden ? List.of(Map.of("enforced", true)) : List.of());
        }
        return CompletableFuture.completedFuture(policy);
    }

    /** The uid the fake API server gives the object {@code namespace/name}: the same in every run. */
    public static String uid(String namespacedName) {
        return java.util
                .UUID
                .nameUUIDFromBytes(namespacedName.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** Marks the private key as fake wherever it might show up. */
    private static final String FAKE_PRIVATE_KEY =
            "-----BEGIN PRIVATE KEY-----\nOFFLINE-PLACEHOLDER-NOT-A-KEY\n-----END PRIVATE KEY-----\n";

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var state = new HashMap<String, Object>(args.inputs);
        switch (args.type) {
            case PullAccess.TYPE,
                    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                    "gcp:storage/bucketIAMMember:BucketIAMMember",
                    "gcp:projects/iAMMember:IAMMember",
                    "kubernetes:core/v1:ServiceAccountPatch",
                    "kubernetes:core/v1:NamespacePatch",
                    "kubernetes:batch/v1:Job",
                    "gcp:serviceaccount/iAMMember:IAMMember",
                    "kubernetes:helm.sh/v3:Release",
                    "kubernetes:generators.external-secrets.io/v1alpha1:GCRAccessToken",
                    "kubernetes:external-secrets.io/v1:ExternalSecret",
                    "kubernetes:external-secrets.io/v1:ClusterSecretStore",
                    "kubernetes:rbac.authorization.k8s.io/v1:Role",
                    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding" -> {}
            case "kubernetes:core/v1:Namespace" -> {
                // Read: the live Namespace, by its name, with its labels and annotations.
                if (!creating(args)) {
                    var live = namespaces.getOrDefault(args.id, new LiveNamespace(Map.of(), Map.of()));
                    state.put(
                            "metadata",
                            Map.of("name", args.id, "labels", live.labels(), "annotations", live.annotations()));
                }
            }
            case "kubernetes:core/v1:Secret" -> {
                // Read: the live Secret, by its id "namespace/name" (the model checks it exists).
                if (!creating(args)) {
                    var namespaceAndName = args.id.split("/", 2);
                    state.put("metadata", Map.of("namespace", namespaceAndName[0], "name", namespaceAndName[1]));
                    break;
                }
                var metadata = args.inputs.get("metadata") instanceof Map<?, ?> map ? map : Map.of();
                var annotations = metadata.get("annotations") instanceof Map<?, ?> map ? map : Map.of();
                var forced = "true".equals(annotations.get("pulumi.com/patchForce"));
                if (creating(args)
                        && !forced
                        && madeByKubectlCreate.contains(metadata.get("namespace") + "/" + metadata.get("name"))) {
                    // The API server's wording (apimachinery's conflict message), approximated.
                    return CompletableFuture.failedFuture(new IllegalStateException("Apply failed with 2 conflicts: "
                            + "conflicts with \"kubectl-create\" using v1:\n- .data\n- .type"));
                }
            }
            case "kubernetes:core/v1:ConfigMap" -> {
                // The API server gives every object a uid, which owner references name.
                var metadata = new HashMap<String, Object>();
                if (creating(args)) {
                    ((Map<?, ?>) args.inputs.get("metadata"))
                            .forEach((key, value) -> metadata.put(String.valueOf(key), value));
                } else {
                    // Read: the live ConfigMap, by its id "namespace/name".
                    var namespaceAndName = args.id.split("/", 2);
                    metadata.put("namespace", namespaceAndName[0]);
                    metadata.put("name", namespaceAndName[1]);
                }
                metadata.put("uid", uid(metadata.get("namespace") + "/" + metadata.get("name")));
                state.put("metadata", metadata);
            }
            case "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole" -> {
                if (creating(args)) {
                    rolesCreated.add(args.name);
                }
            }
            case "kubernetes:kyverno.io/v1:ClusterPolicy" -> {
                // Under the SDK's mocks an input that is unknown in a preview arrives missing.
                var dryRun = preview && kyvernoInstalled && args.inputs.containsKey("metadata");
                if (dryRun && creating(args) && !rolesCreated.isEmpty()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("admission webhook "
                            + "\"validate-policy.kyverno.svc\" denied the request: path: spec.rules[0]: "
                            + "system:serviceaccount:kyverno:kyverno-background-controller requires permissions "
                            + "get,create,update,delete for resource Secret"));
                }
            }
            case "gcp:iam/workloadIdentityPool:WorkloadIdentityPool" ->
                state.put(
                        "name",
                        "projects/" + PROJECT_NUMBER + "/locations/global/workloadIdentityPools/"
                                + args.inputs.get("workloadIdentityPoolId"));
            case "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" ->
                state.put(
                        "name",
                        "projects/"
                                + PROJECT_NUMBER + "/locations/global/workloadIdentityPools/"
                                + args.inputs.get("workloadIdentityPoolId") + "/providers/"
                                + args.inputs.get("workloadIdentityPoolProviderId"));
            case "kubernetes:core/v1:ServiceAccount" -> {
                // Read: the live object, looked up by its id "namespace/name". Registered without an id, it is
                // created, and then owned and deleted, by the stack: only ours, which carry our labels (token mode's
                // minters, the pull check's in a namespace of its own), may be; any other would be a read gone wrong.
                if (args.id == null || args.id.isEmpty()) {
                    if (ours(args.inputs)) {
                        break;
                    }
                    return CompletableFuture.failedFuture(new IllegalStateException("ServiceAccount " + args.name
                            + " is registered, not read: the stack would create and own a ServiceAccount."));
                }
                readIds.add(args.id);
                var namespaceAndName = args.id.split("/", 2);
                state.put(
                        "metadata",
                        Map.of(
                                "namespace",
                                namespaceAndName[0],
                                "name",
                                namespaceAndName[1],
                                "resourceVersion",
                                resourceVersions.getOrDefault(args.id, "1")));
                // As the API server does, a ServiceAccount that lists no pull secrets has no such field at all.
                var listed = liveImagePullSecrets.getOrDefault(args.id, List.of());
                if (!listed.isEmpty()) {
                    state.put(
                            "imagePullSecrets",
                            listed.stream().map(name -> Map.of("name", name)).toList());
                }
            }
            case "gcp:serviceaccount/account:Account" -> {
                var email =
                        args.inputs.get("accountId") + "@" + args.inputs.get("project") + ".iam.gserviceaccount.com";
                state.put("email", email);
                state.put("member", "serviceAccount:" + email);
                state.put("name", "projects/" + args.inputs.get("project") + "/serviceAccounts/" + email);
                state.put("uniqueId", "100000000000000000001");
            }
            case "gcp:serviceaccount/key:Key" -> {
                var accountName = (String) args.inputs.get("serviceAccountId");
                // Google gives every key a new id; here a new rotation period stands in for it.
                var keepers = (Map<?, ?>) args.inputs.getOrDefault("keepers", Map.of());
                state.put(
                        "name",
                        accountName + "/keys/"
                                + keepers.values().stream()
                                        .map(String::valueOf)
                                        .findFirst()
                                        .orElse("offline"));
                var privateKey = base64(keyFile(accountName));
                state.put("privateKey", plainPrivateKeys ? privateKey : Output.ofSecret(privateKey));
            }
            default -> {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("FakeGoogleCloud does not know resource type " + args.type + " ("
                                + args.name + "); teach it the outputs the real provider computes."));
            }
        }
        var id = preview && (args.id == null || args.id.isEmpty())
                ? Optional.<String>empty()
                : Optional.of(args.name + "-id");
        return CompletableFuture.completedFuture(ResourceResult.of(id, state));
    }

    /** Whether a registration creates the resource rather than reading or importing it. */
    private static boolean creating(ResourceArgs args) {
        return args.id == null || args.id.isEmpty();
    }

    /** Whether a registered object carries the labels of what this program puts in the cluster. */
    private static boolean ours(Map<String, Object> inputs) {
        var metadata = inputs.get("metadata") instanceof Map<?, ?> map ? map : Map.of();
        var labels = metadata.get("labels") instanceof Map<?, ?> map ? map : Map.of();
        return "registry-pull-access".equals(labels.get("app.kubernetes.io/part-of"));
    }

    /**
     * A key file shaped like the one Google returns, for the account named
     * {@code projects/PROJECT/serviceAccounts/EMAIL}.
     */
    public static String keyFile(String accountName) {
        var parts = accountName.split("/", -1);
        var project = parts[1];
        var email = parts[3];
        return "{\n"
                + "  \"type\": \"service_account\",\n"
                + "  \"project_id\": \"" + project + "\",\n"
                + "  \"private_key_id\": \"0000000000000000000000000000000000000000\",\n"
                + "  \"private_key\": \"" + FAKE_PRIVATE_KEY.replace("\n", "\\n") + "\",\n"
                + "  \"client_email\": \"" + email + "\",\n"
                + "  \"client_id\": \"100000000000000000001\",\n"
                + "  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n"
                + "  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n"
                + "  \"universe_domain\": \"googleapis.com\"\n"
                + "}\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
