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
 *       deleted. A grant takes effect {@link #trustPropagationSeconds} after it is added: at once by default; a test
 *       of a slow first mint sets Google's documented worst case, {@value #DOCUMENTED_PROPAGATION_SECONDS} s.
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
    /**
     * "Changes to allow or deny policies typically propagate in 2 minutes, but could potentially take 7 minutes or
     * longer" (https://cloud.google.com/iam/docs/access-change-propagation).
     */
    static final long DOCUMENTED_PROPAGATION_SECONDS = 420;

    /** A minted access token. */
    record Token(String account, long expires) {}

    final Set<String> accounts = new LinkedHashSet<>();
    /** Key id to the account email it belongs to. */
    final Map<String, String> keys = new HashMap<>();
    /** Policy (a repository, bucket, project or service account resource name) to role to members. */
    final Map<String, Map<String, Set<String>>> policies = new HashMap<>();

    final Set<String> pools = new HashSet<>();
    final Map<String, Token> tokens = new HashMap<>();
    /**
     * How long a new {@code roles/iam.workloadIdentityUser} member takes before it lets its identity mint: 0 in the
     * matrix (the grant at once), Google's worst case in a test of a slow first mint.
     */
    long trustPropagationSeconds;
    /** When each member was added, keyed by policy, role and member: a grant counts from then on. */
    private final Map<String, Long> addedAt = new HashMap<>();

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

    /** Adds a member at a time: a trust grant made then takes effect {@link #trustPropagationSeconds} later. */
    void addMember(String resource, String role, String member, long now) {
        addMember(resource, role, member);
        addedAt.putIfAbsent(resource + "|" + role + "|" + member, now);
    }

    void removeMember(String resource, String role, String member) {
        addedAt.remove(resource + "|" + role + "|" + member);
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
        var policy = "projects/" + project + "/serviceAccounts/" + account;
        var role = "roles/iam.workloadIdentityUser";
        var since = addedAt.getOrDefault(policy + "|" + role + "|" + member, 0L);
        if (!accounts.contains(account) || !granted(policy, role, member) || now < since + trustPropagationSeconds) {
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
