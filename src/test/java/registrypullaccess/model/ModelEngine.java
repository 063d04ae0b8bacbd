package registrypullaccess.model;

import registrypullaccess.offline.DeclaredResource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order in which pulumi v3.253.0 carries out an update (docs/model.md cites pkg/resource/deploy): one step per
 * registration, in one order the program's registrations may arrive in ({@link #registrationOrder}; create, update, same; a replacement creates the new resource
 * first and deletes the old one after the program, unless delete-before-replace, then deletes it first); after the
 * program, every resource no longer declared and every replaced one is deleted, dependents before what they depend
 * on; {@code retainOnDelete} drops a resource from the state without deleting it; deleting or replacing a protected
 * resource fails; an alias finds the old state under another name; a failed step ends the update with no deletes.
 *
 * <p>Steps run one at a time: the engine may run independent steps in parallel, and this one serial order is one of
 * those it may choose (docs/model.md says what that leaves out).
 */
final class ModelEngine {

    /** One step the engine carried out (or tried to). */
    record Step(int number, String op, String type, String name) {
        @Override
        public String toString() {
            return op + " " + name;
        }
    }

    private String cause(Step step) {
        return label + step;
    }

    /**
     * How an update went.
     *
     * @param state   the stack's state afterwards
     * @param failure why it failed, if it did
     */
    record Update(List<StateResource> state, List<Step> steps, Optional<String> failure) {}

    /** A deliberately wrong order, for the negative controls. */
    enum Misorder {
        NONE,
        /** Deletes run before anything is created or updated. */
        DELETES_FIRST,
        /** Keys no longer declared (or replaced) are deleted before anything is created or updated. */
        KEYS_FIRST,
        /**
         * ServiceAccount patches run before every other registration, and list only the Secrets this run declares in
         * their namespace: a program that neither waits for its Secrets nor keeps the entries it finds.
         */
        NAIVE_PATCHES_FIRST,
        /**
         * ServiceAccount patches are deleted although retained on delete: pulumi-kubernetes relinquishes the whole list,
         * everyone's entries with ours (for the foreign-objects oracle).
         */
        RELINQUISHED_PATCHES,
        /**
         * IAM grants are authoritative for their role ({@code *IAMBinding}, not {@code *IAMMember}): adding ours sets the
         * role's members to ours alone, removing it empties the role (for the foreign-objects oracle).
         */
        AUTHORITATIVE_GRANTS,
        /**
         * ServiceAccount patches are applied without the resourceVersion they were read at: a write between the read and
         * the apply is overwritten (for the foreign-objects oracle, with two stacks or a concurrent writer).
         */
        UNCONDITIONAL_PATCHES
    }

    private static final String KEY = "gcp:serviceaccount/key:Key";

    private final World world;
    private final ModelProvider provider;
    private final PullOracle oracle;
    private Misorder misorder = Misorder.NONE;
    private String label = "";

    ModelEngine(World world, ModelProvider provider, PullOracle oracle) {
        this.world = world;
        this.provider = provider;
        this.oracle = oracle;
    }

    ModelEngine misordered(Misorder misorder) {
        this.misorder = misorder;
        provider.authoritativeGrants(misorder == Misorder.AUTHORITATIVE_GRANTS);
        provider.ignoreResourceVersions(misorder == Misorder.UNCONDITIONAL_PATCHES);
        return this;
    }

    /** Names this engine's steps, as causes, with a prefix: the stack's, when several share the cluster. */
    ModelEngine labelled(String label) {
        this.label = label;
        return this;
    }

    Update up(List<StateResource> prior, List<DeclaredResource> declared) {
        return up(prior, declared, List.of());
    }

