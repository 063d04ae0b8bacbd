package registrypullaccess.model;

import com.google.gson.Gson;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.model.ModelCluster.Change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kyverno v1.19.0's background controller for the two kinds of rule this program declares, acting on the model
 * cluster after the engine's steps (see docs/model.md for the source read):
 *
 * <ul>
 *   <li>clone with {@code synchronize}: a copy in each matching namespace on namespace creation, and, with
 *       {@code generateExisting}, on policy creation; a source change is copied when the source carries Kyverno's
 *       clone-source label, otherwise at the hourly background scan; a copy deleted or changed by someone else is
 *       put back; a missing source is retried {@value #MISSING_SOURCE_RETRIES} times, then left to the hourly scan;
 *       deleting the policy deletes its copies;
 *   <li>mutate: the add-on-create rule on admission of a ServiceAccount; mutate-existing rules when the policy is
 *       created or updated ({@code mutateExistingOnPolicyUpdate}) and when a matching ServiceAccount changes. A
 *       mutation is never reverted when the policy goes.
 * </ul>
 */
final class ModelKyverno {

    static final String MANAGER = "kyverno";
    static final String POLICY_LABEL = "generate.kyverno.io/policy-name";
    static final String CLONE_SOURCE_LABEL = "generate.kyverno.io/clone-source";
    static final long SCAN_SECONDS = 3600;
    static final long REACTION_SECONDS = 2;
    static final int MISSING_SOURCE_RETRIES = 5;
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String BACKGROUND_CONTROLLER = "system:serviceaccount:kyverno:kyverno-background-controller";
    static final String ADMISSION_CONTROLLER = "system:serviceaccount:kyverno:kyverno-admission-controller";

    private final World world;
    private final ModelCluster cluster;

    ModelKyverno(World world) {
        this.world = world;
        this.cluster = world.cluster;
        cluster.watch(this::react);
        cluster.admission(this::admit);
        scheduleScan();
    }

    private void scheduleScan() {
        var next = SCAN_SECONDS - world.now() % SCAN_SECONDS;
        world.schedule(next, "kyverno: hourly background scan", () -> {
            policies()
                    .forEach(policy -> copyPolicy(policy)
                            .ifPresent(copy -> matchingNamespaces(copy)
                                    .forEach(namespace -> generate(policy.name, namespace, MISSING_SOURCE_RETRIES))));
            cluster.all("ServiceAccount").forEach(account -> mutate(account, false));
            scheduleScan();
        });
    }

    private void react(Change change) {
        if (MANAGER.equals(change.manager())) {
            return;
        }
        switch (change.kind()) {
            case "ClusterPolicy" -> policyChanged(change);
            case "Namespace" -> {
                if (change.type() == Change.Kind.CREATED) {
                    for (var policy : policies()) {
                        copyPolicy(policy)
                                .filter(copy -> matchingNamespaces(copy).contains(change.name()))
                                .ifPresent(copy -> world.schedule(
                                        REACTION_SECONDS,
                                        "kyverno: copy into new namespace " + change.name(),
                                        () -> generate(policy.name, change.name(), 0)));
                    }
                }
            }
            case "Secret" -> secretChanged(change);
            case "ServiceAccount" -> serviceAccountChanged(change);
            default -> {}
        }
    }

    private void policyChanged(Change change) {
        if (change.type() == Change.Kind.DELETED) {
            // v1.19.0: deleting a synchronized clone policy deletes its copies (orphanDownstreamOnPolicyDelete false).
            // The copies are those labelled with the policy when the delete event arrives (pkg/policy/
            // policy_controller.go, deletePolicy; pkg/policy/generate.go, createURForDownstreamDeletion, listed in the
            // update request's GeneratedResources); the background controller deletes each by name later
            // (pkg/background/generate/cleanup.go, deleteDownstream), whether a policy of that name is back by then
            // or not, and whoever wrote the object since.
            var copies = copies(change.name());
            world.schedule(
                    REACTION_SECONDS,
                    "kyverno: policy " + change.name() + " deleted, its copies deleted",
                    () -> copies.forEach(copy -> cluster.get("Secret", copy.namespace, copy.name)
                            .ifPresent(live -> cluster.delete("Secret", live.namespace, live.name, MANAGER))));
            return;
        }
        var policy = cluster.get("ClusterPolicy", "", change.name()).orElseThrow();
        copyPolicy(policy)
                .ifPresent(copy -> world.schedule(
                        REACTION_SECONDS,
                        "kyverno: generateExisting for policy " + policy.name,
                        () -> matchingNamespaces(copy).forEach(namespace -> generate(policy.name, namespace, 0))));
        if (!mutateRules(policy).isEmpty()) {
            world.schedule(
                    REACTION_SECONDS,
                    "kyverno: mutate existing ServiceAccounts for policy " + policy.name,
                    () -> cluster.all("ServiceAccount").forEach(account -> mutate(account, false)));
        }
    }

    /**
     * Kyverno's webhook sees a Secret's writes by the labels of its old version: a watched source (clone-source label)
     * syncs or, deleted, deletes its copies; a copy (policy-name and managed-by labels) changed or deleted by someone
     * else is put back from the source. A source's first appearance triggers nothing.
     */
    private void secretChanged(Change change) {
        if (change.type() == Change.Kind.CREATED) {
            return;
        }
        var policyName = change.labelBefore(POLICY_LABEL);
        if (policyName != null && "kyverno".equals(change.labelBefore(MANAGED_BY))) {
            world.schedule(
                    REACTION_SECONDS,
                    "kyverno: copy " + change.namespace() + "/" + change.name() + " resynchronized",
                    () -> generate((String) policyName, change.namespace(), MISSING_SOURCE_RETRIES));
            return;
        }
        if (change.labelBefore(CLONE_SOURCE_LABEL) == null) {
            return;
        }
        for (var policy : policies()) {
            var rule = copyPolicy(policy);
            if (rule.isEmpty()
                    || !rule.get().sourceNamespace.equals(change.namespace())
                    || !rule.get().sourceName.equals(change.name())) {
                continue;
            }
            if (change.type() == Change.Kind.DELETED) {
                world.schedule(
                        REACTION_SECONDS,
                        "kyverno: source " + change.namespace() + "/" + change.name() + " deleted, its copies deleted",
                        () -> deleteCopies(policy.name));
            } else {
                world.schedule(
                        REACTION_SECONDS,
                        "kyverno: source " + change.namespace() + "/" + change.name() + " changed, copies synced",
                        () -> matchingNamespaces(rule.get())
                                .forEach(namespace -> generate(policy.name, namespace, MISSING_SOURCE_RETRIES)));
            }
        }
    }

    /** Every object with the policy's downstream labels, whoever writes it now. */
    private List<KObject> copies(String policyName) {
        return cluster.all("Secret").stream()
                .filter(secret ->
                        policyName.equals(secret.label(POLICY_LABEL)) && "kyverno".equals(secret.label(MANAGED_BY)))
                .toList();
    }

    private void deleteCopies(String policyName) {
        copies(policyName).forEach(secret -> cluster.delete("Secret", secret.namespace, secret.name, MANAGER));
    }

    private void serviceAccountChanged(Change change) {
        if (change.type() == Change.Kind.DELETED) {
            return;
        }
        var account =
                cluster.get("ServiceAccount", change.namespace(), change.name()).orElseThrow();
        if (change.type() == Change.Kind.CREATED) {
            mutate(account, true);
        }
        world.schedule(
                REACTION_SECONDS,
                "kyverno: mutate-existing on ServiceAccount " + change.namespace() + "/" + change.name(),
                () -> cluster.get("ServiceAccount", change.namespace(), change.name())
                        .ifPresent(live -> mutate(live, false)));
    }

    /** Copies the source into a namespace, retrying a missing source a few times. */
    private void generate(String policyName, String namespace, int attempt) {
        var policy = cluster.get("ClusterPolicy", "", policyName);
        if (policy.isEmpty() || cluster.get("Namespace", "", namespace).isEmpty()) {
            return;
        }
        var rule = copyPolicy(policy.get()).orElseThrow();
        var source = cluster.get("Secret", rule.sourceNamespace, rule.sourceName);
        if (source.isEmpty()) {
            if (attempt < MISSING_SOURCE_RETRIES) {
                world.schedule(
                        1,
                        "kyverno: retry copy of missing source into " + namespace,
                        () -> generate(policyName, namespace, attempt + 1));
            }
            return;
        }
        if (source.get().label(CLONE_SOURCE_LABEL) == null) {
            cluster.write(
                    MANAGER,
                    "Secret",
                    rule.sourceNamespace,
                    rule.sourceName,
                    Map.of("label:" + CLONE_SOURCE_LABEL, ""),
                    MANAGER);
        }
        // The copy: the source (tagged clone-source in memory first) with Kyverno's labels.
        var copied = new LinkedHashMap<String, Object>(source.get().fields);
        copied.put("label:" + CLONE_SOURCE_LABEL, "");
        copied.put("label:generate.kyverno.io/source-namespace", rule.sourceNamespace);
        copied.put("label:generate.kyverno.io/source-kind", "Secret");
        copied.put("label:" + MANAGED_BY, "kyverno");
        copied.put("label:" + POLICY_LABEL, policyName);
        copied.put("label:generate.kyverno.io/rule-name", "copy-pull-secret");
        var existing = cluster.get("Secret", namespace, rule.secretName);
        // A copy into another namespace carries no owner references (v1.19.0 pkg/background/generate/clone.go,
        // manageClone: SetOwnerReferences(nil)), and Kyverno's update puts that copy in place of the object: whatever
        // owned a same-named Secret there owns it no more.
        var unchanged = existing.isPresent()
                && existing.get().owners.isEmpty()
                && copied.entrySet().stream()
                        .allMatch(field -> Objects.equals(existing.get().fields.get(field.getKey()), field.getValue()));
        if (!unchanged) {
            cluster.write(MANAGER, "Secret", namespace, rule.secretName, copied, MANAGER)
                    .owners
                    .clear();
        }
    }

    /**
     * Kyverno's policy validating webhook ({@code pkg/validation/policy/validate.go} {@code Validate}), for what this
     * program declares: on an update, a generate rule whose pattern stays while the rest of the rule (its match too,
     * when the old policy synchronizes) changes is refused ({@code generate.go} {@code immutableGenerateFields}; a
     * changed pattern is admitted with a warning, and nothing after that check runs); then each rule's controller must
     * already be allowed to carry it out ({@code actions.go} {@code validateActions}): a clone rule needs get and
     * create on the kind for the background controller (update and delete too, and get and list for the admission
     * controller, when it synchronizes; {@code pkg/policy/generate/validate.go} {@code canIGenerate}), a mutate rule
     * with targets and no foreach needs get and update on the target kind ({@code pkg/policy/mutate/validate.go}).
     * Permissions are those of the ClusterRoles aggregated to each controller (worse case: Kyverno's own roles grant
     * none of these; aggregation takes effect at once).
     */
    private void admit(
            String kind, String namespace, String name, Map<String, Object> before, Map<String, Object> after) {
        if (!"ClusterPolicy".equals(kind)) {
            return;
        }
        var rules = ruleList(after.get("spec"));
        if (before != null) {
            var old = ruleList(before.get("spec"));
            var synchronizing = old.stream()
                    .anyMatch(rule ->
                            Boolean.TRUE.equals(map(rule.get("generate")).get("synchronize")));
            var oldPatterns = new ArrayList<Object>();
            var oldRest = new ArrayList<Object>();
            var newPatterns = new ArrayList<Object>();
            var newRest = new ArrayList<Object>();
            generateHashes(old, synchronizing, oldPatterns, oldRest);
            generateHashes(rules, synchronizing, newPatterns, newRest);
            if (!newPatterns.containsAll(oldPatterns)) {
                return; // "changes in the generate rule pattern could result in stale targets": a warning only
            }
            if (!newRest.containsAll(oldRest)) {
                throw new ModelCluster.Refused("admission webhook \"validate-policy.kyverno.svc\" denied the request:"
                        + " changes of immutable fields of a rule spec in a generate rule is disallowed");
            }
        }
        for (int index = 0; index < rules.size(); index++) {
            var rule = rules.get(index);
            var generate = map(rule.get("generate"));
            if (!generate.isEmpty()) {
                var synchronize = Boolean.TRUE.equals(generate.get("synchronize"));
                var resource = (String) generate.get("kind");
                if (synchronize) {
                    requirePermissions(index, "generate", ADMISSION_CONTROLLER, List.of("list", "get"), resource);
                }
                requirePermissions(
                        index,
                        "generate",
                        BACKGROUND_CONTROLLER,
                        synchronize ? List.of("get", "create", "update", "delete") : List.of("get", "create"),
                        resource);
            }
            var mutate = map(rule.get("mutate"));
            if (list(mutate.get("foreach")).isEmpty()) {
                for (var target : list(mutate.get("targets"))) {
                    requirePermissions(
                            index, "mutate.targets", BACKGROUND_CONTROLLER, List.of("get", "update"), (String)
                                    map(target).get("kind"));
                }
            }
        }
    }

    /** The hashes {@code immutableGenerateFields} compares, as values: each generate pattern, each rest of a rule. */
    private static void generateHashes(
            List<Map<String, Object>> rules, boolean synchronizing, List<Object> patterns, List<Object> rest) {
        for (var rule : rules) {
            if (!rule.containsKey("generate")) {
                continue;
            }
            var pattern = new LinkedHashMap<>(map(rule.get("generate")));
            pattern.put("synchronize", true);
            pattern.put("orphanDownstreamOnPolicyDelete", true);
            pattern.remove("data");
            pattern.remove("foreach");
            pattern.remove("generateExisting");
            patterns.add(pattern);
            var others = new LinkedHashMap<>(rule);
            others.remove("generate");
            if (!synchronizing) {
                others.remove("match");
            }
            rest.add(others);
        }
    }

    /** {@code pkg/policy/auth/auth.go} {@code CanI}, against the ClusterRoles aggregated to the controller. */
    private void requirePermissions(int index, String path, String controller, List<String> verbs, String kind) {
        var resource = kind.toLowerCase(java.util.Locale.ROOT) + "s";
        var aggregation = ADMISSION_CONTROLLER.equals(controller)
                ? "label:rbac.kyverno.io/aggregate-to-admission-controller"
                : "label:rbac.kyverno.io/aggregate-to-background-controller";
        var granted = new java.util.HashSet<Object>();
        cluster.all("ClusterRole").stream()
                .filter(role -> "true".equals(role.fields.get(aggregation)))
                .flatMap(role -> list(role.fields.get("rules")).stream())
                .map(ModelKyverno::map)
                .filter(rule -> list(rule.get("apiGroups")).contains("")
                        && (list(rule.get("resources")).contains(resource)
                                || list(rule.get("resources")).contains("*")))
                .forEach(rule -> granted.addAll(list(rule.get("verbs"))));
        if (!granted.contains("*") && !granted.containsAll(verbs)) {
            throw new ModelCluster.Refused("admission webhook \"validate-policy.kyverno.svc\" denied the request: path:"
                    + " spec.rules[" + index + "]." + path + ".: " + controller + " requires permissions "
                    + String.join(",", verbs) + " for resource " + kind);
        }
    }

    private static List<Map<String, Object>> ruleList(Object spec) {
        @SuppressWarnings("unchecked")
        var rules = (List<Map<String, Object>>) map(spec).getOrDefault("rules", List.of());
        return rules;
    }

    /** Applies every matching mutate rule to a ServiceAccount: on admission ones, or the background ones. */
    private void mutate(KObject account, boolean admission) {
        for (var policy : policies()) {
            for (var rule : mutateRules(policy)) {
                if (rule.onCreate != admission || !rule.matches(account, cluster) || rule.secretName == null) {
                    continue;
                }
                var listed = new ArrayList<>(imagePullSecrets(account));
                var changed =
                        rule.remove ? listed.removeIf(rule.secretName::equals) : !listed.contains(rule.secretName);
                if (changed) {
                    if (!rule.remove) {
                        listed.add(rule.secretName);
                    }
                    cluster.write(
                            MANAGER,
                            "ServiceAccount",
                            account.namespace,
                            account.name,
                            Map.of("imagePullSecrets", List.copyOf(listed)),
                            account.madeBy);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> imagePullSecrets(KObject account) {
        return (List<String>) account.fields.getOrDefault("imagePullSecrets", List.of());
    }

    private List<KObject> policies() {
        return cluster.all("ClusterPolicy");
    }

    /** A clone rule: copy {@code sourceNamespace/sourceName} as {@code secretName} into matching namespaces. */
    record CopyRule(
            String sourceNamespace,
            String sourceName,
            String secretName,
            Map<String, Object> selector,
            List<?> excluded) {}

    /** A ServiceAccount rule: add (or remove) {@code secretName} in matching ServiceAccounts. */
    record MutateRule(
            boolean onCreate,
            boolean remove,
            String secretName,
            List<?> names,
            List<?> namespaces,
            Map<String, Object> namespaceSelector,
            List<?> excludedNamespaces) {
        /** A match's {@code namespaces}, when given, limits it to those (v1.19.0 pkg/engine/utils/match.go). */
        boolean matches(KObject account, ModelCluster cluster) {
            if (!names.contains(account.name)
                    || (!namespaces.isEmpty() && !namespaces.contains(account.namespace))
                    || excludedNamespaces.contains(account.namespace)) {
                return false;
            }
            var namespace = cluster.get("Namespace", "", account.namespace);
            return namespace.isPresent() && labelled(namespace.get(), namespaceSelector);
        }
    }

    static Optional<CopyRule> copyPolicy(KObject policy) {
        for (var rule : rules(policy)) {
            if (map(rule.get("generate")).get("clone") instanceof Map<?, ?> clone) {
                var generate = map(rule.get("generate"));
                var resources =
                        map(map(first(map(rule.get("match")).get("any"))).get("resources"));
                var excluded =
                        map(map(first(map(rule.get("exclude")).get("any"))).get("resources"));
                return Optional.of(new CopyRule(
                        (String) clone.get("namespace"),
                        (String) clone.get("name"),
                        (String) generate.get("name"),
                        map(map(resources.get("selector")).get("matchLabels")),
                        list(excluded.get("names"))));
            }
        }
        return Optional.empty();
    }

    static List<MutateRule> mutateRules(KObject policy) {
        var found = new ArrayList<MutateRule>();
        for (var rule : rules(policy)) {
            var mutate = map(rule.get("mutate"));
            if (mutate.isEmpty()) {
                continue;
            }
            var resources = map(map(first(map(rule.get("match")).get("any"))).get("resources"));
            var excluded = map(map(first(map(rule.get("exclude")).get("any"))).get("resources"));
            var foreach = list(mutate.get("foreach"));
            var remove = !foreach.isEmpty();
            var secretName = remove
                    ? (String) map(first(list(map(map(first(foreach)).get("preconditions"))
                                    .get("all"))))
                            .get("value")
                    : patchedName((String) mutate.get("patchesJson6902"));
            found.add(new MutateRule(
                    list(resources.get("operations")).contains("CREATE"),
                    remove,
                    secretName,
                    list(resources.get("names")),
                    list(resources.get("namespaces")),
                    map(map(resources.get("namespaceSelector")).get("matchLabels")),
                    list(excluded.get("namespaces"))));
        }
        return found;
    }

    /**
     * The name an add patch lists, as Kyverno reads the patch: kyverno v1.19.0
     * {@code pkg/engine/mutate/patch/patchesUtils.go} {@code convertPatchesToJSON} takes a patch that starts with
     * '[' as JSON, and converts any other from YAML with sigs.k8s.io/yaml v1.6.0 {@code YAMLToJSON} (go.yaml.in/yaml
     * v2: YAML 1.1, where {@code true}, {@code yes}, {@code on}, {@code null}, {@code 123}, {@code 1.0},
     * {@code 0x1f} are not strings). SnakeYAML reads YAML 1.1 too, but not {@code y}/{@code n} as booleans, which
     * go-yaml v2's resolve table does (not read here: the worse case is modelled). A name that is not a string
     * lists nothing: the API server refuses it, or (null) stores an empty name. Null here means that.
     */
    static String patchedName(String patch) {
        Object parsed = patch.startsWith("[") ? new Gson().fromJson(patch, List.class) : new Yaml().load(patch);
        var name = map(map(first(list(parsed))).get("value")).get("name");
        if (!patch.startsWith("[") && List.of("y", "Y", "n", "N").contains(name)) {
            return null;
        }
        return name instanceof String string ? string : null;
    }

    List<String> matchingNamespaces(CopyRule rule) {
        return cluster.all("Namespace").stream()
                .filter(namespace -> !rule.excluded.contains(namespace.name))
                .filter(namespace -> labelled(namespace, rule.selector))
                .map(namespace -> namespace.name)
                .toList();
    }

    static boolean labelled(KObject object, Map<String, Object> matchLabels) {
        return matchLabels.entrySet().stream()
                .allMatch(label -> Objects.equals(object.label(label.getKey()), label.getValue()));
    }

    private static List<Map<String, Object>> rules(KObject policy) {
        return ruleList(policy.fields.get("spec"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static Object first(Object value) {
        var list = list(value);
        return list.isEmpty() ? Map.of() : list.get(0);
    }
}
