package registrypullaccess.model;

import registrypullaccess.model.ModelCluster.Change;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static registrypullaccess.model.ModelKyverno.list;
import static registrypullaccess.model.ModelKyverno.map;

/**
 * External Secrets Operator v2.9.0 for an {@code ExternalSecret} fed by a {@code GCRAccessToken} generator (see
 * docs/model.md for the source read):
 *
 * <ul>
 *   <li>it writes its target Secret only once its identity can mint (the minting ServiceAccount exists, the Google
 *       account exists, and the workload identity grant is in place at that moment);
 *   <li>with {@code creationPolicy: Owner} the Secret carries an owner reference to the ExternalSecret and goes with
 *       it; the template's labels and annotations replace the Secret's ({@code mergePolicy: Replace});
 *   <li>it refreshes every {@code refreshInterval}; a changed generator is seen at the next refresh, a changed
 *       ExternalSecret at once;
 *   <li>a mint takes {@value #MINT_SECONDS} s (the generator's calls to the API server and Google), during which the
 *       ExternalSecret's copies read the Secret as it was;
 *   <li>on failure it backs off, doubling from {@value #FIRST_BACKOFF_SECONDS} s up to {@value #MAX_BACKOFF_SECONDS} s,
 *       and reports Ready false; a Secret deleted or changed under it is written again at the next reconcile, which its
 *       watch on owned Secrets starts within a second (docs/model.md, ESO).
 * </ul>
 */
final class ModelEso {

    static final String MANAGER = "external-secrets";
    static final long FIRST_BACKOFF_SECONDS = 1;
    static final String MANAGED_LABEL = "reconcile.external-secrets.io/managed";
    static final long MAX_BACKOFF_SECONDS = 420;
    static final long REACTION_SECONDS = 1;
    /**
     * How long a mint through a {@code GCRAccessToken} generator takes: a token request to the API server, Google's
     * STS exchange and IAM Credentials' {@code generateAccessToken}, one after the other within one reconcile (ESO
     * v2.9.0 {@code generators/v1/gcr/gcr.go}, {@code providers/v1/gcp/secretmanager/workload_identity.go}). Not
     * measured (no cluster here): a few hundred milliseconds each; the model takes the worse case of seconds, longer
     * than the engine's step from the home ExternalSecret to the copies, so a copy synced at once reads the old token.
     */
    static final long MINT_SECONDS = 3;

    private static final Pattern INTERVAL = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private final World world;
    private final ModelCluster cluster;
    /** ExternalSecret key to the number of its latest queued reconcile. */
    private final Map<String, Long> queued = new HashMap<>();

    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Boolean> ready = new HashMap<>();

    ModelEso(World world) {
        this.world = world;
        this.cluster = world.cluster;
        cluster.watch(this::react);
    }

    /** Whether the ExternalSecret's last sync succeeded (its Ready condition). */
    boolean ready(String namespace, String name) {
        return ready.getOrDefault(KObject.key("ExternalSecret", namespace, name), false);
    }

    private void react(Change change) {
        if (MANAGER.equals(change.manager())) {
            return;
        }
        if ("Secret".equals(change.kind()) && "true".equals(change.labelBefore(MANAGED_LABEL))) {
            // ESO watches the metadata of the Secrets it manages: one changed or deleted is made valid again at once.
            cluster.all("ExternalSecret").stream()
                    .filter(es -> es.namespace.equals(change.namespace())
                            && change.name()
                                    .equals(map(map(es.fields.get("spec")).get("target"))
                                            .get("name")))
                    .forEach(es ->
                            reconcileLater(es.namespace, es.name, es.uid, REACTION_SECONDS, "saw its Secret change"));
            return;
        }
        if (!"ExternalSecret".equals(change.kind())) {
            return;
        }
        var key = KObject.key(change.kind(), change.namespace(), change.name());
        if (change.type() == Change.Kind.DELETED) {
            ready.remove(key);
            failures.remove(key);
            return;
        }
        var uid = cluster.get(change.kind(), change.namespace(), change.name()).orElseThrow().uid;
        reconcileLater(change.namespace(), change.name(), uid, REACTION_SECONDS, "changed");
    }

    /** Queues a reconcile; only the latest queued for an ExternalSecret runs, as with a workqueue. */
    private void reconcileLater(String namespace, String name, long uid, long delay, String why) {
        var key = KObject.key("ExternalSecret", namespace, name);
        var ticket = queued.merge(key, 1L, Long::sum);
        world.schedule(delay, "eso: ExternalSecret " + namespace + "/" + name + " " + why, () -> {
            if (queued.get(key).longValue() == ticket) {
                reconcile(namespace, name, uid);
            }
        });
    }

