package registrypullaccess.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every change of configuration between the matrix's configurations, plus the first {@code up}, a key rotation and
 * the {@code destroy} of each, measured on the model for broken pulls and for anything of anyone else's lost; then the
 * negative controls of both oracles. Prints a table, the summary line, and last {@code foreign objects lost: L}. Exits
 * non-zero when a window is not in the known list, when a known window no longer occurs (the list must shrink as fixes
 * land), when a negative control is not flagged, or when anything of anyone else's was lost ({@code L > 0}).
 *
 * <pre>./mvnw -q test-compile exec:java@matrix [-Dmatrix.args=write-known]</pre>
 */
public final class TransitionMatrix {

    static final Path KNOWN = Path.of("src/test/resources/model/known-windows.txt");

    private TransitionMatrix() {}

    /**
     * A deliberately wrong order or behaviour that an oracle must flag: the pull oracle by a window caused by the step
     * named, the foreign-objects oracle by a loss caused by it.
     *
     * @param measure runs the transition or scenario with the wrong behaviour
     */
    record NegativeControl(
            String name, Oracle oracle, String flaggedBy, Function<Transition.Programs, Transition.Outcome> measure) {

        /** The pull oracle must flag this transition with a misorder. */
        NegativeControl(
                String name, Configuration from, Configuration to, ModelEngine.Misorder misorder, String flaggedBy) {
            this(name, Oracle.PULL, flaggedBy, transition(from, Optional.of(to), misorder));
        }

        /** The foreign-objects oracle must flag this transition ({@code to} empty: a destroy) with a misbehaviour. */
        static NegativeControl foreign(
                String name,
                Configuration from,
                Optional<Configuration> to,
                ModelEngine.Misorder misorder,
                String flaggedBy) {
            return new NegativeControl(name, Oracle.FOREIGN, flaggedBy, transition(from, to, misorder));
        }

        /** The foreign-objects oracle must flag this two-stack scenario with a misbehaviour. */
        static NegativeControl foreign(
                String name, TwoStacks.Scenario scenario, ModelEngine.Misorder misorder, String flaggedBy) {
            return new NegativeControl(
                    name, Oracle.FOREIGN, flaggedBy, programs -> TwoStacks.run(programs, scenario, misorder));
        }

        private static Function<Transition.Programs, Transition.Outcome> transition(
                Configuration from, Optional<Configuration> to, ModelEngine.Misorder misorder) {
            return programs ->
                    Transition.run(programs, Optional.of(from), Transition.TODAY, to, Transition.TODAY, misorder);
        }

        boolean flagged(Transition.Outcome outcome) {
            return oracle == Oracle.PULL
                    ? outcome.windows().stream()
                            .anyMatch(window -> window.cause().equals(flaggedBy))
                    : outcome.foreign().stream().anyMatch(loss -> loss.cause().equals(flaggedBy));
        }

        String found(Transition.Outcome outcome) {
            return oracle == Oracle.PULL
                    ? outcome.windows().size() + " windows"
                    : outcome.foreign().size() + " foreign objects lost";
        }
    }

    /** Which oracle a negative control tests. */
    enum Oracle {
        PULL,
        FOREIGN
    }

