package registrypullaccess.model;

import registrypullaccess.App;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.settings.ConfigSource;
import registrypullaccess.settings.Settings;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static registrypullaccess.model.ModelKyverno.list;
import static registrypullaccess.model.ModelKyverno.map;

/**
 * One change of configuration on a live cluster, measured: the real program runs for the first configuration and the
 * model carries out its update and lets the controllers settle; then the program runs for the second, reading the
 * model cluster's live ServiceAccounts, and the model carries out that update and settles, the pull oracle watching
 * every step and event. During the update pods follow the first configuration's instructions (where the second still
 * covers the namespace and registry); from its end, the second's (the first's, if the update failed).
 */
final class Transition {

    /** Long enough for Kyverno's hourly scan, two ESO refreshes and a token's expiry. */
    static final long SETTLE_SECONDS = 7200;

    static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

    /** The pull check's image: in a repository every configuration of the matrix grants. */
    static final String CHECK_IMAGE = "eu.gcr.io/acme-dev/tools/check:1";

    /**
     * What a transition did.
     *
     * @param refusal why the program refused the second configuration or the update failed, if it did
     * @param foreign what of someone else's the update or the controllers after it lost or changed
     * @param dangling the entries the stacks put in ServiceAccounts' {@code imagePullSecrets} that name no Secret once
     *                 the controllers have settled, {@code namespace/serviceAccount: name} ({@link Model#dangling})
     */
    record Outcome(
            String from,
            String to,
            List<ModelEngine.Step> steps,
            Optional<String> refusal,
            List<PullOracle.Window> windows,
            List<ForeignOracle.Loss> foreign,
            List<String> dangling) {
        String name() {
            return from + " -> " + to;
        }
    }

    /** Runs the real program, remembering each answer: the same configuration, date and cluster give the same. */
    static final class Programs {
        private final Map<String, OfflineRun> runs = new HashMap<>();
        private final Map<String, OfflineRun> recorded = new HashMap<>();
        private int executed;

        /** Answers for {@code configuration} with what an earlier version of the program declared. */
        void recorded(Configuration configuration, Recording recording) {
            recorded.put(configuration.name(), recording.run());
        }

        /** The program as it runs now on the model's cluster, reading what it reads as it is. */
        OfflineRun run(Configuration configuration, LocalDate date, Model model) {
            return run(configuration, date, model.live());
        }

        /**
         * The same, as the Pulumi stack of the given name: another stack of this program on the same cluster, which
         * records what it deployed under its own name.
         */
        OfflineRun run(Configuration configuration, LocalDate date, Model model, String stackName) {
            var live = model.live();
            return runs.computeIfAbsent(
                    stackName + "|" + configuration.name() + "|" + date + "|" + live,
                    unused -> execute(configuration, date, keys(live), false, stackName));
        }

        OfflineRun run(Configuration configuration, LocalDate date, Model.Live live) {
            if (recorded.containsKey(configuration.name())) {
                return recorded.get(configuration.name());
            }
            return runs.computeIfAbsent(
                    configuration.name() + "|" + date + "|" + live,
                    unused -> execute(configuration, date, keys(live), false, OfflineRun.STACK));
        }

        /**
         * The program in the preview of an update that creates or replaces {@code planned} (type and name): as the
         * engine answers in a preview, those have no id and no outputs but their inputs (pulumi-kubernetes returns
         * the inputs, or the dry run's object; a bridged provider leaves computed outputs unknown), so what the
         * program derives from them is unknown.
         */
        OfflineRun preview(Configuration configuration, LocalDate date, Model.Live live, Set<String> planned) {
            if (recorded.containsKey(configuration.name())) {
                return recorded.get(configuration.name()); // a recording knows every input
            }
            var keys = keys(live);
            return runs.computeIfAbsent(
                    "preview|" + configuration.name() + "|" + date + "|" + live + "|" + planned,
                    unused -> execute(
                            configuration,
                            date,
                            new com.pulumi.test.Mocks() {
                                @Override
                                public java.util.concurrent.CompletableFuture<ResourceResult> newResourceAsync(
                                        ResourceArgs args) {
                                    var creating = args.id == null || args.id.isEmpty();
                                    if (creating && planned.contains(args.type + "::" + args.name)) {
                                        return java.util.concurrent.CompletableFuture.completedFuture(
                                                ResourceResult.of(Optional.empty(), args.inputs));
                                    }
                                    // Inputs derived from what is planned are missing here: the fake cloud's
                                    // outputs need them, the engine's preview would answer with the inputs.
                                    return keys.newResourceAsync(args)
                                            .exceptionally(unknownInputs ->
                                                    ResourceResult.of(Optional.of(args.name + "-id"), args.inputs));
                                }

                                @Override
                                public java.util.concurrent.CompletableFuture<Map<String, Object>> callAsync(
                                        CallArgs args) {
                                    return keys.callAsync(args);
                                }
                            },
                            true,
                            OfflineRun.STACK));
        }

