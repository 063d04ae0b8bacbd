package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import registrypullaccess.externalsecrets.ExternalSecretsOperator;
import registrypullaccess.pullsecret.SecretContent;
import registrypullaccess.settings.Coverage;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token mode ({@code credentials: token}): the puller's service account and its grants, Google's trust in the one
 * minting ServiceAccount ({@link TokenTrust}), External Secrets Operator, installed or expected, and the token
 * Secret it mints once in the home namespace ({@link TokenPullSecrets}), placed where the coverage says: copied by
 * ESO into listed namespaces ({@link TokenCopies}), by Kyverno cluster-wide ({@link ClusterWideCoverage}).
 */
final class TokenMode {

    private TokenMode() {}

    /** Declares token mode where the settings say; returns the stack outputs, in the order a user reads them. */
    static Map<String, Output<?>> declare(
            Children children, Settings settings, Puller.Token puller, Output<FormerEntries> former) {
        var account = PullerAccount.declare(
                children,
                settings.gcpProject(),
                Output.of(settings.gcpProject()),
                puller.serviceAccountId(),
                false,
                settings.protect());
        var grants = ReaderGrants.declare(children, settings.sources(), account.member(), settings.protect());
        var pullSecret = puller.secret();
        // One minter, in the home namespace, whatever the coverage: Google's side does not grow with the namespaces.
        var home = settings.coverage().match(Coverage.Listed::home, Coverage.ClusterWide::home);
        var trust = TokenTrust.declare(
                children,
                settings.gcpProject(),
                home,
                puller.serviceAccountId(),
                puller.identity(),
                account,
                pullSecret.minterName(),
                settings.protect());
        var operator = puller.installExternalSecrets()
                ? List.<Resource>of(PinnedChart.EXTERNAL_SECRETS.declare(
                        children, args -> args.values(Map.of("installCRDs", true))))
                : List.<Resource>of();
        var secrets = new TokenPullSecrets(children, settings, puller, account, trust, operator);
        // The copy policy and the check wait for the Secret ESO writes, not for the ExternalSecret: Kyverno copies
        // nothing from a source created after the policy.
        ClusterWideCoverage.SourceSecret fromTokens = (unused, namespace, name, prerequisites) ->
                secrets.awaitToken(namespace, secrets.declareCloneSource(namespace, prerequisites));
        var covered = NamespaceCoverage.declare(
                children,
                settings,
                grants,
                new NamespaceCoverage.Secrets(
                        pullSecret,
                        false,
                        secrets.secretNames(),
                        listed -> {
                            var homePrerequisites = new ArrayList<Resource>(grants);
                            homePrerequisites.add(HomeNamespace.declare(children, home));
                            return TokenCopies.declare(
                                    children,
                                    secrets,
                                    pullSecret,
                                    home,
                                    listed.namespaces(),
                                    puller.refreshMinutes(),
                                    homePrerequisites,
                                    operator);
                        },
                        fromTokens,
                        List.of(),
                        // A new identity runs the check again, as new credentials do in key mode.
                        Output.of(Map.of(
                                PullCheckJob.CHECKED_SECRET_ANNOTATION,
                                SecretContent.shape(secrets.checkedCredentials()),
                                IdentityChange.CHECKED_IDENTITY_ANNOTATION,
                                IdentityChange.whoMints(settings.gcpProject(), puller)))),
                former);

        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", account.email());
        outputs.put("pullSecretName", Output.of(pullSecret.name()));
        outputs.putAll(PullAccess.podOutputs(settings, secrets.secretNames()));
        outputs.put(covered.getKey(), covered.getValue());
        outputs.putAll(PullAccess.registryOutputs(settings));
        outputs.put(
                "externalSecretsOperator",
                Output.of(ExternalSecretsOperator.VERSION
                        + (puller.installExternalSecrets()
                                ? ", installed by this stack"
                                : ", expected in the cluster")));
        return outputs;
    }
}
