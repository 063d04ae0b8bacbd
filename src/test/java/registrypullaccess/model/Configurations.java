package registrypullaccess.model;

import java.util.List;
import java.util.Optional;

/** The matrix's representative configurations, and its negative controls. */
final class Configurations {

    static final String LISTED = "[\"team-a\",\"team-b\"]";
    static final String GKE = "projects/acme-dev/locations/europe-west1/clusters/dev";
    static final String IMAGE = "eu.gcr.io/acme-dev/tools/check:1";
    private static final String GHCR = "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\"ghp_model\"}]";

    static final Configuration KEY_LISTED = Configuration.of("key listed", "namespaces", LISTED);
    static final Configuration KEY_LISTED_SECRET_NAME =
            Configuration.of("key listed, secretName", "namespaces", LISTED, "secretName", "team-pull");
    static final Configuration KEY_LISTED_SERVICE_ACCOUNT =
            Configuration.of("key listed, serviceAccountId", "namespaces", LISTED, "serviceAccountId", "team-puller");
    static final Configuration TOKEN_LISTED =
            Configuration.of("token listed", "namespaces", LISTED, "credentials", "token", "gkeCluster", GKE);
    static final Configuration KEY_WIDE = Configuration.of("key cluster-wide", "allNamespaces", "true");
    static final Configuration KEY_WIDE_SELECTOR =
            Configuration.of("key cluster-wide, selector", "namespaceSelector", "{\"team\":\"payments\"}");
    static final Configuration TOKEN_WIDE =
            Configuration.of("token cluster-wide", "allNamespaces", "true", "credentials", "token", "gkeCluster", GKE);

    /** The default exclusions, and team-b. */
    private static final String WITHOUT_TEAM_B =
            "[\"kube-system\",\"kube-public\",\"kube-node-lease\",\"kyverno\",\"team-b\"]";

    static final Configuration KEY_WIDE_WITHOUT_TEAM_B = Configuration.of(
            "key cluster-wide, team-b excluded", "allNamespaces", "true", "excludeNamespaces", WITHOUT_TEAM_B);
    /** Another selector's value: team-a stays covered, team-b leaves, team-c enters ({@link Model#WEB}). */
    static final Configuration KEY_WIDE_SELECTOR_WEB =
            Configuration.of("key cluster-wide, selector tier web", "namespaceSelector", "{\"tier\":\"web\"}");

    static final Configuration KEY_WIDE_SELECTOR_WITHOUT_TEAM_B = Configuration.of(
            "key cluster-wide, selector, team-b excluded",
            "namespaceSelector",
            "{\"team\":\"payments\"}",
            "excludeNamespaces",
            WITHOUT_TEAM_B);
    static final Configuration TOKEN_WIDE_WITHOUT_TEAM_B = Configuration.of(
            "token cluster-wide, team-b excluded",
            "allNamespaces",
            "true",
            "credentials",
            "token",
            "gkeCluster",
            GKE,
            "excludeNamespaces",
            WITHOUT_TEAM_B);

    static final Configuration KEY_PER_POD =
            Configuration.of("key per-pod", "namespaces", LISTED, "serviceAccounts", "[]");

