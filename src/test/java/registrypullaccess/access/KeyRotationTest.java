package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRotationTest {

    @Test
    void everyDayOfAPeriodGivesTheSamePeriod() {
        var first = KeyRotation.of(90, LocalDate.of(2026, 10, 17));

        for (var day = first.periodStart().orElseThrow();
                day.isBefore(first.nextRotation().orElseThrow());
                day = day.plusDays(1)) {
            assertEquals(first, KeyRotation.of(90, day), day.toString());
        }
    }

    @Test
    void theDayAfterAPeriodStartsTheNextOne() {
        var rotation = KeyRotation.of(90, LocalDate.of(2026, 11, 28));
        var next = KeyRotation.of(90, rotation.nextRotation().orElseThrow());

        assertEquals(rotation.nextRotation(), next.periodStart());
        assertEquals(
                90,
                next.periodStart().orElseThrow().toEpochDay()
                        - rotation.periodStart().orElseThrow().toEpochDay());
    }

    @Test
    void periodsAreCountedFromTheEpochSoTheyDoNotDependOnWhenTheStackStarted() {
        var rotation = KeyRotation.of(90, LocalDate.of(2026, 11, 28));

        assertEquals(0, rotation.periodStart().orElseThrow().toEpochDay() % 90);
        assertFalse(rotation.periodStart().orElseThrow().isAfter(LocalDate.of(2026, 11, 28)));
        assertTrue(rotation.nextRotation().orElseThrow().isAfter(LocalDate.of(2026, 11, 28)));
    }

    @Test
    void consecutivePeriodsAlternateBetweenEvenAndOddAndKnowThePeriodBefore() {
        var rotation = KeyRotation.of(90, LocalDate.of(2026, 11, 28));
        var next = KeyRotation.of(90, rotation.nextRotation().orElseThrow());

        assertEquals(!rotation.evenPeriod(), next.evenPeriod());
        assertEquals(rotation.periodStart(), next.previousPeriodStart());
        assertTrue(KeyRotation.of(90, LocalDate.of(1970, 1, 1)).evenPeriod());
        assertFalse(KeyRotation.of(90, LocalDate.of(1970, 4, 1)).evenPeriod());
        assertFalse(KeyRotation.of(90, LocalDate.of(1969, 12, 31)).evenPeriod(), "the period before the first");
        assertTrue(KeyRotation.of(0, LocalDate.of(2026, 11, 28)).evenPeriod(), "no rotation: one key, one name");
        assertEquals(
                Optional.empty(), KeyRotation.of(0, LocalDate.of(2026, 11, 28)).previousPeriodStart());
    }

    @Test
    void zeroDaysTurnsRotationOff() {
        var off = KeyRotation.of(0, LocalDate.of(2026, 11, 28));

        assertEquals(Optional.empty(), off.periodStart());
        assertEquals(Optional.empty(), off.nextRotation());
    }

    @Test
    void refusesANegativeRotationPeriodAndStartsPeriodsAtTheEpoch() {
        assertEquals(
                "days must not be negative: -1",
                assertThrows(IllegalArgumentException.class, () -> KeyRotation.of(-1, LocalDate.of(2026, 11, 28)))
                        .getMessage());
        var rotation = KeyRotation.of(1, LocalDate.of(2026, 11, 28));
        assertEquals(Optional.of(LocalDate.of(2026, 11, 28)), rotation.periodStart());
        assertEquals(Optional.of(LocalDate.of(2026, 11, 29)), rotation.nextRotation());
    }
}
