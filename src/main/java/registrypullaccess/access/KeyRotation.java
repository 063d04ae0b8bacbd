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

    /** The day on or after which the next `pulumi up` replaces the key. */
    public Optional<LocalDate> nextRotation() {
        return periodStart.map(start -> start.plusDays(days));
    }
}
