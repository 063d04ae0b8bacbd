package registrypullaccess.component;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Value;
import com.pulumi.provider.internal.properties.PropertyValue;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import pulumirpc.Provider.ConstructRequest;
import pulumirpc.Provider.ConstructResponse;
import pulumirpc.Provider.GetSchemaRequest;
import pulumirpc.ResourceProviderGrpc;
import registrypullaccess.Fixtures;
import registrypullaccess.access.PullAccess;
import registrypullaccess.offline.FakeEngine;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.settings.ConfigKeys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.component.ComponentInputs.euGcrIoInAcmeDev;
import static registrypullaccess.component.ComponentInputs.inputs;
import static registrypullaccess.component.ComponentInputs.strings;
import static registrypullaccess.component.ComponentInputs.twoProblems;
import static registrypullaccess.component.ComponentInputs.twoProblemsRefusedByTheStack;

/**
 * Drives the package's provider over gRPC as the Pulumi engine does for a program in another language: the engine
 * starts the plugin with its own address, reads the port it prints, asks for the schema, then sends a Construct
 * whose resources the provider registers with the monitor named in it (here {@link FakeEngine}'s). The provider
 * runs in a JVM of its own, as under the engine.
 */
class PackageProviderTest {

    private static final String STACK_URN = "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev";

    /**
     * The provider in a JVM of its own, started as the engine starts a plugin. One per test: the SDK's provider keeps
     * the first Construct's deployment (monitor, configuration) in static state, which is right under the engine,
     * where one provider process serves one deployment.
     */
    private record Running(Process process, ManagedChannel channel, String engineAddress) implements AutoCloseable {

