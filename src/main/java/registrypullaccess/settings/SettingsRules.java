package registrypullaccess.settings;

import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.PullSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static registrypullaccess.settings.ConfigKeys.key;

/**
 * The rules between settings records, each of which is valid on its own: the registries against the way of
 * pulling, the coverage and the pull check; the coverage against the way of pulling and the pull secret's use.
 * {@link #problems} is their one entry point, for {@link Settings} and for the reader alike.
 */
final class SettingsRules {

    private SettingsRules() {}

    /**
     * Every rule between the records that could be read, each judged on what it reads alone, so that one run names
     * every problem: a rule is skipped only when what it reads is unknown, a record that could not be read at all
     * (empty) or a value that was wrong and read as a stand-in (named in {@code standIns}), whose own problems were
     * named already.
     *
     * @param sources         the registries that could be read
     * @param sourcesComplete whether every registry entry could be read, so that the list as a whole is judged
     * @param standIns        the keys whose wrong value the records hold a stand-in for
     */
    static List<String> problems(
            List<PullSource> sources,
            boolean sourcesComplete,
            Optional<Coverage> coverage,
            Optional<PullSecretUse> pullSecretUse,
            Optional<Puller> puller,
            Optional<PullCheck> pullCheck,
            Set<String> standIns) {
        var problems = new Problems();
        problems.addAll(sourceProblems(sources, sourcesComplete));
        puller.ifPresent(way -> problems.addAll(pullerProblems(sources, sourcesComplete, way, standIns)));
        if (puller.isPresent() && coverage.isPresent()) {
            if (!reads(standIns, "namespaces")) {
                problems.addAll(createdNamespaceProblems(
                        coverage.get().match(Coverage.Listed::namespaces, wide -> List.of()), puller.get()));
            }
            problems.addAll(coverageProblems(sources, coverage.get(), puller.get(), pullCheck, standIns));
            pullSecretUse.ifPresent(
                    use -> problems.addAll(pullSecretUseProblems(use, coverage.get(), puller.get(), standIns)));
        }
        // A registry that could not be read may be the one the image is on.
        if (sourcesComplete) {
            pullCheck.ifPresent(check -> problems.addAll(pullCheckProblems(sources, check)));
        }
        return problems.list();
    }

    /** Whether a rule reads a key that holds a stand-in, and so cannot be judged. */
    static boolean reads(Set<String> standIns, String... keys) {
        return Arrays.stream(keys).anyMatch(standIns::contains);
    }

    /**
     * Whether the stack creates anything in Google Cloud, and so needs {@code gcp:project}: not when it only
     * pulls from other registries.
     */
    static boolean needsProject(List<PullSource> sources, Puller puller) {
        return puller instanceof Puller.Node || sources.stream().anyMatch(source -> !(source instanceof OtherRegistry));
    }

    /**
     * At least one registry, and no two entries that add nothing over each other: two entries that could be read
     * repeat each other whatever the others are; an empty list is judged only when every entry could be read.
     */
    static List<String> sourceProblems(List<PullSource> sources, boolean sourcesComplete) {
        var problems = new Problems();
        problems.when(
                sourcesComplete && sources.isEmpty(),
                () -> key("registries") + " is empty: list at least one registry, e.g. "
                        + "`pulumi config set --path 'registries[0]' eu.gcr.io`.");
        var seen = new HashMap<Object, PullSource>();
        for (var source : sources) {
            Object identity = source instanceof OtherRegistry ? source.host() : List.of(source.host(), source.grant());
            var earlier = seen.putIfAbsent(identity, source);
            problems.when(
                    earlier != null,
                    () -> "\"" + source.entry() + "\" repeats \"" + earlier.entry() + "\": both give " + source.host()
                            + source.grant()
                                    .map(grant -> " with " + grant.role() + " on " + grant.resource())
                                    .orElse(" a password")
                            + "; list it once.");
        }
        return problems.list();
    }

    /** Namespaces every cluster has: a stack that created them would delete them, and all in them, on destroy. */
    static final List<String> CLUSTER_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    static List<String> createdNamespaceProblems(List<String> namespaces, Puller puller) {
        var created =
                puller.pullSecret().map(PullSecretSettings::createNamespaces).orElse(false);
        var clusters = namespaces.stream()
                .filter(CLUSTER_NAMESPACES::contains)
                .map(name -> "\"" + name + "\"")
                .toList();
        if (!created || clusters.isEmpty()) {
            return List.of();
        }
        return List.of(key("createNamespaces") + " is true but namespaces lists " + String.join(", ", clusters)
                + ", which every cluster has: the stack would take them over and `pulumi destroy` would delete them "
                + "with everything in them. Remove them from " + key("namespaces") + ", or set createNamespaces "
                + "false and create the other namespaces yourself.");
    }

    static List<String> pullerProblems(
            List<PullSource> sources, boolean sourcesComplete, Puller puller, Set<String> standIns) {
        if (puller instanceof Puller.Token token) {
            return TokenRules.tokenProblems(sources, sourcesComplete, token, standIns);
        }
        if (!(puller instanceof Puller.Node)) {
            return List.of();
        }
        return sources.stream()
                .filter(OtherRegistry.class::isInstance)
                .findFirst()
                .map(other -> List.of(key("credentials") + " node cannot be combined with "
                        + key("otherRegistries") + " (\""
                        + other.entry() + "\"): the nodes pull with their Google identity, which other registries do "
                        + "not accept. Remove otherRegistries, or use credentials key or token."))
                .orElse(List.of());
    }

