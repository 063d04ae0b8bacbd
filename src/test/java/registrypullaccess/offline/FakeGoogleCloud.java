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
import java.util.concurrent.CompletableFuture;
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
    private final List<String> readIds = new CopyOnWriteArrayList<>();

    /** A cluster whose ServiceAccounts list no pull secrets yet. */
    public FakeGoogleCloud() {
        this(Map.of());
    }

    /**
     * @param liveImagePullSecrets what the cluster's ServiceAccounts list now, keyed {@code namespace/name};
     *                             any other ServiceAccount lists none
     */
    public FakeGoogleCloud(Map<String, List<String>> liveImagePullSecrets) {
        this(liveImagePullSecrets, false, false, false);
    }

    private FakeGoogleCloud(
            Map<String, List<String>> liveImagePullSecrets,
            boolean keyCreationForbidden,
            boolean preview,
            boolean plainPrivateKeys) {
        this.liveImagePullSecrets = Map.copyOf(liveImagePullSecrets);
        this.keyCreationForbidden = keyCreationForbidden;
        this.preview = preview;
        this.plainPrivateKeys = plainPrivateKeys;
    }

    /**
     * The first {@code pulumi preview} of a new stack: nothing it declares exists yet, so, as the engine does,
     * every resource to be created has no id (an unknown id to the program).
     */
    public static FakeGoogleCloud inPreview(Map<String, List<String>> liveImagePullSecrets) {
        return new FakeGoogleCloud(liveImagePullSecrets, false, true, false);
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
        return new FakeGoogleCloud(liveImagePullSecrets, true, preview, plainPrivateKeys);
    }

    /**
     * The same cloud returning a key's {@code privateKey} unmarked. The real engine marks it secret because the
     * gcp SDK asks it to; here nothing does, so whatever is secret downstream is so because the program says so.
     */
    public FakeGoogleCloud returningPlainPrivateKeys() {
        return new FakeGoogleCloud(liveImagePullSecrets, keyCreationForbidden, preview, true);
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
        policy.put("listPolicies", List.of());
        policy.put("restorePolicies", List.of());
        policy.put("booleanPolicies", keyCreationForbidden ? List.of(Map.of("enforced", true)) : List.of());
        return CompletableFuture.completedFuture(policy);
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
                    "kubernetes:core/v1:Secret",
                    "kubernetes:core/v1:ServiceAccountPatch",
                    "kubernetes:core/v1:Namespace",
                    "kubernetes:batch/v1:Job",
                    "gcp:serviceaccount/iAMMember:IAMMember",
                    "kubernetes:helm.sh/v3:Release",
                    "kubernetes:generators.external-secrets.io/v1alpha1:GCRAccessToken",
                    "kubernetes:external-secrets.io/v1:ExternalSecret",
                    "kubernetes:kyverno.io/v1:ClusterPolicy",
                    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole" -> {}
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
                state.put("metadata", Map.of("namespace", namespaceAndName[0], "name", namespaceAndName[1]));
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