    private void reconcile(String namespace, String name, long uid) {
        var externalSecret = cluster.get("ExternalSecret", namespace, name);
        if (externalSecret.isEmpty() || externalSecret.get().uid != uid) {
            return;
        }
        var key = externalSecret.get().key();
        var spec = map(externalSecret.get().fields.get("spec"));
        var minted = spec.containsKey("secretStoreRef")
                ? fromStore(spec)
                : mint(namespace, spec)
                        .map(token -> dockerConfig(
                                (String) map(map(map(map(spec.get("target")).get("template"))
                                                        .get("metadata"))
                                                .get("annotations"))
                                        .get("registry-pull-access/hosts"),
                                token));
        if (minted.isEmpty()) {
            ready.put(key, false);
            var failed = failures.merge(key, 1, Integer::sum);
            var backoff = Math.min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS << Math.min(failed - 1, 20));
            reconcileLater(namespace, name, uid, backoff, "retried after failing to mint");
            return;
        }
        failures.remove(key);
        if (spec.containsKey("secretStoreRef")) {
            written(externalSecret.get(), spec, minted.get());
            return;
        }
        world.schedule(
                MINT_SECONDS,
                "eso: ExternalSecret " + namespace + "/" + name + " minted",
                () -> cluster.get("ExternalSecret", namespace, name)
                        .filter(live -> live.uid == uid)
                        .ifPresent(live -> written(live, spec, minted.get())));
    }

    private void written(KObject externalSecret, Map<String, Object> spec, String data) {
        var namespace = externalSecret.namespace;
        var name = externalSecret.name;
        ready.put(externalSecret.key(), true);
        write(externalSecret, map(spec.get("target")), data);
        reconcileLater(namespace, name, externalSecret.uid, seconds((String) spec.get("refreshInterval")), "refreshed");
        // Nothing to do at expiry but to look: the oracle sees the token stop working.
        world.schedule(ModelGoogle.TOKEN_SECONDS, "google: token in " + namespace + "/" + name + " expired", () -> {});
    }

    /** A token from the generator the ExternalSecret names, if its identity can mint now. */
    private Optional<String> mint(String namespace, Map<String, Object> spec) {
        var generatorRef =
                map(map(map(first(spec.get("dataFrom"))).get("sourceRef")).get("generatorRef"));
        var generator = cluster.get("GCRAccessToken", namespace, (String) generatorRef.get("name"));
        if (generator.isEmpty()) {
            return Optional.empty();
        }
        var generatorSpec = map(generator.get().fields.get("spec"));
        var project = (String) generatorSpec.get("projectID");
        var auth = map(generatorSpec.get("auth"));
        var gke = map(auth.get("workloadIdentity"));
        var federation = map(auth.get("workloadIdentityFederation"));
        var minter = (String)
                map((gke.isEmpty() ? federation : gke).get("serviceAccountRef")).get("name");
        var serviceAccount = cluster.get("ServiceAccount", namespace, minter);
        if (serviceAccount.isEmpty()) {
            return Optional.empty();
        }
        if (!gke.isEmpty()) {
            var email = serviceAccount.get().annotation("iam.gke.io/gcp-service-account");
            var member =
                    "serviceAccount:" + gke.get("clusterProjectID") + ".svc.id.goog[" + namespace + "/" + minter + "]";
            return email == null ? Optional.empty() : world.google.mint(project, email, member, world.now());
        }
        var audience = (String) federation.get("audience");
        var provider = audience.replaceFirst("^//iam.googleapis.com/", "");
        var pool = provider.replaceFirst("/providers/.*$", "");
        if (!world.google.pools.contains(pool) || !world.google.pools.contains(provider)) {
            return Optional.empty();
        }
        var member =
                "principal://iam.googleapis.com/" + pool + "/subject/system:serviceaccount:" + namespace + ":" + minter;
        return world.google.mint(project, (String) federation.get("gcpServiceAccountEmail"), member, world.now());
    }

    private void write(KObject externalSecret, Map<String, Object> target, String data) {
        var template = map(target.get("template"));
        var metadata = map(template.get("metadata"));
        var fields = new LinkedHashMap<String, Object>();
        // Labels and annotations others put there stay; the template's are added, with ESO's own.
        fields.put("label:" + MANAGED_LABEL, "true");
        map(metadata.get("labels")).forEach((label, value) -> fields.put("label:" + label, value));
        map(metadata.get("annotations")).forEach((annotation, value) -> fields.put("annotation:" + annotation, value));
        fields.put("type", template.get("type"));
        fields.put("data", data);
        var secret = cluster.write(
                MANAGER, "Secret", externalSecret.namespace, (String) target.get("name"), fields, MANAGER);
        if ("Owner".equals(target.get("creationPolicy"))) {
            // SetControllerReference adds ESO's reference beside any other owner's (one that is not a controller).
            secret.owners.add(externalSecret.key());
        }
    }

    /**
     * The Kubernetes provider of a {@code ClusterSecretStore}: the {@code .dockerconfigjson} of a Secret in the store's
     * remote namespace (the store's own RBAC is not modelled: its reader may always read).
     */
    private Optional<String> fromStore(Map<String, Object> spec) {
        var store = cluster.get("ClusterSecretStore", "", (String)
                map(spec.get("secretStoreRef")).get("name"));
        if (store.isEmpty()) {
            return Optional.empty();
        }
        var remoteNamespace = (String)
                map(map(map(store.get().fields.get("spec")).get("provider")).get("kubernetes"))
                        .get("remoteNamespace");
        var key = (String) map(map(first(spec.get("data"))).get("remoteRef")).get("key");
        return cluster.get("Secret", remoteNamespace, key).map(secret -> (String) secret.fields.get("data"));
    }

    /** What the token template writes: an entry per host, with the token as password. */
    private static String dockerConfig(String hosts, String token) {
        var auths = new StringBuilder("{\"auths\":{");
        var separator = "";
        for (var host : hosts.split(",", -1)) {
            auths.append(separator)
                    .append('"')
                    .append(host)
                    .append("\":{\"username\":\"oauth2accesstoken\",\"password\":\"")
                    .append(token)
                    .append("\"}");
            separator = ",";
        }
        return Base64.getEncoder().encodeToString(auths.append("}}").toString().getBytes(StandardCharsets.UTF_8));
    }

    static long seconds(String interval) {
        var matcher = INTERVAL.matcher(interval);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + interval);
        }
        long total = 0;
        long[] units = {3600, 60, 1};
        for (int group = 1; group <= 3; group++) {
            if (matcher.group(group) != null) {
                total += Long.parseLong(matcher.group(group)) * units[group - 1];
            }
        }
        return total;
    }

    private static Object first(Object value) {
        var items = list(value);
        return items.isEmpty() ? Map.of() : items.get(0);
    }
}
