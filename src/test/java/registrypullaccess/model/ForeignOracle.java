package registrypullaccess.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

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
    private record Fact(String what, Predicate<World> holds) {}

    private final List<Fact> facts = new ArrayList<>();
    private final Map<String, Loss> lost = new LinkedHashMap<>();
    private boolean counting;

    /**
     * What belongs to the stack being measured, and so is not someone else's: the objects its provider made, the
     * entries naming its Secrets, its Google account (and that account's keys and grants), and the fields of others'
     * objects that only its field managers own (its record of what it deployed, an annotation of the {@code default}
     * Namespace).
     */
    record Ours(String madeBy, Set<String> entries, String account, Set<String> managers) {
        static final Ours NOBODY = new Ours("", Set.of(), "", Set.of());

        Ours(String madeBy, Set<String> entries, String account) {
            this(madeBy, entries, account, Set.of());
        }

        /** The same, with the field managers its provider has used so far. */
        Ours managing(Set<String> fieldManagers) {
            return new Ours(madeBy, entries, account, Set.copyOf(fieldManagers));
        }

        boolean owns(String text) {
            return !account.isEmpty() && text.contains(account);
        }
    }

    /** Remembers everything in the cluster and the Google project now as someone else's. */
    void remember(World world) {
        remember(world, Ours.NOBODY);
    }

    /** Remembers everything now as someone else's but what is {@code ours}; may be called again as others act. */
    void remember(World world, Ours ours) {
        world.cluster.all().stream()
                .filter(object -> !object.madeBy.equals(ours.madeBy()))
                .forEach(object -> remember(object, ours));
        world.google.policies.forEach((policy, roles) -> roles.forEach((role, members) -> members.stream()
                .filter(member -> !ours.owns(member) && !ours.owns(policy))
                .forEach(member -> rememberMember(policy, role, member))));
        world.google.accounts.stream()
                .filter(account -> !ours.owns(account))
                .forEach(account -> facts.add(
                        new Fact("Google service account " + account, w -> w.google.accounts.contains(account))));
        world.google.keys.forEach((key, account) -> {
            if (!ours.owns(account)) {
                facts.add(new Fact("key " + key + " of " + account, w -> account.equals(w.google.keys.get(key))));
            }
        });
    }

    /** Remembers an object as someone else's, as it is now, but for the entries in its list that are ours. */
    private void remember(KObject object, Ours ours) {
        var uid = object.uid;
        var fields = new LinkedHashMap<>(object.fields);
        var entries = ModelKyverno.imagePullSecrets(object);
        fields.remove("imagePullSecrets");
        fields.keySet().removeIf(field -> {
            var managers = object.managers.getOrDefault(field, Set.of());
            return !managers.isEmpty() && ours.managers().containsAll(managers);
        });
        facts.add(new Fact(object.toString(), world -> {
            var live = world.cluster.get(object.kind, object.namespace, object.name);
            return live.isPresent()
                    && live.get().uid == uid
                    && fields.entrySet().stream()
                            .allMatch(field -> Objects.equals(live.get().fields.get(field.getKey()), field.getValue()));
        }));
        entries.stream()
                .filter(entry -> !ours.entries().contains(entry))
                .forEach(entry -> rememberEntry(object.namespace, object.name, entry));
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
