package registrypullaccess.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Would a pod created now pull? After every engine step and every controller event, for every way a pod is told to
 * pull ({@link Way}): the ServiceAccount it runs as lists a Secret (or the pod names one) that exists, has an entry for
 * the registry's host, and holds a credential that is valid now, for an identity with the reader grant now; or, with
 * node identity, the node's account has the grant. A period where a way fails is a broken-pull window.
 */
final class PullOracle implements World.Observer {

    static final String READER = "roles/artifactregistry.reader";

    /**
     * One way a pod pulls: in {@code namespace}, from {@code host} (Google repository {@code repository}, or none for
     * another registry), running as {@code serviceAccount} and naming {@code podSecrets} itself, or as the node
     * ({@code nodeMember}).
     */
    record Way(
            String namespace,
            String host,
            String repository,
            String serviceAccount,
            List<String> podSecrets,
            String nodeMember) {
        String describe() {
            var as = nodeMember != null
                    ? "node"
                    : podSecrets.isEmpty() ? "sa " + serviceAccount : "pod naming " + String.join(",", podSecrets);
            return namespace + " " + host + " (" + as + ")";
        }
    }

    /**
     * A broken-pull window: a way failed from one moment to another.
     *
     * @param from    where it began: {@code step N} of the update, or {@code +Ns} after it
     * @param to      where it ended, or {@code never} when it was still broken at the end of the settling period
     * @param seconds how long, in simulated seconds
     * @param cause   the step or controller event after which the way first failed
     */
    record Window(Way way, String from, String to, long seconds, String cause) {}

    private List<Way> expected = List.of();
    /** Ways watched before they are expected, to name what broke them: the step or event it was. */
    private final java.util.Set<Way> watched = new java.util.LinkedHashSet<>();

    private final Map<Way, Boolean> pulled = new HashMap<>();
    private final Map<Way, String> brokenBy = new HashMap<>();
    private final Map<String, String> repositories = new HashMap<>();
    private final Map<Way, Window> open = new LinkedHashMap<>();
    private final List<Window> windows = new ArrayList<>();
    private int step;
    private long upEnded = -1;

    static String repository(String project, String location, String repository) {
        return "projects/" + project + "/locations/" + location + "/repositories/" + repository;
    }

    /** The ways to check from now on; windows of ways no longer expected end here. */
    void expect(World world, List<Way> ways) {
        for (var way : List.copyOf(open.keySet())) {
            if (!ways.contains(way)) {
                close(world, way);
            }
        }
        expected = List.copyOf(ways);
        ways.forEach(way -> {
            if (way.repository() != null) {
                repositories.put(way.host(), way.repository());
            }
        });
    }

    /** Ways to follow before they are expected (the next configuration's), so that a window they open names its cause. */
    void watch(List<Way> ways) {
        watched.addAll(ways);
    }

    /** Registries a pull check may pull from: host to Google repository. */
    void knowRegistry(String host, String repository) {
        repositories.put(host, repository);
    }

    void step(int number) {
        step = number;
    }

    void upEnded(World world) {
        upEnded = world.now();
    }

    List<Window> windows() {
        return List.copyOf(windows);
    }

    @Override
    public void observe(World world, String cause) {
        for (var way : watched) {
            var pulls = canPull(world, way);
            if (!pulls && pulled.getOrDefault(way, false)) {
                brokenBy.put(way, cause);
            }
            pulled.put(way, pulls);
        }
        for (var way : expected) {
            var pulls = canPull(world, way);
            if (!pulls && !open.containsKey(way)) {
                open.put(way, new Window(way, moment(world), "", world.now(), brokenBy.getOrDefault(way, cause)));
            } else if (pulls && open.containsKey(way)) {
                close(world, way);
            }
        }
    }

    /** Ends the observation: what is still broken stays broken. */
    void finish(World world) {
        for (var way : List.copyOf(open.keySet())) {
            var started = open.remove(way);
            windows.add(new Window(way, started.from(), "never", world.now() - started.seconds(), started.cause()));
        }
    }

    private void close(World world, Way way) {
        var started = open.remove(way);
        windows.add(new Window(way, started.from(), moment(world), world.now() - started.seconds(), started.cause()));
    }

    private String moment(World world) {
        return upEnded < 0 ? "step " + step : "+" + (world.now() - upEnded) + "s";
    }

    boolean canPull(World world, Way way) {
        if (way.nodeMember() != null) {
            return world.google.granted(way.repository(), READER, way.nodeMember());
        }
        return canPull(world, way.namespace(), way.serviceAccount(), way.podSecrets(), way.host(), way.repository());
    }

    /** Whether a pod in the namespace, running as the account and naming the secrets, pulls from the host now. */
    boolean canPull(World world, String namespace, String serviceAccount, List<String> podSecrets, String host) {
        return canPull(world, namespace, serviceAccount, podSecrets, host, repositories.get(host));
    }

    private boolean canPull(
            World world,
            String namespace,
            String serviceAccount,
            List<String> podSecrets,
            String host,
            String repository) {
        var account = world.cluster.get("ServiceAccount", namespace, serviceAccount);
        if (account.isEmpty()) {
            return false; // no pod is admitted without its ServiceAccount
        }
        // A pod that names Secrets itself gets none of its ServiceAccount's: the ServiceAccount admission plugin copies
        // the account's list only into a pod that names none (kubernetes plugin/pkg/admission/serviceaccount/
        // admission.go, Admit: "if len(pod.Spec.ImagePullSecrets) == 0"; read through the code index, not at a tag).
        var names = podSecrets.isEmpty() ? ModelKyverno.imagePullSecrets(account.get()) : podSecrets;
        for (var name : names) {
            var secret = world.cluster.get("Secret", namespace, name);
            if (secret.isEmpty() || !(secret.get().fields.get("data") instanceof String data)) {
                continue;
            }
            var credential = credential(data, host);
            if (credential.isEmpty()) {
                continue;
            }
            if (repository == null) {
                return true; // another registry: its password is the stack's to keep right, not the model's
            }
            var identity = world.google.identity(credential.get()[0], credential.get()[1], world.now());
            if (identity.isPresent() && world.google.granted(repository, READER, "serviceAccount:" + identity.get())) {
                return true;
            }
        }
        return false;
    }

    /** Username and password for a host in a {@code .dockerconfigjson}, base64 as stored; {@code auth} wins. */
    static Optional<String[]> credential(String base64Data, String host) {
        JsonObject auths;
        try {
            var json = new String(Base64.getDecoder().decode(base64Data), StandardCharsets.UTF_8);
            auths = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("auths");
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        if (auths == null) {
            return Optional.empty();
        }
        var entry = auths.has(host) ? auths.get(host) : auths.get("https://" + host);
        if (entry == null || !entry.isJsonObject()) {
            return Optional.empty();
        }
        var object = entry.getAsJsonObject();
        if (object.has("auth")) {
            var pair = new String(Base64.getDecoder().decode(object.get("auth").getAsString()), StandardCharsets.UTF_8);
            var colon = pair.indexOf(':');
            return colon < 0
                    ? Optional.empty()
                    : Optional.of(new String[] {pair.substring(0, colon), pair.substring(colon + 1)});
        }
        if (!object.has("username") || !object.has("password")) {
            return Optional.empty();
        }
        var username = object.get("username").getAsString();
        var password = object.get("password").getAsString();
        if ("_json_key_base64".equals(username)) {
            password = new String(Base64.getDecoder().decode(password), StandardCharsets.UTF_8);
        }
        return Optional.of(new String[] {username, password});
    }
}
