package registrypullaccess.access;

import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.Key;
import com.pulumi.gcp.serviceaccount.KeyArgs;

import java.util.Map;

/** The puller's JSON key, replaced on a fixed schedule. */
final class PullerKey {

    static final String KEY_PERIOD_KEEPER = "rotationPeriodStart";

    private PullerKey() {}

    /**
     * The key records its rotation period, so a new period replaces it. Pulumi replaces by creating the new
     * key first, updating everything that uses it (the Secrets), and deleting the old key last, so pulls
     * never see a deleted key.
     */
    static Key declare(Children children, Account account, KeyRotation rotation) {
        var args = KeyArgs.builder().serviceAccountId(account.name());
        rotation.periodStart().ifPresent(start -> args.keepers(Map.of(KEY_PERIOD_KEEPER, start.toString())));
        return new Key(
                children.name("key"),
                args.build(),
                children.alone(Key.class, "key").deleteBeforeReplace(false).build());
    }
}
