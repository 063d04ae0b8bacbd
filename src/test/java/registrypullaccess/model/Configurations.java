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

    static final List<Configuration> ALL = List.of(
            KEY_LISTED,
            Configuration.of("key listed, ghcr.io", "namespaces", LISTED, "otherRegistries", GHCR),
            Configuration.of("key listed, verifyImage", "namespaces", LISTED, "verifyImage", IMAGE),
            KEY_LISTED_SECRET_NAME,
            KEY_LISTED_SERVICE_ACCOUNT,
            Configuration.of(
                    "key listed, builder too", "namespaces", LISTED, "serviceAccounts", "[\"default\",\"builder\"]"),
            Configuration.of("key per-pod", "namespaces", LISTED, "serviceAccounts", "[]"),
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