    static final List<Configuration> ALL = List.of(
            KEY_LISTED,
            Configuration.of("key listed, ghcr.io", "namespaces", LISTED, "otherRegistries", GHCR),
            Configuration.of("key listed, verifyImage", "namespaces", LISTED, "verifyImage", IMAGE),
            KEY_LISTED_SECRET_NAME,
            KEY_LISTED_SERVICE_ACCOUNT,
            Configuration.of(
                    "key listed, builder too", "namespaces", LISTED, "serviceAccounts", "[\"default\",\"builder\"]"),
            KEY_PER_POD,
            Configuration.of("key listed, detach", "namespaces", LISTED, "detach", "true"),
            KEY_WIDE,
            Configuration.of("key cluster-wide, home team-a", "allNamespaces", "true", "homeNamespace", "team-a"),
            Configuration.of("key cluster-wide, verifyImage", "allNamespaces", "true", "verifyImage", IMAGE),
            KEY_WIDE_SELECTOR,
            Configuration.of("key cluster-wide, detach", "allNamespaces", "true", "detach", "true"),
            TOKEN_LISTED,
            Configuration.of(
                    "token listed, verifyImage",
                    "namespaces",
                    LISTED,
                    "credentials",
                    "token",
                    "gkeCluster",
                    GKE,
                    "verifyImage",
                    IMAGE),
            Configuration.of(
                    "token listed, OIDC",
                    "namespaces",
                    LISTED,
                    "credentials",
                    "token",
                    "oidcIssuer",
                    "https://oidc.example.com"),
            Configuration.of(
                    "token listed, serviceAccountId",
                    "namespaces",
                    LISTED,
                    "credentials",
                    "token",
                    "gkeCluster",
                    GKE,
                    "serviceAccountId",
                    "team-puller"),
            Configuration.of(
                    "token listed, ghcr.io",
                    "namespaces",
                    LISTED,
                    "credentials",
                    "token",
                    "gkeCluster",
                    GKE,
                    "otherRegistries",
                    GHCR),
            TOKEN_WIDE,
            Configuration.of(
                    "node listed",
                    "namespaces",
                    LISTED,
                    "credentials",
                    "node",
                    "nodeServiceAccount",
                    "123456789012-compute@developer.gserviceaccount.com"));

    /**
     * Cluster-wide, under the same {@code secretName} and home: a change of which namespaces are covered (a namespace
     * newly excluded or no longer excluded, a selector's values, a selector added with an exclusion), beyond the
     * configurations above, each pair of which would add 40 transitions more.
     */
    static final List<List<Configuration>> COVERAGE_CHANGES = List.of(
            List.of(KEY_WIDE, KEY_WIDE_WITHOUT_TEAM_B),
            List.of(KEY_WIDE_WITHOUT_TEAM_B, KEY_WIDE),
            List.of(KEY_WIDE_SELECTOR, KEY_WIDE_SELECTOR_WEB),
            List.of(KEY_WIDE_SELECTOR_WEB, KEY_WIDE_SELECTOR),
            List.of(KEY_WIDE_SELECTOR, KEY_WIDE_SELECTOR_WITHOUT_TEAM_B),
            List.of(KEY_WIDE_WITHOUT_TEAM_B, KEY_WIDE_SELECTOR_WEB),
            List.of(TOKEN_WIDE, TOKEN_WIDE_WITHOUT_TEAM_B));

    /**
     * Pods that name the Secret themselves, before and after, under another {@code secretName}: listed (key, token,
     * and back to the default name) and cluster-wide (with the pull check, and without), each refused, and each with
     * {@code podsNameNewSecret} set to the new name, the way the refusal names (the model takes the pods as naming
     * both, which the key attests: {@link Transition}). Beside the configurations above, each of which would add 40
     * transitions more.
     */
    static final List<List<Configuration>> PER_POD_RENAMES = perPodRenames();

    private static List<List<Configuration>> perPodRenames() {
        var perPod = new String[] {"serviceAccounts", "[]"};
        var token = new String[] {"credentials", "token", "gkeCluster", GKE};
        var wide = new String[] {"allNamespaces", "true"};
        var checked = new String[] {"allNamespaces", "true", "verifyImage", IMAGE};
        var listed = new String[] {"namespaces", LISTED};
        var pairs = new java.util.ArrayList<List<Configuration>>();
        for (var from : List.of(
                List.of("key per-pod", listed, new String[0]),
                List.of("token per-pod", listed, token),
                List.of("key cluster-wide per-pod", wide, new String[0]),
                List.of("key cluster-wide per-pod, verifyImage", checked, new String[0]))) {
            var name = (String) from.get(0);
            var keys = java.util.stream.Stream.of((String[]) from.get(1), (String[]) from.get(2), perPod)
                    .flatMap(java.util.Arrays::stream)
                    .toArray(String[]::new);
            var before = Configuration.of(name, keys);
            var renamed = before.with(name + ", secretName", "secretName", "team-pull");
            pairs.add(List.of(before, renamed));
            pairs.add(List.of(
                    before, renamed.with(renamed.name() + ", podsNameNewSecret", "podsNameNewSecret", "team-pull")));
        }
        // Back to the default name, from a renamed stack.
        var renamed = KEY_PER_POD.with("key per-pod, secretName", "secretName", "team-pull");
        pairs.add(List.of(renamed, KEY_PER_POD));
        pairs.add(List.of(
                renamed,
                KEY_PER_POD.with("key per-pod, podsNameNewSecret", "podsNameNewSecret", "registry-pull-secret")));
        return List.copyOf(pairs);
    }

