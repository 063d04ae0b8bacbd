package registrypullaccess;

import com.pulumi.test.Mocks;
import org.junit.jupiter.api.Test;
import registrypullaccess.offline.FakeEngine;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.runtime.SdkTuning;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.KubernetesNames;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code App.main} in a process of its own against a fake engine, as the Pulumi CLI runs it. */
class EntryPointTest {

    private static final String KEY_CREATION_FORBIDDEN =
            "FAILED_PRECONDITION: Key creation is not allowed on this service account";

    @Test
    void deploysEveryNamespaceOverThePulumiProtocol() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(Fixtures.manyNamespaces(3, "eu.gcr.io"));

            assertEquals(0, run.exitCode(), run.output());
            assertEquals("", run.output(), "a run that succeeds prints nothing of its own (no SLF4J warning)");
            assertTrue(
                    engine.firstResourceNanos().isPresent(), "the fake engine saw the first resource (first-resource)");
            assertEquals(
                    3, engine.types().stream().filter(Fixtures.SECRET::equals).count());
            assertEquals(
                    3, engine.types().stream().filter(Fixtures.PATCH::equals).count());
            assertEquals(List.of(), engine.errors());
            assertEquals(
                    "image-puller@acme-dev.iam.gserviceaccount.com",
                    engine.stackOutputs().get("serviceAccountEmail"),
                    "the last thing the program sends");
        }
    }

    @Test
    void deploysWithTheSdksOwnRunnerWhenTheSwitchSaysSo() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(Fixtures.manyNamespaces(2, "eu.gcr.io"), Map.of(SdkTuning.SWITCH, "sdk"));

            assertEquals(0, run.exitCode(), run.output());
            assertEquals(
                    2, engine.types().stream().filter(Fixtures.SECRET::equals).count());
            assertEquals(List.of(), engine.errors());
        }
    }

    @Test
    void failsWithTheProvidersErrorWhenAResourceFails() throws Exception {
        // As when the organisation, not the project, forbids keys: the preflight sees nothing, Google refuses.
        var cloud = new FakeGoogleCloud();
        var keyCreationForbidden = new Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                return Fixtures.KEY.equals(args.type)
                        ? CompletableFuture.failedFuture(new IllegalStateException(KEY_CREATION_FORBIDDEN))
                        : cloud.newResourceAsync(args);
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                return cloud.callAsync(args);
            }
        };
        try (var engine = new FakeEngine(keyCreationForbidden, ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(Fixtures.manyNamespaces(2, "eu.gcr.io"));

            assertEquals(32, run.exitCode(), run.output());
            assertTrue(
                    engine.errors().stream().anyMatch(error -> error.contains(KEY_CREATION_FORBIDDEN)),
                    () -> "engine errors: " + engine.errors());
        }
    }

    @Test
    void failsOnBadConfigurationWithTheMessageThePulumiCliPrints() throws Exception {
        var config = new HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put(ConfigKeys.PROJECT + ":namespaces", "[\"Team-A\"]");
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(config);

            assertEquals(32, run.exitCode(), "exit code after a message the user can act on; " + run.output());
            assertTrue(
                    engine.errors().stream().anyMatch(error -> error.contains("Team-A")),
                    () -> "engine errors: " + engine.errors());
        }
    }

    @Test
    void rejectsAMisspeltKeyThatThePulumiCliPasses() throws Exception {
        var config = new HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put(ConfigKeys.PROJECT + ":namespace", "[\"team-a\"]");
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(config);

            assertEquals(32, run.exitCode(), run.output());
            assertTrue(
                    engine.errors().stream().anyMatch(error -> error.contains("did you mean `namespaces`?")),
                    () -> "engine errors: " + engine.errors());
            assertEquals(
                    List.of(),
                    engine.types().stream().filter(Fixtures.SECRET::equals).toList());
        }
    }

    @Test
    void showsBadConfigurationAsTheListOfProblemsWithoutAStackTrace() throws Exception {
        var config = new HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put(ConfigKeys.PROJECT + ":namespaces", "[\"Team-A\"]");
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(config);

            assertEquals(32, run.exitCode(), run.output());
            assertEquals(
                    List.of("The stack configuration is not valid; nothing was deployed:\n  - "
                            + ConfigKeys.key("namespaces") + ": \"Team-A\" is not " + KubernetesNames.NAMESPACE),
                    engine.errors().stream().map(String::strip).toList(),
                    "nothing but the problems");
            assertTrue(
                    engine.errors().stream()
                            .noneMatch(error ->
                                    error.contains("at registrypullaccess.") || error.contains("unhandled exception")),
                    () -> "engine errors: " + engine.errors());
            assertFalse(run.output().contains("at registrypullaccess."), run.output());
        }
    }
}
