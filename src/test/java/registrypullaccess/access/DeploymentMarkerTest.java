package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each stack keeps its record on the {@code default} Namespace. */
class DeploymentMarkerTest {

    @Test
    void eachStackAndComponentHasAnAnnotationOfItsOwnThatStaysTheSame() {
        var annotation = DeploymentMarker.annotation("registry-pull-access", "prod", "pull-access");

        assertEquals(annotation, DeploymentMarker.annotation("registry-pull-access", "prod", "pull-access"));
        assertEquals(
                4,
                Set.of(
                                annotation,
                                DeploymentMarker.annotation("registry-pull-access", "dev", "pull-access"),
                                DeploymentMarker.annotation("other-project", "prod", "pull-access"),
                                DeploymentMarker.annotation("registry-pull-access", "prod", "other"))
                        .size());
        // SHA-256 of "registry-pull-access/prod/pull-access", its first 8 bytes in hex.
        assertTrue(annotation.matches("registry-pull-access/deployed\\.[0-9a-f]{16}"), annotation);
        // An annotation's name, after its prefix, has at most 63 characters, however long the names.
        var longest = DeploymentMarker.annotation("p".repeat(200), "s".repeat(200), "c".repeat(200));
        assertEquals(annotation.length(), longest.length());
        assertTrue(longest.substring(longest.indexOf('/') + 1).length() <= 63, longest);
    }

    @Test
    void aReleaseIsRecordedUnderItsNamespaceAndName() {
        assertEquals(
                "registry-pull-access/release.kyverno.kyverno", DeploymentMarker.releaseAnnotation("kyverno/kyverno"));
    }
}
