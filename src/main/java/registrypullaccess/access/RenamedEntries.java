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
