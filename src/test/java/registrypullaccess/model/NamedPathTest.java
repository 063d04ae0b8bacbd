package registrypullaccess.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import registrypullaccess.OutsideMutationTesting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal of a switch names a way, and that way, run on the model as the transitions it names, leaves no window
 * where a pod that pulled before cannot pull: a refusal naming a way with a window would only move the window. The
 * way is read from the message as the user reads it: the {@code pulumi config} commands of each {@code pulumi up}.
 * A second update starts from its configuration freshly deployed, not from what the first left (the model's
 * transitions start from a deployed configuration).
 */
@OutsideMutationTesting
class NamedPathTest {

    /** A command, or a value to set in the stack file ({@code `registry-pull-access:KEY: VALUE` in the stack file}). */
    private static final Pattern COMMAND = Pattern.compile(
            "`(?:pulumi config (set|rm) registry-pull-access:(\\w+)(?: ([^`]+))?|registry-pull-access:(\\w+): ([^`]+))`");

    private static final Pattern UPDATE = Pattern.compile("`pulumi up`", Pattern.LITERAL);
    /** What the message leaves to the user: an image the stack grants (the matrix's pull check image). */
    private static final String IMAGE = "eu.gcr.io/acme-dev/tools/check:1";

    private static final String LISTED = "[\"team-a\",\"team-b\"]";

    private final Transition.Programs programs = new Transition.Programs();

    static List<Configuration> from() {
        return Configurations.ALL;
    }

    @ParameterizedTest(name = "from {0}")
    @MethodSource("from")
    void everyRefusedSwitchNamesAWayWithoutAWindow(Configuration from) {
        assertEquals(List.of(), unsafeWays(Optional.of(from)));
    }

    /** A first {@code up} refused (cluster-wide without the pull check) names a way too, from nothing. */
    @org.junit.jupiter.api.Test
    void everyRefusedFirstUpNamesAWayWithoutAWindow() {
        assertEquals(List.of(), unsafeWays(Optional.empty()));
    }

    private List<String> unsafeWays(Optional<Configuration> from) {
        var unsafe = new ArrayList<String>();
        for (var to : Configurations.ALL) {
            var refusal = run(from, to).refusal().filter(why -> why.startsWith("refused by the program"));
            if (refusal.isPresent() && refusal.get().contains("Switch ")) {
                unsafe.addAll(namedWayProblems(from, to, refusal.get()));
            }
        }
        return unsafe;
    }

    /** What goes wrong on the way the refusal of {@code from -> to} names: nothing, when it is safe. */
    private List<String> namedWayProblems(Optional<Configuration> from, Configuration to, String refusal) {
        var unsafe = new ArrayList<String>();
        var fromName = from.map(Configuration::name).orElse("(none)");
        var steps = steps(to, refusal);
        var at = from;
        for (var step : steps) {
            var outcome = run(at, step);
            if (outcome.refusal().isPresent() || !outcome.windows().isEmpty()) {
                unsafe.add(fromName + " -> " + to.name() + ", step " + outcome.name() + ": "
                        + outcome.refusal().orElse("") + outcome.windows());
            }
            at = Optional.of(step);
        }
        if (steps.isEmpty()) {
            unsafe.add(fromName + " -> " + to.name() + " names no command: " + refusal);
        }
        return unsafe;
    }

