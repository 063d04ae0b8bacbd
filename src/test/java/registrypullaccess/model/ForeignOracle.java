package registrypullaccess.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Is anything of anyone else's lost? The second half of the promise, checked after every engine step and every
 * controller event: every object the stack did not create (another team's Secret, a namespace, a ServiceAccount,
 * another team's Kyverno policy and ESO objects, what Kyverno and ESO made for them), every entry others listed in a
 * ServiceAccount's {@code imagePullSecrets}, and every IAM member others granted, as they were when {@link #remember}
 * saw them, must still be there, unchanged.
 *
 * <p>"Unchanged" is field by field: a field the object had must keep its value (the stack may add its own fields:
 * its entry in a ServiceAccount's list, an annotation); an object deleted, or deleted and made again (another uid),
 * is lost. A ServiceAccount's {@code imagePullSecrets} is checked entry by entry: ours may be added, none of theirs
 * may go, even for a moment.
 */
final class ForeignOracle implements World.Observer {

    /** Something of someone else's that was lost or changed, and the step or event after which it first was. */
    record Loss(String what, String cause) {}

    /** One thing that must hold for as long as the model runs. */
    private record Fact(String what, java.util.function.Predicate<World> holds) {}

    private final List<Fact> facts = new ArrayList<>();
    private final Map<String, Loss> lost = new LinkedHashMap<>();
    private boolean counting;

    /** Remembers everything in the cluster and the Google project now as someone else's. */
    void remember(World world) {
        world.cluster.all().forEach(this::remember);
        world.google.policies.forEach((policy, roles) ->
                roles.forEach((role, members) -> members.forEach(member -> rememberMember(policy, role, member))));
        world.google.accounts.forEach(account ->
                facts.add(new Fact("Google service account " + account, w -> w.google.accounts.contains(account))));
        world.google.keys.forEach((key, account) ->
                facts.add(new Fact("key " + key + " of " + account, w -> account.equals(w.google.keys.get(key)))));
    }

    /** Remembers an object as someone else's, as it is now. */
    void remember(KObject object) {
        var uid = object.uid;
        var fields = new LinkedHashMap<>(object.fields);
        var entries = ModelKyverno.imagePullSecrets(object);
        fields.remove("imagePullSecrets");
        facts.add(new Fact(object.toString(), world -> {
            var live = world.cluster.get(object.kind, object.namespace, object.name);
            return live.isPresent()
                    && live.get().uid == uid
                    && fields.entrySet().stream()
                            .allMatch(field -> Objects.equals(live.get().fields.get(field.getKey()), field.getValue()));
        }));
        entries.forEach(entry -> rememberEntry(object.namespace, object.name, entry));
    }

    /** Remembers an entry someone else put in a ServiceAccount's {@code imagePullSecrets}. */
    void rememberEntry(String namespace, String serviceAccount, String entry) {
        facts.add(new Fact(
                "entry " + entry + " in ServiceAccount " + namespace + "/" + serviceAccount + " imagePullSecrets",
                world -> world.cluster
                        .get("ServiceAccount", namespace, serviceAccount)
                        .map(account -> ModelKyverno.imagePullSecrets(account).contains(entry))
                        .orElse(false)));
    }

    private void rememberMember(String policy, String role, String member) {
        facts.add(new Fact(
                "IAM member " + member + " in " + role + " on " + policy,
                world -> world.google.granted(policy, role, member)));
    }

    /**
     * Losses count from here on. What no longer holds is forgotten: it was lost in the setup, which its own transition
     * measures (the first {@code up} of that configuration).
     */
    void count(World world) {
        facts.removeIf(fact -> !fact.holds.test(world));
        counting = true;
    }

    @Override
    public void observe(World world, String cause) {
        if (!counting) {
            return;
        }
        for (var fact : facts) {
            if (!lost.containsKey(fact.what) && !fact.holds.test(world)) {
                lost.put(fact.what, new Loss(fact.what, cause));
            }
        }
    }

    /** Every fact lost or changed since {@link #count}, each once, with the first cause. */
    List<Loss> losses() {
        return List.copyOf(lost.values());
    }
}
