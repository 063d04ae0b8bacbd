package registrypullaccess.settings;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import registrypullaccess.registry.GoogleHosts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** How the cluster proves to Google who mints the registry tokens: one of two ways, chosen by configuration. */
public sealed interface TokenIdentity permits TokenIdentity.Gke, TokenIdentity.Oidc {

    <T> T match(Function<Gke, T> gke, Function<Oidc, T> oidc);

    /**
     * Workload Identity for GKE: the cluster's own identity pool ({@code PROJECT.svc.id.goog}).
     *
     * @param project  the cluster's project
     * @param location the cluster's region or zone
     * @param name     the cluster's name
     */
    record Gke(String project, String location, String name) implements TokenIdentity {

        private static final Pattern CLUSTER =
                Pattern.compile("projects/([^/]+)/locations/([a-z0-9-]+)/clusters/([a-z]([-a-z0-9]{0,38}[a-z0-9])?)");

        public Gke {
            Problems.require(GoogleHosts.projectProblems(project, true).stream()
                    .map(problem -> ConfigKeys.key("gkeCluster") + ": the project in it is not valid (" + problem + ")")
                    .toList());
        }

        /** Parses {@code projects/PROJECT/locations/LOCATION/clusters/NAME}, as `gcloud container clusters list --uri` ends. */
        static Optional<Gke> parse(String cluster) {
            var matcher = CLUSTER.matcher(cluster);
            if (!matcher.matches()
                    || !GoogleHosts.projectProblems(matcher.group(1), true).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Gke(matcher.group(1), matcher.group(2), matcher.group(3)));
        }

        /** The workload identity pool of every GKE cluster in the project. */
        public String workloadPool() {
            return project + ".svc.id.goog";
        }

        @Override
        public <T> T match(Function<Gke, T> gke, Function<Oidc, T> oidc) {
            return gke.apply(this);
        }
    }

    /**
     * Any other cluster (kind, minikube, EKS, AKS, on-prem): a workload identity pool of the stack's own
     * that trusts the cluster's service-account token issuer.
     *
     * @param issuer the issuer URL of the cluster's service-account tokens
     * @param jwks   the issuer's public keys, for an issuer Google cannot reach
     */
    record Oidc(String issuer, Optional<String> jwks) implements TokenIdentity {

        public Oidc {
            Problems.require(problems(issuer, jwks));
        }

        static List<String> problems(String issuer, Optional<String> jwks) {
            var problems = new Problems();
            problems.when(
                    !isHttpsUrl(issuer),
                    () -> ConfigKeys.key("oidcIssuer") + ": \"" + issuer + "\" is not an "
                            + "https URL without user, query or fragment. Use the cluster's service-account issuer exactly: "
                            + "`kubectl get --raw /.well-known/openid-configuration` shows it as \"issuer\".");
            jwks.filter(value -> !isKeySet(value))
                    .ifPresent(value -> problems.add(ConfigKeys.key("oidcJwks")
                            + " is not a JSON Web Key Set (a JSON object with a \"keys\" list). Set it from the cluster: "
                            + "`pulumi config set " + ConfigKeys.key("oidcJwks")
                            + " \"$(kubectl get --raw /openid/v1/jwks)\"`."));
            jwks.filter(value -> isKeySet(value) && hasPrivateKey(value))
                    .ifPresent(value -> problems.add(ConfigKeys.key("oidcJwks")
                            + " holds a private key (\"d\" or \"k\"): Google needs the public keys "
                            + "only, and a private one must never be in the stack. Use the output of `kubectl get --raw "
                            + "/openid/v1/jwks`, which has none, and rotate the key you pasted."));
            return problems.list();
        }

        /** An issuer is compared with each token's {@code iss} as it is: scheme, host and path, nothing else. */
        private static boolean isHttpsUrl(String value) {
            try {
                var uri = new URI(value);
                return "https".equals(uri.getScheme())
                        && uri.getHost() != null
                        && uri.getUserInfo() == null
                        && uri.getQuery() == null
                        && uri.getFragment() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        /** A JSON Web Key holds a private part in "d" (RSA, EC) or "k" (symmetric). */
        private static boolean hasPrivateKey(String value) {
            var keys = JsonParser.parseString(value).getAsJsonObject().getAsJsonArray("keys");
            for (var key : keys) {
                if (key.isJsonObject()
                        && (key.getAsJsonObject().has("d")
                                || key.getAsJsonObject().has("k"))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isKeySet(String value) {
            try {
                var json = JsonParser.parseString(value);
                return json.isJsonObject()
                        && json.getAsJsonObject().has("keys")
                        && json.getAsJsonObject().get("keys").isJsonArray();
            } catch (JsonParseException e) {
                return false;
            }
        }

        @Override
        public <T> T match(Function<Gke, T> gke, Function<Oidc, T> oidc) {
            return oidc.apply(this);
        }
    }
}