        /** The providers' answers on the model cluster as it is now. */
        private static ModelKeys keys(Model.Live live) {
            return new ModelKeys(live.cloud(), live.objects());
        }

        private OfflineRun execute(
                Configuration configuration,
                LocalDate date,
                com.pulumi.test.Mocks mocks,
                boolean preview,
                String stackName) {
            executed++;
            var secretKeys = configuration.keys().containsKey("otherRegistries")
                    ? Set.of("registry-pull-access:otherRegistries")
                    : Set.<String>of();
            return OfflineRun.run(
                    mocks,
                    preview,
                    configuration.config(),
                    secretKeys,
                    ctx -> App.declare(ctx, Settings.fromConfig(ConfigSource.of(ctx)), date),
                    stackName);
        }

        int executed() {
            return executed;
        }
    }

    private Transition() {}

    /**
     * @param from the configuration deployed before, or empty for a first {@code up}
     * @param to   the configuration deployed after, or empty for a {@code destroy}
     */
    static Outcome run(
            Programs programs,
            Optional<Configuration> from,
            LocalDate fromDate,
            Optional<Configuration> to,
            LocalDate toDate,
            ModelEngine.Misorder misorder) {
        return run(programs, from, fromDate, to, toDate, misorder, 0);
    }

    /**
     * The same, with Google's trust grants taking effect {@code trustPropagationSeconds} after they are made: ESO's
     * first mint comes late (docs/model.md, "A slow first mint").
     */
    static Outcome run(
            Programs programs,
            Optional<Configuration> from,
            LocalDate fromDate,
            Optional<Configuration> to,
            LocalDate toDate,
            ModelEngine.Misorder misorder,
            long trustPropagationSeconds) {
        return run(programs, List.of(), from, fromDate, to, toDate, misorder, trustPropagationSeconds);
    }

    /**
     * A change from {@code from} deployed on a cluster where {@code earlier} were deployed in turn before it: what an
     * update leaves behind for the next one, measured.
     */
    static Outcome afterEarlier(Programs programs, List<Configuration> earlier, Configuration from, Configuration to) {
        return run(programs, earlier, Optional.of(from), TODAY, Optional.of(to), TODAY, ModelEngine.Misorder.NONE, 0);
    }

    private static Outcome run(
            Programs programs,
            List<Configuration> earlier,
            Optional<Configuration> from,
            LocalDate fromDate,
            Optional<Configuration> to,
            LocalDate toDate,
            ModelEngine.Misorder misorder,
            long trustPropagationSeconds) {
        var model = new Model();
        model.world.google.trustPropagationSeconds = trustPropagationSeconds;
        var fixture = model.liveImagePullSecrets();
        earlier.forEach(configuration -> deploy(programs, configuration, fromDate, model));
        List<PullOracle.Way> before = List.of();
        if (from.isPresent()) {
            var first = deploy(programs, from.get(), fromDate, model);
            before = namingToo(ways(model, from.get(), first), to.flatMap(next -> next.key("podsNameNewSecret")));
        }
        var name = from.map(Configuration::name).orElse("(none)") + (fromDate.equals(toDate) ? "" : " (rotated)");
        model.misordered(misorder);
        model.foreign.count(model.world);
        return update(programs, model, fixture, name, before, to, toDate).outcome();
    }

