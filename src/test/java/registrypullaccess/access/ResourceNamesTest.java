package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.OfflineRun;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;

/**
 * Resource names: distinct for distinct inputs, as the engine requires (its URN is type and name under the
 * parent), and the names earlier versions gave kept as aliases, so existing stacks keep their state.
 */
class ResourceNamesTest {

    private static Map<String, List<String>> aliasesByName(OfflineRun run, String type) {
        var aliases = new TreeMap<String, List<String>>();
        run.ofType(type).forEach(resource -> aliases.put(resource.name(), resource.aliasNames()));
        return aliases;
    }

    @Test
    void namespacesAndServiceAccountsWhoseNamesJoinAlikeGetDistinctPatches() {
        var run = deploy(fromConfig("namespaces", "[\"a\",\"a-b\"]", "serviceAccounts", "[\"b-c\",\"c\"]"));

        // a/b-c and a-b/c were both "pull-access-a-b-c-sa": neither may claim that old name.
        assertEquals(
                Map.of(
                        "pull-access/a/b-c/sa", List.of(),
                        "pull-access/a/c/sa", List.of("pull-access-a-c-sa"),
                        "pull-access/a-b/b-c/sa", List.of("pull-access-a-b-b-c-sa"),
                        "pull-access/a-b/c/sa", List.of()),
                aliasesByName(run, PATCH));
    }

    @Test
    void repositoriesWhoseNamesJoinAlikeGetDistinctGrants() {
        var run = deploy(fromConfig(
                "registries",
                "[\"europe-docker.pkg.dev/acme-shared/west1-images\","
                        + "\"europe-west1-docker.pkg.dev/acme-shared/images\"]"));

        assertEquals(
                Map.of(
                        "pull-access/reader/acme-shared/europe/west1-images", List.of(),
                        "pull-access/reader/acme-shared/europe-west1/images", List.of()),
                aliasesByName(run, GRANT));
    }

    @Test
    void aGcrHostAndARepositoryNamedLikeItGetDistinctGrants() {
        var run = deploy(fromConfig("registries", "[\"eu.gcr.io\",\"europe-docker.pkg.dev/acme-dev/eu-gcr-io\"]"));

        assertEquals(
                Map.of(
                        "pull-access/reader/acme-dev/europe/eu.gcr.io", List.of(),
                        "pull-access/reader/acme-dev/europe/eu-gcr-io", List.of()),
                aliasesByName(run, GRANT));
    }

    @Test
    void everyResourceOfASimpleStackKeepsItsOldNameAsAnAlias() {
        var run = deploy(fromConfig(
                "registries",
                "[\"eu.gcr.io\"]",
                "legacyStorage",
                "[\"eu.gcr.io/acme-legacy\"]",
                "projectWideReaders",
                "[\"europe-west1-docker.pkg.dev/acme-shared\"]",
                "namespaces",
                "[\"team-a\"]",
                "serviceAccounts",
                "[\"default\",\"ci.runner\"]",
                "createNamespaces",
                "true",
                "verifyImage",
                "eu.gcr.io/acme-dev/app:1.0"));

        var oldNames = new TreeMap<String, List<String>>();
        run.resources().stream()
                .filter(r -> r.name().startsWith("pull-access/"))
                // The record of what was deployed came after the old names: it never had one.
                .filter(r -> !r.name().equals("pull-access/deployed"))
                .forEach(resource -> oldNames.put(resource.name(), resource.aliasNames()));
        var expected = new TreeMap<String, List<String>>(Map.of(
                "pull-access/sa",
                List.of("pull-access-sa"),
                "pull-access/key-even",
                List.of("pull-access/key", "pull-access-key"),
                "pull-access/reader/acme-dev/europe/eu.gcr.io",
                List.of("pull-access-reader-acme-dev-europe-eu-gcr-io"),
                "pull-access/reader/eu.artifacts.acme-legacy.appspot.com",
                List.of("pull-access-reader-eu-artifacts-acme-legacy-appspot-com"),
                "pull-access/reader/project/acme-shared",
                List.of("pull-access-reader-project-acme-shared"),
                "pull-access/team-a/namespace",
                List.of("pull-access-team-a-namespace"),
                "pull-access/team-a/pull-secret",
                List.of("pull-access-team-a-pull-secret"),
                "pull-access/team-a/default/sa",
                List.of("pull-access-team-a-default-sa"),
                "pull-access/team-a/ci.runner/sa",
                List.of("pull-access-team-a-ci.runner-sa"),
                "pull-access/team-a/pull-check",
                List.of("pull-access-team-a-pull-check")));
        // New since the names changed: it never had another.
        expected.put("pull-access/team-a/pull-secret-owner", List.of());
        assertEquals(expected, oldNames);
        assertEquals(
                Set.of(),
                Set.copyOf(run.resources().stream()
                        .filter(r -> !r.name().startsWith("pull-access/")
                                && !r.name().equals("pull-access")
                                && !r.type().equals("pulumi:pulumi:Stack"))
                        .map(DeclaredResource::name)
                        .toList()),
                "every child is named the new way");
    }
}
