package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.CrdSchema;
import registrypullaccess.Fixtures;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.CHECK_IMAGE;
import static registrypullaccess.Fixtures.JOB;
import static registrypullaccess.Fixtures.NAMESPACE;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.RELEASE;
import static registrypullaccess.Fixtures.SECRET;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;

class ClusterWideCoverageTest {

    static final String POLICY = "kubernetes:kyverno.io/v1:ClusterPolicy";
    static final String CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
    static final String SELECTOR = "{\"team\":\"payments\"}";
    static final List<String> DEFAULT_EXCLUDED = List.of("kube-system", "kube-public", "kube-node-lease", "kyverno");

    /** Cluster-wide over the namespaces labelled team=payments, a first update: with the pull check, unless overridden. */
    static OfflineRun payments(String... more) {
        var keys = new java.util.ArrayList<>(List.of("verifyImage", CHECK_IMAGE, "namespaceSelector", SELECTOR));
        keys.addAll(List.of(more));
        return deploy(fromConfig(keys.toArray(String[]::new)));
    }

    static DeclaredResource policy(OfflineRun run, String name) {
        return run.ofType(POLICY).stream()
                .filter(p -> name.equals(p.input("metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterPolicy " + name));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(DeclaredResource policy) {
        return (List<Map<String, Object>>) policy.input("spec", "rules");
    }

    @SuppressWarnings("unchecked")
    static Object at(Object value, Object... path) {
        for (var step : path) {
            value = step instanceof Integer index
                    ? ((List<Object>) value).get(index)
                    : ((Map<String, Object>) value).get((String) step);
        }
        return value;
    }

    /** A policy object as kubectl would send it: what the CRD schema checks. */
    static Map<String, Object> object(DeclaredResource policy) {
        var object = new LinkedHashMap<String, Object>();
        object.put("apiVersion", policy.input("apiVersion"));
        object.put("kind", policy.input("kind"));
        object.put("metadata", policy.input("metadata"));
        object.put("spec", policy.input("spec"));
        return object;
    }

    @Test
    void theHomeSecretAndItsOwnerKeepTheStateOfTheNamesEarlierVersionsGaveThem() {
        var run = payments();

        var secret = run.resources().stream()
                .filter(r -> r.name().equals("pull-access/registry-pull-access/pull-secret"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("pull-access/home/pull-secret"), secret.aliasNames());
        var owner = run.resources().stream()
                .filter(r -> r.name().equals("pull-access/registry-pull-access/pull-secret-owner"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("pull-access/home/pull-secret-owner"), owner.aliasNames());
        // A home namespace named `home` has the old name itself: no alias to itself.
        var home = payments("homeNamespace", "home");
        home.resources().stream()
                .filter(r -> r.name().startsWith("pull-access/home/pull-secret"))
                .forEach(r -> assertEquals(List.of(), r.aliasNames(), r.name()));
    }

    @Test
    void theSecretLivesOnceInTheHomeNamespaceWhichTheStackCreates() {
        var run = payments();

        var secrets = run.ofType(SECRET);
        assertEquals(1, secrets.size());
        assertEquals("registry-pull-access", secrets.get(0).input("metadata", "namespace"));
        assertEquals("registry-pull-secret", secrets.get(0).input("metadata", "name"));
        assertTrue(secrets.get(0).isSecret("data"));
        assertTrue(Fixtures.decodedDockerConfig(secrets.get(0)).contains("\"eu.gcr.io\""));
        var namespaces = run.ofType(NAMESPACE);
        assertEquals(
                List.of("registry-pull-access", "registry-pull-access-check"),
                namespaces.stream().map(n -> n.input("metadata", "name")).toList(),
                "the home namespace, and the pull check's");
        assertEquals(List.of(), run.ofType(PATCH), "Kyverno lists the Secret, no patch per namespace");
        assertEquals("registry-pull-access", run.outputs().get("homeNamespace"));
        assertFalse(run.outputs().containsKey("namespaces"));
    }

    @Test
    void theCopyPolicyClonesTheHomeSecretIntoEverySelectedNamespaceExistingAndFutureAndKeepsItInSync() {
        var copy = policy(payments(), "registry-pull-access-copy-pull-secret");

        assertEquals("kyverno.io/v1", copy.input("apiVersion"));
        var rule = rules(copy).get(0);
        assertEquals(1, rules(copy).size());
        assertEquals("copy-pull-secret", rule.get("name"));
        assertEquals(
                Map.of("namespace", "registry-pull-access", "name", "registry-pull-secret"),
                at(rule, "generate", "clone"));
        assertEquals(true, at(rule, "generate", "synchronize"));
        assertEquals(true, at(rule, "generate", "generateExisting"), "namespaces that exist already");
        assertEquals(false, at(rule, "generate", "orphanDownstreamOnPolicyDelete"), "copies go with the policy");
        assertEquals("Secret", at(rule, "generate", "kind"));
        assertEquals("registry-pull-secret", at(rule, "generate", "name"));
        assertEquals("{{request.object.metadata.name}}", at(rule, "generate", "namespace"));
        assertEquals(List.of("Namespace"), at(rule, "match", "any", 0, "resources", "kinds"));
        assertEquals(Map.of("team", "payments"), at(rule, "match", "any", 0, "resources", "selector", "matchLabels"));
        var excluded = (List<?>) at(rule, "exclude", "any", 0, "resources", "names");
        assertTrue(excluded.containsAll(DEFAULT_EXCLUDED), excluded.toString());
        assertTrue(excluded.contains("registry-pull-access"), "never into its own home");
    }

    @Test
    void withAllNamespacesNoLabelIsRequired() {
        var run = deploy(fromConfig("allNamespaces", "true", "verifyImage", CHECK_IMAGE));

        var copyRule =
                rules(policy(run, "registry-pull-access-copy-pull-secret")).get(0);
        assertNull(at(copyRule, "match", "any", 0, "resources", "selector"));
        for (var rule : rules(policy(run, "registry-pull-access-pull-secret-entries"))) {
            assertNull(
                    at(rule, "match", "any", 0, "resources", "namespaceSelector"),
                    rule.get("name").toString());
        }
    }

    @Test
    void theServiceAccountPolicyAppendsTheSecretOnCreateAndToExistingOnesKeepingOtherEntriesNeverTwice() {
        var run = payments("serviceAccounts", "[\"default\",\"builder\"]");
        var entries = rules(policy(run, "registry-pull-access-pull-secret-entries"));

        assertEquals(
                List.of("add-pull-secret-on-create", "add-pull-secret-to-existing"),
                entries.stream().map(rule -> rule.get("name")).toList());
        for (var rule : entries) {
            var resources = at(rule, "match", "any", 0, "resources");
            assertEquals(List.of("ServiceAccount"), at(resources, "kinds"));
            assertEquals(List.of("default", "builder"), at(resources, "names"));
            assertEquals(Map.of("team", "payments"), at(resources, "namespaceSelector", "matchLabels"));
            assertEquals(DEFAULT_EXCLUDED, at(rule, "exclude", "any", 0, "resources", "namespaces"));
            // Appends to the list (creating it when absent): every other entry stays; a strategic merge
            // would replace the whole list, which has no merge key.
            assertEquals(
                    List.of(Map.of(
                            "op",
                            "add",
                            "path",
                            "/imagePullSecrets/-",
                            "value",
                            Map.of("name", "registry-pull-secret"))),
                    patch(at(rule, "mutate", "patchesJson6902")));
            assertNull(at(rule, "mutate", "patchStrategicMerge"));
        }
        var onCreate = entries.get(0);
        assertEquals(List.of("CREATE"), at(onCreate, "match", "any", 0, "resources", "operations"));
        assertEquals(
                List.of(Map.of(
                        "key",
                        "registry-pull-secret",
                        "operator",
                        "AnyNotIn",
                        "value",
                        "{{ request.object.imagePullSecrets[].name || `[]` }}")),
                at(onCreate, "preconditions", "all"),
                "not when it is listed already");
        var existing = entries.get(1);
        assertEquals(true, at(existing, "mutate", "mutateExistingOnPolicyUpdate"));
        var target = at(existing, "mutate", "targets", 0);
        assertEquals("ServiceAccount", at(target, "kind"));
        assertEquals("{{request.object.metadata.namespace}}", at(target, "namespace"));
        assertEquals("{{request.object.metadata.name}}", at(target, "name"));
        assertEquals(
                List.of(Map.of(
                        "key",
                        "registry-pull-secret",
                        "operator",
                        "AnyNotIn",
                        "value",
                        "{{ target.imagePullSecrets[].name || `[]` }}")),
                at(target, "preconditions", "all"),
                "the live ServiceAccount, not when it is listed already");
    }

    @Test
    void withNothingExcludedNoServiceAccountIsExcludedEither() {
        var run = payments("excludeNamespaces", "[]");

        for (var rule : rules(policy(run, "registry-pull-access-pull-secret-entries"))) {
            // An exclude filter naming only the kind would exclude every ServiceAccount.
            assertNull(rule.get("exclude"), rule.get("name").toString());
        }
        assertEquals(
                List.of("registry-pull-access"),
                at(
                        rules(policy(run, "registry-pull-access-copy-pull-secret"))
                                .get(0),
                        "exclude",
                        "any",
                        0,
                        "resources",
                        "names"));
    }

    @Test
    void detachedTheCopyPolicyGoesAndOnlyOurEntryIsTakenOutOfTheServiceAccounts() {
        var run = payments("detach", "true", "verifyImage", "eu.gcr.io/acme-dev/app:1.0");

        assertEquals(
                List.of("registry-pull-access-pull-secret-entries"),
                run.ofType(POLICY).stream()
                        .map(p -> p.input("metadata", "name"))
                        .toList(),
                "deleting the copy policy deletes the copies (Kyverno v1.19.0), while Kyverno still runs");
        var rules = rules(run.ofType(POLICY).get(0));
        assertEquals(1, rules.size());
        var remove = rules.get(0);
        assertEquals("remove-pull-secret", remove.get("name"));
        assertEquals(true, at(remove, "mutate", "mutateExistingOnPolicyUpdate"));
        assertEquals(
                List.of(Map.of(
                        "key",
                        "registry-pull-secret",
                        "operator",
                        "AnyIn",
                        "value",
                        "{{ target.imagePullSecrets[].name || `[]` }}")),
                at(remove, "mutate", "targets", 0, "preconditions", "all"),
                "only ServiceAccounts that list it");
        var foreach = at(remove, "mutate", "foreach", 0);
        assertEquals("target.imagePullSecrets", at(foreach, "list"));
        assertEquals("Descending", at(foreach, "order"), "removing from the end keeps earlier indexes valid");
        assertEquals(
                List.of(Map.of("key", "{{element.name}}", "operator", "Equals", "value", "registry-pull-secret")),
                at(foreach, "preconditions", "all"),
                "no other entry is touched");
        assertEquals(
                List.of(Map.of("op", "remove", "path", "/imagePullSecrets/{{elementIndex}}")),
                patch(at(foreach, "patchesJson6902")));
        assertEquals(List.of(), run.ofType(JOB), "nothing to check once detached");
        assertEquals(1, run.ofType(SECRET).size(), "the source stays until destroy");
    }

    @Test
    void kyvernoControllersGetExactlyTheRolesTheyNeedThroughAggregationBeforeAnyPolicy() {
        var run = payments();

        var roles = run.ofType(CLUSTER_ROLE).stream()
                .collect(Collectors.toMap(r -> (String) r.input("metadata", "name"), r -> r));
        assertEquals(
                Set.of(
                        "registry-pull-access:kyverno-background-controller",
                        "registry-pull-access:kyverno-admission-controller"),
                roles.keySet());
        var background = roles.get("registry-pull-access:kyverno-background-controller");
        assertEquals(
                "true", background.input("metadata", "labels", "rbac.kyverno.io/aggregate-to-background-controller"));
        assertEquals(
                List.of(
                        Map.of(
                                "apiGroups",
                                List.of(""),
                                "resources",
                                List.of("secrets"),
                                "verbs",
                                List.of("get", "list", "create", "update", "delete")),
                        Map.of(
                                "apiGroups",
                                List.of(""),
                                "resources",
                                List.of("serviceaccounts"),
                                "verbs",
                                List.of("get", "list", "update"))),
                background.input("rules"));
        var admission = roles.get("registry-pull-access:kyverno-admission-controller");
        assertEquals(
                "true", admission.input("metadata", "labels", "rbac.kyverno.io/aggregate-to-admission-controller"));
        assertEquals(
                List.of(Map.of(
                        "apiGroups", List.of(""), "resources", List.of("secrets"), "verbs", List.of("get", "list"))),
                admission.input("rules"));
        for (var policy : run.ofType(POLICY)) {
            // Kyverno refuses a policy its controllers could not carry out.
            assertTrue(policy.dependencies().containsAll(Set.of(background.urn(), admission.urn())), policy.name());
            assertTrue(policy.dependencies().contains(run.ofType(SECRET).get(0).urn()), policy.name());
        }
    }

    @Test
    void aChangedCopyPolicyIsReplacedDeletedFirstWhileTheServiceAccountPolicyIsUpdatedInPlace() {
        var run = payments();

        var copy = policy(run, "registry-pull-access-copy-pull-secret");
        assertEquals(
                List.of("metadata.annotations[\"registry-pull-access/copy-spec-sha256\"]"),
                copy.options().replaceOnChanges());
        assertEquals(
                KyvernoPolicies.digest(castToMap(copy.input("spec"))),
                copy.input("metadata", "annotations", "registry-pull-access/copy-spec-sha256"));
        // Delete-first only while the name stays, as pulumi-kubernetes asks: a policy under a new home's name is
        // created before the old one (and its copies) go.
        assertEquals(Optional.empty(), copy.options().deleteBeforeReplace());
        var entries = policy(run, "registry-pull-access-pull-secret-entries");
        assertEquals(List.of(), entries.options().replaceOnChanges());
    }

    /**
     * A policy that copies another Secret is another object: the engine creates it before it deletes the old one, whose
     * copies Kyverno deletes by name. Replaced under its own name, the old copies would go before the new ones came.
     */
    @Test
    void aCopyPolicyForAnotherSecretIsAnotherObjectAndTheDefaultKeepsItsName() {
        var other = copyPolicyName("team-pull");
        var third = copyPolicyName("team-pull-2");

        assertTrue(other.startsWith("registry-pull-access-copy-pull-secret-"), other);
        assertEquals("registry-pull-access-copy-pull-secret-".length() + 10, other.length(), other);
        assertFalse(other.equals(third), third);
        assertEquals(other, copyPolicyName("team-pull"));
        assertEquals(
                "registry-pull-access-copy-pull-secret",
                policy(payments(), "registry-pull-access-copy-pull-secret").input("metadata", "name"));
    }

    private static String copyPolicyName(String secretName) {
        return copyPolicy(payments("secretName", secretName))
                .input("metadata", "name")
                .toString();
    }

    private static DeclaredResource copyPolicy(OfflineRun run) {
        return run.ofType(POLICY).stream()
                .filter(policy -> ((String) policy.input("metadata", "name")).contains("-copy-"))
                .findFirst()
                .orElseThrow();
    }

    /**
     * The engine's rule (pulumi v3.253.0, pkg/resource/deploy/step_generator.go, applyReplaceOnChanges): a resource
     * is replaced when a path the provider reports as changed lies under one of its replaceOnChanges paths. The
     * provider reports the paths where the live object, trimmed to the declared fields, differs from the new
     * inputs (pulumi-kubernetes v4.0.0, provider/pkg/provider/provider.go, Diff). Here two runs stand for two
     * previews, and a live spec the server rewrote stands for what the provider compares with.
     */
    @Test
    void anUnchangedStackDeclaresTheSameCopyPolicyAndADifferenceTheServerMakesDoesNotReplaceIt() {
        var first = payments();
        var second = payments();
        for (var resource : first.resources()) {
            var again = second.resources().stream()
                    .filter(r -> r.urn().equals(resource.urn()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(resource.inputs(), again.inputs(), "a second preview shows no change: " + resource.urn());
        }
        var copy = policy(first, "registry-pull-access-copy-pull-secret");
        var replaceOn = copy.options().replaceOnChanges();

        var live = new HashMap<String, Object>(copy.inputs());
        var rewritten = new HashMap<String, Object>(castToMap(copy.input("spec")));
        rewritten.put("background", "true");
        live.put("spec", rewritten);
        var serverMade = differences(live, copy.inputs());
        assertEquals(Set.of(List.of("spec", "background")), serverMade);
        assertFalse(replaced(replaceOn, serverMade), "a live difference must not delete every copy");

        var changed = policy(payments("excludeNamespaces", "[\"legacy\"]"), "registry-pull-access-copy-pull-secret");
        assertTrue(replaced(replaceOn, differences(copy.inputs(), changed.inputs())), "a declared change replaces");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castToMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** The paths, as keys and indexes, where two objects differ. */
    private static Set<List<Object>> differences(Object before, Object after) {
        var found = new java.util.HashSet<List<Object>>();
        differences(before, after, List.of(), found);
        return found;
    }

    private static void differences(Object before, Object after, List<Object> at, Set<List<Object>> found) {
        if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
            var keys = new java.util.HashSet<Object>(a.keySet());
            keys.addAll(b.keySet());
            keys.forEach(key -> differences(a.get(key), b.get(key), append(at, key), found));
        } else if (before instanceof List<?> a && after instanceof List<?> b && a.size() == b.size()) {
            for (var i = 0; i < a.size(); i++) {
                differences(a.get(i), b.get(i), append(at, i), found);
            }
        } else if (!java.util.Objects.equals(before, after)) {
            found.add(at);
        }
    }

    private static List<Object> append(List<Object> path, Object step) {
        var longer = new java.util.ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    /** Whether a changed path lies under a replaceOnChanges path ({@code a.b["c/d"]}). */
    private static boolean replaced(List<String> replaceOnChanges, Set<List<Object>> changed) {
        return replaceOnChanges.stream()
                .map(path -> List.<Object>of(
                        (Object[]) path.replaceAll("\\[\"([^\"]*)\"\\]", ".$1").split("\\.")))
                .anyMatch(prefix -> changed.stream()
                        .anyMatch(path -> path.size() >= prefix.size()
                                && path.subList(0, prefix.size()).equals(prefix)));
    }

    @Test
    void theFirstPreviewPassesOnAClusterThatRunsKyvernoAlready() {
        var cloud = FakeGoogleCloud.inPreview(Map.of()).withKyvernoInstalled();

        var run = Fixtures.deploy(
                cloud, fromConfig("namespaceSelector", SELECTOR, "verifyImage", CHECK_IMAGE), Fixtures.TODAY);

        assertEquals(List.of(), run.exceptions(), "Kyverno refuses a policy dry-run before our roles exist");
        assertEquals(2, run.ofType(POLICY).size());
    }

    @Test
    void installKyvernoInstallsThePinnedChartWithItsCrdsBeforeThePolicies() {
        var run = payments("installKyverno", "true");

        var releases = run.ofType(RELEASE);
        assertEquals(1, releases.size());
        var release = releases.get(0);
        assertEquals("kyverno", release.input("chart"));
        assertEquals("3.9.0", release.input("version"));
        assertEquals("https://kyverno.github.io/kyverno/", release.input("repositoryOpts", "repo"));
        assertEquals("kyverno", release.input("namespace"));
        assertEquals(false, release.input("skipCrds"));
        run.ofType(POLICY).forEach(policy -> assertTrue(policy.dependencies().contains(release.urn()), policy.name()));
        assertEquals(List.of(), payments().ofType(RELEASE), "only when asked");
    }

    @Test
    void thePullCheckRunsInANamespaceOfItsOwnThatThePoliciesCoverWithFreshPods() {
        var run = payments("verifyImage", "eu.gcr.io/acme-dev/app:1.0");

        var checkNamespace = run.ofType(NAMESPACE).stream()
                .filter(n -> "registry-pull-access-check".equals(n.input("metadata", "name")))
                .findFirst()
                .orElseThrow();
        assertEquals("payments", checkNamespace.input("metadata", "labels", "team"), "selected like any other");
        run.ofType(POLICY)
                .forEach(policy -> assertTrue(checkNamespace.dependencies().contains(policy.urn())));
        var job = run.ofType(JOB).get(0);
        assertEquals("registry-pull-access-check", job.input("metadata", "namespace"));
        assertEquals("default", job.input("spec", "template", "spec", "serviceAccountName"));
        assertNull(job.input("spec", "template", "spec", "imagePullSecrets"), "pulls as a workload would");
        assertEquals(120.0, job.input("spec", "template", "spec", "activeDeadlineSeconds"));
        assertEquals(5.0, job.input("spec", "backoffLimit"));
        assertTrue(job.dependencies().contains(checkNamespace.urn()));
    }

    @Test
    void neverDeletesANamespaceItMayNotHaveCreatedNeitherHomeNorCheck() {
        var run = payments("verifyImage", "eu.gcr.io/acme-dev/app:1.0");

        var namespaces = run.ofType(NAMESPACE);
        assertEquals(2, namespaces.size());
        namespaces.forEach(namespace -> assertTrue(namespace.options().retainOnDelete(), namespace.name()));
    }

    @Test
    void aCheckUnderAnotherServiceAccountCreatesItInTheCheckNamespace() {
        var run = payments("serviceAccounts", "[\"builder\"]", "verifyImage", "eu.gcr.io/acme-dev/app:1.0");

        var accounts = run.ofType("kubernetes:core/v1:ServiceAccount");
        assertEquals(1, accounts.size());
        assertEquals("registry-pull-access-check", accounts.get(0).input("metadata", "namespace"));
        assertEquals("builder", accounts.get(0).input("metadata", "name"));
    }

    @Test
    void theResourceCountDoesNotDependOnTheNamespacesCovered() {
        var all = deploy(fromConfig("allNamespaces", "true", "verifyImage", CHECK_IMAGE))
                .resources()
                .size();
        var labelled = payments().resources().size();
        var manyLabels = deploy(fromConfig(
                        "verifyImage",
                        CHECK_IMAGE,
                        "namespaceSelector",
                        "{\"team\":\"payments\",\"env\":\"prod\",\"tier\":\"a\"}",
                        "excludeNamespaces",
                        "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]"))
                .resources()
                .size();

        assertEquals(all, labelled);
        assertEquals(all, manyLabels);
        // the stack, the component, account, this period's key and the one before, grant, home namespace, Secret, its
        // owner, two roles, two policies, the record of what was deployed; the pull check's namespace and Job
        assertEquals(16, all);
    }

    @Test
    void everyPolicyFitsThePinnedKyvernoClusterPolicySchema() {
        var runs = List.of(
                payments(),
                deploy(fromConfig("allNamespaces", "true", "verifyImage", CHECK_IMAGE)),
                payments("detach", "true"),
                payments("excludeNamespaces", "[]"),
                // the longest home namespaces the settings accept
                deploy(fromConfig(
                        "allNamespaces", "true", "homeNamespace", "h".repeat(43), "verifyImage", CHECK_IMAGE)),
                deploy(fromConfig(
                        "allNamespaces",
                        "true",
                        "homeNamespace",
                        "h".repeat(35),
                        "secretName",
                        "team-pull",
                        "verifyImage",
                        CHECK_IMAGE)));
        // Guards the loop: with no policy declared it would check nothing and pass.
        assertFalse(runs.stream().anyMatch(run -> run.ofType(POLICY).isEmpty()), "every run declares policies");
        for (var run : runs) {
            for (var policy : run.ofType(POLICY)) {
                assertEquals(
                        List.of(),
                        CrdSchema.problems("kyverno.io_clusterpolicies", object(policy)),
                        policy.input("metadata", "name").toString());
            }
        }
    }

    @Test
    void theSchemaCatchesAMisspeltFieldAWrongTypeAndABadEnum() {
        var copy = object(policy(payments(), "registry-pull-access-copy-pull-secret"));

        assertFalse(
                CrdSchema.problems("kyverno.io_clusterpolicies", replaced(copy, "synchronize", "synchronise"))
                        .isEmpty(),
                "a field the CRD does not have");
        assertFalse(
                CrdSchema.problems("kyverno.io_clusterpolicies", replacedValue(copy, "synchronize", "yes"))
                        .isEmpty(),
                "a string where the CRD wants a boolean");
        assertFalse(
                CrdSchema.problems("kyverno.io_clusterpolicies", replacedValue(copy, "failurePolicy", "Ignored"))
                        .isEmpty(),
                "a value outside the enum");
        var longName = new HashMap<>(copy);
        var metadata = new HashMap<Object, Object>((Map<?, ?>) copy.get("metadata"));
        metadata.put("name", "p".repeat(64));
        longName.put("metadata", metadata);
        assertFalse(
                CrdSchema.problems("kyverno.io_clusterpolicies", longName).isEmpty(), "a policy name Kyverno refuses");
    }

    private static List<?> patch(Object yaml) {
        return new Yaml().load((String) yaml);
    }

    /** A deep copy with a field renamed wherever it occurs. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> replaced(Object value, String field, String newName) {
        return (Map<String, Object>) rename(value, field, newName, null, false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> replacedValue(Object value, String field, Object newValue) {
        return (Map<String, Object>) rename(value, field, field, newValue, true);
    }

    private static Object rename(Object value, String field, String newName, Object newValue, boolean setValue) {
        if (value instanceof Map<?, ?> map) {
            var copy = new HashMap<String, Object>();
            map.forEach((key, item) -> copy.put(
                    key.equals(field) ? newName : (String) key,
                    key.equals(field) && setValue ? newValue : rename(item, field, newName, newValue, setValue)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream()
                    .map(item -> rename(item, field, newName, newValue, setValue))
                    .toList();
        }
        return value;
    }
}
