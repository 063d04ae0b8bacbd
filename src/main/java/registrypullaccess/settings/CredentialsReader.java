package registrypullaccess.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static registrypullaccess.settings.ConfigKeys.key;

/** Reads the way of pulling, {@code credentials}, with that way's own keys and the pull secret's. */
final class CredentialsReader {

    /** The ways of pulling, as the {@code credentials} key names them: the cases of {@link Puller}. */
    private static final List<String> CREDENTIALS = List.of("key", "token", "node");

    /**
     * Keys that only one way of pulling reads, with their defaults: set to anything else under another way
     * they would do nothing. The Pulumi CLI passes Pulumi.yaml's defaults as if they were set, so a key at
     * its default counts as unset.
     */
    private static final Map<String, String> KEY_ONLY =
            Map.of("keyRotationDays", String.valueOf(Puller.Key.DEFAULT_ROTATION_DAYS), "adopt", "false");

    private static final Map<String, String> TOKEN_ONLY = Map.of(
            "gkeCluster",
            "",
            "oidcIssuer",
            "",
            "oidcJwks",
            "",
            "tokenRefreshMinutes",
            String.valueOf(Puller.Token.DEFAULT_REFRESH_MINUTES),
            "installExternalSecrets",
            "false");
    /** What only the pull Secret uses; the e-mail is written into it. */
    private static final Map<String, String> SECRET_ONLY = Map.of(
            "createNamespaces", "false", "detach", "false", "secretName", PullSecretSettings.DEFAULT_NAME, "email", "");

    private final ConfigValues values;
    private final Problems problems;
    private final List<String> deprecations = new ArrayList<>();

