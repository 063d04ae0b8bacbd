package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.Secret;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How children are named: no part may hide the separator, so distinct parts always give distinct names. */
class ChildrenTest {

    private final Children children = new Children("pull-access", null, Optional.empty(), Output.of(true));

    @Test
    void joinsTheComponentsNameAndTheChildsPartsWithSlashes() {
        assertEquals("pull-access/team-a/default/sa", children.name("team-a", "default", "sa"));
    }

    @Test
    void refusesAComponentNameOrAPartThatIsEmptyOrHoldsTheSeparator() {
        assertEquals(
                "\"pull/access\" cannot be part of a resource name: it must be non-empty and without /",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new Children("pull/access", null, Optional.empty(), Output.of(true)))
                        .getMessage());
        assertEquals(
                "\"team/a\" cannot be part of a resource name: it must be non-empty and without /",
                assertThrows(IllegalArgumentException.class, () -> children.name("team/a", "sa"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> children.name("", "sa"));
    }

    @Test
    void refusesOptionsForAChildThatWasNotNamedWithItsSiblings() {
        var siblings = children.siblings(false, List.of(List.of("team-a", "pull-secret")));

        var error = assertThrows(
                IllegalArgumentException.class, () -> siblings.options(Secret.class, "team-b", "pull-secret"));

        assertEquals(
                "[team-b, pull-secret] was not named with its siblings [[team-a, pull-secret]]", error.getMessage());
    }
}
