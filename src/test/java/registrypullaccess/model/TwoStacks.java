package registrypullaccess.model;

import registrypullaccess.offline.OfflineRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Two stacks of this program on one cluster (issue 26): a team's own registry and a shared one, covering the same
 * namespaces and ServiceAccounts with different Secrets and pullers, run one after the other and interleaved, and one
 * run while another controller adds an entry. Each scenario is measured like a transition: the pull oracle watches
 * both stacks' pods, the foreign-objects oracle everything that is not the running stack's, the other stack's Secrets,
 * entries and grants included.
 *
 * <p>Each {@code pulumi up} here runs the program first, reading the ServiceAccounts (their lists and resource
 * versions) as they are at that moment, then carries out the update: the program's read and its patch's apply are
 * that far apart, and what the other stack or a controller does in between is what the scenarios put there.
 */
final class TwoStacks {

    private static final String LISTED = "[\"team-a\",\"team-b\"]";

    /** The team's stack: its own registry, the default Secret name and puller. */
    static final Configuration TEAM = Configurations.KEY_LISTED;

    static final Configuration TEAM_DETACHED =
            Configuration.of("key listed, detach", "namespaces", LISTED, "detach", "true");

    /** The shared registry's stack: another Secret name and puller (Google refuses a second account of one id). */
    static final Configuration SHARED = Configuration.of(
            "shared registry",
            "namespaces",
            LISTED,
            "registries",
            "[\"europe-west1-docker.pkg.dev/acme-shared/images\"]",
            "secretName",
            "shared-pull-secret",
            "serviceAccountId",
            "shared-puller");

    /** The entry another controller adds to team-a's {@code default} between a stack's read and its apply. */
    static final String LATE_ENTRY = "ci-cache-creds";

    private TwoStacks() {}

    /** One scenario: who is up before, and what happens in the measured part. */
    enum Scenario {
        SHARED_AFTER_TEAM("team up, then shared up"),
        TEAM_AGAIN_AFTER_SHARED("both up, then team up again"),
        INTERLEAVED("team reads, shared up, then team's update"),
        CONTROLLER_IN_THE_WINDOW("team reads for a new secretName, a controller adds an entry, then team's update"),
        SHARED_DESTROYED("both up, then shared destroyed"),
        TEAM_DETACHED("both up, then team detached");

        final String description;

        Scenario(String description) {
            this.description = description;
        }
    }

    static List<Transition.Outcome> all(Transition.Programs programs) {
        var outcomes = new ArrayList<Transition.Outcome>();
        for (var scenario : Scenario.values()) {
            outcomes.add(run(programs, scenario, ModelEngine.Misorder.NONE));
        }
        return outcomes;
    }

    /** A stack on the model, with its configuration and what its last program run declared. */
    private static final class Deployed {
        final Model.Stack stack;
        final Configuration configuration;
        final ForeignOracle.Ours ours;
        /** Its Pulumi stack's name: each stack records what it deployed under its own. */
        final String name;

        OfflineRun run;

        Deployed(
                Model.Stack stack,
                Configuration configuration,
                String madeBy,
                Set<String> secretNames,
                String account) {
            this.stack = stack;
            this.configuration = configuration;
            this.ours = new ForeignOracle.Ours(madeBy, secretNames, account + "@");
            this.name = madeBy;
        }
    }