    CredentialsReader(ConfigValues values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** Configuration read that still works but is written the old way. */
    List<String> deprecations() {
        return List.copyOf(deprecations);
    }

    /** The way of pulling; empty when its keys are wrong (the problems are recorded). */
    Optional<Puller> read(Optional<String> email) {
        var credentials = readCredentials();
        if (credentials.isEmpty()) {
            return Optional.empty();
        }
        var before = problems.list().size();
        var nodeServiceAccount = values.nonEmpty("nodeServiceAccount");
        if (!credentials.get().equals("node")) {
            nodeServiceAccount.ifPresent(value -> problems.add(key("nodeServiceAccount") + " is only used with "
                    + key("credentials") + " node; remove it, or set credentials to node."));
        }
        var puller = switch (credentials.get()) {
            case "key" -> readKeyPuller(email);
            case "token" -> readTokenPuller(email);
            default -> readNodePuller(nodeServiceAccount);
        };
        return problems.list().size() > before ? Optional.empty() : puller;
    }

    /** {@code credentials}, or its older spelling {@code keyless: true} for node. */
    private Optional<String> readCredentials() {
        var keyless = values.bool("keyless");
        var value = values.nonEmpty("credentials");
        if (keyless) {
            deprecations.add(key("keyless") + " is deprecated: write `" + key("credentials") + ": node` instead "
                    + "(it means the same).");
            if (value.filter(text -> !text.equals("node")).isPresent()) {
                problems.add(key("keyless") + " is true but " + key("credentials") + " is \"" + value.get()
                        + "\": keyless means credentials node. Remove keyless.");
                return Optional.empty();
            }
            return Optional.of("node");
        }
        var credentials = value.orElse("key");
        if (!CREDENTIALS.contains(credentials)) {
            problems.add(key("credentials") + ": \"" + credentials + "\" is not key, token or node.");
            return Optional.empty();
        }
        return Optional.of(credentials);
    }

    private Optional<Puller> readKeyPuller(Optional<String> email) {
        rejectOutsideMode(TOKEN_ONLY, "token");
        var serviceAccountId = values.string("serviceAccountId", Puller.DEFAULT_SERVICE_ACCOUNT_ID);
        var keyRotationDays = values.integer("keyRotationDays", Puller.Key.DEFAULT_ROTATION_DAYS);
        var adopt = values.bool("adopt");
        var pullSecret = readPullSecret(email);
        var found = Puller.Key.problems(serviceAccountId, keyRotationDays);
        problems.addAll(found);
        if (!found.isEmpty() || pullSecret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Puller.Key(serviceAccountId, keyRotationDays, adopt, pullSecret.get()));
    }

    private Optional<Puller> readTokenPuller(Optional<String> email) {
        rejectOutsideMode(KEY_ONLY, "key");
        var serviceAccountId = values.string("serviceAccountId", Puller.DEFAULT_SERVICE_ACCOUNT_ID);
        var refreshMinutes = values.integer("tokenRefreshMinutes", Puller.Token.DEFAULT_REFRESH_MINUTES);
        var installExternalSecrets = values.bool("installExternalSecrets");
        var identity = readTokenIdentity();
        var pullSecret = readPullSecret(email);
        var found = Puller.Token.problems(serviceAccountId, refreshMinutes);
        problems.addAll(found);
        if (!found.isEmpty() || identity.isEmpty() || pullSecret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Puller.Token(
                serviceAccountId, identity.get(), refreshMinutes, installExternalSecrets, pullSecret.get()));
    }

    private Optional<TokenIdentity> readTokenIdentity() {
        var gkeCluster = values.nonEmpty("gkeCluster");
        var issuer = values.nonEmpty("oidcIssuer");
        var jwks = values.nonEmpty("oidcJwks");
        if (gkeCluster.isPresent() == issuer.isPresent()) {
            problems.add(key("credentials") + " token needs exactly one of " + key("gkeCluster") + " (a GKE cluster: "
                    + "projects/PROJECT/locations/LOCATION/clusters/NAME) or " + key("oidcIssuer") + " (any other "
                    + "cluster: its service-account issuer URL, from `kubectl get --raw "
                    + "/.well-known/openid-configuration`).");
            return Optional.empty();
        }
        if (gkeCluster.isPresent()) {
            jwks.ifPresent(value -> problems.add(key("oidcJwks") + " is only used with " + key("oidcIssuer")
                    + "; GKE publishes its keys itself. Remove it."));
            var cluster = TokenIdentity.Gke.parse(gkeCluster.get());
            if (cluster.isEmpty()) {
                problems.add(key("gkeCluster") + ": \"" + gkeCluster.get() + "\" is not a GKE cluster: write "
                        + "projects/PROJECT/locations/LOCATION/clusters/NAME (`gcloud container clusters list --uri` "
                        + "ends with it).");
            }
            return cluster.map(TokenIdentity.class::cast);
        }
        var found = TokenIdentity.Oidc.problems(issuer.get(), jwks);
        problems.addAll(found);
        return found.isEmpty() ? Optional.of(new TokenIdentity.Oidc(issuer.get(), jwks)) : Optional.empty();
    }

    private Optional<Puller> readNodePuller(Optional<String> nodeServiceAccount) {
        rejectOutsideMode(KEY_ONLY, "key");
        rejectOutsideMode(TOKEN_ONLY, "token");
        rejectOutsideMode(SECRET_ONLY, "key or token");
        if (nodeServiceAccount.isEmpty()) {
            problems.add(key("credentials") + " node needs " + key("nodeServiceAccount") + ": the e-mail of the "
                    + "service account the cluster's nodes run as (`gcloud container node-pools describe POOL "
                    + "--cluster CLUSTER --format='value(config.serviceAccount)'`).");
            return Optional.empty();
        }
        var found = Puller.Node.problems(nodeServiceAccount.get());
        problems.addAll(found);
        return found.isEmpty() ? Optional.of(new Puller.Node(nodeServiceAccount.get())) : Optional.empty();
    }

    private Optional<PullSecretSettings> readPullSecret(Optional<String> email) {
        var secretName = values.string("secretName", PullSecretSettings.DEFAULT_NAME);
        var createNamespaces = values.bool("createNamespaces");
        var detach = values.bool("detach");
        var found = PullSecretSettings.problems(secretName, email);
        problems.addAll(found);
        return found.isEmpty()
                ? Optional.of(new PullSecretSettings(secretName, email, createNamespaces, detach))
                : Optional.empty();
    }

    /** Keys another way of pulling reads would do nothing here: a mistake worth naming. */
    private void rejectOutsideMode(Map<String, String> defaults, String mode) {
        defaults.keySet().stream()
                .sorted()
                .filter(name -> values.nonEmpty(name)
                        .filter(value -> !value.equals(defaults.get(name)))
                        .isPresent())
                .forEach(name -> problems.add(key(name) + " does nothing unless " + key("credentials") + " is " + mode
                        + "; remove it, or change credentials."));
    }
}
