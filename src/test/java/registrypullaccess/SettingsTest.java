package registrypullaccess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.registry.GoogleRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    /** The smallest valid configuration: a project and one registry. */
    static Map<String, String> minimal() {
        var config = new HashMap<String, String>();
        config.put("gcp:project", "acme-dev");
        config.put("registry-pull-access:registries", "[\"eu.gcr.io\"]");
        return config;
    }

    private static Map<String, String> with(String key, String value) {
        var config = minimal();
        config.put("registry-pull-access:" + key, value);
        return config;
    }

    private static Settings read(Map<String, String> config) {
        return Settings.fromConfig(ConfigSource.of(config));
    }

    private static String problemWith(Map<String, String> config) {
        var error = assertThrows(InvalidSettingsException.class, () -> read(config));
        assertEquals(1, error.problems().size(), error.getMessage());
        return error.problems().get(0);
    }

    @Test
    void fillsInTheDocumentedDefaults() {
        var settings = read(minimal());

        assertEquals("acme-dev", settings.gcpProject());
        assertEquals(List.of(new GoogleRegistry("eu.gcr.io", "europe", "acme-dev", "eu.gcr.io")), settings.registries());
        assertEquals(List.of("default"), settings.namespaces());
        assertEquals("image-puller", settings.serviceAccountId());
        assertEquals("registry-pull-secret", settings.secretName());
        assertEquals(Optional.empty(), settings.email());
    }

    @Test
    void readsEveryKey() {
        var config = minimal();
        config.put("registry-pull-access:registries", "[\"eu.gcr.io\",\"europe-west1-docker.pkg.dev/acme-shared/images\"]");
        config.put("registry-pull-access:namespaces", "[\"team-a\",\"team-b\"]");
        config.put("registry-pull-access:serviceAccountId", "puller-staging");
        config.put("registry-pull-access:secretName", "acme.pull");
        config.put("registry-pull-access:email", "ops@acme.example");

        var settings = read(config);

        assertEquals(2, settings.registries().size());
        assertEquals(List.of("team-a", "team-b"), settings.namespaces());
        assertEquals("puller-staging", settings.serviceAccountId());
        assertEquals("acme.pull", settings.secretName());
        assertEquals(Optional.of("ops@acme.example"), settings.email());
    }

    @Test
    void treatsTheEmptyDefaultEmailAsNoEmail() {
        assertEquals(Optional.empty(), read(with("email", "")).email());
    }

    @Test
    void writesEachHostOnceInThePullSecret() {
        var settings = read(with("registries", "[\"europe-west1-docker.pkg.dev/acme-shared/images\","
                + "\"europe-west1-docker.pkg.dev/acme-shared/tools\",\"eu.gcr.io\"]"));

        assertEquals(List.of("eu.gcr.io", "europe-west1-docker.pkg.dev"), settings.registryHosts());
    }

    @Test
    void rejectsAMissingGcpProject() {
        var config = minimal();
        config.remove("gcp:project");

        var problem = problemWith(config);

        assertTrue(problem.contains("gcp:project is not set"), problem);
        assertTrue(problem.contains("pulumi config set gcp:project"), problem);
    }

    @Test
    void rejectsAGcpProjectThatIsNotAProjectId() {
        var config = minimal();
        config.put("gcp:project", "Acme Dev");

        assertTrue(problemWith(config).startsWith("gcp:project: \"Acme Dev\" is not a project id"));
    }

    @Test
    void rejectsMissingRegistries() {
        var config = minimal();
        config.remove("registry-pull-access:registries");

        assertTrue(problemWith(config).contains("registry-pull-access:registries is not set"));
    }

    @Test
    void rejectsAnEmptyRegistryList() {
        assertTrue(problemWith(with("registries", "[]")).contains("registry-pull-access:registries is empty"));
    }

    @Test
    void rejectsRegistriesGivenAsAPlainString() {
        var problem = problemWith(with("registries", "eu.gcr.io"));

        assertTrue(problem.contains("must be a list of strings, got eu.gcr.io"), problem);
        assertTrue(problem.contains("--path 'registries[0]'"), problem);
    }

    @Test
    void rejectsAnUnknownRegistryHostNamingIt() {
        var problem = problemWith(with("registries", "[\"docker.io\"]"));

        assertTrue(problem.startsWith("registry-pull-access:registries: \"docker.io\""), problem);
        assertTrue(problem.contains("not a Google registry host"), problem);
    }

    @Test
    void rejectsTwoEntriesForTheSameRepository() {
        var problem = problemWith(with("registries", "[\"eu.gcr.io\",\"eu.gcr.io/acme-dev\"]"));

        assertTrue(problem.contains("name the same repository"), problem);
    }

    @Test
    void rejectsNamespaceWithUppercaseLetters() {
        var problem = problemWith(with("namespaces", "[\"Team-A\"]"));

        assertTrue(problem.contains("\"Team-A\" is not a namespace name"), problem);
        assertTrue(problem.contains("RFC 1123 label"), problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-team", "team-", "team_a", "team.a",
            "a-namespace-name-that-is-much-longer-than-sixty-three-characters-x"})
    void rejectsNamespacesThatAreNotRfc1123Labels(String namespace) {
        assertTrue(problemWith(with("namespaces", "[\"" + namespace + "\"]")).contains("is not a namespace name"));
    }

    @Test
    void rejectsAnEmptyNamespace() {
        assertTrue(problemWith(with("namespaces", "[\"team-a\",\"\"]")).contains("has an empty entry"));
    }

    @Test
    void rejectsAnEmptyNamespaceList() {
        assertTrue(problemWith(with("namespaces", "[]")).contains("registry-pull-access:namespaces is empty"));
    }

    @Test
    void rejectsADuplicateNamespace() {
        var problem = problemWith(with("namespaces", "[\"team-a\",\"team-b\",\"team-a\"]"));

        assertTrue(problem.contains("\"team-a\" is listed more than once"), problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "1puller", "puller-", "Image-Puller", "image_puller",
            "an-account-id-of-thirty-one-chars"})
    void rejectsBadServiceAccountIds(String id) {
        var problem = problemWith(with("serviceAccountId", id));

        assertTrue(problem.startsWith("registry-pull-access:serviceAccountId: \"" + id + "\""), problem);
    }

    @Test
    void rejectsASecretNameThatKubernetesWouldRefuse() {
        assertTrue(problemWith(with("secretName", "Pull_Secret")).contains("is not a Secret name"));
    }

    @Test
    void rejectsAnEmailWithoutAnAtSign() {
        assertTrue(problemWith(with("email", "ops")).contains("is not an e-mail address"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var config = with("namespaces", "[\"Bad\"]");
        config.put("registry-pull-access:serviceAccountId", "x");
        config.remove("gcp:project");

        var error = assertThrows(InvalidSettingsException.class, () -> read(config));

        assertEquals(3, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().startsWith("The stack configuration is not valid; nothing was deployed"));
    }
}