    /**
     * Updates in turn on {@code model} (a cluster as someone else left it), from nothing or from {@code from}
     * deployed: what each did, the pull oracle and the foreign-objects oracle watching throughout. An update that
     * failed or was refused leaves pods following the last configuration deployed.
     */
    static List<Outcome> inTurn(
            Programs programs, Model model, Optional<Configuration> from, List<Configuration> updates) {
        var fixture = model.liveImagePullSecrets();
        List<PullOracle.Way> before = List.of();
        var name = "(none)";
        if (from.isPresent()) {
            before = ways(model, from.get(), deploy(programs, from.get(), TODAY, model));
            name = from.get().name();
        }
        model.foreign.count(model.world);
        var outcomes = new ArrayList<Outcome>();
        for (var to : updates) {
            var windowsBefore = model.oracle.windows().size();
            var lossesBefore = model.foreign.losses().size();
            var updated = update(programs, model, fixture, name, before, Optional.of(to), TODAY);
            var outcome = updated.outcome();
            outcomes.add(new Outcome(
                    outcome.from(),
                    outcome.to(),
                    outcome.steps(),
                    outcome.refusal(),
                    outcome.windows().subList(windowsBefore, outcome.windows().size()),
                    outcome.foreign().subList(lossesBefore, outcome.foreign().size()),
                    outcome.dangling()));
            if (outcome.refusal().isEmpty()) {
                before = updated.after();
                name = to.name();
            }
        }
        return List.copyOf(outcomes);
    }

    /** An update measured, and the ways pods pull once it has passed. */
    private record Measured(Outcome outcome, List<PullOracle.Way> after) {}

    /** Runs the program for {@code to} on the model as it is, carries out its update and lets the controllers settle. */
    private static Measured update(
            Programs programs,
            Model model,
            Map<String, List<String>> fixture,
            String name,
            List<PullOracle.Way> before,
            Optional<Configuration> to,
            LocalDate toDate) {
        var target = to.map(Configuration::name).orElse("(destroy)");
        var live = model.live();
        var second = to.map(configuration -> programs.run(configuration, toDate, live));
        var refusal = second.flatMap(OfflineRun::failure).map(error -> "refused by the program: " + firstLine(error));
        List<PullOracle.Way> after = second.filter(run -> refusal.isEmpty())
                .map(run -> ways(model, to.get(), run))
                .orElse(List.of());
        var during = before.stream().filter(way -> covers(after, way)).toList();
        if (refusal.isPresent()) {
            return new Measured(new Outcome(name, target, List.of(), refusal, List.of(), List.of(), List.of()), after);
        }
        registries(after).forEach(model.oracle::knowRegistry);
        model.oracle.watch(after);
        model.oracle.expect(model.world, during);
        var declared = second.map(OfflineRun::resources).orElse(List.of());
        var planned = model.planned(declared);
        var previewed = to.map(configuration ->
                        programs.preview(configuration, toDate, live, planned).resources())
                .orElse(List.of());
        var update = model.previewThenUp(declared, second.map(OfflineRun::reads).orElse(List.of()), previewed);
        model.oracle.upEnded(model.world);
        model.oracle.expect(model.world, update.failure().isPresent() ? during : after);
        model.oracle.observe(model.world, "end of the update");
        model.world.advance(SETTLE_SECONDS);
        model.oracle.finish(model.world);
        return new Measured(
                new Outcome(
                        name,
                        target,
                        update.steps(),
                        update.failure(),
                        model.oracle.windows(),
                        model.foreign.losses(),
                        model.dangling(fixture)),
                after);
    }

    /**
     * Deploys a configuration on a fresh model cluster, and lets the controllers settle. A first {@code up} that has
     * Kyverno cover namespaces needs the pull check (the program refuses it without: DeployedShape, firstCoverRefusal):
     * such a configuration is deployed the way that refusal names, with the check ({@link #CHECK_IMAGE}), then without.
     */
    private static OfflineRun deploy(Programs programs, Configuration configuration, LocalDate date, Model model) {
        var run = programs.run(configuration, date, model);
        var needsCheck = run.failure()
                .map(Throwable::getMessage)
                .filter(message -> message.contains("`pulumi config set registry-pull-access:verifyImage <image>`"));
        if (needsCheck.isPresent() && !configuration.keys().containsKey("verifyImage")) {
            var keys = new HashMap<>(configuration.keys());
            keys.put("verifyImage", CHECK_IMAGE);
            var checked = new Configuration(configuration.name() + " (with the check)", Map.copyOf(keys));
            up(checked, model, programs.run(checked, date, model));
            run = programs.run(configuration, date, model);
        }
        return up(configuration, model, run);
    }

    /** Carries out the update of a run that must succeed, and lets the controllers settle. */
    private static OfflineRun up(Configuration configuration, Model model, OfflineRun run) {
        var setup = run.failure()
                .map(Throwable::getMessage)
                .or(() -> model.up(run.resources(), run.reads()).failure());
        if (setup.isPresent()) {
            throw new IllegalStateException(configuration.name() + " cannot be deployed: " + setup.get());
        }
        model.world.advance(SETTLE_SECONDS);
        return run;
    }

