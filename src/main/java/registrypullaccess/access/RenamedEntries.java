package registrypullaccess.access;

import com.google.gson.Gson;
import registrypullaccess.settings.ConfigKeys;

import java.util.List;
import java.util.Optional;

/**
 * What a new {@code secretName} means for the ServiceAccount entries that list the old one, by what the stack deployed
 * ({@link DeployedShape}): an entry stays as it is when its ServiceAccount leaves the list (its patch is retained,
 * {@link ServiceAccountPatches}), so it must not be left naming only a Secret that goes.
 */
final class RenamedEntries {

    private static final Gson GSON = new Gson();

    private RenamedEntries() {}

    /**
     * Why a new {@code secretName} cannot come in the same update as ServiceAccounts leaving the list (or pods naming
     * the Secret instead): a ServiceAccount no longer listed keeps the entry it has, which names the old Secret only,
     * and the old Secret goes before the update ends (its owner ConfigMap is replaced under the new name, and the old
     * one deleted after the program: pulumi v3.253.0, pkg/resource/deploy/step_generator.go, GenerateDeletes; or its
     * ExternalSecret, or the copy policy, deleted), while pods still run as that ServiceAccount, or have yet to name
     * the new Secret. Under the same name the Secret stays, and so does the entry that lists it. The way: the new name
     * in the same ServiceAccounts first, then the change of ServiceAccounts, each a way the model finds without a
     * window (NamedPathTest). A record written before it carried the ServiceAccounts names none: not refused.
     */
    static Optional<String> refusal(DeployedShape last, DeployedShape next) {
        if (last.secretName().equals(next.secretName())
                || DeployedShape.NODE.equals(last.credentials())
                || DeployedShape.NODE.equals(next.credentials())
                || last.detach()
                || last.podsNameSecret()
                || next.detach()
                || !coversAgain(last, next)) {
            return Optional.empty();
        }
        var listedNext = next.podsNameSecret() ? List.<String>of() : next.serviceAccounts();
        var leaving = last.serviceAccounts().stream()
                .filter(account -> !listedNext.contains(account))
                .toList();
        if (leaving.isEmpty()) {
            return Optional.empty();
        }
        var why = "ServiceAccounts " + leaving + " list Secret " + last.secretName() + ", which this update deletes"
                + " before it ends (the new name is " + next.secretName() + "), "
                + (next.podsNameSecret()
                        ? "while pods are to name " + next.secretName() + " themselves: pods that do not name it yet"
                        : "and it no longer lists " + next.secretName() + " in them: their pods")
                + " cannot pull from then.";
        var renameFirst = " Switch in two updates: first under the new name with the ServiceAccounts listed as before ("
                + listedAsBefore(last) + ", then `pulumi up`); ";
        return Optional.of(why
                + renameFirst
                + (next.podsNameSecret()
                        ? thenPodsNameIt()
                        : "then set " + inStackFile(next.serviceAccounts()) + " and `pulumi up`."));
    }

    /** The command that lists the Secret in the ServiceAccounts {@code last} listed it in (unknown: the default). */
    static String listedAsBefore(DeployedShape last) {
        return last.serviceAccounts().isEmpty()
                ? "`pulumi config rm " + ConfigKeys.key("serviceAccounts") + "`"
                : inStackFile(last.serviceAccounts());
    }

    /** The second update on the way to pods that name the Secret themselves. */
    static String thenPodsNameIt() {
        return "have the pods name the new Secret in their imagePullSecrets; then set " + inStackFile(List.of())
                + " and `pulumi up`.";
    }

    /**
     * A list of ServiceAccounts as the stack file writes it. Not as a command: {@code pulumi config set KEY '[...]'}
     * stores a string at pulumi v3.253.0 (pkg/cmd/pulumi/config/config.go, newConfigSetCmd: no {@code --json}; only
     * {@code --path}, and {@code --type} string, bool, int or float), which the next preview refuses for Pulumi.yaml's
     * {@code type: array} (sdk/go/common/workspace/config.go, validateStackConfigValue); and {@code --path} can write
     * no empty list.
     */
    static String inStackFile(List<String> serviceAccounts) {
        return "`" + ConfigKeys.key("serviceAccounts") + ": " + GSON.toJson(serviceAccounts) + "` in the stack file";
    }

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
     *   <li>only in namespaces and ServiceAccounts the last deployment listed the Secret in, through patches (not
     *       cluster-wide, where Kyverno wrote the entries, not detached, not with pods naming the Secret); a record
     *       written before it carried the ServiceAccounts names none, and one written before it carried
     *       {@link DeployedShape#pullSecrets} the {@code secretName} alone;
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
     * @param last what the stack deployed last, if the record says
     * @param next what this update deploys
     */
    record Former(Optional<DeployedShape> last, DeployedShape next) {

        /** The former entries of ours to take out of one ServiceAccount's list. */
        List<String> in(String namespace, String serviceAccount) {
            return last.filter(shape -> listedThrough(shape, namespace, serviceAccount))
                    .filter(shape -> everyOneExistsBeforeThePatch(shape, next))
                    .map(shape -> listed(shape).stream()
                            .filter(name -> !next.pullSecrets().contains(name))
                            .toList())
                    .orElse(List.of());
        }

        /**
         * The entries of ours this update leaves in the ServiceAccounts although it no longer lists them, which the
         * record carries on ({@link DeployedShape#pullSecrets}) for the next update to take out.
         */
        List<String> kept() {
            return last.filter(shape -> !everyOneExistsBeforeThePatch(shape, next))
                    .filter(shape -> shape.namespaces().stream()
                            .anyMatch(namespace -> next.namespaces().contains(namespace)
                                    && shape.serviceAccounts().stream()
                                            .anyMatch(account ->
                                                    next.serviceAccounts().contains(account)
                                                            && listedThrough(shape, namespace, account))))
                    .map(shape -> listed(shape).stream()
                            .filter(name -> !next.pullSecrets().contains(name))
                            .toList())
                    .orElse(List.of());
        }

        /** The Secrets {@code last}'s entries name. */
        private static List<String> listed(DeployedShape last) {
            return last.pullSecrets().isEmpty() ? List.of(last.secretName()) : last.pullSecrets();
        }

        /** Whether {@code last}'s own patch listed its Secrets in this ServiceAccount. */
        private static boolean listedThrough(DeployedShape last, String namespace, String serviceAccount) {
            return !last.clusterWide()
                    && !last.detach()
                    && !last.podsNameSecret()
                    && !DeployedShape.NODE.equals(last.credentials())
                    && last.namespaces().contains(namespace)
                    && last.serviceAccounts().contains(serviceAccount);
        }

        /** Whether every Secret {@code next} lists exists before its patch (or none is listed: detached). */
        private static boolean everyOneExistsBeforeThePatch(DeployedShape last, DeployedShape next) {
            return !DeployedShape.TOKEN.equals(next.credentials())
                    || next.detach()
                    || next.podsNameSecret()
                    || (DeployedShape.TOKEN.equals(last.credentials())
                            && last.secretName().equals(next.secretName()));
        }
    }

    /** Whether a namespace {@code last} covered is covered by {@code next} too. */
    static boolean coversAgain(DeployedShape last, DeployedShape next) {
        if (last.clusterWide()) {
            return next.clusterWide()
                    || next.namespaces().stream()
                            .anyMatch(namespace -> !last.excluded().contains(namespace));
        }
        return last.namespaces().stream()
                .anyMatch(namespace -> next.clusterWide()
                        ? !next.excluded().contains(namespace)
                        : next.namespaces().contains(namespace));
    }
}
