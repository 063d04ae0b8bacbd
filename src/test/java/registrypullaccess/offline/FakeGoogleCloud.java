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

/**
 * Stands in for Google Cloud and the cluster when the program runs without them: every resource type
 * the program declares gets the outputs the real provider would compute, and any other type fails, so
 * a resource added without thought shows up at once.
 */
public final class FakeGoogleCloud implements Mocks {

    private final Map<String, List<String>> liveImagePullSecrets;

    /** A cluster whose ServiceAccounts list no pull secrets yet. */
    public FakeGoogleCloud() {
        this(Map.of());
    }

    /**
     * @param liveImagePullSecrets what the cluster's ServiceAccounts list now, keyed {@code namespace/name};
     *                             any other ServiceAccount lists none
     */
    public FakeGoogleCloud(Map<String, List<String>> liveImagePullSecrets) {
        this.liveImagePullSecrets = Map.copyOf(liveImagePullSecrets);
    }

    /** Marks the private key as fake wherever it might show up. */
    private static final String FAKE_PRIVATE_KEY =
            "-----BEGIN PRIVATE KEY-----\nOFFLINE-PLACEHOLDER-NOT-A-KEY\n-----END PRIVATE KEY-----\n";

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var state = new HashMap<String, Object>(args.inputs);
        switch (args.type) {
            case PullAccess.TYPE, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                    "gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:projects/iAMMember:IAMMember",
                    "kubernetes:core/v1:Secret", "kubernetes:core/v1:ServiceAccountPatch",
                    "kubernetes:core/v1:Namespace", "kubernetes:batch/v1:Job",
                    "kubernetes:kyverno.io/v1:ClusterPolicy", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
                    "kubernetes:helm.sh/v3:Release" -> {
            }
            case "kubernetes:core/v1:ServiceAccount" -> {
                if (args.id == null || args.id.isEmpty()) {
                    // Created (the pull check's, in a namespace of its own), not read.
                    break;
                }
                // Only ever read: the live object, looked up by its id "namespace/name".
                var namespaceAndName = args.id.split("/", 2);
                state.put("metadata", Map.of("namespace", namespaceAndName[0], "name", namespaceAndName[1]));
                state.put("imagePullSecrets", liveImagePullSecrets.getOrDefault(args.id, List.of()).stream()
                        .map(name -> Map.of("name", name)).toList());
            }
            case "gcp:serviceaccount/account:Account" -> {
                var email = args.inputs.get("accountId") + "@" + args.inputs.get("project") + ".iam.gserviceaccount.com";
                state.put("email", email);
                state.put("member", "serviceAccount:" + email);
                state.put("name", "projects/" + args.inputs.get("project") + "/serviceAccounts/" + email);
                state.put("uniqueId", "100000000000000000001");
            }
            case "gcp:serviceaccount/key:Key" -> {
                var accountName = (String) args.inputs.get("serviceAccountId");
                // Google gives every key a new id; here a new rotation period stands in for it.
                var keepers = (Map<?, ?>) args.inputs.getOrDefault("keepers", Map.of());
                state.put("name", accountName + "/keys/" + keepers.values().stream().map(String::valueOf).findFirst()
                        .orElse("offline"));
                state.put("privateKey", Output.ofSecret(base64(keyFile(accountName))));
            }
            default -> {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "FakeGoogleCloud does not know resource type " + args.type + " (" + args.name
                                + "); teach it the outputs the real provider computes."));
            }
        }
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), state));
    }

    /**
     * A key file shaped like the one Google returns, for the account named
     * {@code projects/PROJECT/serviceAccounts/EMAIL}.
     */
    public static String keyFile(String accountName) {
        var parts = accountName.split("/");
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
