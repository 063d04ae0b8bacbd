package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.gcp.iam.WorkloadIdentityPool;
import com.pulumi.gcp.iam.WorkloadIdentityPoolArgs;
import com.pulumi.gcp.iam.WorkloadIdentityPoolProvider;
import com.pulumi.gcp.iam.WorkloadIdentityPoolProviderArgs;
import com.pulumi.gcp.iam.inputs.WorkloadIdentityPoolProviderOidcArgs;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.IAMMember;
import com.pulumi.gcp.serviceaccount.IAMMemberArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.settings.TokenIdentity;

import java.util.List;
import java.util.Map;

/**
 * Google's side of token minting: the one minting Kubernetes ServiceAccount, in the home namespace, may act as
 * the puller's service account, and nothing else may. On GKE through the cluster's own identity pool; on any
 * other cluster through a workload identity pool of the stack's own that trusts the cluster's token issuer and
 * only the minting ServiceAccount's tokens.
 *
 * <p>One IAM member, whatever the number of namespaces covered: tokens are minted once, in the home namespace,
 * and copied from there ({@link TokenCopies}, or Kyverno cluster-wide). A member per namespace would grow the
 * puller's allow policy with the namespaces, into Google's limit of 1,500 principals per policy.
 *
 * @param generatorAuth the {@code auth} of the {@code GCRAccessToken} generator
 * @param grant         the minter's grant to act as the puller
 */
record TokenTrust(Output<Map<String, Object>> generatorAuth, Resource grant) {

    static final String WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser";
    static final String PROVIDER_ID = "kubernetes";

    /**
     * @param project the project of the puller's service account, where a pool of the stack's own is made
     * @param home    the namespace of the minter, the only one that may act as the puller
     */
    static TokenTrust declare(
            Children children,
            String project,
            String home,
            String serviceAccountId,
            TokenIdentity identity,
            Account account,
            String minter,
            boolean protect) {
        return identity.match(
                gke -> gke(children, home, gke, account, minter),
                oidc -> oidc(children, project, home, serviceAccountId, oidc, account, minter, protect));
    }

    private static TokenTrust gke(
            Children children, String home, TokenIdentity.Gke cluster, Account account, String minter) {
        var grant = grant(
                children,
                home,
                account,
                Output.of("serviceAccount:" + cluster.workloadPool() + "[" + home + "/" + minter + "]"));
        return new TokenTrust(
                Output.of(Map.of(
                        "workloadIdentity",
                        Map.of(
                                "clusterProjectID", cluster.project(),
                                "clusterLocation", cluster.location(),
                                "clusterName", cluster.name(),
                                "serviceAccountRef", Map.of("name", minter)))),
                grant);
    }

    private static TokenTrust oidc(
            Children children,
            String project,
            String home,
            String poolId,
            TokenIdentity.Oidc issuer,
            Account account,
            String minter,
            boolean protect) {
        var options = children.options().protect(protect).build();
        var pool = new WorkloadIdentityPool(
                children.name("token-pool"),
                WorkloadIdentityPoolArgs.builder()
                        .project(project)
                        .workloadIdentityPoolId(poolId)
                        .displayName("Kubernetes image pullers")
                        .description("Trusts one cluster's token minters (registry-pull-access). Managed by Pulumi.")
                        .build(),
                options);
        var oidc = WorkloadIdentityPoolProviderOidcArgs.builder().issuerUri(issuer.issuer());
        issuer.jwks().ifPresent(oidc::jwksJson);
        var provider = new WorkloadIdentityPoolProvider(
                children.name("token-provider"),
                WorkloadIdentityPoolProviderArgs.builder()
                        .project(project)
                        .workloadIdentityPoolId(pool.workloadIdentityPoolId())
                        .workloadIdentityPoolProviderId(PROVIDER_ID)
                        .attributeMapping(Map.of("google.subject", "assertion.sub"))
                        .attributeCondition(minterCondition(minter))
                        .oidc(oidc.build())
                        .build(),
                options);
        var grant = grant(
                children,
                home,
                account,
                pool.name()
                        .applyValue(poolName -> "principal://iam.googleapis.com/" + poolName
                                + "/subject/system:serviceaccount:" + home + ":" + minter));
        // With no allowed audiences set, the provider accepts tokens for its own URL (Google's documentation of
        // workload identity pools, not source); ESO asks the cluster for a token with exactly the audiences given
        // here, exchanges it at sts.googleapis.com, and then acts as the puller's service account
        // (external-secrets v2.9.0, providers/v1/gcp/secretmanager/workload_identity_federation.go).
        var auth = Output.tuple(provider.name(), account.email())
                .applyValue(nameAndEmail -> Map.<String, Object>of(
                        "workloadIdentityFederation",
                        Map.of(
                                "audience",
                                "//iam.googleapis.com/" + nameAndEmail.t1,
                                "serviceAccountRef",
                                Map.of(
                                        "name",
                                        minter,
                                        "audiences",
                                        List.of("https://iam.googleapis.com/" + nameAndEmail.t1)),
                                "gcpServiceAccountEmail",
                                nameAndEmail.t2)));
        return new TokenTrust(auth, grant);
    }

    /**
     * Tokens from the minting ServiceAccount of any namespace: Kubernetes writes {@code sub} as
     * {@code system:serviceaccount:NAMESPACE:NAME}, and a namespace cannot contain ':'. That only the home
     * namespace's may act as the puller is decided by the grant. (Unchanged from when every listed namespace
     * minted: narrowing it in the same update as the switch would refuse the old minters' last refreshes.)
     */
    static String minterCondition(String minter) {
        return "assertion.sub.startsWith('system:serviceaccount:') && assertion.sub.endsWith(':" + minter + "')";
    }

    private static Resource grant(Children children, String home, Account account, Output<String> member) {
        return new IAMMember(
                children.name(home, "token-user"),
                IAMMemberArgs.builder()
                        .serviceAccountId(account.name())
                        .role(WORKLOAD_IDENTITY_USER)
                        .member(member)
                        // Not protected: it follows the home namespace, which may change; the puller and the pool
                        // are.
                        .build(),
                children.options().build());
    }
}