    static Transition.Outcome run(Transition.Programs programs, Scenario scenario, ModelEngine.Misorder misorder) {
        var model = new Model();
        var team = new Deployed(
                model.another("team"), TEAM, "team", Set.of("registry-pull-secret", "team-pull"), "image-puller");
        var shared =
                new Deployed(model.another("shared"), SHARED, "shared", Set.of("shared-pull-secret"), "shared-puller");
        var deployed = new ArrayList<Deployed>();
        if (scenario != Scenario.INTERLEAVED) {
            setup(programs, model, team, deployed);
        }
        if (Set.of(Scenario.TEAM_AGAIN_AFTER_SHARED, Scenario.SHARED_DESTROYED, Scenario.TEAM_DETACHED)
                .contains(scenario)) {
            setup(programs, model, shared, deployed);
        }
        var before = ways(model, deployed);
        Transition.registries(before).forEach(model.oracle::knowRegistry);
        // During the update, the pods of a stack that stays; a stack that leaves (destroy, detach) owes its pods none.
        var leaving = scenario == Scenario.SHARED_DESTROYED ? shared : scenario == Scenario.TEAM_DETACHED ? team : null;
        model.oracle.expect(
                model.world,
                ways(model, deployed.stream().filter(stack -> stack != leaving).toList()));
        // Everything there now is someone else's to the stack that acts, the other stack's included.
        var acting =
                Set.of(Scenario.SHARED_AFTER_TEAM, Scenario.SHARED_DESTROYED).contains(scenario) ? shared : team;
        model.foreign.remember(model.world, acting.ours.managing(acting.stack.managers()));
        model.foreign.count(model.world);
        var steps = new ArrayList<ModelEngine.Step>();
        Optional<String> refusal;
        List<PullOracle.Way> after;
        switch (scenario) {
            case SHARED_AFTER_TEAM -> {
                refusal = up(programs, model, shared, SHARED, misorder, steps);
                after = ways(model, List.of(team, shared));
            }
            case TEAM_AGAIN_AFTER_SHARED -> {
                refusal = up(programs, model, team, TEAM, misorder, steps);
                after = before;
            }
            case SHARED_DESTROYED -> {
                shared.stack.misordered(misorder);
                var update = shared.stack.up(List.of(), List.of());
                steps.addAll(update.steps());
                refusal = update.failure();
                after = ways(model, List.of(team));
            }
            case TEAM_DETACHED -> {
                refusal = up(programs, model, team, TEAM_DETACHED, misorder, steps);
                after = ways(model, List.of(shared));
            }
            case INTERLEAVED -> {
                // The team's program reads the lists; the shared stack's whole `up` comes in between.
                var teamRead = programs.run(TEAM, Transition.TODAY, model, team.name);
                var sharedFailed = up(programs, model, shared, SHARED, ModelEngine.Misorder.NONE, steps);
                model.foreign.remember(model.world, team.ours.managing(team.stack.managers()));
                var failed = apply(team, teamRead, misorder, steps);
                // An `up` that failed before writing the list is run again, reading it afresh.
                var retried = failed.map(unused -> up(programs, model, team, TEAM, misorder, steps)
                        .map(again -> "; the next `up` fails too: " + again)
                        .orElse("; the next `up` succeeds"));
                refusal = sharedFailed.or(() -> failed.map(reason -> reason + retried.orElseThrow()));
                after = ways(model, List.of(team, shared));
            }
            case CONTROLLER_IN_THE_WINDOW -> {
                // A change that rewrites the list (our entry renamed), so that the patch is applied.
                var teamRead = programs.run(Configurations.KEY_LISTED_SECRET_NAME, Transition.TODAY, model, team.name);
                addLateEntry(model);
                refusal = apply(team, teamRead, misorder, steps);
                after = before;
            }
            default -> throw new IllegalStateException(scenario.name());
        }
        Transition.registries(after).forEach(model.oracle::knowRegistry);
        model.oracle.upEnded(model.world);
        model.oracle.expect(model.world, after);
        model.oracle.observe(model.world, "end of the update");
        model.world.advance(Transition.SETTLE_SECONDS);
        model.oracle.finish(model.world);
        return new Transition.Outcome(
                "two stacks (team registry, shared registry)",
                scenario.description,
                steps,
                refusal,
                model.oracle.windows(),
                model.foreign.losses(),
                List.of(),
                List.of());
    }

    /** Another controller (a plain update, as controllers write) adds its entry to team-a's {@code default}. */
    static void addLateEntry(Model model) {
        var account =
                model.world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        var listed = new ArrayList<>(ModelKyverno.imagePullSecrets(account));
        listed.add(LATE_ENTRY);
        model.world.cluster.write(
                "ci-cache-controller",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.copyOf(listed)),
                account.madeBy);
        model.foreign.rememberEntry("team-a", "default", LATE_ENTRY);
        model.world.stepped("ci-cache-controller: adds " + LATE_ENTRY + " to team-a/default");
    }

    private static void setup(Transition.Programs programs, Model model, Deployed stack, List<Deployed> deployed) {
        var steps = new ArrayList<ModelEngine.Step>();
        var failed = up(programs, model, stack, stack.configuration, ModelEngine.Misorder.NONE, steps);
        if (failed.isPresent()) {
            throw new IllegalStateException(stack.configuration.name() + " cannot be deployed: " + failed.get());
        }
        model.world.advance(Transition.SETTLE_SECONDS);
        deployed.add(stack);
    }

    /** A whole {@code pulumi up}: the program reads the cluster as it is now, then the update. */
    private static Optional<String> up(
            Transition.Programs programs,
            Model model,
            Deployed stack,
            Configuration configuration,
            ModelEngine.Misorder misorder,
            List<ModelEngine.Step> steps) {
        var run = programs.run(configuration, Transition.TODAY, model, stack.name);
        var refused = run.failure().map(error -> "refused by the program: " + error.getMessage());
        return refused.isPresent() ? refused : apply(stack, run, misorder, steps);
    }

    /** The update of a program run made earlier. */
    private static Optional<String> apply(
            Deployed stack, OfflineRun run, ModelEngine.Misorder misorder, List<ModelEngine.Step> steps) {
        stack.stack.misordered(misorder);
        var update = stack.stack.up(run.resources(), run.reads());
        steps.addAll(update.steps());
        if (update.failure().isEmpty()) {
            stack.run = run;
        }
        return update.failure();
    }

    private static List<PullOracle.Way> ways(Model model, List<Deployed> stacks) {
        var ways = new ArrayList<PullOracle.Way>();
        stacks.stream()
                .filter(stack -> stack.run != null)
                .forEach(stack -> ways.addAll(Transition.ways(model, stack.configuration, stack.run)));
        return ways;
    }
}