    /**
     * Switches to pods that name the Secret under a new name, and renames while a ServiceAccount leaves the list,
     * beyond the matrix's configurations (none of which renames to per-pod): in one update the old Secret went before
     * the update ended (on the model: windows of 1 to 11 s; the matrix's builder, which exists in team-a and team-b
     * only, is left out cluster-wide). Each is refused, naming the rename with the same
     * ServiceAccounts first, and that way has no window.
     */
    static List<List<Configuration>> renamesAwayFromServiceAccounts() {
        var builderToo = Configuration.of(
                "key listed, builder too", "namespaces", LISTED, "serviceAccounts", "[\"default\",\"builder\"]");
        var perPodRenamed = Configuration.of(
                "key per-pod, secretName", "namespaces", LISTED, "serviceAccounts", "[]", "secretName", "team-pull");
        var tokenRenamed = Configuration.of(
                "token listed, secretName",
                "namespaces",
                LISTED,
                "credentials",
                "token",
                "gkeCluster",
                "projects/acme-dev/locations/europe-west1/clusters/dev",
                "secretName",
                "team-pull");
        return List.of(
                List.of(Configurations.KEY_LISTED, perPodRenamed),
                List.of(Configurations.KEY_WIDE, perPodRenamed),
                List.of(Configurations.TOKEN_LISTED, perPodRenamed),
                List.of(builderToo, perPodRenamed),
                List.of(builderToo, tokenRenamed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renamesAwayFromServiceAccounts")
    void aRenameAwayFromServiceAccountsOffTheMatrixIsRefusedWithAWayWithoutAWindow(List<Configuration> fromTo) {
        assertRefusedWithAWayWithoutAWindow(fromTo, "refused by the program: - ServiceAccounts [");
    }

    static List<List<Configuration>> coverageChanges() {
        return Configurations.COVERAGE_CHANGES;
    }

    /**
     * Cluster-wide, another selector, its values or the excluded namespaces under the same name: refused (Kyverno
     * refuses the copy policy's new match or exclude while it copies the same Secret), naming a new name, with the
     * pull check where namespaces are covered for the first time; that way has no window.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("coverageChanges")
    void aChangeOfTheCoveredNamespacesIsRefusedWithAWayWithoutAWindow(List<Configuration> fromTo) {
        assertRefusedWithAWayWithoutAWindow(
                fromTo, "refused by the program: - Kyverno refuses to change which namespaces");
    }

    /** The renames under pods that name the Secret, without {@code podsNameNewSecret}: the others are the ways. */
    static List<List<Configuration>> perPodRenames() {
        return Configurations.PER_POD_RENAMES.stream()
                .filter(fromTo -> !fromTo.get(1).keys().containsKey("podsNameNewSecret"))
                .toList();
    }

    /**
     * Pods that name the Secret, before and after, under another {@code secretName}: refused (the old Secret goes at
     * the update's end while pods name only it), naming {@code podsNameNewSecret} once the pods name both; that way
     * has no window (the model takes the pods as naming both, which the key attests).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("perPodRenames")
    void aRenameUnderPodsThatNameTheSecretIsRefusedWithAWayWithoutAWindow(List<Configuration> fromTo) {
        assertRefusedWithAWayWithoutAWindow(fromTo, "refused by the program: - Pods name Secret");
    }

    /** The change from the first to the second is refused with a message that starts so, and its way is safe. */
    private void assertRefusedWithAWayWithoutAWindow(List<Configuration> fromTo, String start) {
        var from = Optional.of(fromTo.get(0));
        var refusal = run(from, fromTo.get(1)).refusal().orElse("");

        assertTrue(refusal.startsWith(start), refusal);
        assertEquals(List.of(), namedWayProblems(from, fromTo.get(1), refusal));
    }

    /** The configurations the message's commands make of {@code to}, one per {@code pulumi up}. */
    private static List<Configuration> steps(Configuration to, String message) {
        var steps = new ArrayList<Configuration>();
        var keys = new HashMap<>(to.keys());
        for (var update : UPDATE.split(message, -1)) {
            var commands = COMMAND.matcher(update);
            var any = false;
            while (commands.find()) {
                any = true;
                if (commands.group(4) != null) {
                    keys.put(commands.group(4), commands.group(5));
                } else if (commands.group(1).equals("rm")) {
                    keys.remove(commands.group(2));
                } else {
                    keys.put(
                            commands.group(2),
                            commands.group(3).replace("<image>", IMAGE).replace("'", ""));
                }
            }
            if (any) {
                steps.add(new Configuration(to.name() + " (named, step " + (steps.size() + 1) + ")", Map.copyOf(keys)));
            }
        }
        return steps;
    }

    private Transition.Outcome run(Optional<Configuration> from, Configuration to) {
        return Transition.run(
                programs, from, Transition.TODAY, Optional.of(to), Transition.TODAY, ModelEngine.Misorder.NONE);
    }
}
