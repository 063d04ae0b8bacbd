package registrypullaccess.settings;

import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.PullSource;

import java.nio.charset.StandardCharsets;
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
            pullSecretUse.ifPresent(use -> problems.addAll(pullSecretUseProblems(use, coverage.get(), puller.get())));
        }
        // A registry that could not be read may be the one the image is on.
        if (sourcesComplete) {
            pullCheck.ifPresent(check -> problems.addAll(pullCheckProblems(sources, check)));
        }
        return problems.list();
    }

    /** Whether a rule reads a key that holds a stand-in, and so cannot be judged. */
    private static boolean reads(Set<String> standIns, String... keys) {
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
            return tokenProblems(sources, sourcesComplete, token, standIns);
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

    /** Token mode mints for Google's registries, and names two more objects after the pull secret. */
    private static List<String> tokenProblems(
            List<PullSource> sources, boolean sourcesComplete, Puller.Token token, Set<String> standIns) {
        var problems = new Problems();
        // A registry that could not be read may be Google's.
        problems.when(
                sourcesComplete && sources.stream().allMatch(OtherRegistry.class::isInstance),
                () -> key("credentials")
                        + " token mints tokens for Google's registries, and none is configured; list one under "
                        + key("registries") + ", or use credentials key.");
        problems.when(
                !reads(standIns, "serviceAccountId", "gkeCluster", "oidcIssuer")
                        && token.identity() instanceof TokenIdentity.Oidc
                        && token.serviceAccountId().startsWith("gcp-"),
                () -> key("serviceAccountId") + ": \"" + token.serviceAccountId() + "\" starts with \"gcp-\", which "
                        + "Google reserves for workload identity pools, and token mode names its pool after the service "
                        + "account. Pick another id.");
        // The other registries' Secret, and the ConfigMap that owns it, are named after the token Secret.
        var longest = token.secret().otherRegistriesName() + PullSecretSettings.OWNER_SUFFIX;
        problems.when(
                !reads(standIns, "secretName") && longest.length() > MAX_OBJECT_NAME,
                () -> key("secretName") + " is too long for credentials token, which also names \""
                        + longest.substring(0, 20) + "...\" after it: use at most "
                        + (MAX_OBJECT_NAME
                                - (longest.length() - token.secret().name().length())) + " characters.");
        return problems.list();
    }

    /**
     * Pods can name only a Secret that exists; and detach, which takes the secret out of the ServiceAccounts, has
     * none to take it out of when pods name it, but cluster-wide, where it also has Kyverno delete the copies.
     */
    static List<String> pullSecretUseProblems(PullSecretUse use, Coverage coverage, Puller puller) {
        if (!(use instanceof PullSecretUse.NamedByPods)) {
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
        return List.of();
    }

    static List<String> coverageProblems(
            List<PullSource> sources,
            Coverage coverage,
            Puller puller,
            Optional<PullCheck> pullCheck,
            Set<String> standIns) {
        if (!(coverage instanceof Coverage.ClusterWide wide)) {
            return puller instanceof Puller.Token token
                    ? listedTokenProblems((Coverage.Listed) coverage, token, standIns)
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
            problems.addAll(tokenSubjectProblems(List.of(wide.home()), token, standIns));
        }
        problems.when(
                adopt,
                () -> key("adopt") + " cannot be combined with " + clusterWide + ": it imports "
                        + "hand-made Secrets in listed namespaces, and cluster-wide copies belong to Kyverno (which takes over "
                        + "a Secret of the same name in a covered namespace). Adopt with the namespaces listed first, or "
                        + "remove adopt.");
        return problems.list();
    }

    /**
     * How many bytes of namespace names the store that serves the listed namespaces may hold. Every object lives
     * in etcd, which takes at most 1.5 MiB per request by default; the rest is left for the object's other fields.
     */
    static final int MAX_STORE_NAMESPACE_BYTES = 1024 * 1024;

    /** Kubernetes' limit on an object's name (a DNS subdomain). */
    static final int MAX_OBJECT_NAME = 253;

    /**
     * Listed token mode mints in the home namespace and copies into the listed ones through one store, which names
     * them all: the home cannot be one of them, the store's name must be a name, and the list must fit an object.
     */
    private static List<String> listedTokenProblems(Coverage.Listed listed, Puller.Token token, Set<String> standIns) {
        var problems = new Problems();
        var home = listed.home();
        problems.when(
                !reads(standIns, "homeNamespace", "namespaces")
                        && listed.namespaces().contains(home),
                () -> key("namespaces") + " lists \"" + home + "\", the home namespace, where credentials token mints "
                        + "the token once for every listed namespace to copy. Take it out of namespaces, or set "
                        + key("homeNamespace") + " to a namespace of the stack's own.");
        var storeName = token.secret().storeName(home);
        problems.when(
                !reads(standIns, "homeNamespace", "secretName") && storeName.length() > MAX_OBJECT_NAME,
                () -> "credentials token names the store the listed namespaces copy from \"" + storeName + "\" ("
                        + key("homeNamespace") + ", '-' and " + key("secretName") + "), longer than Kubernetes' "
                        + MAX_OBJECT_NAME + " characters for a name. Shorten secretName or homeNamespace.");
        var bytes = listed.namespaces().stream()
                .mapToInt(namespace -> namespace.length() + 3)
                .sum();
        problems.when(
                !reads(standIns, "namespaces") && bytes > MAX_STORE_NAMESPACE_BYTES,
                () -> key("namespaces") + " lists " + listed.namespaces().size() + " namespaces, " + bytes
                        + " bytes of "
                        + "names, and credentials token lists them all in one ClusterSecretStore, which would not fit "
                        + "etcd's limit of 1.5 MiB per object (this program allows the names "
                        + MAX_STORE_NAMESPACE_BYTES + " bytes). Label those namespaces and cover them with "
                        + key("namespaceSelector") + " instead (cluster-wide coverage names no namespace), or split "
                        + "them over several stacks, each with its own " + key("serviceAccountId") + ", "
                        + key("secretName") + " and " + key("homeNamespace") + ".");
        problems.addAll(tokenSubjectProblems(List.of(home), token, standIns));
        return problems.list();
    }

    /** Google's limit on the subject of a federated token, which names the namespace and the minter. */
    static final int MAX_SUBJECT_BYTES = 127;

    /** On a cluster outside GKE, each minter's token subject must fit Google's limit. */
    private static List<String> tokenSubjectProblems(
            List<String> namespaces, Puller.Token token, Set<String> standIns) {
        if (!(token.identity() instanceof TokenIdentity.Oidc)
                || reads(standIns, "gkeCluster", "oidcIssuer", "homeNamespace", "secretName")) {
            return List.of();
        }
        var minter = token.secret().minterName();
        return namespaces.stream()
                .filter(namespace ->
                        ("system:serviceaccount:" + namespace + ":" + minter).getBytes(StandardCharsets.UTF_8).length
                                > MAX_SUBJECT_BYTES)
                .map(namespace -> key("secretName") + " \"" + token.secret().name() + "\" is too long for "
                        + "namespace \"" + namespace + "\" in credentials token: Google takes a token subject of at "
                        + "most " + MAX_SUBJECT_BYTES + " bytes, and the minter's is system:serviceaccount:" + namespace
                        + ":" + minter + ". Shorten secretName.")
                .toList();
    }

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