        static Running start(FakeEngine engine) throws IOException {
            var process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            FakeEngine.classPath(),
                            ProviderHost.class.getName(),
                            engine.address())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            // The engine reads the port the plugin prints first.
            var port = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return new Running(
                    process,
                    NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(port.strip()))
                            .usePlaintext()
                            .build(),
                    engine.address());
        }

        ResourceProviderGrpc.ResourceProviderBlockingStub stub() {
            return ResourceProviderGrpc.newBlockingStub(channel).withDeadlineAfter(240, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            // Not `throws InterruptedException`: javac's lint refuses that in a resource (try-with-resources).
            try {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void servesTheSchemaWithThePullAccessComponent() throws Exception {
        JsonObject schema;
        try (var engine = new FakeEngine(new FakeGoogleCloud(), "platform", "dev");
                var provider = Running.start(engine)) {
            schema = JsonParser.parseString(provider.stub()
                            .getSchema(GetSchemaRequest.getDefaultInstance())
                            .getSchema())
                    .getAsJsonObject();
        }

        assertEquals(ConfigKeys.PROJECT, schema.get("name").getAsString());
        assertTrue(schema.getAsJsonObject("resources")
                .getAsJsonObject(PullAccess.TYPE)
                .get("isComponent")
                .getAsBoolean());
    }

    @Test
    void declaresWhatTheStackProgramDeclaresForTheSameSettings() throws Exception {
        List<String> byStack;
        Set<String> stackOutputs;
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var run = engine.runMain(Fixtures.manyNamespaces(2, "eu.gcr.io"));
            assertEquals(0, run.exitCode(), run.output());
            byStack = engine.registered().stream()
                    .filter(resource -> !resource.startsWith("pulumi:pulumi:Stack "))
                    .sorted()
                    .toList();
            stackOutputs = new TreeSet<>(engine.stackOutputs().keySet());
        }
        try (var engine = new FakeEngine(new FakeGoogleCloud(), "platform", "dev");
                var provider = Running.start(engine)) {
            var response = construct(provider, euGcrIoInAcmeDev("namespaces", strings("team-1", "team-2")));

            assertEquals(byStack, engine.registered().stream().sorted().toList());
            assertTrue(byStack.contains(PullAccess.TYPE + " pull-access"), byStack::toString);
            assertEquals(
                    stackOutputs,
                    response.getState().getFieldsMap().entrySet().stream()
                            .filter(output -> output.getValue().getKindCase() != Value.KindCase.NULL_VALUE)
                            .map(Map.Entry::getKey)
                            // The state holds the component's URN too: Resource exports it (pulumi-java v1.36.1).
                            .filter(output -> !output.equals("urn"))
                            .collect(Collectors.toCollection(TreeSet::new)),
                    "the stack's outputs, no more, no fewer");
            assertEquals(
                    "image-puller@acme-dev.iam.gserviceaccount.com",
                    output(response, "serviceAccountEmail").getStringValue());
            assertEquals(
                    List.of("team-1", "team-2"),
                    output(response, "namespaces").getArrayValue().stream()
                            .map(PropertyValue::getStringValue)
                            .toList());
        }
    }

    @Test
    void takesTheProjectFromTheCallingStacksConfigurationAsTheGcpProviderDoes() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), "platform", "dev");
                var provider = Running.start(engine)) {
            var response = construct(
                    provider,
                    ConstructRequest.newBuilder().putConfig("gcp:project", "acme-dev"),
                    inputs("registries", strings("eu.gcr.io")));

            assertEquals(
                    "image-puller@acme-dev.iam.gserviceaccount.com",
                    output(response, "serviceAccountEmail").getStringValue());
        }
    }

    @Test
    void refusesBadInputsWithTheStacksMessagesAndDeclaresNothing() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), "platform", "dev");
                var provider = Running.start(engine)) {
            var refused = assertThrows(StatusRuntimeException.class, () -> construct(provider, twoProblems()));
            var byStack = twoProblemsRefusedByTheStack();

            assertEquals(2, byStack.problems().size(), "every problem at once: " + byStack.problems());
            assertEquals(byStack.getMessage(), refused.getStatus().getDescription());
            assertEquals(List.of(), engine.registered(), "nothing half-created");
        }
    }

    @Test
    void refusesAPasswordThatIsNotASecretAsTheStackDoes() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), "platform", "dev");
                var provider = Running.start(engine)) {
            var registry = new LinkedHashMap<String, PropertyValue>();
            registry.put("host", PropertyValue.of("ghcr.io"));
            registry.put("username", PropertyValue.of("octocat"));
            registry.put("password", PropertyValue.of("hunter2"));
            var refused = assertThrows(
                    StatusRuntimeException.class,
                    () -> construct(
                            provider,
                            euGcrIoInAcmeDev(
                                    "otherRegistries", PropertyValue.of(List.of(PropertyValue.of(registry))))));

            assertTrue(
                    refused.getStatus().getDescription().contains("holds passwords in plain text"),
                    refused.getStatus()::getDescription);
            assertTrue(!refused.getStatus().getDescription().contains("hunter2"), "never repeats the password");
        }
    }

    @Test
    void keepsASecretPasswordSecretInEveryResourceAndOutput() throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), "platform", "dev");
                var provider = Running.start(engine)) {
            var registry = new LinkedHashMap<String, PropertyValue>();
            registry.put("host", PropertyValue.of("ghcr.io"));
            registry.put("username", PropertyValue.of("octocat"));
            registry.put("password", PropertyValue.ofSecret(PropertyValue.of("hunter2")));

            // Only the other registry: no key, whose secrecy would cover the password's.
            var response = construct(
                    provider,
                    inputs(
                            "registries",
                            strings(),
                            "otherRegistries",
                            PropertyValue.of(List.of(PropertyValue.of(registry)))));

            assertEquals(
                    List.of("ghcr.io"),
                    output(response, "registryHosts").getArrayValue().stream()
                            .map(PropertyValue::getStringValue)
                            .toList());
            var pullSecrets = engine.inputsOutsideSecrets().entrySet().stream()
                    .filter(resource -> resource.getKey().startsWith("kubernetes:core/v1:Secret "))
                    .toList();
            assertEquals(1, pullSecrets.size(), engine.registered()::toString);
            pullSecrets.forEach(secret -> assertEquals(
                    Value.KindCase.NULL_VALUE,
                    secret.getValue().getFieldsOrThrow("data").getKindCase(),
                    "the Secret's data arrives marked secret"));
            engine.inputsOutsideSecrets()
                    .forEach((resource, inputs) -> assertFalse(inputs.toString().contains("hunter2"), resource));
            assertFalse(
                    FakeEngine.withoutSecrets(response.getState()).toString().contains("hunter2"));
        }
    }

    private static ConstructResponse construct(Running provider, Map<String, PropertyValue> inputs) {
        return construct(provider, ConstructRequest.newBuilder(), inputs);
    }

    /** A Construct as the engine sends it for {@code new PullAccess("pull-access", inputs)} in a stack's program. */
    private static ConstructResponse construct(
            Running provider, ConstructRequest.Builder request, Map<String, PropertyValue> inputs) {
        return provider.stub()
                .construct(request.setProject("platform")
                        .setStack("dev")
                        .setDryRun(false)
                        .setMonitorEndpoint(provider.engineAddress())
                        .setType(PullAccess.TYPE)
                        .setName("pull-access")
                        .setParent(STACK_URN)
                        .setInputs(PropertyValue.marshalProperties(inputs))
                        .build());
    }

    /** An output's value, as the engine reads it from an output value (one that depends on resources) or not. */
    private static PropertyValue output(ConstructResponse response, String name) {
        var value = PropertyValue.unmarshal(response.getState().getFieldsOrThrow(name));
        return value.getType() == PropertyValue.ValueType.OUTPUT
                ? value.getOutputValue().getValue()
                : value;
    }
}
