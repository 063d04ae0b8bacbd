package registrypullaccess.model;

import registrypullaccess.offline.DeclaredResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static registrypullaccess.model.ModelKyverno.list;
import static registrypullaccess.model.ModelKyverno.map;

/**
 * What the providers do for each step: pulumi-gcp on the model Google project, pulumi-kubernetes v4.0.0 on the model
 * cluster (server-side apply, one field manager per resource, {@code pulumi.com/patchForce}, foreground deletes that
 * take owned objects with them, Patch resources relinquishing their fields, the Job awaiter), and how each decides
 * between update and replacement (docs/model.md cites each).
 */
final class ModelProvider {

    /** A provider operation that failed: the step fails and the update stops. */
    static class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailed(String message) {
            super(message);
        }
    }

    /**
     * The Job awaiter's failure after the Job was applied: a partial error, so the Job is in the state with an
     * initialization error (provider/provider.go {@code Create}, {@code Update}).
     */
    static final class JobFailed extends StepFailed {
        private static final long serialVersionUID = 1L;

        JobFailed(String message) {
            super(message);
        }
    }

    /** How a resource's inputs changed, as the provider's Diff answers. */
    enum Diff {
        NONE,
        UPDATE,
        REPLACE
    }

    static final String KUBERNETES = "kubernetes:";
    static final String PATCH = "kubernetes:core/v1:ServiceAccountPatch";
    static final String NAMESPACE_PATCH = "kubernetes:core/v1:NamespacePatch";
    static final String JOB = "kubernetes:batch/v1:Job";
    static final String RELEASE = "kubernetes:helm.sh/v3:Release";
    /** The variable naming what a Job that mounts a Secret waits to find in it. */
    static final String EXPECTED_ENV = "EXPECTED";
    /** The kubelet's worst delay in mounting a Secret that appeared late: its mount retries back off to 2 min 2 s. */
    static final long KUBELET_LAG_SECONDS = 122;
    /** The managers pulumi-kubernetes takes over on update (not on create). */
    static final Set<String> TAKEN_OVER = Set.of(
            "kubectl",
            "before-first-apply",
            "pulumi-kubernetes",
            "pulumi-kubernetes.exe",
            "pulumi-resource-kubernetes");

    private static final Map<String, List<List<String>>> KUBERNETES_FORCE_NEW = Map.of(
            "kubernetes:core/v1:Secret",
            List.of(List.of("type"), List.of("data"), List.of("stringData")),
            JOB,
            List.of(List.of("spec")));

    private final World world;
    private final PullOracle oracle;
    /**
     * Each resource's field manager, as its state records it: pulumi-kubernetes v4.0.0 names one per resource on
     * Create (the {@code pulumi.com/patchFieldManager} annotation, else {@code pulumi-kubernetes-} and a random suffix,
     * kept in state as {@code __fieldManager} and reused on Update: {@code provider/pkg/provider/provider.go},
     * {@code fieldManagerName}). A replacement is a Create, so its manager is a new one, which the old resource's
     * fields conflict with unless the apply is forced or the annotation names the same manager.
     */
    private final Map<String, String> fieldManagers = new java.util.HashMap<>();

    private int creates;
    private final String stack;
    private boolean authoritativeGrants;
    private boolean ignoreResourceVersions;

    ModelProvider(World world, PullOracle oracle) {
        this(world, oracle, "stack");
    }

    /** @param stack the stack this provider serves: the field managers' prefix, and who made what it creates */
    ModelProvider(World world, PullOracle oracle, String stack) {
        this.world = world;
        this.oracle = oracle;
        this.stack = stack;
    }

    /** A negative control: applies leave the declared resourceVersion out (no precondition). */
    void ignoreResourceVersions(boolean ignore) {
        this.ignoreResourceVersions = ignore;
    }

    /** A negative control: grants replace their role's members instead of adding one (docs/model.md). */
    void authoritativeGrants(boolean authoritative) {
        this.authoritativeGrants = authoritative;
    }

    /** Whether the engine need ask this provider anything: components and the stack have no provider. */
    static boolean custom(DeclaredResource resource) {
        return resource.type().startsWith(KUBERNETES) || resource.type().startsWith("gcp:");
    }

    Diff diff(DeclaredResource old, DeclaredResource declared) {
        if (PATCH.equals(old.type())
                && PATCH.equals(declared.type())
                && declared.input("metadata", "resourceVersion") != null) {
            // The engine always asks the provider (step_generator.go diff, diffResource), and pulumi-kubernetes
            // compares
            // the new inputs with the last live object pruned to the old inputs, whose resourceVersion it clears
            // (provider.go Diff): a declared resourceVersion is a change every time, even the same one.
            return Diff.UPDATE;
        }
        if (Objects.equals(old.inputs(), declared.inputs())) {
            return Diff.NONE;
        }
        if (!old.type().equals(declared.type())) {
            return Diff.REPLACE;
        }
        // A change at or under a replaceOnChanges path (such as metadata.annotations["a"]) replaces.
        for (var path : declared.options().replaceOnChanges()) {
            var segments = propertyPath(path);
            if (!Objects.equals(old.input(segments), declared.input(segments))) {
                return Diff.REPLACE;
            }
        }
        if (declared.type().startsWith(KUBERNETES)) {
            if (!Objects.equals(old.input("metadata", "name"), declared.input("metadata", "name"))
                    || !Objects.equals(old.input("metadata", "namespace"), declared.input("metadata", "namespace"))) {
                return Diff.REPLACE;
            }
            for (var path : KUBERNETES_FORCE_NEW.getOrDefault(declared.type(), List.of())) {
                if (!Objects.equals(
                        old.input(path.toArray(String[]::new)), declared.input(path.toArray(String[]::new)))) {
                    return Diff.REPLACE;
                }
            }
            return Diff.UPDATE;
        }
        // pulumi-gcp: every input of these resources is ForceNew but an account's description and display name.
        for (var key : keys(old.inputs(), declared.inputs())) {
            if (!Objects.equals(old.inputs().get(key), declared.inputs().get(key))
                    && !Set.of("description", "displayName").contains(key)) {
                return Diff.REPLACE;
            }
        }
        return Diff.UPDATE;
    }

    /** The segments of a property path as the engine parses it: {@code a.b["c.d"]} is a, b, c.d. */
    static String[] propertyPath(String path) {
        var matcher = java.util.regex.Pattern.compile("\\[\"([^\"]*)\"\\]|([^.\\[\\]]+)")
                .matcher(path);
        var segments = new ArrayList<String>();
        while (matcher.find()) {
            segments.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return segments.toArray(String[]::new);
    }

    /**
     * pulumi-kubernetes asks for delete-before-replace when the object keeps its fixed name and namespace
     * (v4.0.0, {@code provider/pkg/provider/provider.go}, {@code Diff}); the program's own {@code deleteBeforeReplace},
     * true or false, overrides it (pulumi v3.253.0, {@code pkg/resource/deploy/step_generator.go}: "The user can
     * override the provider's decision").
     */
    boolean deleteBeforeReplace(DeclaredResource old, DeclaredResource declared) {
        return declared.options()
                .deleteBeforeReplace()
                .orElseGet(() -> declared.type().startsWith(KUBERNETES)
                        && Objects.equals(old.input("metadata", "name"), declared.input("metadata", "name"))
                        && Objects.equals(old.input("metadata", "namespace"), declared.input("metadata", "namespace")));
    }

    /** Seconds a step takes, but for what it awaits. */
    static long seconds(DeclaredResource resource) {
        return resource.type().startsWith("gcp:") ? 2 : 1;
    }

    void create(DeclaredResource resource) {
        fieldManagers.put(resource.urn(), manager(resource) + "-" + ++creates);
        named(resource).ifPresent(named -> fieldManagers.put(resource.urn(), named));
        upsert(resource, false);
    }

    void update(DeclaredResource resource, boolean initError) {
        // The update awaiter reads the live object first: one deleted behind the engine's back fails the update.
        if (resource.type().startsWith(KUBERNETES)
                && !PATCH.equals(resource.type())
                && !RELEASE.equals(resource.type())
                && world.cluster
                        .get(kind(resource), namespace(resource), (String) resource.input("metadata", "name"))
                        .isEmpty()) {
            throw new StepFailed(kind(resource) + " " + resource.input("metadata", "name") + " not found");
        }
        upsert(resource, true);
        if (JOB.equals(resource.type()) && initError) {
            throw new JobFailed("the Job " + resource.input("metadata", "name") + " has failed (its last state)");
        }
    }

    private void upsert(DeclaredResource resource, boolean update) {
        var inputs = resource.inputs();
        switch (resource.type()) {
            case "gcp:serviceaccount/account:Account" -> {
                var email = email(resource);
                if (!update && world.google.accounts.contains(email)) {
                    throw new StepFailed("Error 409: Service account " + email + " already exists");
                }
                world.google.accounts.add(email);
            }
            case "gcp:serviceaccount/key:Key" -> {
                var email = accountEmail((String) inputs.get("serviceAccountId"));
                if (!world.google.accounts.contains(email)) {
                    throw new StepFailed("Error 404: service account " + email + " not found");
                }
                world.google.keys.put(ModelKeys.keyId(inputs), email);
            }
            case "gcp:serviceaccount/iAMMember:IAMMember" -> {
                if (!world.google.accounts.contains(accountEmail((String) inputs.get("serviceAccountId")))) {
                    throw new StepFailed("Error 404: " + inputs.get("serviceAccountId") + " not found");
                }
                grant(resource, true);
            }
            case "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                    "gcp:storage/bucketIAMMember:BucketIAMMember",
                    "gcp:projects/iAMMember:IAMMember" -> grant(resource, true);
            case "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
                    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" ->
                world.google.pools.add(poolName(resource));
            default -> {
                if (!resource.type().startsWith(KUBERNETES)) {
                    throw new IllegalStateException("the model has no provider for " + resource.type());
                }
                apply(resource, update);
            }
        }
    }

    void delete(DeclaredResource resource) {
        var inputs = resource.inputs();
        switch (resource.type()) {
            case "gcp:serviceaccount/account:Account" -> world.google.deleteAccount(email(resource));
            case "gcp:serviceaccount/key:Key" -> world.google.keys.remove(ModelKeys.keyId(inputs));
            case "gcp:serviceaccount/iAMMember:IAMMember",
                    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                    "gcp:storage/bucketIAMMember:BucketIAMMember",
                    "gcp:projects/iAMMember:IAMMember" -> grant(resource, false);
            case "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
                    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" ->
                world.google.pools.remove(poolName(resource));
            case PATCH, NAMESPACE_PATCH ->
                // Relinquish: an apply of nothing by the patch's manager; fields only it owned go.
                world.cluster
                        .get(kind(resource), namespace(resource), (String) resource.input("metadata", "name"))
                        .ifPresent(account -> world.cluster.apply(
                                fieldManager(resource),
                                account.kind,
                                account.namespace,
                                account.name,
                                Map.of(),
                                false,
                                Set.of(),
                                stack));
            case RELEASE ->
                world.cluster.delete(
                        kind(resource), (String) resource.input("namespace"), (String) resource.input("name"), "helm");
            default ->
                world.cluster.delete(
                        kind(resource),
                        namespace(resource),
                        (String) resource.input("metadata", "name"),
                        fieldManager(resource));
        }
    }

    private void apply(DeclaredResource resource, boolean update) {
        var kind = kind(resource);
        if ("Release".equals(kind)) {
            // The fixture's cluster runs Kyverno and ESO already, not as releases; a release changes nothing else the
            // model sees. Helm's install refuses a name that has a release (pulumi-kubernetes v4.0.0,
            // provider/pkg/provider/helm_release.go, helmCreate; Helm v3.12.1, pkg/action/install.go, RunWithContext:
            // availableName, before the namespace or any object of the chart): one that `pulumi destroy` kept
            // (retainOnDelete), another stack's, or one installed by hand.
            var namespace = (String) resource.input("namespace");
            var name = (String) resource.input("name");
            if (!update && world.cluster.get(kind, namespace, name).isPresent()) {
                throw new StepFailed("cannot re-use a name that is still in use");
            }
            world.cluster.write("helm", kind, namespace, name, Map.of("chart", resource.input("chart")), stack);
            return;
        }
        try {
            world.cluster.apply(
                    fieldManager(resource),
                    kind,
                    namespace(resource),
                    (String) resource.input("metadata", "name"),
                    fields(resource),
                    forced(resource),
                    update ? TAKEN_OVER : Set.of(),
                    stack,
                    resourceVersion(resource));
        } catch (ModelCluster.Conflict conflict) {
            throw new StepFailed("Server-Side Apply field conflict detected: " + conflict.getMessage());
        } catch (ModelCluster.Refused refused) {
            throw new StepFailed(refused.getMessage());
        }
        // Owners in the object's namespace, by kind and name (the model does not check the uid; the API server keeps
        // references other writers added, as the list's merge key is the uid).
        list(resource.input("metadata", "ownerReferences"))
                .forEach(reference -> world.cluster
                        .get(kind, namespace(resource), (String) resource.input("metadata", "name"))
                        .orElseThrow()
                        .owners
                        .add(KObject.key((String) map(reference).get("kind"), namespace(resource), (String)
                                map(reference).get("name"))));
        if (JOB.equals(resource.type())) {
            awaitJob(resource);
        }
    }

    /**
     * A preview's Create or Update of a Kubernetes object whose inputs are all known (pulumi-kubernetes v4.0.0,
     * provider/pkg/provider/provider.go {@code Create}, {@code Update}; await/await.go {@code Creation},
     * {@code Update}): a server-side apply with {@code dryRun=All}. A Create is always forced in preview
     * ({@code patchForce} with no live object) and a missing namespace is swallowed; an Update reads the live object
     * first (missing: the preview fails), takes no manager over ({@code fixCSAFieldManagers} runs only for real) and
     * is forced only by {@code pulumi.com/patchForce} or a client-side-apply Pulumi manager on the live object. A
     * conflict or an admission webhook's refusal fails the preview. Helm releases are not dry-run (not a kind the
     * cluster serves).
     */
    void dryRun(DeclaredResource resource, boolean update) {
        var kind = kind(resource);
        var namespace = namespace(resource);
        var name = (String) resource.input("metadata", "name");
        if ("Release".equals(kind)
                || (!update
                        && !namespace.isEmpty()
                        && world.cluster.get("Namespace", "", namespace).isEmpty())) {
            return;
        }
        var live = world.cluster.get(kind, namespace, name);
        if (update && live.isEmpty()) {
            throw new StepFailed(kind + " " + name + " not found");
        }
        var force =
                !update
                        || forced(resource)
                        || live.get().managers.values().stream()
                                .anyMatch(owners -> owners.stream()
                                        .anyMatch(Set.of(
                                                "pulumi-kubernetes",
                                                "pulumi-kubernetes.exe",
                                                "pulumi-resource-kubernetes")::contains));
        try {
            world.cluster.dryRunApply(
                    fieldManager(resource), kind, namespace, name, fields(resource), force, resourceVersion(resource));
        } catch (ModelCluster.Conflict conflict) {
            throw new StepFailed("Server-Side Apply field conflict detected: " + conflict.getMessage());
        } catch (ModelCluster.Refused refused) {
            throw new StepFailed(refused.getMessage());
        }
    }

    /**
     * The inputs go to the API server as they are ({@code await.go} {@code Creation}/{@code Update} marshal
     * {@code c.Inputs}), a declared {@code metadata.resourceVersion} with them: the apply is then conditional on it.
     */
    private String resourceVersion(DeclaredResource resource) {
        return ignoreResourceVersions
                ? ""
                : Objects.requireNonNullElse((String) resource.input("metadata", "resourceVersion"), "");
    }

    private static boolean forced(DeclaredResource resource) {
        return "true".equals(resource.input("metadata", "annotations", "pulumi.com/patchForce"));
    }

    /** The fields an apply of the resource sets, at the model's granularity (see {@link KObject}). */
    private static Map<String, Object> fields(DeclaredResource resource) {
        var kind = kind(resource);
        var fields = new LinkedHashMap<String, Object>();
        resource.inputs().forEach((key, value) -> {
            if (!Set.of("apiVersion", "kind", "metadata").contains(key)) {
                fields.put(key, plain(value));
            }
        });
        map(resource.input("metadata", "labels")).forEach((label, value) -> fields.put("label:" + label, value));
        map(resource.input("metadata", "annotations"))
                .forEach((annotation, value) -> fields.put("annotation:" + annotation, value));
        if ("kubernetes:core/v1:Secret".equals(resource.type())) {
            fields.put("data", map(fields.get("data")).get(".dockerconfigjson"));
        }
        if (PATCH.equals(resource.type()) || "ServiceAccount".equals(kind)) {
            fields.computeIfPresent(
                    "imagePullSecrets",
                    (key, entries) -> list(entries).stream()
                            .map(entry -> (String) map(entry).get("name"))
                            .toList());
        }
        return fields;
    }

    /**
     * The Job's pod pulls as its ServiceAccount with its own pull secrets, trying until the pod's (or, with fresh pods,
     * the Job's) deadline; the awaiter fails when the Job does.
     */
    private void awaitJob(DeclaredResource job) {
        var pod = map(map(job.input("spec", "template")).get("spec"));
        var mounted = list(pod.get("volumes")).stream()
                .map(volume -> (String) map(map(volume).get("secret")).get("secretName"))
                .filter(Objects::nonNull)
                .findFirst();
        if (mounted.isPresent()) {
            awaitMountedSecret(job, pod, mounted.get());
            return;
        }
        var image = (String) list(pod.get("containers")).stream()
                .map(container -> map(container).get("image"))
                .findFirst()
                .orElseThrow();
        var account = (String) pod.getOrDefault("serviceAccountName", "default");
        var secrets = new ArrayList<String>();
        list(pod.get("imagePullSecrets"))
                .forEach(entry -> secrets.add((String) map(entry).get("name")));
        var backoffLimit = ((Number) job.input("spec", "backoffLimit")).longValue();
        var jobSeconds = ((Number) job.input("spec", "activeDeadlineSeconds")).longValue();
        var deadline = pod.get("activeDeadlineSeconds") instanceof Number podSeconds
                ? Math.min(jobSeconds, podSeconds.longValue() * (backoffLimit + 1))
                : jobSeconds;
        var namespace = namespace(job);
        var host = image.substring(0, image.indexOf('/'));
        if (!world.runUntil(world.now() + deadline, () -> oracle.canPull(world, namespace, account, secrets, host))) {
            throw new JobFailed("Job " + namespace + "/" + job.input("metadata", "name") + " failed: the pod could"
                    + " not pull " + image + " within " + deadline + " s");
        }
    }

    /**
     * A Job whose pod mounts a Secret and waits until the mounted {@code .dockerconfigjson} contains the text its
     * container's {@value #EXPECTED_ENV} names (the program's {@code TokenReadyJob}; the model does not run its shell,
     * it reads what the script waits for). The kubelet starts no container of a pod whose Secret volume's Secret is
     * missing and retries the mount, backing off up to 2 min 2 s, and refreshes a mounted Secret's files only at its
     * periodic sync (Kubernetes documentation, docs/model.md): worse case, the Job completes
     * {@value #KUBELET_LAG_SECONDS} s after the Secret first holds the text, if that is before the Job's deadline.
     */
    private void awaitMountedSecret(DeclaredResource job, Map<String, Object> pod, String secretName) {
        var namespace = namespace(job);
        var expected = (String) list(map(list(pod.get("containers")).get(0)).get("env")).stream()
                .map(ModelKyverno::map)
                .filter(variable -> EXPECTED_ENV.equals(variable.get("name")))
                .map(variable -> variable.get("value"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a Job mounting a Secret waits for " + EXPECTED_ENV));
        var deadline = world.now() + ((Number) job.input("spec", "activeDeadlineSeconds")).longValue();
        var held = world.runUntil(
                deadline,
                () -> world.cluster
                        .get("Secret", namespace, secretName)
                        .map(secret -> decoded(secret.fields.get("data")).contains(expected))
                        .orElse(false));
        if (!held || world.now() + KUBELET_LAG_SECONDS > deadline) {
            world.runUntil(deadline, () -> false);
            throw new JobFailed("Job " + namespace + "/" + job.input("metadata", "name") + " failed: Secret "
                    + secretName + " did not hold " + expected + " within its deadline (DeadlineExceeded)");
        }
        world.advance(KUBELET_LAG_SECONDS);
    }

    private static String decoded(Object data) {
        return data instanceof String base64
                ? new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8)
                : "";
    }

    private void grant(DeclaredResource resource, boolean add) {
        var inputs = resource.inputs();
        var policy = switch (resource.type()) {
            case "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember" ->
                PullOracle.repository((String) inputs.get("project"), (String) inputs.get("location"), (String)
                        inputs.get("repository"));
            case "gcp:storage/bucketIAMMember:BucketIAMMember" -> "b/" + inputs.get("bucket");
            case "gcp:projects/iAMMember:IAMMember" -> "projects/" + inputs.get("project");
            default -> (String) inputs.get("serviceAccountId");
        };
        var role = (String) inputs.get("role");
        var member = (String) plain(inputs.get("member"));
        try {
            if (authoritativeGrants) {
                world.google
                        .policies
                        .getOrDefault(policy, Map.of())
                        .getOrDefault(role, Set.of())
                        .clear();
            }
            if (add) {
                world.google.addMember(policy, role, member, world.now());
            } else {
                world.google.removeMember(policy, role, member);
            }
        } catch (IllegalStateException refused) {
            throw new StepFailed(refused.getMessage());
        }
    }

    private String fieldManager(DeclaredResource resource) {
        return named(resource).orElseGet(() -> fieldManagers.getOrDefault(resource.urn(), manager(resource)));
    }

    /** The field manager the resource names itself, which the provider prefers to any other. */
    private static java.util.Optional<String> named(DeclaredResource resource) {
        return java.util.Optional.ofNullable(
                (String) resource.input("metadata", "annotations", "pulumi.com/patchFieldManager"));
    }

    /** pulumi-kubernetes' field manager: one per resource, {@code pulumi-kubernetes-<random>} (provider.go). */
    /** The field managers this provider has applied with: the stack's own. */
    Set<String> managers() {
        return Set.copyOf(fieldManagers.values());
    }

    String manager(DeclaredResource resource) {
        var prefix = "stack".equals(stack) ? "" : stack + "/";
        return "pulumi-kubernetes-" + Integer.toHexString((prefix + resource.urn()).hashCode());
    }

    static String kind(DeclaredResource resource) {
        var kind = resource.type().substring(resource.type().lastIndexOf(':') + 1);
        return PATCH.equals(resource.type()) || NAMESPACE_PATCH.equals(resource.type())
                ? kind.substring(0, kind.length() - "Patch".length())
                : kind;
    }

    static String namespace(DeclaredResource resource) {
        return Objects.requireNonNullElse((String) resource.input("metadata", "namespace"), "");
    }

    private static String email(DeclaredResource account) {
        return account.inputs().get("accountId") + "@" + account.inputs().get("project") + ".iam.gserviceaccount.com";
    }

    static String accountEmail(String serviceAccountId) {
        return serviceAccountId.substring(serviceAccountId.lastIndexOf('/') + 1);
    }

    private static String poolName(DeclaredResource resource) {
        var inputs = resource.inputs();
        var pool = "projects/" + registrypullaccess.offline.FakeGoogleCloud.PROJECT_NUMBER
                + "/locations/global/workloadIdentityPools/" + inputs.get("workloadIdentityPoolId");
        return inputs.containsKey("workloadIdentityPoolProviderId")
                ? pool + "/providers/" + inputs.get("workloadIdentityPoolProviderId")
                : pool;
    }

    private static Object plain(Object value) {
        return value instanceof DeclaredResource.SecretValue secret ? plain(secret.value()) : value;
    }

    private static Set<String> keys(Map<String, Object> a, Map<String, Object> b) {
        var keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
