package registrypullaccess;

import org.junit.jupiter.api.Test;
import registrypullaccess.offline.FakeEngine;
import registrypullaccess.offline.FakeGoogleCloud;

import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code App.main} in a process of its own against a fake engine, as the Pulumi CLI runs it. */
class EntryPointTest {

    @Test
    void deploysEveryNamespaceOverThePulumiProtocol() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), Settings.PROJECT, "dev")) {
            var run = engine.runMain(Fixtures.manyNamespaces(3, "eu.gcr.io"));

            assertEquals(0, run.exitCode(), run.output());
            assertEquals(3, engine.types().stream().filter(Fixtures.SECRET::equals).count());
            assertEquals(3, engine.types().stream().filter(Fixtures.PATCH::equals).count());
            assertEquals(List.of(), engine.errors());
            assertEquals("image-puller@acme-dev.iam.gserviceaccount.com",
                    engine.stackOutputs().get("serviceAccountEmail"), "the last thing the program sends");
        }
    }

    @Test
    void failsOnBadConfigurationWithTheMessageThePulumiCliPrints() throws Exception {
        var config = new HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put(Settings.PROJECT + ":namespaces", "[\"Team-A\"]");
        try (var engine = new FakeEngine(new FakeGoogleCloud(), Settings.PROJECT, "dev")) {
            var run = engine.runMain(config);

            assertEquals(32, run.exitCode(), "exit code after a message the user can act on; " + run.output());
            assertTrue(engine.errors().stream().anyMatch(error -> error.contains("Team-A")),
                    () -> "engine errors: " + engine.errors());
        }
    }
}
