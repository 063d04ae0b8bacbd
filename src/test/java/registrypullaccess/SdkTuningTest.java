package registrypullaccess;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.internal.MockEngine;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import registrypullaccess.offline.FakeGoogleCloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdkTuningTest {

    private final MockEngine engine = new MockEngine();
    private final MockMonitor monitor = new MockMonitor(new FakeGoogleCloud(), PulumiTestInternal.mockLog());

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void mavenRunsTheProgramWithTheSamePoolSizeAsTheJar() throws IOException {
        var jvmConfig = Files.readString(Path.of(".mvn/jvm.config"));

        assertTrue(jvmConfig.contains("-D" + SdkTuning.PARALLELISM_PROPERTY + "=" + SdkTuning.PARALLELISM),
                ".mvn/jvm.config must set what SdkTuning sets: " + jvmConfig);
    }

    @Test
    void theEntryPointDeclaresEverythingAndExitsCleanly() {
        var exitCode = SdkTuning.pulumi(engineState(Fixtures.manyNamespaces(3, "eu.gcr.io")))
                .runAsync(App::stack).join();

        assertEquals(0, exitCode, () -> "engine errors: " + engine.getErrors());
        assertEquals(3, monitor.resources.stream().filter(Secret.class::isInstance).count());
    }

    @Test
    void theEntryPointReportsBadConfigurationToTheEngineAndFails() {
        var config = new HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put(Settings.PROJECT + ":namespaces", "[\"Team-A\"]");

        var exitCode = SdkTuning.pulumi(engineState(config)).runAsync(App::stack).join();

        assertEquals(32, exitCode, "exit code after a message the user can act on");
        assertTrue(engine.getErrors().stream().anyMatch(error -> error.contains("Team-A")),
                () -> "engine errors: " + engine.getErrors());
    }

    /** What {@code DeploymentState.fromEnvironment} makes, with the SDK's mock engine and monitor. */
    private DeploymentImpl.DeploymentState engineState(Map<String, String> config) {
        var quiet = Logger.getAnonymousLogger();
        quiet.setUseParentHandlers(false);
        return new DeploymentImpl.DeploymentState(
                new DeploymentImpl.Config(ImmutableMap.copyOf(config), ImmutableSet.of()), quiet, "organization",
                Settings.PROJECT, "dev", "", false, engine, monitor);
    }
}
