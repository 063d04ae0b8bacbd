package registrypullaccess.settings;

import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.PullSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static registrypullaccess.settings.ConfigKeys.key;

/** The rules between settings that only token mode has: the names it derives, and what Google takes of them. */
final class TokenRules {

    private TokenRules() {}

    /** Token mode mints for Google's registries, and names two more objects after the pull secret. */
    static List<String> tokenProblems(
            List<PullSource> sources, boolean sourcesComplete, Puller.Token token, Set<String> standIns) {
        var problems = new Problems();
        // A registry that could not be read may be Google's.
        problems.when(
                sourcesComplete && sources.stream().allMatch(OtherRegistry.class::isInstance),
                () -> key("credentials")
                        + " token mints tokens for Google's registries, and none is configured; list one under "
                        + key("registries") + ", or use credentials key.");
        problems.when(
                !SettingsRules.reads(standIns, "serviceAccountId", "gkeCluster", "oidcIssuer")
                        && token.identity() instanceof TokenIdentity.Oidc
                        && token.serviceAccountId().startsWith("gcp-"),
                () -> key("serviceAccountId") + ": \"" + token.serviceAccountId() + "\" starts with \"gcp-\", which "
                        + "Google reserves for workload identity pools, and token mode names its pool after the service "
                        + "account. Pick another id.");
        // The other registries' Secret, and the ConfigMap that owns it, are named after the token Secret.
        var longest = token.secret().otherRegistriesName() + PullSecretSettings.OWNER_SUFFIX;
        problems.when(
                !SettingsRules.reads(standIns, "secretName") && longest.length() > SettingsRules.MAX_OBJECT_NAME,
                () -> key("secretName") + " is too long for credentials token, which also names \""
                        + longest.substring(0, 20) + "...\" after it: use at most "
                        + (SettingsRules.MAX_OBJECT_NAME
                                - (longest.length() - token.secret().name().length())) + " characters.");
        return problems.list();
    }

    /**
     * How many bytes of namespace names the store that serves the listed namespaces may hold. Every object lives
     * in etcd, which takes at most 1.5 MiB per request by default; the rest is left for the object's other fields.
     */
    static final int MAX_STORE_NAMESPACE_BYTES = 1024 * 1024;

    /**
     * Listed token mode mints in the home namespace and copies into the listed ones through one store, which names
     * them all: the home cannot be one of them, the store's name must be a name, and the list must fit an object.
     */
    static List<String> listedTokenProblems(Coverage.Listed listed, Puller.Token token, Set<String> standIns) {
        var problems = new Problems();
        var home = listed.home();
        problems.when(
                !SettingsRules.reads(standIns, "homeNamespace", "namespaces")
                        && listed.namespaces().contains(home),
                () -> key("namespaces") + " lists \"" + home + "\", the home namespace, where credentials token mints "
                        + "the token once for every listed namespace to copy. Take it out of namespaces, or set "
                        + key("homeNamespace") + " to a namespace of the stack's own.");
        var storeName = token.secret().storeName(home);
        problems.when(
                !SettingsRules.reads(standIns, "homeNamespace", "secretName")
                        && storeName.length() > SettingsRules.MAX_OBJECT_NAME,
                () -> "credentials token names the store the listed namespaces copy from \"" + storeName + "\" ("
                        + key("homeNamespace") + ", '-' and " + key("secretName") + "), longer than Kubernetes' "
                        + SettingsRules.MAX_OBJECT_NAME
                        + " characters for a name. Shorten secretName or homeNamespace.");
        var bytes = listed.namespaces().stream()
                .mapToInt(namespace -> namespace.length() + 3)
                .sum();
        problems.when(
                !SettingsRules.reads(standIns, "namespaces") && bytes > MAX_STORE_NAMESPACE_BYTES,
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
    static List<String> tokenSubjectProblems(List<String> namespaces, Puller.Token token, Set<String> standIns) {
        if (!(token.identity() instanceof TokenIdentity.Oidc)
                || SettingsRules.reads(standIns, "gkeCluster", "oidcIssuer", "homeNamespace", "secretName")) {
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
}