    /**
     * A live stack of an earlier version of the program (what it declared, recorded) upgraded to today's program
     * with the same configuration, one of the matrix's.
     */
    static Outcome upgrade(Programs programs, String recording) {
        var earlier = Recording.load(recording);
        var today = Configurations.ALL.stream()
                .filter(configuration -> configuration.keys().equals(earlier.keys()))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException(recording + " is not one of the matrix's configurations"));
        var deployed = new Configuration(today.name() + " (at " + earlier.commit() + ")", today.keys());
        programs.recorded(deployed, earlier);
        return run(programs, Optional.of(deployed), TODAY, Optional.of(today), TODAY, ModelEngine.Misorder.NONE);
    }

    private static String firstLine(Throwable error) {
        var message = String.valueOf(error.getMessage());
        return message.lines()
                .skip(message.lines().count() > 1 ? 1 : 0)
                .findFirst()
                .orElse(message)
                .trim();
    }

    private static boolean covers(List<PullOracle.Way> ways, PullOracle.Way way) {
        return ways.stream()
                .anyMatch(other -> other.namespace().equals(way.namespace())
                        && other.host().equals(way.host()));
    }

    static Map<String, String> registries(List<PullOracle.Way> ways) {
        var registries = new HashMap<String, String>();
        ways.stream()
                .filter(way -> way.repository() != null)
                .forEach(way -> registries.put(way.host(), way.repository()));
        return registries;
    }

    /**
     * The pods that name the Secret themselves, naming {@code newSecret} too: what a configuration with
     * {@code podsNameNewSecret} says the user did before its update (the program's PerPodRename; the model's pods
     * cannot edit themselves, so the user's step is taken as done, which the key is there to attest).
     */
    private static List<PullOracle.Way> namingToo(List<PullOracle.Way> ways, Optional<String> newSecret) {
        return ways.stream()
                .map(way -> way.podSecrets().isEmpty() || newSecret.isEmpty()
                        ? way
                        : new PullOracle.Way(
                                way.namespace(),
                                way.host(),
                                way.repository(),
                                way.serviceAccount(),
                                java.util.stream.Stream.concat(way.podSecrets().stream(), newSecret.stream())
                                        .distinct()
                                        .toList(),
                                way.nodeMember()))
                .toList();
    }

    /** How the configuration tells pods to pull, where, from what: read from its outputs and keys. */
    static List<PullOracle.Way> ways(Model model, Configuration configuration, OfflineRun run) {
        if (configuration.detach()) {
            return List.of();
        }
        var outputs = run.outputs();
        var namespaces = configuration.clusterWide()
                ? Model.WORKLOADS.stream()
                        .filter(namespace -> !namespace.equals(outputs.get("homeNamespace")))
                        .filter(namespace -> !configuration.excluded().contains(namespace))
                        .filter(namespace -> configuration.selector().isEmpty()
                                || model.world
                                        .cluster
                                        .get("Namespace", "", namespace)
                                        .map(live -> ModelKyverno.labelled(live, Map.copyOf(configuration.selector())))
                                        .orElse(false))
                        .toList()
                : list(outputs.get("namespaces")).stream()
                        .map(String.class::cast)
                        .toList();
        var node = "node".equals(configuration.keys().get("credentials"))
                ? "serviceAccount:" + outputs.get("serviceAccountEmail")
                : null;
        var podSecrets = list(outputs.get("imagePullSecrets")).stream()
                .map(entry -> (String) map(entry).get("name"))
                .toList();
        var ways = new ArrayList<PullOracle.Way>();
        for (var namespace : namespaces) {
            for (var registry : list(outputs.get("registries"))) {
                var host = (String) map(registry).get("host");
                var resource = (String) map(registry).get("resource");
                if (node != null) {
                    ways.add(new PullOracle.Way(namespace, host, resource, "default", List.of(), node));
                } else if (!podSecrets.isEmpty()) {
                    ways.add(new PullOracle.Way(namespace, host, resource, "default", podSecrets, null));
                } else {
                    for (var account : configuration.serviceAccounts()) {
                        ways.add(new PullOracle.Way(namespace, host, resource, account, List.of(), null));
                    }
                }
            }
        }
        return ways;
    }
}