    /**
     * Pods can name only a Secret that exists; and detach, which takes the secret out of the ServiceAccounts, has
     * none to take it out of when pods name it, but cluster-wide, where it also has Kyverno delete the copies.
     */
    static List<String> pullSecretUseProblems(
            PullSecretUse use, Coverage coverage, Puller puller, Set<String> standIns) {
        if (!(use instanceof PullSecretUse.NamedByPods namedByPods)) {
            return List.of();
        }
        var perPod = key("serviceAccounts") + " is [] (pods name the pull secret themselves)";
        if (puller instanceof Puller.Node) {
            return List.of(perPod + ", but " + key("credentials") + " node has no pull secret: the nodes pull with "
                    + "their own identity for every pod, so a pod has nothing to name and needs nothing. Remove "
                    + "serviceAccounts, or use credentials key or token.");
        }
        var detach = puller.pullSecret().map(PullSecretSettings::detach).orElse(false);
        if (detach && coverage instanceof Coverage.Listed) {
            return List.of(key("detach") + " is true while " + perPod + ": the stack lists the pull secret in no "
                    + "ServiceAccount, so detach has nothing to do. Remove detach (`pulumi destroy` alone removes "
                    + "everything); to take the secret out of ServiceAccounts an earlier configuration listed it in, "
                    + "name them in " + key("detachServiceAccounts") + ".");
        }
        return reads(standIns, "secretName")
                ? List.of()
                : namedByPods.newSecretNameProblems(puller.pullSecret().map(PullSecretSettings::name));
    }

    static List<String> coverageProblems(
            List<PullSource> sources,
            Coverage coverage,
            Puller puller,
            Optional<PullCheck> pullCheck,
            Set<String> standIns) {
        if (!(coverage instanceof Coverage.ClusterWide wide)) {
            return puller instanceof Puller.Token token
                    ? TokenRules.listedTokenProblems((Coverage.Listed) coverage, token, standIns)
                    : List.of();
        }
        var clusterWide = key("allNamespaces") + " / " + key("namespaceSelector");
        if (puller instanceof Puller.Node) {
            return List.of(key("credentials") + " node cannot be combined with " + clusterWide + ": the "
                    + "nodes pull with their own identity, so there is no pull Secret to copy into namespaces and none "
                    + "is needed (every namespace already pulls). Remove allNamespaces and namespaceSelector.");
        }
        var problems = new Problems();
        var checkNamespace = wide.checkNamespace();
        problems.when(
                !reads(standIns, "homeNamespace", "excludeNamespaces")
                        && pullCheck.isPresent()
                        && (checkNamespace.length() > 63 || wide.excluded().contains(checkNamespace)),
                () -> key("verifyImage") + " checks the pull in a namespace the stack creates, \"" + checkNamespace
                        + "\" (the home namespace and \"-check\"), which must be at most 63 characters and not in "
                        + key("excludeNamespaces") + ". Shorten " + key("homeNamespace")
                        + ", or take that name out of excludeNamespaces.");
        if (!reads(standIns, "homeNamespace", "secretName")) {
            puller.pullSecret().ifPresent(secret -> problems.addAll(wide.policyNameProblems(secret.name())));
        }
        var createNamespaces =
                puller.pullSecret().map(PullSecretSettings::createNamespaces).orElse(false);
        problems.when(
                createNamespaces,
                () -> key("createNamespaces") + " cannot be combined with " + clusterWide
                        + ": cluster-wide coverage reaches namespaces whoever creates them, and the stack creates only its "
                        + "home namespace. Remove createNamespaces.");
        problems.when(
                puller instanceof Puller.Token && sources.stream().anyMatch(OtherRegistry.class::isInstance),
                () -> key("otherRegistries") + " cannot be combined with " + clusterWide + " in credentials token: "
                        + "Kyverno copies one Secret, the token Secret, and other registries' passwords live in a "
                        + "Secret of their own. List the namespaces, or use credentials key, which writes every "
                        + "registry into one Secret.");
        var adopt = puller instanceof Puller.Key key && key.adopt();
        if (puller instanceof Puller.Token token) {
            problems.addAll(TokenRules.tokenSubjectProblems(List.of(wide.home()), token, standIns));
        }
        problems.when(
                adopt,
                () -> key("adopt") + " cannot be combined with " + clusterWide + ": it imports "
                        + "hand-made Secrets in listed namespaces, and cluster-wide copies belong to Kyverno (which takes over "
                        + "a Secret of the same name in a covered namespace). Adopt with the namespaces listed first, or "
                        + "remove adopt.");
        return problems.list();
    }

    /** Kubernetes' limit on an object's name (a DNS subdomain). */
    static final int MAX_OBJECT_NAME = 253;

    static List<String> pullCheckProblems(List<PullSource> sources, PullCheck check) {
        var server = check.server();
        if (sources.stream().anyMatch(source -> source.serves(check.image()))) {
            return List.of();
        }
        if (sources.stream().anyMatch(source -> source.host().equals(server))) {
            return List.of(key("verifyImage") + ": \"" + check.image() + "\" is on " + server + " but in no "
                    + "repository the stack grants read access to, so the check could only fail. Pick an image from "
                    + sources.stream()
                            .filter(source -> source.host().equals(server))
                            .map(PullSource::entry)
                            .toList()
                    + ", or add its repository to " + key("registries") + ".");
        }
        return List.of(key("verifyImage") + ": \"" + check.image() + "\" is pulled from " + server + ", which is "
                + "not a configured registry; pick an image from "
                + sources.stream().map(PullSource::host).distinct().sorted().toList() + ".");
    }
}
