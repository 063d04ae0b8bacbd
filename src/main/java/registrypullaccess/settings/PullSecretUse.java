package registrypullaccess.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How pods come to use the pull secret: listed in the ServiceAccounts they run as (the stack patches them), or
 * named in their own spec ({@code imagePullSecrets}), with no ServiceAccount read or patched.
 */
public sealed interface PullSecretUse permits PullSecretUse.ThroughServiceAccounts, PullSecretUse.NamedByPods {

    /** Picks the function for this use; every use must be handled, so none is forgotten. */
    <T> T match(Function<ThroughServiceAccounts, T> throughServiceAccounts, Function<NamedByPods, T> namedByPods);

    /** {@code serviceAccounts} as configured: an empty list means pods name the secret themselves. */
    static PullSecretUse of(List<String> serviceAccounts) {
        return serviceAccounts.isEmpty()
                ? new NamedByPods(List.of(), Optional.empty())
                : new ThroughServiceAccounts(serviceAccounts);
    }

    /**
     * The stack lists the pull secret in these ServiceAccounts of every namespace, keeping their other entries;
     * a pod that runs as one of them pulls with it and names nothing.
     *
     * @param serviceAccounts at least one ServiceAccount name, each once
     */
    record ThroughServiceAccounts(List<String> serviceAccounts) implements PullSecretUse {

        public static final List<String> DEFAULT_SERVICE_ACCOUNTS = List.of("default");

        public ThroughServiceAccounts {
            serviceAccounts = List.copyOf(serviceAccounts);
            Problems.require(KubernetesNames.listProblems(
                    "serviceAccounts",
                    serviceAccounts,
                    KubernetesNames.RFC_1123_SUBDOMAIN,
                    KubernetesNames.SERVICE_ACCOUNT,
                    DEFAULT_SERVICE_ACCOUNTS));
        }

        @Override
        public <T> T match(
                Function<ThroughServiceAccounts, T> throughServiceAccounts, Function<NamedByPods, T> namedByPods) {
            return throughServiceAccounts.apply(this);
        }
    }

    /**
     * {@code serviceAccounts: []}: pods name the pull secret in their own spec; the stack reads and patches no
     * ServiceAccount, but for the way over from {@link ThroughServiceAccounts}.
     *
     * @param detachServiceAccounts ServiceAccounts that an earlier configuration listed the pull secret in: the
     *                              stack takes it out of their lists (keeping every other entry), since a patch
     *                              that merely leaves the program is retained with our entry in place. Empty
     *                              once that is done, and for a stack that never patched any.
     * @param newSecretName         {@code podsNameNewSecret}: the user's word that the pods name this Secret beside
     *                              the one they named before, the only way the program lets {@code secretName} change
     *                              under pods that name it (a pod's spec is not the program's to read or edit)
     */
    record NamedByPods(List<String> detachServiceAccounts, Optional<String> newSecretName) implements PullSecretUse {

        public NamedByPods {
            detachServiceAccounts = List.copyOf(detachServiceAccounts);
            java.util.Objects.requireNonNull(newSecretName, "newSecretName");
            Problems.require(problems(detachServiceAccounts));
        }

        /** {@code podsNameNewSecret} other than {@code secretName}: it allows that rename only. */
        List<String> newSecretNameProblems(Optional<String> secretName) {
            var key = ConfigKeys.key("podsNameNewSecret");
            return newSecretName
                    .filter(name -> !secretName.equals(Optional.of(name)))
                    .map(name -> List.of(key + " is \"" + name + "\", but " + ConfigKeys.key("secretName") + " is \""
                            + secretName.orElse("") + "\": it says the pods name " + ConfigKeys.key("secretName")
                            + " beside the Secret they named before, and allows that rename only. Set it to the new "
                            + ConfigKeys.key("secretName") + " once the pods name it (docs/per-pod.md), or remove it:"
                            + " `pulumi config rm " + key + "`."))
                    .orElse(List.of());
        }

        static List<String> problems(List<String> detachServiceAccounts) {
            return detachServiceAccounts.isEmpty()
                    ? List.of()
                    : KubernetesNames.listProblems(
                            "detachServiceAccounts",
                            detachServiceAccounts,
                            KubernetesNames.RFC_1123_SUBDOMAIN,
                            KubernetesNames.SERVICE_ACCOUNT,
                            List.of());
        }

        @Override
        public <T> T match(
                Function<ThroughServiceAccounts, T> throughServiceAccounts, Function<NamedByPods, T> namedByPods) {
            return namedByPods.apply(this);
        }
    }
}
