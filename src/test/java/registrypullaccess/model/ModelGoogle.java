package registrypullaccess.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Google Cloud as pulls depend on it: service accounts, their keys, additive IAM members on repositories and on
 * accounts (workload identity), and access tokens.
 *
 * <ul>
 *   <li>A key works until it or its account is deleted.
 *   <li>A token is minted only for an account that exists, by an identity granted {@code roles/iam.workloadIdentityUser}
 *       on it at that moment, and lives {@value #TOKEN_SECONDS} s; worse case: it stops working when its account is
 *       deleted.
 *   <li>A pull needs the reader grant at pull time (IAM is checked on every request).
 *   <li>An allow policy holds at most {@value #MAX_PRINCIPALS} principals: an add beyond fails.
 * </ul>
 *
 * <p>Google's side is not open source: read in its documentation, as docs/model.md cites it. Token lifetime: IAM
 * Credentials {@code generateAccessToken}, default one hour
 * (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken);
 * principals per policy: https://cloud.google.com/iam/quotas.
 */
final class ModelGoogle {

    static final long TOKEN_SECONDS = 3600;
    static final int MAX_PRINCIPALS = 1500;

    /** A minted access token. */
    record Token(String account, long expires) {}

    final Set<String> accounts = new LinkedHashSet<>();
    /** Key id to the account email it belongs to. */
    final Map<String, String> keys = new HashMap<>();
    /** Policy (a repository, bucket, project or service account resource name) to role to members. */
    final Map<String, Map<String, Set<String>>> policies = new HashMap<>();

    final Set<String> pools = new HashSet<>();
    final Map<String, Token> tokens = new HashMap<>();
    private long minted;

    void addMember(String resource, String role, String member) {
        var policy = policies.computeIfAbsent(resource, unused -> new HashMap<>());
        var principals = new HashSet<String>();
        policy.values().forEach(principals::addAll);
        if (!principals.contains(member) && principals.size() >= MAX_PRINCIPALS) {
            throw new IllegalStateException("Error 400: The number of members in the policy (" + (MAX_PRINCIPALS + 1)
                    + ") is larger than the maximum allowed size " + MAX_PRINCIPALS + " (" + resource + ")");
        }
        policy.computeIfAbsent(role, unused -> new LinkedHashSet<>()).add(member);
    }

    void removeMember(String resource, String role, String member) {
        Optional.ofNullable(policies.get(resource))
                .map(policy -> policy.get(role))
                .ifPresent(members -> members.remove(member));
    }

    boolean granted(String resource, String role, String member) {
        return policies.getOrDefault(resource, Map.of())
                .getOrDefault(role, Set.of())
                .contains(member);
    }

    void deleteAccount(String email) {
        accounts.remove(email);
        keys.values().removeIf(email::equals);
    }

    /**
     * Mints a token for an account of a project, as the workload identity member {@code member}; empty when refused.
     */
    Optional<String> mint(String project, String account, String member, long now) {
        if (!accounts.contains(account)
                || !granted(
                        "projects/" + project + "/serviceAccounts/" + account,
                        "roles/iam.workloadIdentityUser",
                        member)) {
            return Optional.empty();
        }
        minted++;
        var token = "ya29.model-" + minted;
        tokens.put(token, new Token(account, now + TOKEN_SECONDS));
        return Optional.of(token);
    }

    /** The account a credential acts as, if it is valid now: an existing key or an unexpired token. */
    Optional<String> identity(String username, String password, long now) {
        if ("oauth2accesstoken".equals(username)) {
            var token = tokens.get(password);
            return token != null && now < token.expires() && accounts.contains(token.account())
                    ? Optional.of(token.account())
                    : Optional.empty();
        }
        var key = ModelKeys.keyId(password);
        return key.map(keys::get).filter(accounts::contains);
    }
}
