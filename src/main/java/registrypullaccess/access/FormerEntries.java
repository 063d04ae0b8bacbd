package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Namespace;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.Settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The entries of ours that a ServiceAccount lists from the last deployment and this one no longer lists (another
 * {@code secretName}, or token mode without other registries): the patch that lists ours takes them out, in the
 * same apply, so that no entry of ours is left naming a Secret the update deletes. That apply is the list's only
 * write (a {@code ServiceAccountPatch} applies its whole list: pulumi-kubernetes v4.0.0,
 * provider/pkg/await/await.go, Creation and Update; the list is atomic to server-side apply), so it cannot add the
 * new name first and take the former one out later in the same update: a former entry goes only where every
 * Secret the patch lists exists before it. Pods admitted before the patch keep the former name in their spec
 * (the ServiceAccount admission plugin copies the list once, at creation), as they did before this change.
 *
 * <p>What is ours is what the record says, and only that (worse case where it says nothing: keep the entry, which
 * the kubelet skips once its Secret is gone):
 *
 * <ul>
 *   <li>only in namespaces and ServiceAccounts the last deployment listed the Secret in, through patches, or
 *       cluster-wide through Kyverno's policy ({@link #everyNamespaceBut}; not detached, not pods naming the Secret);
 *       a record written before it carried the ServiceAccounts names none, and one written before it carried
 *       {@link DeployedShape#pullSecrets} the {@code secretName} alone. Cluster-wide next, the ServiceAccount
 *       policy takes them out instead, one update later ({@link #takenOutByPolicy});
 *   <li>with a key, whose Secret the stack writes before the patch ({@link PullSecrets#declare}); in token mode only
 *       when the token Secret kept its name, since ESO writes a new one after the patch, when the copy that waits
 *       for the patch has synced ({@link TokenCopies#declareOnceListed}): a new name's entry alone, before that,
 *       would leave new pods nothing to pull with. After a rename into token mode the former entry stays, and
 *       the record says so ({@link #kept}): the next update, by when ESO has written the token Secret (the update
 *       waited for it: {@link TokenReadyJob}), takes it out;
 *   <li>only the last deployment's, and those it kept: after renames by versions before this one, which recorded
 *       none, the entries of the names before the last stay.
 * </ul>
 *
 * @param last   what the stack deployed last, if the record says
 * @param next   what this update deploys
 * @param labels the labels of the namespaces where a selector of the last update decides whether Kyverno listed
 *               its Secret there ({@link #labelsDeciding})
 */
record FormerEntries(Optional<DeployedShape> last, DeployedShape next, Map<String, Map<String, String>> labels) {

    /** Where no selector of the last update decides: no namespace's labels read. */
    FormerEntries(Optional<DeployedShape> last, DeployedShape next) {
        this(last, next, Map.of());
    }

    /** The former entries of ours to take out of one ServiceAccount's list. */
    List<String> in(String namespace, String serviceAccount) {
        return last.filter(shape -> listedThrough(shape, namespace, serviceAccount))
                .filter(this::takenOutNow)
                .map(shape -> notListedNext(shape).stream()
                        .filter(name -> own(shape, name) || keptHere(shape, namespace))
                        .toList())
                .orElse(List.of());
    }

    /**
     * The entries of ours this update leaves in the ServiceAccounts although it no longer lists them, which the
     * record carries on ({@link DeployedShape#pullSecrets}) for the next update to take out, with where they are
     * known to be ours ({@link #keptIn}): listed, where ESO writes the Secret after the patch, or where Kyverno's
     * policy lists the former name until the update's end ({@link #takenOutNow}); cluster-wide, after a rename,
     * where Kyverno copies the new Secret only after this update ({@link #takenOutByPolicy}).
     */
    List<String> kept() {
        return last.filter(shape -> keptWhere(shape).isPresent())
                .map(this::notListedNext)
                .orElse(List.of());
    }

    /** Where the entries {@link #kept} are known to be ours; empty: wherever this update lists its own. */
    List<String> keptIn() {
        return last.flatMap(this::keptWhere).orElse(List.of());
    }

    /**
     * Cluster-wide: the entries of ours the last update left in the ServiceAccounts ({@link #kept}), which the
     * ServiceAccount policy now takes out of the same ServiceAccounts (under the same name and coverage), in the
     * namespaces where they are known to be ours ({@link #policyNamespaces}). Not in the update that renames:
     * pods admitted before Kyverno copies the new Secret into their namespace, which it does only after that
     * update (its copy policy is new), pull with the old entry until the old Secret goes at the update's end;
     * taking it out then would leave them nothing. By the next update the old Secrets are gone: the entry helps
     * no pull. Kyverno takes them out in the background, some time after the update
     * (mutateExistingOnPolicyUpdate); a ServiceAccount it has not reached when the update after drops the rule
     * keeps the entry (the kubelet skips a Secret that does not exist).
     */
    List<String> takenOutByPolicy() {
        return last.filter(shape -> next.clusterWide()
                        && sameCoverage(shape, next)
                        && shape.secretName().equals(next.secretName())
                        && shape.keptIn() != null)
                .map(this::notListedNext)
                .orElse(List.of());
    }

    /** Where {@link #takenOutByPolicy} takes them out; empty: every namespace the policy covers. */
    List<String> policyNamespaces() {
        return last.map(DeployedShape::keptIn).orElse(List.of());
    }

    /**
     * Where the entries {@code shape} leaves now are known to be ours, if it leaves any: empty when it leaves
     * none, the empty list for wherever this update lists its own.
     */
    private Optional<List<String>> keptWhere(DeployedShape shape) {
        // In other ServiceAccounts, an entry of that name would be someone else's the next update takes for ours.
        if (notListedNext(shape).isEmpty()
                || !listing(shape)
                || !listing(next)
                || !shape.serviceAccounts().equals(next.serviceAccounts())) {
            return Optional.empty();
        }
        if (next.clusterWide()) {
            if (sameCoverage(shape, next)) {
                return shape.secretName().equals(next.secretName())
                        ? Optional.empty()
                        : keptBefore(shape) ? knownKept(shape) : Optional.of(List.of());
            }
            // From listed: where its patches listed them, and Kyverno's policy now covers.
            return shape.clusterWide()
                    ? Optional.empty()
                    : narrowed(
                            shape,
                            shape.namespaces().stream()
                                    .filter(namespace -> !next.excluded().contains(namespace))
                                    .toList());
        }
        return takenOutNow(shape)
                ? Optional.empty()
                : narrowed(
                        shape,
                        next.namespaces().stream()
                                .filter(namespace -> shape.serviceAccounts().stream()
                                        .anyMatch(account ->
                                                next.serviceAccounts().contains(account)
                                                        && listedThrough(shape, namespace, account)))
                                .toList());
    }

    /**
     * The namespaces of {@code where} in which the entries {@code shape} kept itself are ours too, if it carries
     * any on; empty when none is left.
     */
    private Optional<List<String>> narrowed(DeployedShape shape, List<String> where) {
        var both = keptBefore(shape)
                ? where.stream().filter(namespace -> keptHere(shape, namespace)).toList()
                : where;
        return both.isEmpty() ? Optional.empty() : Optional.of(both);
    }

    /** Where the entries {@code shape} kept are known to be ours, if anywhere. */
    private static Optional<List<String>> knownKept(DeployedShape shape) {
        return Optional.ofNullable(shape.keptIn()).filter(keptIn -> !keptIn.isEmpty());
    }

    /**
     * Whether {@code shape} carries on entries it kept, known to be ours only in its {@code keptIn} (in none, for a
     * record written before it said where).
     */
    private boolean keptBefore(DeployedShape shape) {
        return (shape.keptIn() == null || !shape.keptIn().isEmpty())
                && notListedNext(shape).stream().anyMatch(name -> !own(shape, name));
    }

    /** Whether the entries {@code shape} kept are known to be ours in {@code namespace}. */
    private static boolean keptHere(DeployedShape shape, String namespace) {
        return shape.keptIn() != null
                && (shape.keptIn().isEmpty() || shape.keptIn().contains(namespace));
    }

    /** Whether {@code name} is {@code shape}'s own Secret, not one it kept from before. */
    private static boolean own(DeployedShape shape, String name) {
        return name.equals(shape.secretName())
                || name.equals(PullSecretSettings.otherRegistriesName(shape.secretName()));
    }

    /** The Secrets {@code last}'s entries name that {@code next}'s do not. */
    private List<String> notListedNext(DeployedShape shape) {
        return listed(shape).stream()
                .filter(name -> !next.pullSecrets().contains(name))
                .toList();
    }

    /** The Secrets {@code last}'s entries name. */
    private static List<String> listed(DeployedShape last) {
        return last.pullSecrets().isEmpty() ? List.of(last.secretName()) : last.pullSecrets();
    }

    /** Whether {@code last}'s own patch, or its Kyverno policy, listed its Secrets in this ServiceAccount. */
    private boolean listedThrough(DeployedShape last, String namespace, String serviceAccount) {
        return listing(last)
                && last.serviceAccounts().contains(serviceAccount)
                && (last.clusterWide()
                        ? everyNamespaceBut(last, namespace)
                        : last.namespaces().contains(namespace));
    }

    /**
     * Cluster-wide, Kyverno listed the Secret in every namespace but the excluded ones; with a selector, in those
     * whose labels match it: read in this update, while the last update's policy still runs (an entry where they
     * no longer match may be ours from before, or someone else's: worse case, kept). A record written before it
     * carried the selector's labels says nothing: kept.
     */
    private boolean everyNamespaceBut(DeployedShape last, String namespace) {
        return last.selectorLabels() != null
                && (last.selectorLabels().isEmpty()
                        ? !last.selector()
                        : labels.getOrDefault(namespace, Map.of())
                                .entrySet()
                                .containsAll(last.selectorLabels().entrySet()))
                && !last.excluded().contains(namespace);
    }

    /** Whether {@code shape} lists its Secrets in ServiceAccounts: not detached, not pods naming it, not node. */
    private static boolean listing(DeployedShape shape) {
        return !shape.detach() && !shape.podsNameSecret() && !DeployedShape.NODE.equals(shape.credentials());
    }

    /**
     * Whether both are cluster-wide and list their Secrets in the same ServiceAccounts of the same namespaces:
     * same home, exclusions, selector (known: a record before it carried the selector's labels says nothing).
     */
    private static boolean sameCoverage(DeployedShape last, DeployedShape next) {
        return last.clusterWide()
                && listing(last)
                && listing(next)
                && last.home().equals(next.home())
                && Set.copyOf(last.excluded()).equals(Set.copyOf(next.excluded()))
                && last.selectorLabels() != null
                && last.selectorLabels().equals(next.selectorLabels())
                && last.serviceAccounts().equals(next.serviceAccounts());
    }

    /**
     * Whether the patch can take {@code shape}'s entries out in this update: every Secret it lists exists before
     * it, and no policy lists them again. Cluster-wide, Kyverno's ServiceAccount policy goes only after the
     * program, and until then puts the entry back when the patch changes the ServiceAccount (mutate-existing,
     * triggered by the ServiceAccount's update: Kyverno v1.19.0, pkg/policy/mutate.go handleMutate,
     * pkg/background/mutate/mutate.go).
     */
    private boolean takenOutNow(DeployedShape shape) {
        return !shape.clusterWide() && everyOneExistsBeforeThePatch(shape, next);
    }

    /** Whether every Secret {@code next} lists exists before its patch (or none is listed: detached). */
    private static boolean everyOneExistsBeforeThePatch(DeployedShape last, DeployedShape next) {
        return !DeployedShape.TOKEN.equals(next.credentials())
                || next.detach()
                || next.podsNameSecret()
                || (DeployedShape.TOKEN.equals(last.credentials())
                        && last.secretName().equals(next.secretName()));
    }

    /**
     * The labels of the namespaces whose ServiceAccounts list an entry that is ours only if the last update's selector
     * matched them ({@link #everyNamespaceBut}): from cluster-wide with a selector to listed under another name.
     * Each is read, as a namespace whose ServiceAccounts the update reads anyway; not one the stack creates, which a
     * preview could not read before it exists (worse case: its entry is kept).
     */
    static Output<Map<String, Map<String, String>>> labelsDeciding(
            Children children, Settings settings, Optional<DeployedShape> last, DeployedShape next) {
        var deciding = last.filter(shape -> shape.clusterWide()
                        && shape.selectorLabels() != null
                        && !shape.selectorLabels().isEmpty()
                        && !shape.secretName().equals(next.secretName())
                        && !next.clusterWide()
                        && !settings.puller()
                                .pullSecret()
                                .map(PullSecretSettings::createNamespaces)
                                .orElse(true))
                .map(shape -> next.namespaces())
                .orElse(List.of());
        return Output.all(deciding.stream()
                        .map(namespace -> Namespace.get(
                                        children.name(namespace, "namespace-labels"),
                                        Output.of(namespace),
                                        children.options().build())
                                .metadata()
                                .applyValue(metadata -> Map.entry(
                                        namespace,
                                        Optional.ofNullable(metadata.labels()).orElse(Map.of()))))
                        .toList())
                .applyValue(entries ->
                        entries.stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
