package registrypullaccess;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that runs the whole program at scale, or many times on the transition model. PIT leaves it out (pom.xml's
 * {@code excludedGroups}): every mutant it covers that survives would pay its run time again, tens of seconds each.
 * The README's test command runs it. docs/mutation-testing.md says which tests carry it and what they kill.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(OutsideMutationTesting.TAG)
public @interface OutsideMutationTesting {
    String TAG = "outside-mutation-testing";
}
