package registrypullaccess.access;

import java.time.LocalDate;
import java.util.Optional;

/**
 * When the service account key is replaced. Time is cut into fixed periods of {@code days} days counted
 * from 1970-01-01 (UTC); the key records the period it was made in, so every `pulumi up` within one
 * period declares the identical key and the first one after a boundary replaces it. No key outlives
 * its period; the very first key may be replaced sooner, at the first boundary.
 *
 * @param days        the period length; 0 turns rotation off
 * @param periodStart the first day of the current period, when rotation is on
 */
public record KeyRotation(int days, Optional<LocalDate> periodStart) {

    public static KeyRotation of(int days, LocalDate today) {
        if (days < 0) {
            throw new IllegalArgumentException("days must not be negative: " + days);
        }
        if (days == 0) {
            return new KeyRotation(0, Optional.empty());
        }
        var epochDay = today.toEpochDay();
        return new KeyRotation(days, Optional.of(LocalDate.ofEpochDay(epochDay - Math.floorMod(epochDay, days))));
    }

    /** The first day of the period before this one, when rotation is on. */
    public Optional<LocalDate> previousPeriodStart() {
        return periodStart.map(start -> start.minusDays(days));
    }

    /**
     * Whether this is an even period, counting from the one that starts on 1970-01-01: consecutive periods alternate,
     * so two names are enough for the keys of this period and the one before.
     */
    public boolean evenPeriod() {
        return periodStart
                .map(start -> Math.floorMod(Math.floorDiv(start.toEpochDay(), days), 2) == 0)
                .orElse(true);
    }

    /** The day on or after which the next `pulumi up` replaces the key. */
    public Optional<LocalDate> nextRotation() {
        return periodStart.map(start -> start.plusDays(days));
    }
}
