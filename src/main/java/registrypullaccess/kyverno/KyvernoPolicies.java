package registrypullaccess.kyverno;

import com.google.gson.Gson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The two Kyverno {@code ClusterPolicy} specs of cluster-wide coverage, as plain maps, for Kyverno
 * {@value #KYVERNO_VERSION} ({@code kyverno.io/v1}); no Pulumi here. Two policies, not one, because they change
 * differently: Kyverno refuses most changes to a synchronised generate rule, so the copy policy is replaced
 * whenever it changes, while the ServiceAccount policy is updated in place (its rules swap for {@code detach}
 * without touching a copy).
 *
 * <p>The copy policy, for Secret {@code regcred} in home namespace {@code registry-pull-access}:
 * <pre>
 * rules:
 * - name: copy-pull-secret
 *   match: {any: [{resources: {kinds: [Namespace], selector: {matchLabels: {team: payments}}}}]}
 *   exclude: {any: [{resources: {kinds: [Namespace], names: [kube-system, ..., registry-pull-access]}}]}
 *   generate: {generateExisting: true, synchronize: true, apiVersion: v1, kind: Secret, name: regcred,
 *              namespace: "{{request.object.metadata.name}}", clone: {namespace: registry-pull-access, name: regcred}}
 * </pre>
 */
public final class KyvernoPolicies {

    public static final String KYVERNO_VERSION = "v1.19.0";
    public static final String CHART = "kyverno";
    public static final String CHART_VERSION = "3.9.0";
    public static final String CHART_REPOSITORY = "https://kyverno.github.io/kyverno/";
    /** The release name, and the namespace the pinned chart is installed in, when the stack installs it. */
    public static final String RELEASE = "kyverno";

    public static final String NAMESPACE = "kyverno";
    /** Namespaces Kyverno's default resource filters ignore (v1.19.0 charts/kyverno/values.yaml): no Secret seen. */
    public static final List<String> IGNORED_NAMESPACES =
            List.of("kube-system", "kube-public", "kube-node-lease", NAMESPACE);

    public static final String API_VERSION = "kyverno.io/v1";
    public static final String KIND = "ClusterPolicy";

    public static final String COPY_RULE = "copy-pull-secret";
    public static final String ADD_ON_CREATE_RULE = "add-pull-secret-on-create";
    public static final String ADD_TO_EXISTING_RULE = "add-pull-secret-to-existing";
    public static final String REMOVE_RULE = "remove-pull-secret";
    /** Followed by 1, 2...: a rule that takes out a former entry of ours. */
    public static final String REMOVE_FORMER_RULE = "remove-former-pull-secret-";

    /** One for every digest: Gson is thread-safe and caches its type adapters per instance (1,000 digests at 1,000). */
    private static final Gson JSON = new Gson();

    /**
     * What the policies cover.
     *
     * @param secretName      the pull Secret's name, in the home namespace and in every copy
     * @param home            the namespace of the source Secret
     * @param selector        labels a covered namespace carries; empty: every namespace
     * @param excluded        namespaces never covered
     * @param serviceAccounts the ServiceAccounts, in every covered namespace, that list the Secret
     */
    public record Scope(
            String secretName,
            String home,
            Map<String, String> selector,
            List<String> excluded,
            List<String> serviceAccounts) {
        public Scope {
            selector = Map.copyOf(selector);
            excluded = List.copyOf(excluded);
            serviceAccounts = List.copyOf(serviceAccounts);
        }
    }

    private KyvernoPolicies() {}

    /** Copies the Secret into every covered namespace, existing and future, and keeps the copies in sync. */
    public static Map<String, Object> copySpec(Scope scope) {
        var namespaces = new LinkedHashMap<String, Object>();
        namespaces.put("kinds", List.of("Namespace"));
        // A Namespace has no namespace: its own labels are matched with `selector`, not `namespaceSelector`.
        if (!scope.selector().isEmpty()) {
            namespaces.put("selector", Map.of("matchLabels", scope.selector()));
        }
        // The home namespace holds the source; names, not namespaces, match a Namespace by its name.
        var excluded = new ArrayList<>(scope.excluded());
        excluded.add(scope.home());
        var generate = new LinkedHashMap<String, Object>();
        generate.put("generateExisting", true);
        generate.put("synchronize", true);
        // Deleting the policy deletes the copies (Kyverno v1.19.0 and later, for clone rules).
        generate.put("orphanDownstreamOnPolicyDelete", false);
        generate.put("apiVersion", "v1");
        generate.put("kind", "Secret");
        generate.put("name", scope.secretName());
        generate.put("namespace", "{{request.object.metadata.name}}");
        generate.put("clone", Map.of("namespace", scope.home(), "name", scope.secretName()));
        var rule = new LinkedHashMap<String, Object>();
        rule.put("name", COPY_RULE);
        rule.put("match", Map.of("any", List.of(Map.of("resources", namespaces))));
        rule.put(
                "exclude",
                Map.of("any", List.of(Map.of("resources", Map.of("kinds", List.of("Namespace"), "names", excluded)))));
        rule.put("generate", generate);
        return spec(List.of(rule));
    }

    /**
     * A SHA-256 digest of a spec as declared, keys in order: the same for the same declaration in any run, different
     * for any declared difference. The copy policy is replaced when this changes, never on a difference the API
     * server or Kyverno makes to the live object, which would otherwise replace it, and delete every copy, on
     * every `pulumi up`.
     */
    public static String digest(Map<String, Object> spec) {
        try {
            var json = JSON.toJson(canonical(spec));
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException everyJavaHasIt) {
            throw new IllegalStateException(everyJavaHasIt);
        }
    }

    /** Maps with their keys sorted, at every depth: {@code Map.of} iterates in an order that varies by JVM run. */
    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            var sorted = new TreeMap<String, Object>();
            map.forEach((key, entry) -> sorted.put(String.valueOf(key), canonical(entry)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(KyvernoPolicies::canonical).toList();
        }
        return value;
    }

    /**
     * Lists the Secret in the ServiceAccounts of every covered namespace, keeping their other entries and never
     * twice: on admission for new ServiceAccounts, and in the background for existing ones; and takes out, from the
     * same ServiceAccounts in {@code formerIn} (empty: all), the entries naming {@code former} Secrets (ours, no longer
     * current), a rule each. Detached, it instead takes out only the entries naming the Secret.
     */
    public static Map<String, Object> serviceAccountSpec(
            Scope scope, boolean detach, List<String> former, List<String> formerIn) {
        if (detach) {
            return spec(List.of(removeRule(scope, scope.secretName(), REMOVE_RULE, List.of())));
        }
        var rules = new ArrayList<>(List.of(addOnCreateRule(scope), addToExistingRule(scope)));
        for (var index = 0; index < former.size(); index++) {
            rules.add(removeRule(scope, former.get(index), REMOVE_FORMER_RULE + (index + 1), formerIn));
        }
        return spec(rules);
    }

    /** The JSON patch that appends the Secret to the list, creating the list when there is none. */
    static String addPatch(String secretName) {
        // JSON: Kyverno v1.19.0 reads other text as YAML 1.1 (mutate/patch/patchesUtils.go), where yes is no string.
        return "[{\"op\":\"add\",\"path\":\"/imagePullSecrets/-\",\"value\":{\"name\":" + JSON.toJson(secretName)
                + "}}]";
    }

    private static Map<String, Object> addOnCreateRule(Scope scope) {
        var rule = new LinkedHashMap<String, Object>();
        rule.put("name", ADD_ON_CREATE_RULE);
        rule.put("match", serviceAccounts(scope, List.of("CREATE"), List.of()));
        excludedServiceAccounts(scope).ifPresent(exclude -> rule.put("exclude", exclude));
        rule.put("preconditions", Map.of("all", List.of(notListed(scope.secretName(), "request.object"))));
        rule.put("mutate", Map.of("patchesJson6902", addPatch(scope.secretName())));
        return rule;
    }

    private static Map<String, Object> addToExistingRule(Scope scope) {
        var mutate = new LinkedHashMap<String, Object>();
        mutate.put("mutateExistingOnPolicyUpdate", true);
        mutate.put("targets", List.of(sameServiceAccount(notListed(scope.secretName(), "target"))));
        mutate.put("patchesJson6902", addPatch(scope.secretName()));
        var rule = new LinkedHashMap<String, Object>();
        rule.put("name", ADD_TO_EXISTING_RULE);
        rule.put("match", serviceAccounts(scope, List.of(), List.of()));
        excludedServiceAccounts(scope).ifPresent(exclude -> rule.put("exclude", exclude));
        rule.put("mutate", mutate);
        return rule;
    }

    private static Map<String, Object> removeRule(
            Scope scope, String secretName, String name, List<String> namespaces) {
        var listed = new LinkedHashMap<String, Object>();
        listed.put("key", secretName);
        listed.put("operator", "AnyIn");
        listed.put("value", names("target"));
        var element = new LinkedHashMap<String, Object>();
        element.put("key", "{{element.name}}");
        element.put("operator", "Equals");
        element.put("value", secretName);
        var foreach = new LinkedHashMap<String, Object>();
        foreach.put("list", "target.imagePullSecrets");
        // From the last entry to the first, so that removing one leaves the indexes of the rest valid.
        foreach.put("order", "Descending");
        foreach.put("preconditions", Map.of("all", List.of(element)));
        foreach.put("patchesJson6902", "- op: remove\n  path: /imagePullSecrets/{{elementIndex}}");
        var mutate = new LinkedHashMap<String, Object>();
        mutate.put("mutateExistingOnPolicyUpdate", true);
        mutate.put("targets", List.of(sameServiceAccount(listed)));
        mutate.put("foreach", List.of(foreach));
        var rule = new LinkedHashMap<String, Object>();
        rule.put("name", name);
        rule.put("match", serviceAccounts(scope, List.of(), namespaces));
        excludedServiceAccounts(scope).ifPresent(exclude -> rule.put("exclude", exclude));
        rule.put("mutate", mutate);
        return rule;
    }

    private static Map<String, Object> spec(List<Map<String, Object>> rules) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("background", true);
        // Kyverno down must not stop the cluster: a namespace or ServiceAccount it misses on admission is caught
        // by its background scan (hourly by default: v1.19.0 cmd/background-controller/main.go).
        spec.put("webhookConfiguration", Map.of("failurePolicy", "Ignore"));
        spec.put("rules", rules);
        return spec;
    }

    /** In {@code namespaces} only, unless empty (Kyverno v1.19.0, pkg/engine/utils/match.go, checkNameSpace). */
    private static Map<String, Object> serviceAccounts(Scope scope, List<String> operations, List<String> namespaces) {
        var resources = new LinkedHashMap<String, Object>();
        resources.put("kinds", List.of("ServiceAccount"));
        resources.put("names", scope.serviceAccounts());
        if (!namespaces.isEmpty()) {
            resources.put("namespaces", namespaces);
        }
        if (!operations.isEmpty()) {
            resources.put("operations", operations);
        }
        if (!scope.selector().isEmpty()) {
            resources.put("namespaceSelector", Map.of("matchLabels", scope.selector()));
        }
        return Map.of("any", List.of(Map.of("resources", resources)));
    }

    /** None when nothing is excluded: a filter naming only the kind would exclude every ServiceAccount. */
    private static Optional<Map<String, Object>> excludedServiceAccounts(Scope scope) {
        return scope.excluded().isEmpty()
                ? Optional.empty()
                : Optional.of(Map.of(
                        "any",
                        List.of(Map.of(
                                "resources",
                                Map.of("kinds", List.of("ServiceAccount"), "namespaces", scope.excluded())))));
    }

    /** The ServiceAccount that triggered the rule, read afresh when the background controller applies it. */
    private static Map<String, Object> sameServiceAccount(Map<String, Object> precondition) {
        var target = new LinkedHashMap<String, Object>();
        target.put("apiVersion", "v1");
        target.put("kind", "ServiceAccount");
        target.put("namespace", "{{request.object.metadata.namespace}}");
        target.put("name", "{{request.object.metadata.name}}");
        target.put("preconditions", Map.of("all", List.of(precondition)));
        return target;
    }

    private static Map<String, Object> notListed(String secretName, String object) {
        var condition = new LinkedHashMap<String, Object>();
        condition.put("key", secretName);
        condition.put("operator", "AnyNotIn");
        condition.put("value", names(object));
        return condition;
    }

    /** The names a ServiceAccount lists; an empty list, not an error, when it lists none. */
    private static String names(String object) {
        return "{{ " + object + ".imagePullSecrets[].name || `[]` }}";
    }
}