    /**
     * Cluster-wide, a new {@code secretName} under the same coverage, and back: Kyverno's entries of the former name
     * come out one update later ({@code FormerEntries#takenOutByPolicy}), which the matrix measures.
     */
    static final List<List<Configuration>> RENAMES = List.of(
            List.of(KEY_WIDE, KEY_WIDE.with("secretName", "team-pull")),
            List.of(KEY_WIDE.with("secretName", "team-pull"), KEY_WIDE),
            List.of(TOKEN_WIDE, TOKEN_WIDE.with("secretName", "team-pull")),
            List.of(KEY_WIDE, TOKEN_WIDE.with("secretName", "team-pull")));

    /** Cluster-wide, installing Kyverno; with the pull check, which a first cluster-wide `up` needs. */
    static final Configuration INSTALL_KYVERNO = Configuration.of(
            "key cluster-wide, installKyverno",
            "allNamespaces",
            "true",
            "installKyverno",
            "true",
            "verifyImage",
            Transition.CHECK_IMAGE);

    static final List<TransitionMatrix.NegativeControl> NEGATIVE_CONTROLS = List.of(
            new TransitionMatrix.NegativeControl(
                    "delete the Secret before its replacement exists",
                    KEY_LISTED,
                    KEY_LISTED_SECRET_NAME,
                    ModelEngine.Misorder.DELETES_FIRST,
                    "delete pull-access/team-a/pull-secret-owner"),
            new TransitionMatrix.NegativeControl(
                    "drop the ServiceAccount entry before the new Secret exists",
                    KEY_LISTED,
                    KEY_LISTED_SECRET_NAME,
                    ModelEngine.Misorder.NAIVE_PATCHES_FIRST,
                    "update pull-access/team-a/default/sa"),
            new TransitionMatrix.NegativeControl(
                    "delete the key before ESO is Ready",
                    KEY_LISTED,
                    TOKEN_LISTED,
                    ModelEngine.Misorder.KEYS_FIRST,
                    "delete pull-access/key-even"),
            TransitionMatrix.NegativeControl.foreign(
                    "write the ServiceAccount list without the entries found there",
                    KEY_LISTED,
                    Optional.of(KEY_LISTED_SECRET_NAME),
                    ModelEngine.Misorder.NAIVE_PATCHES_FIRST,
                    "update pull-access/team-a/default/sa"),
            TransitionMatrix.NegativeControl.foreign(
                    "delete the ServiceAccount patch, relinquishing the whole list",
                    KEY_LISTED,
                    Optional.empty(),
                    ModelEngine.Misorder.RELINQUISHED_PATCHES,
                    "delete pull-access/team-a/default/sa"),
            TransitionMatrix.NegativeControl.foreign(
                    "grant the reader role authoritatively",
                    KEY_LISTED,
                    Optional.of(KEY_LISTED_SERVICE_ACCOUNT),
                    ModelEngine.Misorder.AUTHORITATIVE_GRANTS,
                    "create-replacement pull-access/reader/acme-dev/europe/eu.gcr.io"),
            TransitionMatrix.NegativeControl.foreign(
                    "two stacks: apply the list without the version it was read at",
                    TwoStacks.Scenario.INTERLEAVED,
                    ModelEngine.Misorder.UNCONDITIONAL_PATCHES,
                    "team: create pull-access/team-a/default/sa"),
            TransitionMatrix.NegativeControl.foreign(
                    "a controller's entry in the window, the list applied without its version",
                    TwoStacks.Scenario.CONTROLLER_IN_THE_WINDOW,
                    ModelEngine.Misorder.UNCONDITIONAL_PATCHES,
                    "team: update pull-access/team-a/default/sa"));

    private Configurations() {}
}
