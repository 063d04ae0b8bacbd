package registrypullaccess;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The way a cluster pulls from Google's registries; each way carries only its own settings. */
public sealed interface Puller permits Puller.WithKey, Puller.WithNodeIdentity {

    /** Picks the function for this way of pulling; every way must be handled, so none is forgotten. */
    <T> T match(Function<WithKey, T> withKey, Function<WithNodeIdentity, T> withNodeIdentity);

    /**
     * A GCP service account of the stack's own, with a JSON key in a pull secret in every namespace.
     *
     * @param serviceAccountId the GCP service account id
     * @param keyRotationDays  how long a key lives before `pulumi up` replaces it; 0: forever
     * @param adopt            whether to import a hand-made service account, Secrets and namespaces
     * @param pullSecret       how the pull secret reaches the namespaces
     */
    record WithKey(String serviceAccountId, int keyRotationDays, boolean adopt, PullSecretSettings pullSecret)
            implements Puller {

        public static final String DEFAULT_SERVICE_ACCOUNT_ID = "image-puller";
        public static final int MAX_ROTATION_DAYS = 3650;
        private static final Pattern SERVICE_ACCOUNT_ID = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])");

        public WithKey {
            Problems.require(problems(serviceAccountId, keyRotationDays));
            Objects.requireNonNull(pullSecret, "pullSecret");
        }

        @Override
        public <T> T match(Function<WithKey, T> withKey, Function<WithNodeIdentity, T> withNodeIdentity) {
            return withKey.apply(this);
        }

        static List<String> problems(String serviceAccountId, int keyRotationDays) {
            var problems = new Problems();
            problems.when(serviceAccountId.length() < 6 || serviceAccountId.length() > 30
                            || !SERVICE_ACCOUNT_ID.matcher(serviceAccountId).matches(),
                    () -> Settings.key("serviceAccountId") + ": \"" + serviceAccountId + "\" is not a service "
                            + "account id: use 6 to 30 lowercase letters, digits and '-', starting with a letter "
                            + "and not ending with '-'.");
            problems.when(keyRotationDays < 0 || keyRotationDays > MAX_ROTATION_DAYS,
                    () -> Settings.key("keyRotationDays") + ": " + keyRotationDays + " is not a number of days "
                            + "from 0 (never rotate) to " + MAX_ROTATION_DAYS + "; Google advises at most 90.");
            return problems.list();
        }
    }

    /**
     * GKE only: the nodes pull with their own service account, which is granted read access; no key,
     * no Secret, nothing patched.
     *
     * @param nodeServiceAccount the e-mail of the service account the cluster's nodes run as
     */
    record WithNodeIdentity(String nodeServiceAccount) implements Puller {

        private static final Pattern SERVICE_ACCOUNT_EMAIL =
                Pattern.compile("[a-z0-9-]+@[a-z0-9.-]+\\.gserviceaccount\\.com");

        public WithNodeIdentity {
            Problems.require(problems(nodeServiceAccount));
        }

        @Override
        public <T> T match(Function<WithKey, T> withKey, Function<WithNodeIdentity, T> withNodeIdentity) {
            return withNodeIdentity.apply(this);
        }

        static List<String> problems(String nodeServiceAccount) {
            var problems = new Problems();
            problems.when(!SERVICE_ACCOUNT_EMAIL.matcher(nodeServiceAccount).matches(),
                    () -> Settings.key("nodeServiceAccount") + ": \"" + nodeServiceAccount + "\" is not a service "
                            + "account e-mail (NAME@PROJECT.iam.gserviceaccount.com or "
                            + "NUMBER-compute@developer.gserviceaccount.com).");
            return problems.list();
        }
    }
}
