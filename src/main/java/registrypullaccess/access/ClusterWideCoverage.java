package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.kubernetes.rbac.v1.ClusterRole;
import com.pulumi.kubernetes.rbac.v1.ClusterRoleArgs;
import com.pulumi.kubernetes.rbac.v1.inputs.PolicyRuleArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.kyverno.KyvernoRoles;
import registrypullaccess.settings.Coverage;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-wide coverage: the pull Secret once, in a home namespace of its own, and Kyverno policies that copy
 * it into every selected namespace and list it in their ServiceAccounts, now and later. What the stack declares
 * does not depend on how many namespaces the cluster has: Kyverno finds them.
 *
 * <p>Declared with it, because Kyverno needs them: the RBAC its controllers must have to copy Secrets and
 * update ServiceAccounts (it refuses a policy it could not carry out), and, with {@code installKyverno}, the
 * pinned Kyverno release itself. With {@code detach}, the copy policy is removed (Kyverno then deletes every
 * copy) and the ServiceAccount policy takes only our entry out of the lists, while Kyverno still runs: the
 * step before `pulumi destroy`.
 */
final class ClusterWideCoverage {

    /** The home Secret's resource name, under the component's, in versions before it was named after its namespace. */
    static final String OLD_HOME_SECRET = "home/pull-secret";

    /** On each policy: the ids of the ClusterRoles that let Kyverno carry it out. */
    static final String ROLES_ANNOTATION = "registry-pull-access/kyverno-roles";

    /** On the copy policy: {@link KyvernoPolicies#digest} of its spec, which replaces it when it changes. */
    static final String COPY_SPEC_DIGEST_ANNOTATION = "registry-pull-access/copy-spec-sha256";

    /**
     * How the source Secret comes to exist in the home namespace: with a key, the stack writes it from the key
     * ({@link #withData}); another way of pulling may have an operator write it (an ExternalSecret whose target
     * is that Secret), and returns the resource that makes it.
     */
    @FunctionalInterface
    interface SourceSecret {
        Resource declare(Children children, String namespace, String name, List<Resource> prerequisites);
    }

    /**
     * What was declared, for what comes after (the pull check).
     *
     * @param sourceSecret the Secret every copy is made from
     * @param policies     the Kyverno policies; copies and entries follow them, asynchronously
     */
    record Declared(Resource sourceSecret, List<Resource> policies) {}

    private ClusterWideCoverage() {}

    /**
     * The source Secret written by the stack from the given (secret) data. Changed in place (see
     * {@link PullSecrets#dockerConfigSecret}): Kyverno then copies the change (a source that carries its clone-source
     * label), where a source deleted first would take every copy with it until the hourly scan. Not forced: an
     * operator's Secret of the same name there is a conflict to report, not to overwrite.
     */
    static SourceSecret withData(Output<Map<String, String>> data, List<String> registryHosts) {
        return (children, namespace, name, prerequisites) -> PullSecrets.dockerConfigSecret(
                children.name(namespace, "pull-secret"),
                name,
                namespace,
                registryHosts,
                data,
                // The home namespace is the stack's own: no one else's Secret to take over there.
                false,
                children.options(),
                children,
                prerequisites,
                formerHomeSecret(children, namespace));
    }

    /**
     * The home Secret is named after its namespace, as a listed namespace's Secret is: where the home namespace is
     * (or was) a listed one, the two are one object, and so one resource (and its owner one ConfigMap), updated in
     * place when coverage changes either way, never deleted after the program while it is the source of every copy.
     * Versions before named it {@value #OLD_HOME_SECRET}: an alias keeps that state, for the Secret and its owner (the
     * owner deleted by its old name would have the garbage collector delete the source, and Kyverno every copy).
     */
    static Optional<String> formerHomeSecret(Children children, String home) {
        var oldName = children.name(OLD_HOME_SECRET.split("/"));
        return oldName.equals(children.name(home, "pull-secret")) ? Optional.empty() : Optional.of(oldName);
    }

