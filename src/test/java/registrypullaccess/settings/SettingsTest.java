package registrypullaccess.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.PullSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

    private static Puller.Key withKey(Settings settings) {
        return (Puller.Key) settings.puller();
    }

    private static Settings read(Map<String, String> config) {
        return Settings.fromConfig(ConfigSource.of(config, Set.of()));
    }

    /** Settings whose otherRegistries were stored with `pulumi config set --secret`. */
    private static Settings readWithSecretOthers(Map<String, String> config) {
        return Settings.fromConfig(ConfigSource.of(config, Set.of("registry-pull-access:otherRegistries")));
    }

    private static final String GHCR = "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\"ghp_x\"}]";

    private static String problemWith(Map<String, String> config) {
        return problemWith(config, SettingsTest::read);
    }

    private static String problemWith(Map<String, String> config, Function<Map<String, String>, Settings> read) {
        var error = assertThrows(InvalidSettingsException.class, () -> read.apply(config));
        assertEquals(1, error.problems().size(), error.getMessage());
        return error.problems().get(0);
    }

    @Test
    void fillsInTheDocumentedDefaults() {
        var settings = read(minimal());

        assertEquals("acme-dev", settings.gcpProject());
        assertEquals(
                List.of(new ArtifactRepository("eu.gcr.io", "eu.gcr.io", "europe", "acme-dev", "eu.gcr.io")),
                settings.sources());
        assertEquals(List.of("default"), settings.namespaces());
        assertEquals("image-puller", withKey(settings).serviceAccountId());
        assertEquals("registry-pull-secret", withKey(settings).secret().name());
        assertEquals(Optional.empty(), withKey(settings).secret().email());
    }

    @Test
    void readsEveryKey() {
        var config = minimal();
        config.put(
                "registry-pull-access:registries",
                "[\"eu.gcr.io\",\"europe-west1-docker.pkg.dev/acme-shared/images\"]");
        config.put("registry-pull-access:namespaces", "[\"team-a\",\"team-b\"]");
        config.put("registry-pull-access:serviceAccountId", "puller-staging");
        config.put("registry-pull-access:secretName", "acme.pull");
        config.put("registry-pull-access:email", "ops@acme.example");

        var settings = read(config);

        assertEquals(2, settings.sources().size());
        assertEquals(List.of("team-a", "team-b"), settings.namespaces());
        assertEquals("puller-staging", withKey(settings).serviceAccountId());
        assertEquals("acme.pull", withKey(settings).secret().name());
        assertEquals(Optional.of("ops@acme.example"), withKey(settings).secret().email());
    }

    @Test
    void treatsTheEmptyDefaultEmailAsNoEmail() {
        assertEquals(Optional.empty(), withKey(read(with("email", ""))).secret().email());
    }

    @Test
    void writesEachHostOnceInThePullSecret() {
        var settings = read(with(
                "registries",
                "[\"europe-west1-docker.pkg.dev/acme-shared/images\","
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

        assertTrue(problem.startsWith("\"eu.gcr.io/acme-dev\" repeats \"eu.gcr.io\""), problem);
    }

    @Test
    void rejectsNamespaceWithUppercaseLetters() {
        var problem = problemWith(with("namespaces", "[\"Team-A\"]"));

        assertTrue(problem.contains("\"Team-A\" is not a namespace name"), problem);
        assertTrue(problem.contains("RFC 1123 label"), problem);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-team",
                "team-",
                "team_a",
                "team.a",
                "a-namespace-name-that-is-much-longer-than-sixty-three-characters-x"
            })
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
    @ValueSource(
            strings = {
                "short",
                "1puller",
                "puller-",
                "Image-Puller",
                "image_puller",
                "an-account-id-of-thirty-one-chars"
            })
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

    @Test
    void readsEveryFormIntoOneListOfSources() {
        var config = with("legacyStorage", "[\"eu.gcr.io/acme-legacy\"]");
        config.put("registry-pull-access:projectWideReaders", "[\"europe-west1-docker.pkg.dev/acme-shared\"]");
        config.put("registry-pull-access:otherRegistries", GHCR);

        var settings = readWithSecretOthers(config);

        assertEquals(
                List.of("eu.gcr.io", "eu.gcr.io/acme-legacy", "europe-west1-docker.pkg.dev/acme-shared", "ghcr.io"),
                settings.sources().stream().map(PullSource::entry).toList());
        assertEquals(List.of("eu.gcr.io", "europe-west1-docker.pkg.dev", "ghcr.io"), settings.registryHosts());
        assertEquals(
                3,
                settings.sources().stream()
                        .filter(source -> source.grant().isPresent())
                        .count());
    }

    @Test
    void warnsThatAProjectWideReaderIsBroaderThanNeeded() {
        var settings = read(with("projectWideReaders", "[\"europe-west1-docker.pkg.dev/acme-shared\"]"));

        assertEquals(1, settings.warnings().size());
        assertTrue(
                settings.warnings().get(0).contains("on the whole project acme-shared"),
                settings.warnings().get(0));
        assertEquals(List.of(), read(minimal()).warnings());
    }

    @Test
    void rejectsOtherRegistryPasswordsInPlainText() {
        var problem = problemWith(with("otherRegistries", GHCR));

        assertTrue(problem.contains("holds passwords in plain text"), problem);
        assertTrue(problem.contains("pulumi config set --secret --path 'otherRegistries[0].password'"), problem);
        assertFalse(problem.contains("ghp_x"), "the message must not repeat the password");
    }

    @Test
    void neverPrintsAnOtherRegistrysPassword() {
        var settings = readWithSecretOthers(with("otherRegistries", GHCR));

        assertFalse(settings.toString().contains("ghp_x"), settings.toString());
        assertTrue(settings.toString().contains("acme-bot"), settings.toString());
    }

    @Test
    void rejectsAnOtherRegistryWithoutAPassword() {
        var problem = problemWith(
                with("otherRegistries", "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\"}]"),
                SettingsTest::readWithSecretOthers);

        assertTrue(
                problem.startsWith("registry-pull-access:otherRegistries[0] needs host, username and password"),
                problem);
    }

    @Test
    void theHintForABadOtherRegistryEntryNamesThatEntry() {
        var problem = problemWith(
                with(
                        "otherRegistries",
                        "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\"ghp_x\"},"
                                + "{\"host\":\"quay.io\",\"username\":\"acme-bot\"}]"),
                SettingsTest::readWithSecretOthers);

        assertTrue(problem.startsWith("registry-pull-access:otherRegistries[1] needs host"), problem);
        assertTrue(
                problem.contains("Set it with `pulumi config set --path 'otherRegistries[1].host' ghcr.io`, `pulumi"
                        + " config set --path 'otherRegistries[1].username' USER` and `pulumi config set --secret"
                        + " --path 'otherRegistries[1].password' PASSWORD`."),
                problem);
        assertFalse(problem.contains("[0]"), problem);
    }

    @Test
    void anOtherRegistryUserNameWithAColonIsRefusedWithoutRepeatingIt() {
        var problem = problemWith(
                with(
                        "otherRegistries",
                        "[{\"host\":\"ghcr.io\",\"username\":\"acme-bot:ghp_x\",\"password\":\"ghp_y\"}]"),
                SettingsTest::readWithSecretOthers);

        assertTrue(
                problem.startsWith("registry-pull-access:otherRegistries[0]: \"ghcr.io\": username holds a ':' (not"
                        + " repeated here), which cannot work"),
                problem);
        assertTrue(problem.contains("RFC 7617"), problem);
        assertFalse(problem.contains("acme-bot") || problem.contains("ghp_"), problem);
    }

    @ParameterizedTest(name = "never echoes the credentials typed into host {0}")
    @ValueSource(
            strings = {
                "https://robot:ghp_SUPERSECRET@ghcr.io",
                "robot:ghp_SUPERSECRET@registry.acme.example",
                "ghp_SUPERSECRET@ghcr.io",
                "robot:ghp_SUPER@SECRET@ghcr.io"
            })
    void neverEchoesCredentialsTypedIntoAnOtherRegistrysHost(String host) {
        var problem = problemWith(
                with("otherRegistries", "[{\"host\":\"" + host + "\",\"username\":\"robot\",\"password\":\"ghp_x\"}]"),
                SettingsTest::readWithSecretOthers);

        assertFalse(problem.contains("SUPER"), problem);
        assertFalse(problem.contains("SECRET"), problem);
        assertFalse(problem.contains("robot:"), problem);
        assertTrue(problem.contains("user name or password before '@'"), problem);
        assertTrue(problem.contains("password in its password field"), problem);
    }

    @Test
    void rejectsAGoogleRegistryGivenAsAnOtherRegistry() {
        var problem = problemWith(
                with("otherRegistries", "[{\"host\":\"eu.gcr.io\",\"username\":\"_json_key\",\"password\":\"{}\"}]"),
                SettingsTest::readWithSecretOthers);

        assertTrue(problem.contains("list it under registries"), problem);
    }

    @Test
    void acceptsOnlyOtherRegistriesWhenRegistriesIsEmpty() {
        var config = with("registries", "[]");
        config.put("registry-pull-access:otherRegistries", GHCR);

        assertEquals(List.of("ghcr.io"), readWithSecretOthers(config).registryHosts());
    }

    @Test
    void needsNoGcpProjectWhenOnlyOtherRegistriesAreConfigured() {
        var config = with("registries", "[]");
        config.remove("gcp:project");
        config.put("registry-pull-access:otherRegistries", GHCR);

        assertEquals(List.of("ghcr.io"), readWithSecretOthers(config).registryHosts());
    }

    @Test
    void stillNeedsAGcpProjectInKeylessMode() {
        var config = with("keyless", "true");
        config.remove("gcp:project");
        config.put("registry-pull-access:registries", "[\"europe-west1-docker.pkg.dev/acme-shared/images\"]");
        config.put("registry-pull-access:nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com");

        assertTrue(problemWith(config).contains("gcp:project is not set"));
    }

    @Test
    void rejectsAMisspeltKeyNamingTheNearestOne() {
        var problem = problemWith(with("namespace", "[\"team-a\"]"));

        assertTrue(problem.startsWith("registry-pull-access:namespace is not a key of this program"), problem);
        assertTrue(problem.contains("did you mean `namespaces`?"), problem);
        // Not `pulumi config set namespaces ...`, which would store a string where Pulumi.yaml wants a list.
        assertTrue(
                problem.endsWith("Rename it to registry-pull-access:namespaces in the stack file (Pulumi.STACK.yaml), "
                        + "keeping its value."),
                problem);
    }

    @Test
    void rejectsAnUnknownKeyWithNothingNearListingTheKnownOnes() {
        var problem = problemWith(with("colour", "blue"));

        assertTrue(problem.startsWith("registry-pull-access:colour is not a key of this program"), problem);
        assertTrue(problem.contains("registries, legacyStorage"), problem);
        assertFalse(problem.contains("did you mean"), problem);
    }

    @Test
    void leavesKeysOfOtherNamespacesToTheirOwners() {
        var config = minimal();
        config.put("kubernetes:context", "kind-dev");
        config.put("gcp:region", "europe-west1");
        config.put("acme:namespace", "team-a");

        assertEquals(List.of("default"), read(config).namespaces());
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "kube-system", "kube-public", "kube-node-lease"})
    void refusesToCreateANamespaceEveryClusterHasBecauseDestroyWouldDeleteIt(String namespace) {
        var config = with("createNamespaces", "true");
        config.put("registry-pull-access:namespaces", "[\"team-a\",\"" + namespace + "\"]");

        var problem = problemWith(config);

        assertTrue(
                problem.startsWith(
                        "registry-pull-access:createNamespaces is true but namespaces lists \"" + namespace + "\""),
                problem);
        assertTrue(problem.contains("pulumi destroy"), problem);
    }

    @Test
    void refusesADomainScopedProjectSayingItIsUnsupportedAndWhy() {
        var config = minimal();
        config.put("gcp:project", "example.com:acme-dev");

        var problem = problemWith(config);

        assertTrue(
                problem.startsWith("gcp:project: \"example.com:acme-dev\" is a domain-scoped project id, "
                        + "which this program does not support"),
                problem);
        assertFalse(problem.contains("is not a project id"), problem);
    }

    @Test
    void rejectsALegacyStorageEntryThatIsNotGcr() {
        assertTrue(problemWith(with("legacyStorage", "[\"europe-west1-docker.pkg.dev/acme/images\"]"))
                .startsWith("registry-pull-access:legacyStorage: \"europe-west1-docker.pkg.dev/acme/images\""));
    }

    @Test
    void readsKeylessModeWithTheNodesServiceAccount() {
        var config = with("keyless", "true");
        config.put("registry-pull-access:nodeServiceAccount", "123456789-compute@developer.gserviceaccount.com");

        var settings = read(config);

        assertEquals(new Puller.Node("123456789-compute@developer.gserviceaccount.com"), settings.puller());
    }

    @Test
    void rejectsKeylessModeWithoutTheNodesServiceAccount() {
        assertTrue(problemWith(with("keyless", "true"))
                .contains("credentials node needs registry-pull-access:nodeServiceAccount"));
    }

    @Test
    void rejectsANodeServiceAccountOutsideKeylessMode() {
        var problem = problemWith(with("nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com"));

        assertTrue(problem.contains("is only used with registry-pull-access:credentials node"), problem);
    }

    @Test
    void rejectsANodeServiceAccountThatIsNotAnEmail() {
        var config = with("keyless", "true");
        config.put("registry-pull-access:nodeServiceAccount", "nodes");

        assertTrue(problemWith(config).contains("\"nodes\" is not a service account e-mail"));
    }

    @Test
    void rejectsKeylessModeWithANonGoogleRegistry() {
        var config = with("keyless", "true");
        config.put("registry-pull-access:nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com");
        config.put("registry-pull-access:otherRegistries", GHCR);

        var problem = problemWith(config, SettingsTest::readWithSecretOthers);

        assertTrue(
                problem.contains("credentials node cannot be combined with registry-pull-access:otherRegistries"),
                problem);
    }

    @Test
    void rejectsSettingsThatKeylessModeWouldIgnore() {
        var config = with("keyless", "true");
        config.put("registry-pull-access:nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com");
        config.put("registry-pull-access:createNamespaces", "true");

        assertTrue(problemWith(config)
                .contains("createNamespaces does nothing unless registry-pull-access:credentials is key or token"));
    }

    @Test
    void rejectsAKeylessValueThatIsNotABoolean() {
        assertTrue(problemWith(with("keyless", "yes")).contains("\"yes\" is not true or false"));
    }

    @Test
    void rejectsANegativeRotationPeriod() {
        var problem = problemWith(with("keyRotationDays", "-1"));

        assertTrue(problem.contains("keyRotationDays: -1 is not a number of days"), problem);
    }

    @Test
    void rejectsAServiceAccountNameKubernetesWouldRefuse() {
        var problem = problemWith(with("serviceAccounts", "[\"Builder\"]"));

        assertTrue(problem.contains("\"Builder\" is not a ServiceAccount name"), problem);
    }

    @Test
    void rejectsAVerifyImageFromARegistryThatIsNotConfigured() {
        var problem = problemWith(with("verifyImage", "europe-west1-docker.pkg.dev/acme-shared/images/app:1.0"));

        assertTrue(
                problem.contains("is pulled from europe-west1-docker.pkg.dev, which is not a configured "
                        + "registry; pick an image from [eu.gcr.io]"),
                problem);
    }

    @Test
    void rejectsAVerifyImageOnAConfiguredHostButInARepositoryTheStackDoesNotGrant() {
        var problem = problemWith(with("verifyImage", "eu.gcr.io/acme-other/app:1.0"));

        assertEquals(
                "registry-pull-access:verifyImage: \"eu.gcr.io/acme-other/app:1.0\" is on eu.gcr.io but in no "
                        + "repository the stack grants read access to, so the check could only fail. Pick an image "
                        + "from [eu.gcr.io], or add its repository to registry-pull-access:registries.",
                problem);
        var repository = with("registries", "[\"europe-west1-docker.pkg.dev/acme-shared/images\"]");
        repository.put("registry-pull-access:verifyImage", "europe-west1-docker.pkg.dev/acme-shared/other/app:1.0");
        assertTrue(problemWith(repository).contains("in no repository the stack grants"));
        repository.put("registry-pull-access:verifyImage", "europe-west1-docker.pkg.dev/acme-shared/images/a/b:1.0");
        assertEquals(
                "europe-west1-docker.pkg.dev/acme-shared/images/a/b:1.0",
                read(repository).pullCheck().orElseThrow().image());
        var projectWide = with("registries", "[]");
        projectWide.put("registry-pull-access:projectWideReaders", "[\"europe-west1-docker.pkg.dev/acme-shared\"]");
        projectWide.put("registry-pull-access:verifyImage", "europe-west1-docker.pkg.dev/acme-shared/any/app:1.0");
        assertTrue(read(projectWide).pullCheck().isPresent());
        projectWide.put("registry-pull-access:verifyImage", "europe-west1-docker.pkg.dev/acme-other/any/app:1.0");
        assertTrue(problemWith(projectWide).contains("in no repository the stack grants"));
        var legacy = with("registries", "[]");
        legacy.put("registry-pull-access:legacyStorage", "[\"eu.gcr.io/acme-legacy\"]");
        legacy.put("registry-pull-access:verifyImage", "eu.gcr.io/acme-legacy/app:1.0");
        assertTrue(read(legacy).pullCheck().isPresent());
        legacy.put("registry-pull-access:verifyImage", "eu.gcr.io/acme-dev/app:1.0");
        assertTrue(problemWith(legacy).contains("in no repository the stack grants"));
    }

    @Test
    void rejectsDetachAndSecretNameWithCredentialsNodeWhichHasNoPullSecret() {
        assertEquals(
                "registry-pull-access:detach does nothing unless registry-pull-access:credentials is key or "
                        + "token; remove it, or change credentials.",
                problemWith(node("detach", "true")));
        assertEquals(
                "registry-pull-access:secretName does nothing unless registry-pull-access:credentials is key or "
                        + "token; remove it, or change credentials.",
                problemWith(node("secretName", "regcred")));
    }

    /** The e-mail is written into the pull Secret, which node mode does not make: even an invalid one went unseen. */
    @Test
    void rejectsAnEmailWithCredentialsNodeWhichWritesNoPullSecret() {
        var refusal = "registry-pull-access:email does nothing unless registry-pull-access:credentials is key or "
                + "token; remove it, or change credentials.";
        assertEquals(refusal, problemWith(node("email", "ops@acme.example")));
        assertEquals(refusal, problemWith(node("email", "not-an-email")));
        assertEquals(List.of(), read(node("email", "")).warnings(), "the default the CLI passes is no problem");
    }

    @Test
    void rejectsAVerifyImageThatIsNotAnImageReference() {
        assertTrue(problemWith(with("verifyImage", "eu.gcr.io/App")).contains("is not an image reference"));
    }

    /** Token mode on a cluster that is not GKE, with everything else at its default. */
    private static Map<String, String> token(String... keysAndValues) {
        var config = with("credentials", "token");
        config.put("registry-pull-access:oidcIssuer", "https://kubernetes.default.svc.cluster.local");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put("registry-pull-access:" + keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    /** Node mode with the nodes' service account, and the given keys. */
    private static Map<String, String> node(String... keysAndValues) {
        var config = with("credentials", "node");
        config.put("registry-pull-access:nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put("registry-pull-access:" + keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    @Test
    void rejectsAdoptWithCredentialsNodeWhichHasNothingToAdopt() {
        assertEquals(
                "registry-pull-access:adopt does nothing unless registry-pull-access:credentials is key; "
                        + "remove it, or change credentials.",
                problemWith(node("adopt", "true")));
    }

    @Test
    void rejectsAKeyRotationPeriodInTokenMode() {
        assertEquals(
                "registry-pull-access:keyRotationDays does nothing unless registry-pull-access:credentials is "
                        + "key; remove it, or change credentials.",
                problemWith(token("keyRotationDays", "30")));
    }

    @Test
    void rejectsTokenSettingsInKeyMode() {
        assertEquals(
                "registry-pull-access:tokenRefreshMinutes does nothing unless registry-pull-access:credentials "
                        + "is token; remove it, or change credentials.",
                problemWith(with("tokenRefreshMinutes", "20")));
    }

    @Test
    void rejectsTokenSettingsInNodeMode() {
        assertEquals(
                "registry-pull-access:oidcIssuer does nothing unless registry-pull-access:credentials is "
                        + "token; remove it, or change credentials.",
                problemWith(node("oidcIssuer", "https://issuer.example")));
    }

    @Test
    void acceptsKeyRotationUpToTenYearsAndNoLonger() {
        assertEquals(3650, withKey(read(with("keyRotationDays", "3650"))).keyRotationDays());
        assertEquals(0, withKey(read(with("keyRotationDays", "0"))).keyRotationDays());
        assertEquals(
                "registry-pull-access:keyRotationDays: 3651 is not a number of days from 0 (never rotate) to "
                        + "3650; Google advises at most 90.",
                problemWith(with("keyRotationDays", "3651")));
    }

    @Test
    void rejectsARotationPeriodThatIsNotAWholeNumber() {
        assertEquals(
                "registry-pull-access:keyRotationDays: \"90d\" is not a whole number.",
                problemWith(with("keyRotationDays", "90d")));
        assertTrue(problemWith(token("tokenRefreshMinutes", "ten")).endsWith("\"ten\" is not a whole number."));
    }

    @Test
    void rejectsACredentialsValueItDoesNotKnow() {
        assertEquals(
                "registry-pull-access:credentials: \"keys\" is not key, token or node.",
                problemWith(with("credentials", "keys")));
    }

    @Test
    void acceptsKeylessBesideCredentialsNodeButNotBesideAnotherWay() {
        var settings = read(node("keyless", "true"));
        assertInstanceOf(Puller.Node.class, settings.puller());
        assertEquals(
                List.of("registry-pull-access:keyless is deprecated: write `registry-pull-access:credentials: "
                        + "node` instead (it means the same)."),
                settings.warnings());

        assertEquals(
                "registry-pull-access:keyless is true but registry-pull-access:credentials is \"token\": "
                        + "keyless means credentials node. Remove keyless.",
                problemWith(token("keyless", "true")));
    }

    @Test
    void acceptsTokenRefreshesFromFiveToFortyFiveMinutes() {
        assertEquals(5, ((Puller.Token) read(token("tokenRefreshMinutes", "5")).puller()).refreshMinutes());
        assertEquals(
                45, ((Puller.Token) read(token("tokenRefreshMinutes", "45")).puller()).refreshMinutes());
        for (var minutes : List.of("4", "46")) {
            assertEquals(
                    "registry-pull-access:tokenRefreshMinutes: " + minutes + " is not a number of minutes from "
                            + "5 to 45: a token lives about an hour, and a refresh must come well before it expires.",
                    problemWith(token("tokenRefreshMinutes", minutes)));
        }
    }

    @Test
    void rejectsTokenModeWithOnlyOtherRegistries() {
        var config = token("registries", "[]", "otherRegistries", GHCR);

        assertEquals(
                "registry-pull-access:credentials token mints tokens for Google's registries, and none is "
                        + "configured; list one under registry-pull-access:registries, or use credentials key.",
                problemWith(config, SettingsTest::readWithSecretOthers));
    }

    @Test
    void limitsTheSecretNameInTokenModeToWhatLeavesRoomForItsOtherRegistriesSecret() {
        // On GKE: elsewhere the minter's token subject, named after the secret too, sets a lower limit.
        var gke = with("credentials", "token");
        gke.put("registry-pull-access:gkeCluster", "projects/acme-dev/locations/europe-west1/clusters/prod");
        // A short home: the store the listed namespaces copy through is named HOME-SECRETNAME, at most 253 too.
        gke.put("registry-pull-access:homeNamespace", "rpa");
        var longest = "s".repeat(230);
        gke.put("registry-pull-access:secretName", longest);
        assertEquals(longest, ((Puller.Token) read(gke).puller()).secret().name());

        gke.put("registry-pull-access:secretName", longest + "s");
        var problem = problemWith(gke);
        assertEquals(
                "registry-pull-access:secretName is too long for credentials token, which also names \""
                        + "s".repeat(20) + "...\" after it: use at most 230 characters.",
                problem);
    }

    @Test
    void limitsTheSecretNameToWhatLeavesRoomForTheConfigMapThatOwnsIt() {
        var longest = "s".repeat(247);
        assertEquals(
                longest,
                read(with("secretName", longest))
                        .puller()
                        .pullSecret()
                        .orElseThrow()
                        .name());

        var problem = problemWith(with("secretName", longest + "s"));

        assertEquals(
                "registry-pull-access:secretName: \"" + "s".repeat(20) + "...\" is too long: the ConfigMap that owns"
                        + " the Secret is named after it (\"...-owner\"), and a name has at most 253 characters; use at"
                        + " most 247.",
                problem);
    }

    @Test
    void rejectsBothAGkeClusterAndAnIssuerAndNeitherInTokenMode() {
        var both = problemWith(token("gkeCluster", "projects/acme-dev/locations/europe-west1/clusters/prod"));
        assertTrue(
                both.startsWith("registry-pull-access:credentials token needs exactly one of "
                        + "registry-pull-access:gkeCluster"),
                both);
        var config = with("credentials", "token");
        assertEquals(both, problemWith(config));
    }

    @Test
    void rejectsAnIssuerKeySetOnGkeAndAClusterThatIsNotAGkeCluster() {
        var gke = with("credentials", "token");
        gke.put("registry-pull-access:gkeCluster", "projects/acme-dev/locations/europe-west1/clusters/prod");
        gke.put("registry-pull-access:oidcJwks", "{\"keys\":[]}");
        assertEquals(
                "registry-pull-access:oidcJwks is only used with registry-pull-access:oidcIssuer; GKE publishes "
                        + "its keys itself. Remove it.",
                problemWith(gke));

        var notGke = with("credentials", "token");
        notGke.put("registry-pull-access:gkeCluster", "projects/acme-dev/clusters/prod");
        assertTrue(problemWith(notGke)
                .startsWith("registry-pull-access:gkeCluster: \"projects/acme-dev/clusters/prod\" "
                        + "is not a GKE cluster"));
    }

    @Test
    void rejectsAnIssuerThatIsNotHttpsAndKeysThatAreNotAKeySet() {
        assertTrue(problemWith(token("oidcIssuer", "http://issuer.example"))
                .startsWith("registry-pull-access:oidcIssuer: \"http://issuer.example\" is not an https URL"));
        assertTrue(problemWith(token("oidcIssuer", "https:///no-host")).contains("is not an https URL"));
        assertTrue(problemWith(token("oidcIssuer", "https://bad host")).contains("is not an https URL"));
        for (var jwks : List.of("{\"keys\":{}}", "[]", "{\"other\":[]}", "{not json")) {
            assertTrue(
                    problemWith(token("oidcJwks", jwks))
                            .startsWith("registry-pull-access:oidcJwks is not a JSON Web Key Set"),
                    jwks);
        }
        var identity = (TokenIdentity.Oidc)
                ((Puller.Token) read(token("oidcJwks", "{\"keys\":[]}")).puller()).identity();
        assertEquals(Optional.of("{\"keys\":[]}"), identity.jwks());
    }

    @Test
    void aUserNameAndPasswordTypedIntoAnImageAreRefusedMaskedAsInARegistryHost() {
        var image =
                problemWith(with("verifyImage", "robot:hunter11@europe-west1-docker.pkg.dev/acme-shared/images/app:1"));
        var helper = problemWith(with("verifyHelperImage", "robot:hunter11@mirror.example.com/busybox:1.36.1-musl"));
        var digested =
                problemWith(with("verifyImage", "robot:hunter11@eu.gcr.io/acme-shared/app@sha256:" + "0".repeat(64)));

        assertTrue(
                image.startsWith("registry-pull-access:verifyImage: \"***@europe-west1-docker.pkg.dev/acme-shared/"
                        + "images/app:1\": holds a user name or password before '@' (masked here): write the image"
                        + " alone"),
                image);
        assertTrue(
                helper.startsWith(
                        "registry-pull-access:verifyHelperImage: \"***@mirror.example.com/busybox:1.36.1-musl\":"
                                + " holds a user name or password before '@' (masked here)"),
                helper);
        for (var problem : List.of(image, helper, digested)) {
            assertFalse(problem.contains("hunter11") || problem.contains("robot"), problem);
        }
    }

    @Test
    void anImageWithADigestIsNoUserInfoAndAWrongOneIsShownAsItIs() {
        assertTrue(read(with("verifyImage", "eu.gcr.io/acme-dev/tools/check@sha256:" + "0".repeat(64)))
                .pullCheck()
                .isPresent());
        assertEquals(
                "registry-pull-access:verifyImage: \"eu.gcr.io/acme-dev/tools/check@sha256:abc\" is not an image"
                        + " reference, e.g. europe-west1-docker.pkg.dev/acme-shared/images/app:1.0.",
                problemWith(with("verifyImage", "eu.gcr.io/acme-dev/tools/check@sha256:abc")));
    }

    @Test
    void rejectsAHelperImageThatIsNotAnImageReference() {
        assertEquals(
                "registry-pull-access:verifyHelperImage: \"Busybox\" is not an image reference.",
                problemWith(with("verifyHelperImage", "Busybox")));
    }

    @Test
    void rejectsAHelperImageWithoutThePullCheckWhereNothingElseRunsIt() {
        var refusal = "registry-pull-access:verifyHelperImage: \"mirror.example.com/busybox:1.36.1-musl\" is set, but"
                + " registry-pull-access:verifyImage is not, and without registry-pull-access:credentials token nothing"
                + " else runs it: only the pull check and token mode's token-ready Jobs do, so it would be ignored. Set"
                + " registry-pull-access:verifyImage to an image in a repository the stack grants, or remove it:"
                + " `pulumi config rm registry-pull-access:verifyHelperImage`.";

        assertEquals(refusal, problemWith(with("verifyHelperImage", "mirror.example.com/busybox:1.36.1-musl")));
        assertEquals(refusal, problemWith(node("verifyHelperImage", "mirror.example.com/busybox:1.36.1-musl")), "node");
    }

    @Test
    void inTokenModeAHelperImageAloneIsWhatTheTokenReadyJobsRun() {
        var settings = read(token("verifyHelperImage", "mirror.example.com/busybox:1.36.1-musl"));

        assertEquals(Optional.empty(), settings.pullCheck());
        assertEquals("mirror.example.com/busybox:1.36.1-musl", settings.helperImage());
        assertEquals("busybox:1.36.1-musl", read(token()).helperImage(), "the default");
    }

    @Test
    void theDefaultHelperImageIsNotAProblemWithoutThePullCheck() {
        // The Pulumi CLI passes Pulumi.yaml's default as if it were set.
        var settings = read(with("verifyHelperImage", "busybox:1.36.1-musl"));

        assertEquals(Optional.empty(), settings.pullCheck());
    }

    @Test
    void namesProblemsOfEveryRuleInOneRun() {
        var config = with("createNamespaces", "true");
        config.put("registry-pull-access:verifyImage", "ghcr.io/acme/app:1.0");
        config.put("registry-pull-access:registries", "[\"eu.gcr.io\",\"eu.gcr.io/acme-dev\"]");
        config.put("registry-pull-access:namespacez", "[]");

        var problems =
                assertThrows(InvalidSettingsException.class, () -> read(config)).problems();

        assertEquals(4, problems.size(), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("namespacez is not a key")));
        assertTrue(
                problems.stream()
                        .anyMatch(problem -> problem.contains("\"eu.gcr.io/acme-dev\" repeats \"eu.gcr.io\": "
                                + "both give eu.gcr.io with roles/artifactregistry.reader on projects/acme-dev/locations/europe/"
                                + "repositories/eu.gcr.io; list it once.")),
                String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("namespaces lists \"default\"")));
        assertTrue(problems.stream()
                .anyMatch(problem -> problem.contains("\"ghcr.io/acme/app:1.0\" is pulled from ghcr.io")));
    }

    @Test
    void namesANodeModeProblemBesideAnUnknownKey() {
        var config = node("otherRegistries", GHCR, "namespacez", "[]");

        var problems = assertThrows(InvalidSettingsException.class, () -> readWithSecretOthers(config))
                .problems();

        assertEquals(2, problems.size(), String.join("\n", problems));
        assertTrue(
                problems.stream()
                        .anyMatch(problem -> problem.contains(
                                "cannot be combined with registry-pull-access:otherRegistries (\"ghcr.io\")")),
                String.join("\n", problems));
    }

    @Test
    void rejectsOtherRegistriesThatAreNotAListOfObjectsWithEveryField() {
        assertTrue(problemWith(with("otherRegistries", "{\"host\":\"ghcr.io\"}"), SettingsTest::readWithSecretOthers)
                .startsWith("registry-pull-access:otherRegistries must be a list of objects with host, username and "
                        + "password."));
        assertTrue(problemWith(with("otherRegistries", "[\"ghcr.io\"]"), SettingsTest::readWithSecretOthers)
                .startsWith("registry-pull-access:otherRegistries[0] must be an object with host, username and "
                        + "password."));
        assertTrue(problemWith(
                        with("otherRegistries", "[{\"host\":\"ghcr.io\",\"username\":\"bot\"}]"),
                        SettingsTest::readWithSecretOthers)
                .startsWith("registry-pull-access:otherRegistries[0] needs host, "
                        + "username and password, each a string."));
    }

    @Test
    void stillNeedsAGcpProjectWhenOnlyLegacyStorageOrProjectWideReadersAreListed() {
        for (var key : List.of("legacyStorage", "projectWideReaders")) {
            var config = with("registries", "[]");
            config.remove("gcp:project");
            config.put("registry-pull-access:" + key, "[\"eu.gcr.io\"]");

            assertTrue(problemWith(config).startsWith("gcp:project is not set"), key);
        }
    }

    @Test
    void rejectsAListWithANonStringEntry() {
        assertTrue(problemWith(with("namespaces", "[\"team-a\",1]"))
                .startsWith("registry-pull-access:namespaces must be a list of strings, got [\"team-a\",1]."));
    }

    @Test
    void takesAnEmptyValueForUnsetAsPulumiConfigWritesIt() {
        var config = token(
                "gkeCluster",
                "",
                "oidcJwks",
                "",
                "secretName",
                "",
                "serviceAccountId",
                "",
                "verifyImage",
                "",
                "nodeServiceAccount",
                "",
                "adopt",
                "",
                "email",
                "");
        config.put("registry-pull-access:adopt", "false");

        var puller = (Puller.Token) read(config).puller();

        assertInstanceOf(TokenIdentity.Oidc.class, puller.identity());
        assertEquals(Optional.empty(), ((TokenIdentity.Oidc) puller.identity()).jwks());
        assertEquals("registry-pull-secret", puller.secret().name());
        assertEquals("image-puller", puller.serviceAccountId());
        assertEquals(Optional.empty(), read(config).pullCheck());
        var node = read(node("keyRotationDays", "", "gkeCluster", "", "createNamespaces", ""));
        assertInstanceOf(Puller.Node.class, node.puller());
        assertInstanceOf(Puller.Key.class, read(with("credentials", "")).puller());
    }

    @Test
    void stillNeedsAGcpProjectInNodeModeWithNoRegistryListed() {
        var config = node("registries", "[]");
        config.remove("gcp:project");

        var problems =
                assertThrows(InvalidSettingsException.class, () -> read(config)).problems();

        assertTrue(problems.get(0).startsWith("gcp:project is not set"), String.join("\n", problems));
    }

    @Test
    void suggestsAKeyUpToTwoEditsAwayFromAShortKeyName() {
        var problem = problemWith(with("prutecd", "true"));

        assertTrue(problem.contains("did you mean `protect`?"), problem);
    }

    @Test
    void suggestsTheNearestKeyNotTheFirstNearEnough() {
        assertEquals(Optional.of("serviceAccountId"), ConfigKeys.nearest("serviceAccountIds"));
        assertEquals(1, ConfigKeys.distance("ab", "abc"));
        assertEquals(3, ConfigKeys.distance("abc", ""));
        assertEquals(2, ConfigKeys.distance("protect", "prutecd"));
    }

    @Test
    void namesABadTokenSettingOrPullCheckBesideEveryOtherProblem() {
        for (var config : List.of(
                token("tokenRefreshMinutes", "4", "namespacez", "[]"),
                token("verifyImage", "eu.gcr.io/App", "namespacez", "[]"))) {
            var problems = assertThrows(InvalidSettingsException.class, () -> read(config))
                    .problems();

            assertEquals(2, problems.size(), String.join("\n", problems));
        }
    }

    @Test
    void explainsWhereADomainScopedProjectWouldPutItsDomain() {
        var problem = problemWith(
                Map.of("gcp:project", "example.com:acme", "registry-pull-access:registries", "[\"eu.gcr.io\"]"));

        assertTrue(
                problem.contains("(gcr.io/example.com/acme)")
                        && problem.contains("(ID@acme.example.com.iam.gserviceaccount.com)"),
                problem);
    }
}
