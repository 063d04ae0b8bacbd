package registrypullaccess.model;

import registrypullaccess.offline.DeclaredResource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cluster and Google project, with Kyverno and ESO running, Kubernetes' ServiceAccount controller, the engine
 * and its providers, and the pull oracle watching; and what was there before any stack: namespaces {@link #WORKLOADS}
 * ({@code team-a} and {@code team-b} labelled {@code team: payments}), their {@code default} ServiceAccounts, a
 * {@code builder} in team-a and team-b, and another team's pull Secret listed in team-a's {@code default}.
 */
final class Model {

    /** The namespaces where workloads run before any stack. */
    static final List<String> WORKLOADS = List.of("default", "team-a", "team-b", "team-c");

    static final Map<String, String> PAYMENTS = Map.of("team", "payments");
    static final String FOREIGN_SECRET = "team-b-creds";

    final World world = new World();
    final PullOracle oracle = new PullOracle();
    private final ModelEngine engine;
    private List<StateResource> state = List.of();

    Model() {
        world.observe(oracle);
        // The controllers watch the cluster from here on.
        var unused = List.of(new ModelKyverno(world), new ModelEso(world));
        engine = new ModelEngine(world, new ModelProvider(world, oracle), oracle);
        // Kubernetes' ServiceAccount controller makes `default` in every new namespace.
        world.cluster.watch(change -> {
            if ("Namespace".equals(change.kind()) && change.type() == ModelCluster.Change.Kind.CREATED) {
                world.schedule(
                        1,
                        "kubernetes: default ServiceAccount in " + change.name(),
                        () -> world.cluster.write(
                                "kube-controller-manager",
                                "ServiceAccount",
                                change.name(),
                                "default",
                                Map.of(),
                                "kubernetes"));
            }
        });
        for (var namespace : List.of("kube-system", "default", "team-a", "team-b", "team-c")) {
            var labels = new LinkedHashMap<String, Object>();
            if (namespace.equals("team-a") || namespace.equals("team-b")) {
                PAYMENTS.forEach((key, value) -> labels.put("label:" + key, value));
            }
            world.cluster.write("foreign", "Namespace", "", namespace, labels, "foreign");
            world.cluster.write(
                    "kube-controller-manager", "ServiceAccount", namespace, "default", Map.of(), "kubernetes");
        }
        world.cluster.write("foreign", "ServiceAccount", "team-a", "builder", Map.of(), "foreign");
        world.cluster.write("foreign", "ServiceAccount", "team-b", "builder", Map.of(), "foreign");
        world.cluster.write(
                "kubectl-create",
                "Secret",
                "team-a",
                FOREIGN_SECRET,
                Map.of("type", "kubernetes.io/dockerconfigjson", "data", "e30="),
                "foreign");
        world.cluster.write(
                "kubectl-client-side-apply",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of(FOREIGN_SECRET)),
                "foreign");
        world.advance(5);
    }

    Model misordered(ModelEngine.Misorder misorder) {
        engine.misordered(misorder);
        return this;
    }

    /** What the program reads: every ServiceAccount's {@code imagePullSecrets}, keyed {@code namespace/name}. */
    Map<String, List<String>> liveImagePullSecrets() {
        var live = new LinkedHashMap<String, List<String>>();
        world.cluster.all("ServiceAccount").forEach(account -> {
            var listed = ModelKyverno.imagePullSecrets(account);
            if (!listed.isEmpty()) {
                live.put(account.namespace + "/" + account.name, listed);
            }
        });
        return live;
    }

    /** A {@code pulumi up} of what the program declared (a {@code destroy}: nothing declared). */
    ModelEngine.Update up(List<DeclaredResource> declared) {
        var update = engine.up(state, declared);
        state = update.state();
        return update;
    }

    /**
     * {@code pulumi up} as the CLI runs it: a preview first (see {@link ModelEngine#preview}); a failed preview stops
     * it before any step.
     *
     * @param asPreviewed what the program registered in the preview
     */
    ModelEngine.Update previewThenUp(List<DeclaredResource> declared, List<DeclaredResource> asPreviewed) {
        var failed = engine.preview(state, declared, asPreviewed);
        if (failed.isPresent()) {
            return new ModelEngine.Update(state, List.of(), failed);
        }
        return up(declared);
    }

    /** What an update to {@code declared} would create or replace (type and name). */
    java.util.Set<String> planned(List<DeclaredResource> declared) {
        return engine.planned(state, declared);
    }

    List<StateResource> state() {
        return state;
    }
}
