package registrypullaccess.settings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The keys of this program's namespace ({@code registry-pull-access:}), in one place: the program rejects
 * any other key there, naming the nearest known one, so that a misspelt key cannot be ignored silently.
 * {@code StackFilesTest} keeps {@link #DECLARED} equal to the keys {@code Pulumi.yaml} declares.
 */
public final class ConfigKeys {

    /** The Pulumi project name, which is also the namespace of this program's config keys. */
    public static final String PROJECT = "registry-pull-access";

    /** The keys {@code Pulumi.yaml} declares and types, in its order. */
    public static final List<String> DECLARED = List.of(
            "registries",
            "legacyStorage",
            "projectWideReaders",
            "credentials",
            "gkeCluster",
            "oidcIssuer",
            "oidcJwks",
            "tokenRefreshMinutes",
            "installExternalSecrets",
            "keyless",
            "nodeServiceAccount",
            "namespaces",
            "allNamespaces",
            "excludeNamespaces",
            "homeNamespace",
            "installKyverno",
            "serviceAccounts",
            "detachServiceAccounts",
            "podsNameNewSecret",
            "serviceAccountId",
            "secretName",
            "email",
            "keyRotationDays",
            "createNamespaces",
            "adopt",
            "protect",
            "detach",
            "verifyImage",
            "verifyHelperImage");

    /** Keys the program reads that {@code Pulumi.yaml} cannot type: project config has no object type. */
    public static final List<String> UNTYPED = List.of("otherRegistries", "namespaceSelector");

    /** Every key of this program's namespace. */
    public static final List<String> KNOWN =
            Stream.concat(DECLARED.stream(), UNTYPED.stream()).toList();

    private ConfigKeys() {}

    /** A key of this program, as `pulumi config` names it. */
    public static String key(String name) {
        return PROJECT + ":" + name;
    }

    /**
     * A problem for each key of this program's namespace that it does not read.
     *
     * @param keys every key set, {@code namespace:key}; other namespaces are their owners' to judge
     */
    static List<String> unknownKeyProblems(Iterable<String> keys) {
        var problems = new ArrayList<String>();
        var prefix = ConfigKeys.PROJECT + ":";
        for (var key : keys) {
            if (!key.startsWith(prefix) || KNOWN.contains(key.substring(prefix.length()))) {
                continue;
            }
            var name = key.substring(prefix.length());
            problems.add(key + " is not a key of this program, which would ignore it"
                    + nearest(name)
                            // Renamed in the stack file, not with `pulumi config set`, which stores a string
                            // (pulumi v3.253.0, pkg/cmd/pulumi/config/config.go), where several keys are lists.
                            .map(near -> "; did you mean `" + near + "`? Rename it to " + key(near)
                                    + " in the stack file (Pulumi.STACK.yaml), keeping its value.")
                            .orElse(". Remove it with `pulumi config rm " + key + "`; the keys are "
                                    + String.join(", ", KNOWN) + "."));
        }
        return problems;
    }

    /** The known key a name most likely means: the fewest edits away, if few enough to be a slip. */
    static Optional<String> nearest(String name) {
        var lower = name.toLowerCase(Locale.ROOT);
        return KNOWN.stream()
                .filter(known -> distance(lower, known.toLowerCase(Locale.ROOT)) <= Math.max(2, known.length() / 3))
                .min(Comparator.comparingInt(known -> distance(lower, known.toLowerCase(Locale.ROOT))));
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        var previous = new int[b.length() + 1];
        var current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                var substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
