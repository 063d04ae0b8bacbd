package registrypullaccess.access;

import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;
import com.pulumi.gcp.serviceaccount.Key;
import com.pulumi.gcp.serviceaccount.KeyArgs;
import registrypullaccess.Puller;
import registrypullaccess.registry.KeyRotation;

import java.util.Map;

/**
 * The puller's GCP service account and its JSON key, replaced on a fixed schedule.
 *
 * @param account the service account the grants are made to
 * @param key     its current key
 */
record PullerKey(Account account, Key key) {

    static final String KEY_PERIOD_KEEPER = "rotationPeriodStart";

    static PullerKey declare(Children children, String gcpProject, Puller.WithKey puller, KeyRotation rotation,
                             boolean protect) {
        var email = puller.serviceAccountId() + "@" + gcpProject + ".iam.gserviceaccount.com";
        var account = new Account(children.name("sa"), AccountArgs.builder()
                .project(gcpProject)
                .accountId(puller.serviceAccountId())
                .displayName("Kubernetes image puller")
                .description("Pulls container images into Kubernetes clusters. Managed by Pulumi "
                        + "(registry-pull-access); changes made by hand are undone on the next update.")
                .build(), Children.adoptable(children.alone("sa"), puller.adopt(),
                "projects/" + gcpProject + "/serviceAccounts/" + email, "displayName", "description")
                .protect(protect).build());
        // The key records its rotation period, so a new period replaces it. Pulumi replaces by creating the
        // new key first, updating everything that uses it (the Secrets), and deleting the old key last, so
        // pulls never see a deleted key.
        var args = KeyArgs.builder().serviceAccountId(account.name());
        rotation.periodStart().ifPresent(start -> args.keepers(Map.of(KEY_PERIOD_KEEPER, start.toString())));
        var key = new Key(children.name("key"), args.build(), children.alone("key").deleteBeforeReplace(false).build());
        return new PullerKey(account, key);
    }
}