    /** An update of what the program declared and read: a read of a resource in the state releases it. */
    Update up(List<StateResource> prior, List<DeclaredResource> declared, List<DeclaredResource.Read> reads) {
        var run = new Run(prior);
        try {
            reads.forEach(run::read);
            var registrations = registrationOrder(declared);
            if (misorder == Misorder.NAIVE_PATCHES_FIRST) {
                registrations.replaceAll(resource -> naive(resource, declared));
                registrations.sort((a, b) ->
                        Boolean.compare(!ModelProvider.PATCH.equals(a.type()), !ModelProvider.PATCH.equals(b.type())));
            }
            if (misorder == Misorder.DELETES_FIRST || misorder == Misorder.KEYS_FIRST) {
                declared.forEach(run::claim);
                run.deletes(resource -> misorder == Misorder.DELETES_FIRST
                        || KEY.equals(resource.declared().type()));
            }
            registrations.forEach(run::register);
            run.deletes(resource -> true);
        } catch (ModelProvider.StepFailed failed) {
            return new Update(run.state(), run.steps, Optional.of(run.failedStep + ": " + failed.getMessage()));
        }
        return new Update(run.state(), run.steps, run.protectedFailure);
    }

    /**
     * {@code pulumi up} previews first and stops on a failed preview (pulumi v3.253.0, pkg/backend/apply.go
     * {@code PreviewThenPromptThenExecute}; not with {@code --skip-preview}). In a preview the engine runs each
     * registration's step with {@code Preview} set (pkg/resource/deploy/step.go: {@code CreateStep.Apply} and
     * {@code UpdateStep.Apply} call the provider; {@code DeleteStep.Apply} does nothing), so a replacement's create is
     * sent while the old object still exists, and nothing the update would change has changed yet. The Kubernetes
     * provider dry-runs each object (see {@link ModelProvider#dryRun}) unless the preview does not know all its inputs
     * or it is a new {@code *Patch} of any kind (pulumi-kubernetes v4.0.0 provider/pkg/provider/provider.go {@code Create}:
     * {@code isPatchURN(urn)}, a type that ends in {@code Patch}: the ServiceAccount patches and the record's
     * NamespacePatch alike).
     *
     * @param asPreviewed what the program registered in the preview: an input it left out, or gave otherwise than in
     *                    {@code declared}, was unknown there
     * @return why the preview failed, if it did
     */
    Optional<String> preview(
            List<StateResource> prior, List<DeclaredResource> declared, List<DeclaredResource> asPreviewed) {
        var run = new Run(prior);
        var previewed = new LinkedHashMap<String, DeclaredResource>();
        asPreviewed.forEach(resource -> previewed.put(resource.urn(), resource));
        for (var resource : registrationOrder(declared)) {
            if (!resource.type().startsWith(ModelProvider.KUBERNETES)) {
                continue;
            }
            var op = run.previewOp(resource);
            var seen = previewed.get(resource.urn());
            if (op.isEmpty()
                    || seen == null
                    || !seen.inputs().equals(resource.inputs())
                    || (op.get().equals("create") && resource.type().endsWith("Patch"))) {
                continue;
            }
            try {
                provider.dryRun(resource, op.get().equals("update"));
            } catch (ModelProvider.StepFailed failed) {
                return Optional.of("preview of " + op.get() + " " + resource.name() + ": " + failed.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The resources this update creates or replaces (type and name): the ones whose id and computed outputs a preview
     * does not know.
     */
    Set<String> planned(List<StateResource> prior, List<DeclaredResource> declared) {
        var run = new Run(prior);
        var planned = new java.util.TreeSet<String>();
        declared.stream()
                .filter(ModelProvider::custom)
                .filter(resource ->
                        run.previewOp(resource).filter("create"::equals).isPresent())
                .forEach(resource -> planned.add(resource.type() + "::" + resource.name()));
        return planned;
    }

    /**
     * The order the registrations reach the engine: the SDK sends them as the program's outputs resolve, which varies
     * from run to run; any order that puts each resource after what it depends on is one the engine may see. The model
     * takes, so that every run measures the same, the one that picks the first URN among those ready.
     */
    static List<DeclaredResource> registrationOrder(List<DeclaredResource> declared) {
        var urns = declared.stream().map(DeclaredResource::urn).collect(java.util.stream.Collectors.toSet());
        var waiting = new java.util.TreeMap<String, DeclaredResource>();
        declared.forEach(resource -> waiting.put(resource.urn(), resource));
        var done = new HashSet<String>();
        var ordered = new ArrayList<DeclaredResource>();
        while (!waiting.isEmpty()) {
            var next = waiting.values().stream()
                    .filter(resource -> resource.dependencies().stream()
                            .allMatch(dependency -> done.contains(dependency) || !urns.contains(dependency)))
                    .filter(resource -> done.contains(resource.parentUrn()) || !urns.contains(resource.parentUrn()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("a dependency cycle among " + waiting.keySet()));
            waiting.remove(next.urn());
            done.add(next.urn());
            ordered.add(next);
        }
        return ordered;
    }

    /** A patch listing only the Secrets declared in its namespace. */
    private static DeclaredResource naive(DeclaredResource resource, List<DeclaredResource> declared) {
        if (!ModelProvider.PATCH.equals(resource.type())) {
            return resource;
        }
        var namespace = resource.input("metadata", "namespace");
        var names = declared.stream()
                .filter(other -> Set.of("kubernetes:core/v1:Secret", "kubernetes:external-secrets.io/v1:ExternalSecret")
                        .contains(other.type()))
                .filter(other -> namespace.equals(other.input("metadata", "namespace")))
                .map(other -> Map.of("name", other.input("metadata", "name")))
                .toList();
        var inputs = new LinkedHashMap<>(resource.inputs());
        inputs.put("imagePullSecrets", names);
        return new DeclaredResource(
                resource.urn(),
                resource.type(),
                resource.name(),
                resource.parentUrn(),
                resource.dependencies(),
                inputs,
                resource.options());
    }

    /** The state of one update as it proceeds. */
    private final class Run {
        private final Map<String, StateResource> old = new LinkedHashMap<>();
        private final Set<String> operatedOn = new HashSet<>();
        private final List<StateResource> pendingDeletes = new ArrayList<>();
        private final Map<String, StateResource> next = new LinkedHashMap<>();
        private final List<Step> steps = new ArrayList<>();
        private String failedStep = "";
        private Optional<String> protectedFailure = Optional.empty();

        Run(List<StateResource> prior) {
            prior.forEach(resource -> old.put(resource.urn(), resource));
        }

        List<StateResource> state() {
            var state = new ArrayList<>(next.values());
            // What was neither carried over nor deleted stays, as after a failed update; a deleted resource leaves the
            // state (pulumi v3.253.0, pkg/resource/deploy/step.go: a DeleteStep has no new state, DeleteStep.New).
            old.values().stream()
                    .filter(resource -> !operatedOn.contains(resource.urn()) || pendingDeletes.contains(resource))
                    .filter(resource -> !next.containsKey(resource.urn()))
                    .filter(resource -> !deletedAlready(resource))
                    .forEach(state::add);
            return state;
        }

        private Optional<StateResource> previous(DeclaredResource resource) {
            if (old.containsKey(resource.urn())) {
                return Optional.of(old.get(resource.urn()));
            }
            for (var alias : resource.options().aliases()) {
                var parts = alias.split(" ", -1);
                var urn = parts.length == 3 ? aliasUrn(parts) : alias;
                if (old.containsKey(urn)) {
                    return Optional.of(old.get(urn));
                }
            }
            return Optional.empty();
        }

        /**
         * A read of a resource the stack manages, under its URN: with the same id the engine stops managing it and
         * does not delete it ("relinquish"); with another id the old one is replaced, deleted after the program
         * (pulumi v3.253.0, pkg/resource/deploy/step_generator.go, GenerateReadSteps; isOperatedOn counts reads).
         */
        void read(DeclaredResource.Read read) {
            var found = old.get(read.urn());
            if (found == null) {
                return;
            }
            operatedOn.add(found.urn());
            var sameObject = read.id().equals(id(found.declared()));
            steps.add(new Step(
                    steps.size() + 1,
                    sameObject ? "read" : "read-replacement",
                    read.type(),
                    found.declared().name()));
            if (!sameObject) {
                pendingDeletes.add(found);
            }
        }

        /** A Kubernetes object's id as pulumi-kubernetes gives it: {@code namespace/name}, or its name. */
        private static String id(DeclaredResource resource) {
            var namespace = ModelProvider.namespace(resource);
            var name = (String) resource.input("metadata", "name");
            return namespace.isEmpty() ? name : namespace + "/" + name;
        }

        /** The step a preview sends the provider: create (a replacement's too), update, or none for same. */
        Optional<String> previewOp(DeclaredResource resource) {
            var found = previous(resource);
            if (found.isEmpty()) {
                return Optional.of("create");
            }
            var prior = found.get();
            if (replaces(prior, resource)) {
                return Optional.of("create");
            }
            return provider.diff(prior.declared(), resource) == ModelProvider.Diff.NONE && !prior.initError()
                    ? Optional.empty()
                    : Optional.of("update");
        }

        /** Whether the provider's diff (or a failed Job with {@code pulumi.com/replaceUnready}) replaces it. */
        private boolean replaces(StateResource prior, DeclaredResource resource) {
            return provider.diff(prior.declared(), resource) == ModelProvider.Diff.REPLACE
                    || (prior.initError()
                            && "true".equals(resource.input("metadata", "annotations", "pulumi.com/replaceUnready")));
        }

        /** Marks the old state a registration takes over, so that a misordered delete phase spares it. */
        void claim(DeclaredResource resource) {
            previous(resource).ifPresent(found -> {
                if (!ModelProvider.custom(resource)
                        || provider.diff(found.declared(), resource) != ModelProvider.Diff.REPLACE) {
                    operatedOn.add(found.urn());
                }
            });
        }

        void register(DeclaredResource resource) {
            var found = previous(resource);
            found.ifPresent(resource1 -> operatedOn.add(resource1.urn()));
            if (!ModelProvider.custom(resource)) {
                next.put(resource.urn(), new StateResource(resource, false));
                return;
            }
            if (found.isEmpty()) {
                step("create", resource, () -> provider.create(resource));
                return;
            }
            var prior = found.get();
            if (replaces(prior, resource)) {
                if (prior.declared().options().protect() && resource.options().protect()) {
                    failedStep = label + "replace " + resource.name();
                    throw new ModelProvider.StepFailed("unable to replace resource \"" + resource.urn()
                            + "\" as it is currently marked for protection");
                }
                if (provider.deleteBeforeReplace(prior.declared(), resource)) {
                    if (!pendingDeletes.contains(prior) && !deletedAlready(prior)) {
                        deleteNow(prior, "delete-replaced");
                    }
                    step("create-replacement", resource, () -> provider.create(resource));
                } else {
                    step("create-replacement", resource, () -> provider.create(resource));
                    if (!deletedAlready(prior)) {
                        pendingDeletes.add(prior);
                    }
                }
                return;
            }
            if (provider.diff(prior.declared(), resource) == ModelProvider.Diff.NONE && !prior.initError()) {
                steps.add(new Step(steps.size() + 1, "same", resource.type(), resource.name()));
                next.put(resource.urn(), new StateResource(resource, false));
                return;
            }
            try {
                step("update", resource, () -> provider.update(resource, prior.initError()));
            } catch (ModelProvider.StepFailed failed) {
                next.putIfAbsent(resource.urn(), prior); // a failed update keeps the resource's last state
                throw failed;
            }
        }

        private final Set<String> deleted = new HashSet<>();

        private boolean deletedAlready(StateResource resource) {
            return deleted.contains(resource.urn());
        }

        private void step(String op, DeclaredResource resource, Runnable action) {
            var step = new Step(steps.size() + 1, op, resource.type(), resource.name());
            steps.add(step);
            oracle.step(step.number());
            try {
                action.run();
            } catch (ModelProvider.StepFailed failed) {
                failedStep = cause(step);
                // A Job that failed is in the state, with its initialization error.
                if (failed instanceof ModelProvider.JobFailed) {
                    next.put(resource.urn(), new StateResource(resource, true));
                }
                world.stepped(cause(step));
                throw failed;
            }
            next.put(resource.urn(), new StateResource(resource, false));
            world.stepped(cause(step));
            world.advance(ModelProvider.seconds(resource));
        }

        private void deleteNow(StateResource resource, String op) {
            var declared = resource.declared();
            var step = new Step(steps.size() + 1, op, declared.type(), declared.name());
            steps.add(step);
            oracle.step(step.number());
            deleted.add(resource.urn());
            if (declared.options().protect()) {
                protectedFailure = Optional.of(cause(step) + ": resource \"" + declared.urn()
                        + "\" cannot be deleted because it is protected");
                next.putIfAbsent(resource.urn(), resource);
                return;
            }
            // retainOnDelete: the resource leaves the state; the provider is not called, and no time passes.
            var relinquished = misorder == Misorder.RELINQUISHED_PATCHES && ModelProvider.PATCH.equals(declared.type());
            var called = !declared.options().retainOnDelete() || relinquished;
            if (called) {
                try {
                    provider.delete(declared);
                } catch (ModelProvider.StepFailed failed) {
                    failedStep = cause(step);
                    throw failed;
                }
            }
            world.stepped(cause(step));
            if (called) {
                world.advance(ModelProvider.seconds(declared));
            }
        }

        /** The post-program phase: replaced and no longer declared resources, dependents first. */
        void deletes(java.util.function.Predicate<StateResource> which) {
            var doomed = new ArrayList<StateResource>(pendingDeletes);
            old.values().stream()
                    .filter(resource -> !operatedOn.contains(resource.urn()))
                    .forEach(doomed::add);
            doomed.removeIf(this::deletedAlready);
            doomed.removeIf(which.negate());
            for (var resource : reverseDependencyOrder(doomed)) {
                if (ModelProvider.custom(resource.declared())) {
                    deleteNow(resource, pendingDeletes.contains(resource) ? "delete-replaced" : "delete");
                }
            }
            pendingDeletes.removeIf(this::deletedAlready);
        }

        /** Dependents before their dependencies, otherwise in the old state's order reversed. */
        private List<StateResource> reverseDependencyOrder(List<StateResource> doomed) {
            var remaining = new ArrayList<>(doomed);
            java.util.Collections.reverse(remaining);
            var ordered = new ArrayList<StateResource>();
            while (!remaining.isEmpty()) {
                var progress = false;
                for (var resource : List.copyOf(remaining)) {
                    var hasDependent = remaining.stream()
                            .anyMatch(other -> !other.urn().equals(resource.urn())
                                    && other.declared().dependencies().contains(resource.urn()));
                    if (!hasDependent) {
                        ordered.add(resource);
                        remaining.remove(resource);
                        progress = true;
                    }
                }
                if (!progress) {
                    ordered.addAll(remaining);
                    break;
                }
            }
            return ordered;
        }

        private String aliasUrn(String[] parts) {
            var parent = parts[0];
            var type = parts[1];
            var name = parts[2];
            var parentType = parent.split("::", -1)[2];
            var qualified = parentType.equals("pulumi:pulumi:Stack") ? type : parentType + "$" + type;
            var prefix = parent.substring(0, parent.indexOf("::", parent.indexOf("::") + 2) + 2);
            return prefix + qualified + "::" + name;
        }
    }
}
