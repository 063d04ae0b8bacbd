package registrypullaccess.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every refusal of a switch names a way, and that way, run on the model as the transitions it names, leaves no window
 * where a pod that pulled before cannot pull: a refusal naming a way with a window would only move the window. The
 * way is read from the message as the user reads it: the {@code pulumi config} commands of each {@code pulumi up}.
 * A second update starts from its configuration freshly deployed, not from what the first left (the model's
 * transitions start from a deployed configuration).
 */
class NamedPathTest {

    private static final Pattern COMMAND =
            Pattern.compile("`pulumi config (set|rm) registry-pull-access:(\\w+)(?: ([^`]+))?`");
    private static final Pattern UPDATE = Pattern.compile("`pulumi up`", Pattern.LITERAL);
    /** What the message leaves to the user: an image the stack grants (the matrix's pull check image). */
    private static final String IMAGE = "eu.gcr.io/acme-dev/tools/check:1";

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
        var fromName = from.map(Configuration::name).orElse("(none)");
        for (var to : Configurations.ALL) {
            var refusal = run(from, to).refusal().filter(why -> why.startsWith("refused by the program"));
            if (refusal.isEmpty() || !refusal.get().contains("Switch ")) {
                continue;
            }
            var steps = steps(to, refusal.get());
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
                unsafe.add(fromName + " -> " + to.name() + " names no command: " + refusal.get());
            }
        }
        return unsafe;
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
                if (commands.group(1).equals("rm")) {
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
