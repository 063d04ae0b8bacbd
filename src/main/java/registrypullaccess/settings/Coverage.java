package registrypullaccess.settings;

import registrypullaccess.kyverno.KyvernoPolicies;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Which namespaces get pull access: those the stack lists, or every selected one in the cluster. */
public sealed interface Coverage permits Coverage.Listed, Coverage.ClusterWide {

    /** Picks the function for this coverage; every kind must be handled, so none is forgotten. */
    <T> T match(Function<Listed, T> listed, Function<ClusterWide, T> clusterWide);

    /** The namespace the stack creates to make the pull Secret once in, when it is copied from there. */
    String DEFAULT_HOME = "registry-pull-access";

    /**
     * The namespaces the stack names, each of which gets its own Secret and ServiceAccount patches.
     *
     * @param namespaces the namespaces, in configuration order
     * @param home       in token mode, the namespace the stack creates to mint the token once, and copy from
     */
    record Listed(List<String> namespaces, String home) implements Coverage {

        public static final List<String> DEFAULT_NAMESPACES = List.of("default");

        public Listed {
            namespaces = List.copyOf(namespaces);
            Problems.require(KubernetesNames.listProblems(
                    "namespaces",
                    namespaces,
                    KubernetesNames.RFC_1123_LABEL,
                    KubernetesNames.NAMESPACE,
                    DEFAULT_NAMESPACES));
            Problems.require(homeProblems(home));
        }

        /** Listed namespaces, with the default home namespace. */
        public Listed(List<String> namespaces) {
            this(namespaces, DEFAULT_HOME);
        }

        @Override
        public <T> T match(Function<Listed, T> listed, Function<ClusterWide, T> clusterWide) {
            return listed.apply(this);
        }
    }

    /** What makes a home namespace one the stack cannot create and own. */
    static List<String> homeProblems(String home) {
        if (!KubernetesNames.RFC_1123_LABEL.matcher(home).matches()) {
            return List.of(ConfigKeys.key("homeNamespace") + ": \"" + home + "\" is not " + KubernetesNames.NAMESPACE);
        }
        if (home.equals("default")) {
            return List.of(ConfigKeys.key("homeNamespace") + ": \"default\" is every cluster's namespace, not one the "
                    + "stack can own. Use a namespace of its own, e.g. \"" + DEFAULT_HOME + "\" (the default).");
        }
        return List.of();
    }

