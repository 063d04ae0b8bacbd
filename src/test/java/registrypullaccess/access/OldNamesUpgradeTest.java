package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.OfflineRun;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;

/**
 * A stack deployed by a version that named children with {@code -} takes this version with no replacement: the
 * engine finds every resource's state under its old URN, named by an alias, and moves it to the new name
 * (pulumi v3.253.0, {@code pkg/resource/deploy/step_generator.go}, {@code getOldResource}: the URN, then each
 * alias, is looked up in the old state). A resource whose old URN nobody claims would be created anew and the
 * old one deleted: a Secret deleted after its replacement overwrote it leaves the namespace without one.
 *
 * <p>{@code /upgrade/old-names-urns.txt} holds the URNs the last version with the old names (commit 82d8810)
 * registered for {@link #CONFIGURATION}, from its own offline run, recorded once (not computed here), as the
 * engine makes them: without the stack's type that the SDK's mocks put first.
 */
class OldNamesUpgradeTest {

    /** Every kind of child that had an old name: grants of each kind, namespaces, Secrets, patches, checks. */
    static final String[] CONFIGURATION = {
        "registries", "[\"eu.gcr.io\",\"europe-west1-docker.pkg.dev/acme-shared/images\"]",
        "legacyStorage", "[\"eu.gcr.io/acme-legacy\"]",
        "projectWideReaders", "[\"europe-west1-docker.pkg.dev/acme-shared\"]",
        "namespaces", "[\"team-a\",\"team-b\"]",
        "serviceAccounts", "[\"default\",\"ci.runner\"]",
        "createNamespaces", "true",
        "verifyImage", "eu.gcr.io/acme-dev/app:1.0"
    };

    @Test
    void everyUrnOfAStackWithTheOldNamesIsClaimedByExactlyOneResourceNow() throws IOException {
        var run = deploy(fromConfig(CONFIGURATION));

        // Each old URN to the types of the resources that claim it: exactly one, of the old resource's type.
        var expected = new TreeMap<String, List<String>>();
        var claimedBy = new TreeMap<String, List<String>>();
        for (var old : oldUrns()) {
            expected.put(old, List.of(type(old)));
            claimedBy.put(old, claimants(run, old));
        }
        assertEquals(expected, claimedBy);
    }

    @Test
    void theOldUrnsAreAliasesOfRenamedResourcesNotTheirNames() throws IOException {
        var run = deploy(fromConfig(CONFIGURATION));

        // Only the stack and the component kept their URNs; the engine moves every other state by an alias.
        var unchanged = oldUrns().stream()
                .filter(old -> run.resources().stream()
                        .anyMatch(resource -> resource.engineUrn().equals(old)))
                .map(OldNamesUpgradeTest::type)
                .sorted()
                .toList();
        assertEquals(List.of("pulumi:pulumi:Stack", "registry-pull-access:index:PullAccess"), unchanged);
    }

    /** What claims an old URN: the resource with that URN, or with an alias resolving to it. */
    private static List<String> claimants(OfflineRun run, String old) {
        return run.resources().stream()
                .filter(resource -> resource.engineUrn().equals(old)
                        || resource.options().aliases().contains(old))
                .map(DeclaredResource::type)
                .toList();
    }

    /** A URN's own type: the last of its qualified type's {@code $}-separated parts. */
    private static String type(String urn) {
        var qualified = urn.split("::", -1)[2];
        return qualified.substring(qualified.lastIndexOf('$') + 1);
    }

    private static List<String> oldUrns() throws IOException {
        try (InputStream in =
                Objects.requireNonNull(OldNamesUpgradeTest.class.getResourceAsStream("/upgrade/old-names-urns.txt"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        }
    }
}
