package registrypullaccess.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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

    /**
     * Stand-ins for a token identity and a node service account that are missing or wrong: no rule between settings
     * reads the node service account, and those that read the identity are skipped ({@link ConfigValues#standIns}).
     * They never reach {@link Settings}: a stand-in comes with a problem, and a problem stops the reading.
     */
    private static final TokenIdentity STAND_IN_IDENTITY = new TokenIdentity.Gke("stand-in", "stand-in", "stand-in");

    private static final String STAND_IN_NODE_SERVICE_ACCOUNT = "stand-in@stand-in.iam.gserviceaccount.com";

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

    /**
     * The way of pulling; empty when the way itself is unknown (the problems are recorded). A value of the way that
     * breaks a rule is recorded and read as a stand-in ({@link ConfigValues#valid}), so that the rules between
     * settings still judge the rest.
     */
    Optional<Puller> read(Optional<String> email) {
        var credentials = readCredentials();
        var nodeServiceAccount = values.nonEmpty("nodeServiceAccount");
        if (credentials.isEmpty()) {
            // Which keys belong to the way cannot be judged without it; what each key's own value must be can.
            readEveryWaysValues(email, nodeServiceAccount);
            return Optional.empty();
        }
        if (!credentials.get().equals("node")) {
            nodeServiceAccount.ifPresent(value -> problems.add(key("nodeServiceAccount") + " is only used with "
                    + key("credentials") + " node; remove it, or set credentials to node."));
        }
        return Optional.of(
                switch (credentials.get()) {
                    case "key" -> readKeyPuller(email);
                    case "token" -> readTokenPuller(email);
                    default -> readNodePuller(nodeServiceAccount);
                });
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

    /** Every way's own keys, each judged by the rules of its value alone, for when the way is unknown. */
    private void readEveryWaysValues(Optional<String> email, Optional<String> nodeServiceAccount) {
        serviceAccountId();
        keyRotationDays();
        refreshMinutes();
        values.bool("adopt");
        values.bool("installExternalSecrets");
        readPullSecret(email);
        values.nonEmpty("gkeCluster").ifPresent(this::gkeCluster);
        values.nonEmpty("oidcIssuer").ifPresent(issuer -> oidc(issuer, values.nonEmpty("oidcJwks")));
        nodeServiceAccount.ifPresent(this::nodeServiceAccount);
    }

    private Puller readKeyPuller(Optional<String> email) {
        rejectOutsideMode(TOKEN_ONLY, "token");
        var serviceAccountId = serviceAccountId();
        var keyRotationDays = keyRotationDays();
        var adopt = values.bool("adopt");
        return new Puller.Key(serviceAccountId, keyRotationDays, adopt, readPullSecret(email));
    }

    private Puller readTokenPuller(Optional<String> email) {
        rejectOutsideMode(KEY_ONLY, "key");
        var serviceAccountId = serviceAccountId();
        var refreshMinutes = refreshMinutes();
        var installExternalSecrets = values.bool("installExternalSecrets");
        var identity = readTokenIdentity().orElseGet(() -> {
            values.standIn("gkeCluster");
            values.standIn("oidcIssuer");
            return STAND_IN_IDENTITY;
        });
        return new Puller.Token(
                serviceAccountId, identity, refreshMinutes, installExternalSecrets, readPullSecret(email));
    }

    private String serviceAccountId() {
        return values.valid(
                "serviceAccountId",
                values.string("serviceAccountId", Puller.DEFAULT_SERVICE_ACCOUNT_ID),
                Puller::serviceAccountIdProblems,
                Puller.DEFAULT_SERVICE_ACCOUNT_ID);
    }

    private int keyRotationDays() {
        return validInteger("keyRotationDays", Puller.Key.DEFAULT_ROTATION_DAYS, Puller.Key::rotationProblems);
    }

    private int refreshMinutes() {
        return validInteger("tokenRefreshMinutes", Puller.Token.DEFAULT_REFRESH_MINUTES, Puller.Token::refreshProblems);
    }

    /** A whole number that keeps its rules; else, with the problems recorded, the default stands in. */
    private int validInteger(String name, int defaultValue, Function<Integer, List<String>> rules) {
        return values.valid(name, values.integer(name, defaultValue), rules, defaultValue);
    }

    /** The identity that mints; empty when it is missing, ambiguous or wrong (the problems recorded). */
    private Optional<TokenIdentity> readTokenIdentity() {
        var gkeCluster = values.nonEmpty("gkeCluster");
        var issuer = values.nonEmpty("oidcIssuer");
        var jwks = values.nonEmpty("oidcJwks");
        if (gkeCluster.isPresent() == issuer.isPresent()) {
            problems.add(key("credentials") + " token needs exactly one of " + key("gkeCluster") + " (a GKE cluster: "
                    + "projects/PROJECT/locations/LOCATION/clusters/NAME) or " + key("oidcIssuer") + " (any other "
                    + "cluster: its service-account issuer URL, from `kubectl get --raw "
                    + "/.well-known/openid-configuration`).");
            // Both given: which one is meant is the user's to say, but each value can be judged on its own.
            gkeCluster.ifPresent(this::gkeCluster);
            issuer.ifPresent(value -> oidc(value, jwks));
            return Optional.empty();
        }
        if (gkeCluster.isPresent()) {
            jwks.ifPresent(value -> problems.add(key("oidcJwks") + " is only used with " + key("oidcIssuer")
                    + "; GKE publishes its keys itself. Remove it."));
            return gkeCluster(gkeCluster.get());
        }
        return oidc(issuer.get(), jwks);
    }

    private Optional<TokenIdentity> gkeCluster(String value) {
        var cluster = TokenIdentity.Gke.parse(value);
        if (cluster.isEmpty()) {
            problems.add(key("gkeCluster") + ": \"" + value + "\" is not a GKE cluster: write "
                    + "projects/PROJECT/locations/LOCATION/clusters/NAME (`gcloud container clusters list --uri` "
                    + "ends with it).");
        }
        return cluster.map(TokenIdentity.class::cast);
    }

    private Optional<TokenIdentity> oidc(String issuer, Optional<String> jwks) {
        var found = TokenIdentity.Oidc.problems(issuer, jwks);
        problems.addAll(found);
        return found.isEmpty() ? Optional.of(new TokenIdentity.Oidc(issuer, jwks)) : Optional.empty();
    }

    private Puller readNodePuller(Optional<String> nodeServiceAccount) {
        rejectOutsideMode(KEY_ONLY, "key");
        rejectOutsideMode(TOKEN_ONLY, "token");
        rejectOutsideMode(SECRET_ONLY, "key or token");
        if (nodeServiceAccount.isEmpty()) {
            problems.add(key("credentials") + " node needs " + key("nodeServiceAccount") + ": the e-mail of the "
                    + "service account the cluster's nodes run as (`gcloud container node-pools describe POOL "
                    + "--cluster CLUSTER --format='value(config.serviceAccount)'`).");
            values.standIn("nodeServiceAccount");
            return new Puller.Node(STAND_IN_NODE_SERVICE_ACCOUNT);
        }
        return new Puller.Node(nodeServiceAccount(nodeServiceAccount.get()));
    }

    private String nodeServiceAccount(String value) {
        return values.valid("nodeServiceAccount", value, Puller.Node::problems, STAND_IN_NODE_SERVICE_ACCOUNT);
    }

    private PullSecretSettings readPullSecret(Optional<String> email) {
        var secretName = values.string("secretName", PullSecretSettings.DEFAULT_NAME);
        var createNamespaces = values.bool("createNamespaces");
        var detach = values.bool("detach");
        return new PullSecretSettings(
                values.valid(
                        "secretName", secretName, PullSecretSettings::nameProblems, PullSecretSettings.DEFAULT_NAME),
                values.valid("email", email, PullSecretSettings::emailProblems, Optional.empty()),
                createNamespaces,
                detach);
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
