package registrypullaccess.model;

import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One cluster and Google project, with Kyverno and ESO running, Kubernetes' ServiceAccount controller, the engine
 * and its providers, and the pull and foreign-objects oracles watching; and what was there before any stack: namespaces {@link #WORKLOADS}
 * ({@code team-a} and {@code team-b} labelled {@code team: payments}, {@code team-a} and {@code team-c} {@code tier: web}), their {@code default} ServiceAccounts, a
 * {@code builder} in team-a and team-b, and another team's pull Secret listed in team-a's {@code default}; and what
 * other teams made besides ({@link #othersObjects}), which the foreign-objects oracle watches.
 */
final class Model {

    /** The namespaces where workloads run before any stack. */
    static final List<String> WORKLOADS = List.of("default", "team-a", "team-b", "team-c");

    static final Map<String, String> PAYMENTS = Map.of("team", "payments");
    /** A second label, on team-a and team-c: a selector on it covers one namespace the payments one does, and one not. */
    static final Map<String, String> WEB = Map.of("tier", "web");

    static final String FOREIGN_SECRET = "team-b-creds";
    static final String CI_ACCOUNT = "ci@" + Configuration.PROJECT + ".iam.gserviceaccount.com";

    final World world = new World();
    final PullOracle oracle = new PullOracle();
    final ForeignOracle foreign = new ForeignOracle();
    private final Stack stack;

    Model() {
        this(List.of());
    }

    /**
     * The same cluster, where someone else has also installed Helm releases by hand ({@code namespace/name}), each in a
     * namespace Helm created for it: releases no stack of this program recorded (issue 21).
     */
    static Model withReleasesInstalledByHand(List<String> releases) {
        return new Model(releases);
    }

    private Model(List<String> releasesInstalledByHand) {
        world.observe(oracle);
        world.observe(foreign);
        // The controllers watch the cluster from here on.
        var unused = List.of(new ModelKyverno(world), new ModelEso(world));
        stack = new Stack("stack");
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
            if (namespace.equals("team-a") || namespace.equals("team-c")) {
                WEB.forEach((key, value) -> labels.put("label:" + key, value));
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
        othersObjects();
        releasesInstalledByHand.forEach(release -> {
            var namespace = release.substring(0, release.indexOf('/'));
            var name = release.substring(release.indexOf('/') + 1);
            world.cluster.write("helm", "Namespace", "", namespace, Map.of(), "foreign");
            world.cluster.write(
                    "helm", "Release", namespace, name, Map.of("chart", name, "version", "by hand"), "foreign");
        });
        world.advance(5);
        foreign.remember(world);
    }

    /**
     * What other teams have in the cluster and the project before any stack (issue 26): a Secret in team-b, an entry
     * in team-b's {@code default}, a Kyverno policy that shares a CA into the payments namespaces (its copies made by
     * Kyverno), an ExternalSecret in team-b fed through a {@code ClusterSecretStore} (its Secret made by ESO), a CI
     * account with a key, and other members on the policies this program grants on: the repository's reader role, its
     * writer role, the project.
     */
    private void othersObjects() {
        var cluster = world.cluster;
        cluster.write(
                "kubectl-create", "Secret", "team-b", "team-b-tls", Map.of("type", "kubernetes.io/tls"), "foreign");
        cluster.write(
                "kubectl-client-side-apply",
                "ServiceAccount",
                "team-b",
                "default",
                Map.of("imagePullSecrets", List.of("team-b-registry")),
                "foreign");
        cluster.write(
                "kubectl-create", "Secret", "team-c", "shared-ca", Map.of("type", "Opaque", "data", "Y2E="), "foreign");
        cluster.write(
                "kubectl-client-side-apply",
                "ClusterPolicy",
                "",
                "team-c-share-ca",
                Map.of(
                        "spec",
                        Map.of(
                                "rules",
                                List.of(Map.of(
                                        "name", "share-ca",
                                        "match",
                                                Map.of(
                                                        "any",
                                                        List.of(Map.of(
                                                                "resources",
                                                                Map.of(
                                                                        "kinds",
                                                                        List.of("Namespace"),
                                                                        "selector",
                                                                        Map.of("matchLabels", PAYMENTS))))),
                                        "generate",
                                                Map.of(
                                                        "synchronize", true,
                                                        "apiVersion", "v1",
                                                        "kind", "Secret",
                                                        "name", "shared-ca",
                                                        "namespace", "{{request.object.metadata.name}}",
                                                        "clone",
                                                                Map.of("namespace", "team-c", "name", "shared-ca")))))),
                "foreign");
        cluster.write(
                "kubectl-create",
                "Secret",
                "team-c",
                "db-credentials",
                Map.of("type", "Opaque", "data", "ZGI="),
                "foreign");
        cluster.write(
                "kubectl-client-side-apply",
                "ClusterSecretStore",
                "",
                "team-c-store",
                Map.of("spec", Map.of("provider", Map.of("kubernetes", Map.of("remoteNamespace", "team-c")))),
                "foreign");
        cluster.write(
                "kubectl-client-side-apply",
                "ExternalSecret",
                "team-b",
                "db-credentials",
                Map.of(
                        "spec",
                        Map.of(
                                "refreshInterval", "1h",
                                "secretStoreRef", Map.of("kind", "ClusterSecretStore", "name", "team-c-store"),
                                "target",
                                        Map.of(
                                                "name",
                                                "db-credentials",
                                                "creationPolicy",
                                                "Owner",
                                                "template",
                                                Map.of("type", "Opaque")),
                                "data",
                                        List.of(Map.of(
                                                "secretKey",
                                                "password",
                                                "remoteRef",
                                                Map.of("key", "db-credentials"))))),
                "foreign");
        var google = world.google;
        var repository = PullOracle.repository(Configuration.PROJECT, "europe", "eu.gcr.io");
        google.addMember(repository, PullOracle.READER, "group:platform@acme.example");
        google.addMember(repository, "roles/artifactregistry.writer", "serviceAccount:" + CI_ACCOUNT);
        google.addMember("projects/" + Configuration.PROJECT, "roles/viewer", "group:auditors@acme.example");
        google.accounts.add(CI_ACCOUNT);
        google.keys.put("ci-key-1", CI_ACCOUNT);
    }

    /**
     * A stack of this program on the model cluster: its own engine, provider (field managers of its own) and state.
     * The first is {@code stack}; another on the same cluster has another name, which prefixes its steps' names.
     */
    final class Stack {
        private final ModelProvider provider;
        private final ModelEngine engine;
        private List<StateResource> state = List.of();

        private Stack(String name) {
            provider = new ModelProvider(world, oracle, name);
            engine = new ModelEngine(world, provider, oracle).labelled("stack".equals(name) ? "" : name + ": ");
        }

        /** A {@code pulumi up} of what the program declared and read (a {@code destroy}: nothing). */
        ModelEngine.Update up(List<DeclaredResource> declared, List<DeclaredResource.Read> reads) {
            var update = engine.up(state, declared, reads);
            state = update.state();
            return update;
        }

        ModelEngine.Update previewThenUp(
                List<DeclaredResource> declared,
                List<DeclaredResource.Read> reads,
                List<DeclaredResource> asPreviewed) {
            var failed = engine.preview(state, declared, asPreviewed);
            if (failed.isPresent()) {
                return new ModelEngine.Update(state, List.of(), failed);
            }
            return up(declared, reads);
        }

        /** The field managers this stack's provider has applied with. */
        Set<String> managers() {
            return provider.managers();
        }

        Stack misordered(ModelEngine.Misorder misorder) {
            engine.misordered(misorder);
            return this;
        }
    }

    /** Another stack of this program on the same cluster. */
    Stack another(String name) {
        return new Stack(name);
    }

    Model misordered(ModelEngine.Misorder misorder) {
        stack.misordered(misorder);
        return this;
    }

    /**
     * What the program can read of the cluster now.
     *
     * @param lists      every ServiceAccount's {@code imagePullSecrets}, keyed {@code namespace/name}
     * @param versions   every ServiceAccount's resource version, keyed {@code namespace/name}
     * @param namespaces every Namespace's labels and annotations, by name
     * @param objects    the Secrets and ConfigMaps that exist, {@code Kind namespace/name}: a read of any other fails
     */
    record Live(
            Map<String, List<String>> lists,
            Map<String, String> versions,
            Map<String, FakeGoogleCloud.LiveNamespace> namespaces,
            Set<String> objects) {
        /** The providers' answers, the ServiceAccounts and Namespaces read as they are. */
        FakeGoogleCloud cloud() {
            return new FakeGoogleCloud(lists).withResourceVersions(versions).withNamespaces(namespaces);
        }
    }

    Live live() {
        return new Live(liveImagePullSecrets(), liveResourceVersions(), liveNamespaces(), liveObjects());
    }

    /** What the program reads besides the lists: every ServiceAccount's resource version, keyed {@code namespace/name}. */
    Map<String, String> liveResourceVersions() {
        var versions = new LinkedHashMap<String, String>();
        world.cluster
                .all("ServiceAccount")
                .forEach(account -> versions.put(account.namespace + "/" + account.name, account.resourceVersion));
        return versions;
    }

    /** Every Namespace's labels and annotations (the stack's record of what it deployed is an annotation). */
    private Map<String, FakeGoogleCloud.LiveNamespace> liveNamespaces() {
        var namespaces = new TreeMap<String, FakeGoogleCloud.LiveNamespace>();
        world.cluster.all("Namespace").forEach(namespace -> {
            var labels = new TreeMap<String, String>();
            var annotations = new TreeMap<String, String>();
            namespace.fields.forEach((field, value) -> {
                if (field.startsWith("label:")) {
                    labels.put(field.substring("label:".length()), String.valueOf(value));
                } else if (field.startsWith("annotation:")) {
                    annotations.put(field.substring("annotation:".length()), String.valueOf(value));
                }
            });
            namespaces.put(namespace.name, new FakeGoogleCloud.LiveNamespace(labels, annotations));
        });
        return namespaces;
    }

    /** The Secrets and ConfigMaps that exist, {@code Kind namespace/name}: what the program may read. */
    private Set<String> liveObjects() {
        var objects = new TreeSet<String>();
        for (var kind : List.of("Secret", "ConfigMap")) {
            world.cluster.all(kind).forEach(object -> objects.add(kind + " " + object.namespace + "/" + object.name));
        }
        return objects;
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

    /**
     * The entries in ServiceAccounts' {@code imagePullSecrets} that name no Secret in their namespace and were not in
     * {@code before} (the lists as the fixture made them: other teams' entries, one of which names no Secret either),
     * {@code namespace/serviceAccount: name}. The kubelet skips such an entry, so it breaks no pull; but one a stack
     * left behind for a Secret it renamed is an entry of ours that is no longer current (issue 21).
     */
    List<String> dangling(Map<String, List<String>> before) {
        var dangling = new ArrayList<String>();
        liveImagePullSecrets().forEach((account, names) -> {
            var namespace = account.substring(0, account.indexOf('/'));
            names.stream()
                    .filter(name -> !before.getOrDefault(account, List.of()).contains(name))
                    .filter(name -> world.cluster.get("Secret", namespace, name).isEmpty())
                    .forEach(name -> dangling.add(account + ": " + name));
        });
        return List.copyOf(dangling);
    }

    /** A {@code pulumi up} of what the program declared and read (a {@code destroy}: nothing). */
    ModelEngine.Update up(List<DeclaredResource> declared, List<DeclaredResource.Read> reads) {
        return stack.up(declared, reads);
    }

    /**
     * {@code pulumi up} as the CLI runs it: a preview first (see {@link ModelEngine#preview}); a failed preview stops
     * it before any step.
     *
     * @param asPreviewed what the program registered in the preview
     */
    ModelEngine.Update previewThenUp(
            List<DeclaredResource> declared, List<DeclaredResource.Read> reads, List<DeclaredResource> asPreviewed) {
        return stack.previewThenUp(declared, reads, asPreviewed);
    }

    /** What an update to {@code declared} would create or replace (type and name). */
    Set<String> planned(List<DeclaredResource> declared) {
        return stack.engine.planned(stack.state, declared);
    }

    List<StateResource> state() {
        return stack.state;
    }
}
