package registrypullaccess.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The way a cluster pulls from Google's registries; each way carries only its own settings. */
public sealed interface Puller permits Puller.Key, Puller.Token, Puller.Node {

    String DEFAULT_SERVICE_ACCOUNT_ID = "image-puller";

    /** Picks the function for this way of pulling; every way must be handled, so none is forgotten. */
    <T> T match(Function<Key, T> key, Function<Token, T> token, Function<Node, T> node);

    /** How the pull secret reaches the namespaces; none where the nodes pull as themselves. */
    Optional<PullSecretSettings> pullSecret();

    /** The rule for the puller's GCP service account id, which both the key and the token ways create. */
    static List<String> serviceAccountIdProblems(String serviceAccountId) {
        var valid = serviceAccountId.length() >= 6
                && serviceAccountId.length() <= 30
                && Key.SERVICE_ACCOUNT_ID.matcher(serviceAccountId).matches();
        return valid
                ? List.of()
                : List.of(ConfigKeys.key("serviceAccountId") + ": \"" + serviceAccountId + "\" is not "
                        + "a service account id: use 6 to 30 lowercase letters, digits and '-', starting with a letter and "
                        + "not ending with '-'.");
    }

    /**
     * A GCP service account of the stack's own, with a JSON key in a pull secret in every namespace.
     *
     * @param serviceAccountId the GCP service account id
     * @param keyRotationDays  how long a key lives before `pulumi up` replaces it; 0: forever
     * @param adopt            whether to import a hand-made service account, Secrets and namespaces
     * @param secret           how the pull secret reaches the namespaces
     */
    record Key(String serviceAccountId, int keyRotationDays, boolean adopt, PullSecretSettings secret)
            implements Puller {

        /** Google's guidance: rotate user-managed keys at least every 90 days. */
        public static final int DEFAULT_ROTATION_DAYS = 90;

        public static final int MAX_ROTATION_DAYS = 3650;
        static final Pattern SERVICE_ACCOUNT_ID = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])");

        public Key {
            Problems.require(problems(serviceAccountId, keyRotationDays));
            Objects.requireNonNull(secret, "secret");
        }

        static List<String> problems(String serviceAccountId, int keyRotationDays) {
            var problems = new Problems();
            problems.addAll(serviceAccountIdProblems(serviceAccountId));
            problems.addAll(rotationProblems(keyRotationDays));
            return problems.list();
        }

        static List<String> rotationProblems(int keyRotationDays) {
            return keyRotationDays < 0 || keyRotationDays > MAX_ROTATION_DAYS
                    ? List.of(ConfigKeys.key("keyRotationDays") + ": " + keyRotationDays + " is not a number of days "
                            + "from 0 (never rotate) to " + MAX_ROTATION_DAYS + "; Google advises at most 90.")
                    : List.of();
        }

        @Override
        public <T> T match(Function<Key, T> key, Function<Token, T> token, Function<Node, T> node) {
            return key.apply(this);
        }

        @Override
        public Optional<PullSecretSettings> pullSecret() {
            return Optional.of(secret);
        }
    }

    /**
     * A GCP service account of the stack's own with no key: External Secrets Operator mints short-lived
     * access tokens for it, and keeps a pull secret in every namespace refreshed with them.
     *
     * @param serviceAccountId       the GCP service account id
     * @param identity               how the cluster proves to Google who mints the tokens
     * @param refreshMinutes         how often a new token replaces the one in the pull secret
     * @param installExternalSecrets whether the stack installs the pinned External Secrets Operator
     * @param secret                 how the pull secret reaches the namespaces
     */
    record Token(
            String serviceAccountId,
            TokenIdentity identity,
            int refreshMinutes,
            boolean installExternalSecrets,
            PullSecretSettings secret)
            implements Puller {

        /** Google's access tokens live an hour; a refresh every half hour leaves half of it as margin. */
        public static final int DEFAULT_REFRESH_MINUTES = 30;

        public static final int MIN_REFRESH_MINUTES = 5;
        public static final int MAX_REFRESH_MINUTES = 45;

        public Token {
            Problems.require(problems(serviceAccountId, refreshMinutes));
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(secret, "secret");
        }

        static List<String> problems(String serviceAccountId, int refreshMinutes) {
            var problems = new Problems();
            problems.addAll(serviceAccountIdProblems(serviceAccountId));
            problems.addAll(refreshProblems(refreshMinutes));
            return problems.list();
        }

        static List<String> refreshProblems(int refreshMinutes) {
            return refreshMinutes < MIN_REFRESH_MINUTES || refreshMinutes > MAX_REFRESH_MINUTES
                    ? List.of(ConfigKeys.key("tokenRefreshMinutes") + ": " + refreshMinutes + " is not a number of "
                            + "minutes from " + MIN_REFRESH_MINUTES + " to " + MAX_REFRESH_MINUTES + ": a token lives "
                            + "about an hour, and a refresh must come well before it expires.")
                    : List.of();
        }

        @Override
        public <T> T match(Function<Key, T> key, Function<Token, T> token, Function<Node, T> node) {
            return token.apply(this);
        }

        @Override
        public Optional<PullSecretSettings> pullSecret() {
            return Optional.of(secret);
        }
    }

    /**
     * GKE only: the nodes pull with their own service account, which is granted read access; no key,
     * no Secret, nothing patched.
     *
     * @param nodeServiceAccount the e-mail of the service account the cluster's nodes run as
     */
    record Node(String nodeServiceAccount) implements Puller {

        private static final Pattern SERVICE_ACCOUNT_EMAIL =
                Pattern.compile("[a-z0-9-]+@[a-z0-9.-]+\\.gserviceaccount\\.com");

        public Node {
            Problems.require(problems(nodeServiceAccount));
        }

        static List<String> problems(String nodeServiceAccount) {
            var problems = new Problems();
            problems.when(
                    !SERVICE_ACCOUNT_EMAIL.matcher(nodeServiceAccount).matches(),
                    () -> ConfigKeys.key("nodeServiceAccount") + ": \"" + nodeServiceAccount + "\" is not a service "
                            + "account e-mail (NAME@PROJECT.iam.gserviceaccount.com or "
                            + "NUMBER-compute@developer.gserviceaccount.com).");
            return problems.list();
        }

        @Override
        public <T> T match(Function<Key, T> key, Function<Token, T> token, Function<Node, T> node) {
            return node.apply(this);
        }

        @Override
        public Optional<PullSecretSettings> pullSecret() {
            return Optional.empty();
        }
    }
}