    /**
     * Every namespace of the cluster that carries the selector's labels (all of them when it is empty) and is
     * not excluded, now and later: the pull Secret lives once in {@code home}, and Kyverno copies it and adds it
     * to the ServiceAccounts, so the stack declares the same resources however many namespaces there are.
     *
     * @param selector       labels a namespace must carry; empty: every namespace
     * @param excluded       namespaces never covered, whatever their labels
     * @param home           the namespace the stack creates for the source Secret
     * @param installKyverno whether the stack installs Kyverno (the pinned chart) instead of expecting it
     */
    record ClusterWide(Map<String, String> selector, List<String> excluded, String home, boolean installKyverno)
            implements Coverage {

        public static final List<String> DEFAULT_EXCLUDED = KyvernoPolicies.IGNORED_NAMESPACES;

        /** Kyverno's limit on a policy's name. */
        static final int MAX_POLICY_NAME = 63;

        private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
        private static final Pattern LABEL_VALUE =
                Pattern.compile("(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)");

        public ClusterWide {
            selector = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(selector, "selector")));
            excluded = List.copyOf(excluded);
            Problems.require(problems(selector, excluded, home));
        }

        /**
         * The namespace the stack creates, with the selector's labels, for the pull check: a namespace Kyverno
         * covers like any other, so a pull there proves the copy and the ServiceAccount entry.
         */
        public String checkNamespace() {
            return home + "-check";
        }

        /**
         * The copy policy's name: after the home namespace and, but for the default, the Secret. A policy that
         * copies another Secret, or from another home, is another object, which the engine creates before it deletes
         * the old one (delete-first only while the name stays: pulumi-kubernetes v4.0.0,
         * provider/pkg/provider/provider.go, Diff). Kyverno v1.19.0 deletes a deleted policy's copies by name, those
         * it lists when the delete arrives, whether a policy of that name is back by then or not
         * (pkg/policy/policy_controller.go, deletePolicy; pkg/background/generate/cleanup.go, deleteDownstream):
         * replaced under its own name, the old Secret's copies would go before the new policy copied the new one.
         * The default Secret keeps the name policies had before.
         */
        public String copyPolicyName(String secretName) {
            return PullSecretSettings.perSecret(home + "-copy-pull-secret", secretName);
        }

        /** The ServiceAccount policy's name, after the home namespace. */
        public String serviceAccountPolicyName() {
            return home + "-pull-secret-entries";
        }

        /**
         * The policy names too long for Kyverno v1.19.0, which refuses a policy named with more than 63 characters
         * (api/kyverno/v1/utils.go, ValidatePolicyName, from ClusterPolicy.Validate in clusterpolicy_types.go).
         */
        List<String> policyNameProblems(String secretName) {
            var tooLong = Stream.of(copyPolicyName(secretName), serviceAccountPolicyName())
                    .filter(name -> name.length() > MAX_POLICY_NAME)
                    .map(name -> "\"" + name + "\" (" + name.length() + ")")
                    .toList();
            if (tooLong.isEmpty()) {
                return List.of();
            }
            return List.of(ConfigKeys.key("homeNamespace") + ": cluster-wide coverage names its Kyverno policies after "
                    + "the home namespace"
                    + (PullSecretSettings.DEFAULT_NAME.equals(secretName)
                            ? ""
                            : " (the copy policy also after a secretName other than the default)")
                    + ", and Kyverno refuses a policy whose name is longer than " + MAX_POLICY_NAME + " characters: "
                    + String.join(", ", tooLong) + ". Shorten " + ConfigKeys.key("homeNamespace") + ".");
        }

        /** Whether every namespace is covered, not only labelled ones. */
        public boolean allNamespaces() {
            return selector.isEmpty();
        }

        @Override
        public <T> T match(Function<Listed, T> listed, Function<ClusterWide, T> clusterWide) {
            return clusterWide.apply(this);
        }

        static List<String> problems(Map<String, String> selector, List<String> excluded, String home) {
            var problems = new Problems();
            selector.forEach((key, value) -> problems.addAll(labelProblems(key, value)));
            if (!excluded.isEmpty()) {
                problems.addAll(KubernetesNames.listProblems(
                        "excludeNamespaces",
                        excluded,
                        KubernetesNames.RFC_1123_LABEL,
                        KubernetesNames.NAMESPACE,
                        DEFAULT_EXCLUDED));
            }
            var homeProblems = homeProblems(home);
            if (!homeProblems.isEmpty()) {
                problems.addAll(homeProblems);
            } else if (excluded.contains(home)) {
                problems.add(ConfigKeys.key("homeNamespace") + ": \"" + home + "\" is also in "
                        + ConfigKeys.key("excludeNamespaces") + ": the home namespace holds the Secret every copy is "
                        + "made from, and must be one Kyverno watches. Pick another home namespace, or take it out "
                        + "of excludeNamespaces.");
            } else if (KyvernoPolicies.IGNORED_NAMESPACES.contains(home)) {
                problems.add(ConfigKeys.key("homeNamespace") + ": \"" + home + "\" is a namespace Kyverno ignores by "
                        + "default, so it would never see the source Secret change and the copies would go stale. "
                        + "Use a namespace of its own, e.g. \"" + DEFAULT_HOME + "\" (the default).");
            }
            return problems.list();
        }

        /** What is wrong with one label of the selector. */
        static List<String> labelProblems(String key, String value) {
            var problems = new Problems();
            problems.when(
                    !isLabelKey(key),
                    () -> ConfigKeys.key("namespaceSelector") + ": \"" + key + "\" is not "
                            + "a label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' "
                            + "and '.', starting and ending with a letter or digit.");
            problems.when(
                    !LABEL_VALUE.matcher(value).matches() || value.length() > 63,
                    () -> ConfigKeys.key("namespaceSelector") + ": the value \"" + value + "\" of " + key + " is "
                            + "not a label value: at most 63 letters, digits, '-', '_' and '.', starting and "
                            + "ending with a letter or digit.");
            return problems.list();
        }

        private static boolean isLabelKey(String key) {
            var slash = key.lastIndexOf('/');
            var name = slash < 0 ? key : key.substring(slash + 1);
            var prefix = slash < 0 ? "" : key.substring(0, slash);
            return LABEL_NAME.matcher(name).matches()
                    && name.length() <= 63
                    && (slash < 0 || KubernetesNames.isSubdomain(prefix));
        }
    }
}