    /**
     * @param detach whether to stop covering: the copy policy goes (Kyverno deletes the copies), and our entry is
     *               taken out of the ServiceAccounts
     * @param former the entries of ours the last update left in the ServiceAccounts, which the ServiceAccount policy
     *               takes out ({@link FormerEntries#takenOutByPolicy})
     */
    static Declared declare(
            Children children,
            Coverage.ClusterWide coverage,
            Settings settings,
            String secretName,
            boolean detach,
            SourceSecret source,
            List<Resource> grants,
            Output<FormerEntries> former) {
        // The ServiceAccounts the entries policy acts on (none: no policy, no permission). Kyverno never reverts a
        // mutation, so taking our entry out is a policy of its own.
        var serviceAccountEntries = settings.serviceAccountEntries();
        var entries = serviceAccountEntries.serviceAccounts();
        var scope = new KyvernoPolicies.Scope(
                secretName, coverage.home(), coverage.selector(), coverage.excluded(), entries);
        var kyverno = coverage.installKyverno()
                ? Optional.<Resource>of(PinnedChart.KYVERNO.declare(
                        children,
                        // The chart's CRDs are templates, installed and upgraded with the release (crds.install).
                        args -> args.skipCrds(false)))
                : Optional.<Resource>empty();

        var home = HomeNamespace.declare(children, coverage.home());
        var sourcePrerequisites = new ArrayList<>(grants);
        sourcePrerequisites.add(home);
        var sourceSecret = source.declare(children, coverage.home(), secretName, sourcePrerequisites);

        // Kyverno checks its own permissions when a policy is created, so the roles come first.
        var roles = List.of(
                clusterRole(
                        children,
                        coverage.home(),
                        "background-controller",
                        KyvernoRoles.BACKGROUND_CONTROLLER_AGGREGATION,
                        entries.isEmpty()
                                ? KyvernoRoles.COPY_PERMISSIONS
                                : KyvernoRoles.BACKGROUND_CONTROLLER_PERMISSIONS),
                clusterRole(
                        children,
                        coverage.home(),
                        "admission-controller",
                        KyvernoRoles.ADMISSION_CONTROLLER_AGGREGATION,
                        KyvernoRoles.ADMISSION_CONTROLLER_PERMISSIONS));
        var policyPrerequisites = new ArrayList<Resource>(roles);
        policyPrerequisites.add(sourceSecret);
        kyverno.ifPresent(policyPrerequisites::add);
        // A preview sends every object whose inputs are all known to the API server as a dry run (pulumi-kubernetes
        // v4.0.0, provider/pkg/provider/provider.go, Create: skipped only for unknown inputs, a kind the cluster
        // does not know, or a patch), and Kyverno v1.19.0 admits a policy only if its controllers may already do
        // what it asks (pkg/validation/policy/actions.go; pkg/policy/generate/validate.go, canIGenerate;
        // pkg/policy/mutate/validate.go, targets). Before our roles exist that fails the first preview of a
        // cluster that runs Kyverno. So the policies name the roles by id, which a preview that creates the
        // roles does not know yet (the provider answers a preview's Create with no id): their dry run is then
        // skipped, and `pulumi up` creates them after the roles.
        var roleIds = Output.all(roles.stream().map(ClusterRole::id).toList()).applyValue(ids -> String.join(",", ids));

        var policies = new ArrayList<Resource>();
        if (!detach) {
            // With synchronize, Kyverno refuses changes to the rule's match and exclude while the generate pattern
            // stays the same: a changed copy policy is deleted, taking its copies with it, and created again,
            // which copies anew. Replaced on a digest of what is declared, not on `spec`: the provider compares
            // the live object, as the API server and Kyverno wrote it, trimmed to the declared fields
            // (provider.go, Diff; util.go, pruneMap), and a difference made there would replace the policy, and
            // delete every copy, on every `pulumi up`. Nothing writes our annotation but us. Delete-first is the
            // provider's choice, not ours: pulumi-kubernetes v4.0.0 asks for it when the name stays (provider.go,
            // Diff), as the same-named policy must be; under another name (a new home namespace) the engine creates
            // the new policy first and deletes the old one, and with it its copies, after the program (pulumi
            // v3.253.0, pkg/resource/deploy/step_generator.go), by when the new policy has copied (see
            // KyvernoCopies.homeChange).
            var copySpec = KyvernoPolicies.copySpec(scope);
            policies.add(new KubernetesObject(
                    children.name("copy-policy"),
                    KyvernoPolicies.API_VERSION,
                    KyvernoPolicies.KIND,
                    roleIds.applyValue(ids -> metadata(
                            coverage.copyPolicyName(secretName),
                            Map.of(
                                    ROLES_ANNOTATION,
                                    ids,
                                    COPY_SPEC_DIGEST_ANNOTATION,
                                    KyvernoPolicies.digest(copySpec)))),
                    Output.of(copySpec),
                    children.options()
                            .dependsOn(children.after(policyPrerequisites))
                            .replaceOnChanges("metadata.annotations[\"" + COPY_SPEC_DIGEST_ANNOTATION + "\"]")
                            .build()));
        }
        if (!entries.isEmpty()) {
            policies.add(new KubernetesObject(
                    children.name("serviceaccount-policy"),
                    KyvernoPolicies.API_VERSION,
                    KyvernoPolicies.KIND,
                    roleIds.applyValue(
                            ids -> metadata(coverage.serviceAccountPolicyName(), Map.of(ROLES_ANNOTATION, ids))),
                    former.applyValue(left -> KyvernoPolicies.serviceAccountSpec(
                            scope, !serviceAccountEntries.add(), left.takenOutByPolicy(), left.policyNamespaces())),
                    children.options()
                            .dependsOn(children.after(policyPrerequisites))
                            .build()));
        }
        return new Declared(sourceSecret, List.copyOf(policies));
    }

    private static Map<String, Object> metadata(String name, Map<String, String> annotations) {
        return Map.of("name", name, "labels", PullSecrets.LABELS, "annotations", annotations);
    }

    private static ClusterRole clusterRole(
            Children children,
            String home,
            String controller,
            Map<String, String> aggregation,
            List<KyvernoRoles.Permission> permissions) {
        var labels = new LinkedHashMap<>(PullSecrets.LABELS);
        labels.putAll(aggregation);
        return new ClusterRole(
                children.name("kyverno", controller),
                ClusterRoleArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(home + ":kyverno-" + controller)
                                .labels(labels)
                                .build())
                        .rules(permissions.stream()
                                .map(permission -> PolicyRuleArgs.builder()
                                        .apiGroups("")
                                        .resources(permission.resource())
                                        .verbs(permission.verbs())
                                        .build())
                                .toList())
                        .build(),
                children.options().build());
    }
}
