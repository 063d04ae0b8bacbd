package registrypullaccess.access;

import com.google.gson.Gson;
import registrypullaccess.settings.ConfigKeys;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a stack deployed, as far as the next update of it depends on: who writes the pull Secret in which namespace.
 * The stack records it in the cluster ({@link DeploymentMarker}) and reads the last one back, because an update is
 * safe or not by where it comes from, which the configuration alone cannot tell:
 *
 * <ul>
 *   <li>a Secret this stack wrote itself (listed, with a key) becomes the same object as the Secret External Secrets
 *       Operator or Kyverno writes under that name, which both take over; deleting our resource, after the program,
 *       would delete theirs ({@link #relinquished});
 *   <li>a Secret ESO or Kyverno wrote, or an entry Kyverno takes out of ServiceAccounts, goes with them after the
 *       program, by then under the Secret or entry this stack writes in their place ({@link #refusal}).
 * </ul>
 *
 * @param credentials    {@code key}, {@code token} or {@code node}
 * @param clusterWide    whether Kyverno copied the Secret into the namespaces (a home namespace held the source)
 * @param namespaces     the listed namespaces; empty cluster-wide
 * @param excluded       cluster-wide: the namespaces Kyverno did not copy into; empty when listed
 * @param home           the home namespace, where cluster-wide the source is and in token mode the minter
 * @param secretName     the pull Secret's name; empty with node credentials
 * @param detach         whether the stack was taking its entry out of the ServiceAccounts
 * @param podsNameSecret whether pods name the Secret themselves (no ServiceAccount entries)
 * @param releases       the Helm releases the stack installs, {@code namespace/name} (empty in records written before)
 * @param selector       cluster-wide: whether a namespace selector chose the namespaces (false in records written
 *                       before)
 * @param serviceAccounts the ServiceAccounts configured in every covered namespace, whose {@code imagePullSecrets}
 *                       list the Secret unless {@code detach} or {@code podsNameSecret} (empty in records written
 *                       before: then none is known to leave the list)
 * @param selectorLabels cluster-wide: the labels the selector matches, empty without one ({@code null} in records
 *                       written before: then a change of its values is not known here)
 * @param pullSecrets    the Secrets those ServiceAccount entries name, in order: the Secret, and in token mode with
 *                       other registries theirs ({@code SECRETNAME-other-registries}); empty in records written before
 *                       (then {@code secretName} alone is known: {@link FormerEntries})
 * @param tokenIdentity  token mode: who mints ({@link IdentityChange#whoMints}); empty otherwise, and in records
 *                       written before (then no change of identity is known)
 * @param keptIn         where the entries of another name it left ({@link FormerEntries#kept}) are known to be ours;
 *                       empty: wherever its own are ({@code null} in records written before: not known)
 */
record DeployedShape(
        String credentials,
        boolean clusterWide,
        List<String> namespaces,
        List<String> excluded,
        String home,
        String secretName,
        boolean detach,
        boolean podsNameSecret,
        List<String> releases,
        boolean selector,
        List<String> serviceAccounts,
        Map<String, String> selectorLabels,
        List<String> pullSecrets,
        String tokenIdentity,
        List<String> keptIn) {

    static final String KEY = "key";
    static final String TOKEN = "token";
    static final String NODE = "node";

    private static final Gson GSON = new Gson();

    DeployedShape {
        Objects.requireNonNull(credentials, "credentials");
        namespaces = List.copyOf(namespaces);
        excluded = List.copyOf(excluded);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(secretName, "secretName");
        releases = releases == null ? List.of() : List.copyOf(releases);
        serviceAccounts = serviceAccounts == null ? List.of() : List.copyOf(serviceAccounts);
        selectorLabels = selectorLabels == null ? null : Map.copyOf(selectorLabels);
        pullSecrets = pullSecrets == null ? List.of() : List.copyOf(pullSecrets);
        tokenIdentity = tokenIdentity == null ? "" : tokenIdentity;
        keptIn = keptIn == null ? null : List.copyOf(keptIn);
    }

    /** The same shape, its entries naming {@code names}: those it lists, and those it left there in {@code keptIn}. */
    DeployedShape listing(List<String> names, List<String> keptIn) {
        return new DeployedShape(
                credentials,
                clusterWide,
                namespaces,
                excluded,
                home,
                secretName,
                detach,
                podsNameSecret,
                releases,
                selector,
                serviceAccounts,
                selectorLabels,
                names,
                tokenIdentity,
                keptIn);
    }

    String toJson() {
        return GSON.toJson(this);
    }

    /** A recorded shape, compressed or plain JSON ({@link RecordEncoding}); empty: none, or unreadable (nothing assumed). */
    static Optional<DeployedShape> parse(String record) {
        var json = RecordEncoding.json(record).orElse("");
        if (json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(GSON.fromJson(json, DeployedShape.class));
        } catch (RuntimeException unreadable) {
            // Gson reports a malformed value, and a record's constructor a missing field, each its own way.
            return Optional.empty();
        }
    }

    /**
     * Why this deployment cannot install a release it declares: the release exists already, and the last update of
     * this stack did not install it (its state has no such release: a first `pulumi up`, one after `pulumi destroy`,
     * which keeps the releases, or another stack's). Helm refuses to install a name that is in use ("cannot re-use a
     * name that is still in use": pulumi-kubernetes v4.0.0, provider/pkg/provider/helm_release.go, helmCreate, Helm's
     * Install), after everything before it in the update is done. The way: use the running release as it is.
     *
     * @param last      what the stack deployed last, if anything
     * @param installed the releases the cluster's record says exist, {@code namespace/name}
     * @param keys      for each release this deployment installs, the configuration key that installs it
     */
    Optional<String> releaseRefusal(
            Optional<DeployedShape> last, java.util.Set<String> installed, java.util.Map<String, String> keys) {
        var problems = releases.stream()
                .filter(installed::contains)
                .filter(release ->
                        last.map(shape -> !shape.releases().contains(release)).orElse(true))
                .map(release -> "the Helm release " + release + " is installed already (`pulumi destroy` keeps it, or"
                        + " another stack installed it), and Helm refuses to install a name that is in use (\"cannot"
                        + " re-use a name that is still in use\"). Use the running one as it is: `pulumi config set "
                        + keys.get(release) + " false`. (If it was uninstalled since, remove the record: `kubectl"
                        + " annotate namespace default " + DeploymentMarker.releaseAnnotation(release) + "-`.)")
                .toList();
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join(" Also, ", problems));
    }

    /** Whether this stack wrote the Secret in each listed namespace itself, from a key. */
    private boolean wroteListedKeySecrets() {
        return KEY.equals(credentials) && !clusterWide;
    }

    /**
     * The namespaces where the Secret this (earlier) deployment wrote itself is taken over by the next one's
     * controller under the same name: by ESO's copy in a listed namespace (token mode), or by Kyverno's copy
     * cluster-wide. The next update must release those Secrets, not delete them: a delete after the program would
     * delete the object ESO or Kyverno writes by then (pulumi-kubernetes v4.0.0 deletes by name,
     * provider/pkg/await/await.go, Deletion), and both write it again only seconds later.
     *
     * @param copiedInto whether the next deployment's controller copies the Secret into a namespace
     */
    List<String> relinquished(DeployedShape next, Predicate<String> copiedInto) {
        if (!wroteListedKeySecrets() || !secretName.equals(next.secretName()) || next.detach()) {
            return List.of();
        }
        var copiedByEso = TOKEN.equals(next.credentials()) && !next.clusterWide();
        var copiedByKyverno = next.clusterWide() && !NODE.equals(next.credentials());
        if (!copiedByEso && !copiedByKyverno) {
            return List.of();
        }
        return namespaces.stream()
                .filter(copiedByEso ? next.namespaces()::contains : copiedInto)
                .toList();
    }

    /**
     * Why the next deployment cannot follow this one in a single update without a window where pods cannot pull,
     * with the way that can, each a way the model finds without a window (NamedPathTest). Empty when it can.
     *
     * <ul>
     *   <li>A new {@code secretName}, in one update: the next deployment's Secrets are in place, and listed, before
     *       the old ones go.
     *   <li>From Secrets in listed namespaces to cluster-wide, with the pull check too: Kyverno copies the new Secret
     *       a second or so after its policy exists, and only the check (a pod pulling in a namespace Kyverno copies
     *       into, {@link PullCheckJob}) holds the update, and so the old Secrets' deletes after the program, until a
     *       copy is there. Nothing else in pulumi-kubernetes v4.0.0 awaits Kyverno.
     *   <li>To pods that name the Secret themselves, from ServiceAccount entries: two updates, the new name listed in
     *       the ServiceAccounts first, then the pods switched to it; in one update the old entries (Kyverno's, or
     *       those of ESO's Secrets) go before the pods name the new Secret.
     *   <li>A new {@code secretName} while ServiceAccounts that list the old one leave the list, or pods come to name
     *       the new one themselves: two updates, the new name listed in the same ServiceAccounts first
     *       ({@link RenamedEntries#refusal}).
     * </ul>
     *
     * @param nextChecks whether the next deployment has the pull check ({@code verifyImage})
     */
    Optional<String> refusal(DeployedShape next, String secretNameKey, boolean nextChecks) {
        var renamedAway = RenamedEntries.refusal(this, next);
        if (renamedAway.isPresent()) {
            return renamedAway;
        }
        if (!secretName.equals(next.secretName()) || NODE.equals(next.credentials())) {
            return Optional.empty();
        }
        // Another identity is named beside these, not after they are fixed: one rename (their way) fixes both.
        var identityChange = IdentityChange.refusal(this, next, secretNameKey, nextChecks);
        return KyvernoCopies.homeChange(this, next, secretNameKey, nextChecks)
                .or(() -> (next.clusterWide() ? toClusterWide(next) : toListed(next)).map(why -> {
                    var rename = "`pulumi config set " + secretNameKey + " " + secretName + "-2`";
                    if (next.podsNameSecret() && !podsNameSecret) {
                        return why + " Switch in two updates: first under a new name with the ServiceAccounts listed ("
                                + rename
                                + " and " + RenamedEntries.listedAsBefore(this) + ", then `pulumi up`); "
                                + RenamedEntries.thenPodsNameIt();
                    }
                    var check = FirstCover.coversFirstTime(next, Optional.of(this)) && !nextChecks
                            ? " and the pull check, which holds the update until Kyverno's copy is there (`pulumi config set "
                                    + ConfigKeys.key("verifyImage")
                                    + " <image>`, an image in a repository the stack grants)"
                            : "";
                    var pods = next.podsNameSecret()
                            ? " Pods that name the Secret themselves: add the new name to their imagePullSecrets first (a"
                                    + " name that does not exist yet is skipped), and take the old one out after the update."
                            : "";
                    return why + " Switch under a new name in one step: set " + secretNameKey
                            + " to a name not in use (e.g. " + rename + ")" + check
                            + "; the new Secrets are in place and listed before the old ones go." + pods;
                }))
                .map(refusal ->
                        refusal + identityChange.map(also -> " Also: " + also).orElse(""))
                .or(() -> identityChange);
    }

    /**
     * Why this deployment cannot go without the pull check ({@code checks}: {@code verifyImage}) after {@code last}
     * (empty on a first update): it has Kyverno cover namespaces for the first time ({@link FirstCover#refusal}).
     */
    Optional<String> firstCoverRefusal(Optional<DeployedShape> last, boolean checks) {
        return FirstCover.refusal(this, last, checks);
    }

    private Optional<String> toListed(DeployedShape next) {
        var overlap = next.namespaces().stream()
                .filter(namespace -> clusterWide ? !excluded.contains(namespace) : namespaces.contains(namespace))
                .toList();
        if (overlap.isEmpty()) {
            return Optional.empty();
        }
        if (KEY.equals(next.credentials()) && TOKEN.equals(credentials) && !clusterWide) {
            return Optional.of(
                    "External Secrets Operator owns Secret " + secretName + " in " + overlap
                            + " (creationPolicy Owner): the key would be written into that Secret, and deleting the"
                            + " ExternalSecret after the program would have Kubernetes' garbage collector delete it, for good.");
        }
        if (TOKEN.equals(next.credentials()) && clusterWide && !detach) {
            return Optional.of(KyvernoCopies.esoOverKyverno(secretName, overlap));
        }
        if (KEY.equals(next.credentials()) && clusterWide && !detach) {
            return Optional.of("Kyverno copied Secret " + secretName + " into " + overlap + ": the listed Secret would"
                    + " be written into Kyverno's copy, which keeps Kyverno's labels and is put back from its source"
                    + " (synchronize), and deleting the copy policy after the program deletes every object with those"
                    + " labels.");
        }
        if (clusterWide && detach && !next.podsNameSecret()) {
            return Optional.of("Kyverno's detach policy takes " + secretName + " out of the ServiceAccounts until it is"
                    + " deleted, after the program: it would take out the entries this update lists in " + overlap
                    + ".");
        }
        return Optional.empty();
    }

    /** With a selector the namespaces' labels are not known here: each listed one is taken as copied into. */
    private Optional<String> toClusterWide(DeployedShape next) {
        var coverageChange = KyvernoCopies.coverageChange(this, next);
        if (coverageChange.isPresent()) {
            return coverageChange;
        }
        if (TOKEN.equals(credentials) && KEY.equals(next.credentials()) && home.equals(next.home())) {
            // Token mode, listed or cluster-wide, mints into a Secret of this name in the home namespace.
            return Optional.of("External Secrets Operator owns Secret " + secretName + " in the home namespace " + home
                    + " (creationPolicy Owner), where the key would be written as the source of Kyverno's copies: the"
                    + " write conflicts with ESO's field manager half-way through the update, and deleting the"
                    + " ExternalSecret after the program would have Kubernetes' garbage collector delete the source,"
                    + " and Kyverno every copy.");
        }
        var overlap = namespaces.stream()
                .filter(namespace -> !next.excluded().contains(namespace))
                .toList();
        if (overlap.isEmpty() || clusterWide || next.detach() || !TOKEN.equals(credentials)) {
            return Optional.empty();
        }
        return Optional.of("External Secrets Operator owns Secret " + secretName + " in " + overlap
                + " (creationPolicy Owner): Kyverno's copy would be written into that Secret, and deleting the"
                + " ExternalSecret after the program would have Kubernetes' garbage collector delete it until Kyverno"
                + " puts it back.");
    }
}