    public static void main(String[] args) throws IOException {
        var start = System.nanoTime();
        var writeKnown = List.of(args).contains("write-known");
        var programs = new Transition.Programs();
        var outcomes = new ArrayList<Transition.Outcome>();
        var stale = new ArrayList<String>();
        var configurations = Configurations.ALL;
        for (var to : configurations) {
            outcomes.add(measure(programs, Optional.empty(), Optional.of(to), false));
        }
        for (var from : configurations) {
            for (var to : configurations) {
                if (!from.equals(to)) {
                    var outcome = measure(programs, Optional.of(from), Optional.of(to), false);
                    outcomes.add(outcome);
                    stale.addAll(staleEntries(from, to, outcome).stream()
                            .map(entry -> outcome.name() + ": " + entry)
                            .toList());
                }
            }
            if (from.keys().getOrDefault("credentials", "key").equals("key")) {
                outcomes.add(measure(programs, Optional.of(from), Optional.of(from), true));
            }
            outcomes.add(measure(programs, Optional.of(from), Optional.empty(), false));
        }
        Recording.BEFORE_ONE_MINTER.forEach(recording -> outcomes.add(Transition.upgrade(programs, recording)));
        outcomes.addAll(TwoStacks.all(programs));
        Configurations.COVERAGE_CHANGES.forEach(fromTo ->
                outcomes.add(measure(programs, Optional.of(fromTo.get(0)), Optional.of(fromTo.get(1)), false)));
        Configurations.PER_POD_RENAMES.forEach(fromTo ->
                outcomes.add(measure(programs, Optional.of(fromTo.get(0)), Optional.of(fromTo.get(1)), false)));
        outcomes.forEach(TransitionMatrix::print);

        var flagged = 0;
        var controls = Configurations.NEGATIVE_CONTROLS;
        System.out.println();
        System.out.println("negative controls:");
        for (var control : controls) {
            var outcome = control.measure().apply(programs);
            var hit = control.flagged(outcome);
            flagged += hit ? 1 : 0;
            System.out.println("  " + (hit ? "flagged    " : "NOT FLAGGED") + "  " + control.oracle() + ": "
                    + control.name() + " (" + control.found(outcome) + "; expected one caused by: "
                    + control.flaggedBy() + ")");
        }

        var found = new TreeSet<String>();
        outcomes.forEach(outcome -> outcome.windows().forEach(window -> found.add(signature(outcome, window))));
        var problems = new ArrayList<String>();
        if (writeKnown) {
            Files.write(KNOWN, header(found), StandardCharsets.UTF_8);
            System.out.println("\nwrote " + found.size() + " known windows to " + KNOWN);
        } else {
            var known = known();
            found.stream()
                    .filter(signature -> !known.contains(signature))
                    .forEach(signature -> problems.add("new window, not in " + KNOWN + ": " + signature));
            known.stream()
                    .filter(signature -> !found.contains(signature))
                    .forEach(signature ->
                            problems.add("known window no longer occurs (remove it from " + KNOWN + "): " + signature));
        }
        if (flagged < controls.size()) {
            problems.add((controls.size() - flagged) + " negative control(s) not flagged: the oracle is blind there");
        }
        var foreignLost =
                outcomes.stream().mapToInt(outcome -> outcome.foreign().size()).sum();
        if (foreignLost > 0) {
            problems.add(foreignLost + " foreign object(s) lost or changed: nothing of anyone else's may be");
        }
        if (!stale.isEmpty()) {
            problems.add(stale.size() + " entries of ours no longer current left in ServiceAccounts: " + stale);
        }
        var windows =
                outcomes.stream().mapToInt(outcome -> outcome.windows().size()).sum();
        var refused = outcomes.stream()
                .filter(outcome -> outcome.refusal().isPresent())
                .count();
        System.out.println();
        problems.forEach(problem -> System.out.println("FAIL " + problem));
        System.out.printf("%d program runs, %.0f s%n", programs.executed(), (System.nanoTime() - start) / 1e9);
        System.out.println("stale entries of ours: " + stale.size());
        System.out.println("foreign objects lost: " + foreignLost);
        // Last, as issue 20 asks: the line a reader (and .ci/run) looks for ends the output.
        System.out.println("transitions: " + outcomes.size() + ", broken-pull windows: " + windows + ", refused: "
                + refused + ", negative controls flagged: " + flagged + "/" + controls.size());
        System.out.flush();
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /**
     * The entries of ours no longer current (another {@code secretName}, fewer Secrets) that a change left in the
     * ServiceAccounts the new configuration lists its key Secret in ({@link Transition.Outcome#dangling}), which the
     * patch listing ours takes out (issue 21). Not counted: into token mode, where ESO writes the new Secret after the
     * patch and the next update takes the former entry out (TransitionTest); from or to cluster-wide, where Kyverno
     * writes the entries; ServiceAccounts the new configuration no longer patches (their patches are retained).
     */
    static List<String> staleEntries(Configuration from, Configuration to, Transition.Outcome outcome) {
        if (from.clusterWide()
                || to.clusterWide()
                || to.detach()
                || !"key".equals(to.keys().getOrDefault("credentials", "key"))
                || outcome.refusal().isPresent()) {
            return List.of();
        }
        var namespaces = to.key("namespaces").map(Configuration::strings).orElse(List.of());
        return outcome.dangling().stream()
                .filter(entry -> namespaces.stream()
                        .anyMatch(namespace -> to.serviceAccounts().stream()
                                .anyMatch(account -> entry.startsWith(namespace + "/" + account + ": "))))
                .toList();
    }

    private static Transition.Outcome measure(
            Transition.Programs programs, Optional<Configuration> from, Optional<Configuration> to, boolean rotate) {
        return Transition.run(
                programs,
                from,
                Transition.TODAY,
                to,
                rotate ? Transition.TODAY.plusDays(91) : Transition.TODAY,
                ModelEngine.Misorder.NONE);
    }

    private static void print(Transition.Outcome outcome) {
        var result = outcome.refusal().map(reason -> "REFUSED " + reason).orElse("ok");
        System.out.printf(
                "%-64s %3d steps  %3d windows  %s%n",
                outcome.name(), outcome.steps().size(), outcome.windows().size(), result);
        for (var window : outcome.windows()) {
            System.out.printf(
                    "    window %-48s %-8s -> %-8s %6d s  cause: %s%n",
                    window.way().describe(), window.from(), window.to(), window.seconds(), window.cause());
        }
        for (var entry : outcome.dangling()) {
            System.out.printf("    DANGLING %s%n", entry);
        }
        for (var loss : outcome.foreign()) {
            System.out.printf("    FOREIGN LOST %-72s cause: %s%n", loss.what(), loss.cause());
        }
    }

    /** One line of the known list: the transition and the cause, for every namespace and registry alike. */
    static String signature(Transition.Outcome outcome, PullOracle.Window window) {
        return outcome.name() + " | " + window.cause() + ("never".equals(window.to()) ? " | never recovers" : "");
    }

    private static Set<String> known() throws IOException {
        var known = new LinkedHashSet<String>();
        if (Files.exists(KNOWN)) {
            Files.readAllLines(KNOWN, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .forEach(known::add);
        }
        return known;
    }

    private static List<String> header(Set<String> found) {
        var lines = new ArrayList<String>();
        lines.add(
                "# Broken-pull windows the transition matrix finds today (docs/model.md): one line per transition and");
        lines.add(
                "# cause. The matrix fails on a window not listed here and on a listed one that no longer occurs, so this");
        lines.add(
                "# list only shrinks as fixes land. Regenerate: ./mvnw -q test-compile exec:java@matrix -Dmatrix.args=write-known");
        lines.addAll(found);
        return lines;
    }
}
