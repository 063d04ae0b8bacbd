package registrypullaccess.access;

import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.Key;
import com.pulumi.gcp.serviceaccount.KeyArgs;
import com.pulumi.resources.CustomResourceOptions;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/** The puller's JSON key, replaced on a fixed schedule. */
final class PullerKey {

    static final String KEY_PERIOD_KEEPER = "rotationPeriodStart";
    static final String EVEN = "key-even";
    static final String ODD = "key-odd";

    private PullerKey() {}

    /**
     * The key records its rotation period, so a new period brings a new key. Pulumi creates it first, updates
     * everything that uses it (the Secrets, in place), and deletes the key it replaces last.
     *
     * <p>Rotating keys are named after their period's parity ({@code key-even}, {@code key-odd}): the key of this period
     * and, with {@code keepPrevious}, the key of the period before, which then stays valid until the next rotation.
     * Cluster-wide it must: Kyverno copies the changed source Secret into every namespace asynchronously (v1.19.0,
     * {@code pkg/webhooks/resource/generation/handler.go}: an update request the background controller carries out
     * later), while the engine deletes a key no longer declared as soon as the program has run (pulumi v3.253.0,
     * {@code pkg/resource/deploy/step_generator.go}, {@code GenerateDeletes}): the copies would hold a deleted key until
     * Kyverno caught up. Listed, the Secrets change in the update itself, before any delete, and one key is enough.
     *
     * <p>The current key's resource carries the name the single key had before ({@code key}) as an alias, so a stack
     * deployed with it keeps its key.
     */
    static Key declare(Children children, Account account, KeyRotation rotation, boolean keepPrevious) {
        if (rotation.periodStart().isEmpty()) {
            return key(children, "key", account, Optional.empty(), children.alone(Key.class, "key"));
        }
        if (keepPrevious) {
            key(
                    children,
                    rotation.evenPeriod() ? ODD : EVEN,
                    account,
                    rotation.previousPeriodStart(),
                    children.options());
        }
        return key(
                children,
                rotation.evenPeriod() ? EVEN : ODD,
                account,
                rotation.periodStart(),
                children.renamedFrom(Key.class, "key"));
    }

    private static Key key(
            Children children,
            String name,
            Account account,
            Optional<LocalDate> periodStart,
            CustomResourceOptions.Builder options) {
        var args = KeyArgs.builder().serviceAccountId(account.name());
        periodStart.ifPresent(start -> args.keepers(Map.of(KEY_PERIOD_KEEPER, start.toString())));
        return new Key(
                children.name(name),
                args.build(),
                options.deleteBeforeReplace(false).build());
    }
}
