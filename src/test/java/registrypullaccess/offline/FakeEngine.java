package registrypullaccess.offline;

import com.google.common.collect.ImmutableMap;
import com.google.gson.Gson;
import com.google.protobuf.Empty;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.core.internal.Constants;
import com.pulumi.serialization.internal.Deserializer;
import com.pulumi.serialization.internal.Serializer;
import com.pulumi.test.Mocks;
import com.pulumi.test.internal.PulumiTestInternal;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import pulumirpc.EngineGrpc;
import pulumirpc.EngineOuterClass.LogRequest;
import pulumirpc.EngineOuterClass.LogSeverity;
import pulumirpc.Resource.ReadResourceRequest;
import pulumirpc.Resource.ReadResourceResponse;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;
import pulumirpc.Resource.ResourceInvokeRequest;
import pulumirpc.Resource.ResourceInvokeResponse;
import pulumirpc.Resource.SupportsFeatureRequest;
import pulumirpc.Resource.SupportsFeatureResponse;
import pulumirpc.ResourceMonitorGrpc;
import registrypullaccess.App;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The Pulumi engine's two gRPC services, as far as the program uses them, with {@link FakeGoogleCloud} (or other
 * {@link Mocks}) for the providers: the program's real entry point runs against it in a process of its own,
 * started as the Pulumi CLI starts it, with this in place of the CLI.
 */
public final class FakeEngine implements AutoCloseable {

    private static final String STACK_TYPE = "pulumi:pulumi:Stack";
    /** 127.0.0.1, the address runMain gives the program, as bytes: nothing is looked up. */
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private final Mocks cloud;
    private final String project;
    private final String stack;
    private final Serializer serializer = new Serializer(PulumiTestInternal.mockLog());
    private final Deserializer deserializer = new Deserializer(PulumiTestInternal.mockLog());
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> types = new CopyOnWriteArrayList<>();
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final Map<String, Struct> inputsOutsideSecrets = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> outputs = new ConcurrentHashMap<>();
    /** When the program's first resource (not the stack) arrived, in {@link System#nanoTime()}; 0 before. */
    private final AtomicLong firstResource = new AtomicLong();

    private final Server server;

    /** @param cloud the providers' answers, usually a {@link FakeGoogleCloud} */
    public FakeEngine(Mocks cloud, String project, String stack) throws IOException {
        this.cloud = cloud;
        this.project = project;
        this.stack = stack;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), 0))
                .addService(new Engine())
                .addService(new Monitor())
                .build()
                .start();
    }

    /** How a run of the program's entry point went: exit code, what it printed, and its wall time. */
    public record Run(int exitCode, String output, long millis) {}

    /**
     * Runs {@code App.main} in a new JVM, with no JVM options, as Pulumi's Java host runs a prebuilt jar, and
     * the environment the Pulumi CLI gives it. The JVM inherits this process's environment, so
     * {@code JAVA_TOOL_OPTIONS} applies as it would under {@code pulumi up}.
     */
    public Run runMain(Map<String, String> config) throws IOException, InterruptedException {
        return runMain(config, Map.of());
    }

    /** {@link #runMain(Map)} with more environment variables, e.g. the runtime switch. */
    public Run runMain(Map<String, String> config, Map<String, String> moreEnvironment)
            throws IOException, InterruptedException {
        var output = Files.createTempFile("entry-point", ".log");
        var process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classPath(),
                        App.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        process.environment().putAll(environment(config));
        process.environment().putAll(moreEnvironment);
        var start = System.nanoTime();
        var running = process.start();
        if (!running.waitFor(300, TimeUnit.SECONDS)) {
            running.destroyForcibly();
            throw new IllegalStateException("App.main still running after 300 s: " + Files.readString(output));
        }
        var run = new Run(running.exitValue(), Files.readString(output), (System.nanoTime() - start) / 1_000_000);
        Files.delete(output);
        return run;
    }

    /** The class path this class came from: Maven's exec:java loads it apart from java.class.path. */
    public static String classPath() {
        if (FakeEngine.class.getClassLoader() instanceof URLClassLoader loader) {
            return Arrays.stream(loader.getURLs())
                    .map(FakeEngine::path)
                    .collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String path(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException notAFile) {
            throw new IllegalStateException("not a file on the class path: " + url, notAFile);
        }
    }

    /** Where the engine and the monitor listen: what the engine passes a plugin it starts, and a Construct. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    private Map<String, String> environment(Map<String, String> config) {
        return environment(config, false);
    }

    /**
     * What the Pulumi CLI hands the program: where the engine listens, the stack and its configuration; with
     * {@code dryRun}, as for {@code pulumi preview}.
     */
    public Map<String, String> environment(Map<String, String> config, boolean dryRun) {
        var address = address();
        return Map.of(
                "PULUMI_MONITOR",
                address,
                "PULUMI_ENGINE",
                address,
                "PULUMI_PROJECT",
                project,
                "PULUMI_STACK",
                stack,
                "PULUMI_DRY_RUN",
                String.valueOf(dryRun),
                "PULUMI_CONFIG",
                new Gson().toJson(config));
    }

    /** When the first resource other than the stack was registered ({@link System#nanoTime()}), if one was. */
    public OptionalLong firstResourceNanos() {
        var nanos = firstResource.get();
        return nanos == 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /** The errors the program logged, as `pulumi up` would print them. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** The type of every resource registered, the stack's included; reads are not counted. */
    public List<String> types() {
        return List.copyOf(types);
    }

    /** Every resource registered, as {@code TYPE NAME}, the stack's included; reads are not counted. */
    public List<String> registered() {
        return List.copyOf(registered);
    }

    /**
     * Every registered resource's inputs as they arrived, by {@code TYPE NAME}, with each value marked secret
     * replaced by null: what would stand in plain text in the state.
     */
    public Map<String, Struct> inputsOutsideSecrets() {
        return Map.copyOf(inputsOutsideSecrets);
    }

    /**
     * A struct as it arrived over gRPC, with each value marked secret (the SDK's secret signature, pulumi-java
     * v1.36.1 {@code com.pulumi.core.internal.Constants}) replaced by null.
     */
    public static Struct withoutSecrets(Struct struct) {
        var plain = Struct.newBuilder();
        struct.getFieldsMap().forEach((name, value) -> plain.putFields(name, withoutSecrets(value)));
        return plain.build();
    }

    private static Value withoutSecrets(Value value) {
        if (value.hasStructValue()) {
            var struct = value.getStructValue();
            var signature = struct.getFieldsOrDefault(Constants.SpecialSigKey, Value.getDefaultInstance());
            if (Constants.SpecialSecretSig.equals(signature.getStringValue())) {
                return Value.newBuilder().setNullValueValue(0).build();
            }
            return Value.newBuilder().setStructValue(withoutSecrets(struct)).build();
        }
        if (value.hasListValue()) {
            var list = ListValue.newBuilder();
            value.getListValue().getValuesList().forEach(item -> list.addValues(withoutSecrets(item)));
            return Value.newBuilder().setListValue(list).build();
        }
        return value;
    }

    /** The outputs the program registered for the stack, secrets unwrapped. */
    public Map<String, Object> stackOutputs() {
        return outputs.entrySet().stream()
                .filter(entry -> entry.getKey().contains("::" + STACK_TYPE + "::"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(Map.of());
    }

    @Override
    public void close() {
        try {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Engine extends EngineGrpc.EngineImplBase {
        @Override
        public void log(LogRequest request, StreamObserver<Empty> response) {
            if (request.getSeverity() == LogSeverity.ERROR) {
                errors.add(request.getMessage());
            }
            reply(response, Empty.getDefaultInstance());
        }
    }

    private final class Monitor extends ResourceMonitorGrpc.ResourceMonitorImplBase {
        @Override
        public void supportsFeature(SupportsFeatureRequest request, StreamObserver<SupportsFeatureResponse> response) {
            // Secrets must travel marked, as from the real engine; nothing else the program needs is optional.
            reply(
                    response,
                    SupportsFeatureResponse.newBuilder()
                            .setHasSupport("secrets".equals(request.getId()))
                            .build());
        }

        @Override
        public void registerResource(
                RegisterResourceRequest request, StreamObserver<RegisterResourceResponse> response) {
            types.add(request.getType());
            registered.add(request.getType() + " " + request.getName());
            inputsOutsideSecrets.put(request.getType() + " " + request.getName(), withoutSecrets(request.getObject()));
            var urn = urn(request.getParent(), request.getType(), request.getName());
            if (STACK_TYPE.equals(request.getType())) {
                reply(
                        response,
                        RegisterResourceResponse.newBuilder().setUrn(urn).build());
                return;
            }
            firstResource.compareAndSet(0, System.nanoTime());
            provide(
                    response,
                    request.getType(),
                    request.getName(),
                    request.getObject(),
                    request.getImportId(),
                    (id, state) -> RegisterResourceResponse.newBuilder()
                            .setUrn(urn)
                            .setId(id)
                            .setObject(state)
                            .build());
        }

        @Override
        public void readResource(ReadResourceRequest request, StreamObserver<ReadResourceResponse> response) {
            var urn = urn(request.getParent(), request.getType(), request.getName());
            provide(
                    response,
                    request.getType(),
                    request.getName(),
                    request.getProperties(),
                    request.getId(),
                    (id, state) -> ReadResourceResponse.newBuilder()
                            .setUrn(urn)
                            .setProperties(state)
                            .build());
        }

        @Override
        public void invoke(ResourceInvokeRequest request, StreamObserver<ResourceInvokeResponse> response) {
            // The answer goes out through the observer, errors included; the future has nothing more to say.
            var unused = cloud.callAsync(
                            new Mocks.CallArgs(request.getTok(), ImmutableMap.copyOf(plain(request.getArgs())), ""))
                    .thenCompose(FakeEngine.this::serialized)
                    .whenComplete((result, error) -> {
                        if (error != null) {
                            response.onError(io.grpc.Status.UNKNOWN
                                    .withDescription(error.getMessage())
                                    .asException());
                        } else {
                            reply(
                                    response,
                                    ResourceInvokeResponse.newBuilder()
                                            .setReturn(Serializer.createStruct(result))
                                            .build());
                        }
                    });
        }

        @Override
        public void registerResourceOutputs(RegisterResourceOutputsRequest request, StreamObserver<Empty> response) {
            outputs.put(request.getUrn(), plain(request.getOutputs()));
            reply(response, Empty.getDefaultInstance());
        }
    }

    private interface Response<T> {
        T of(String id, Struct state);
    }

    /** Asks the fake cloud for a resource's state and answers with it, secrets marked as the engine marks them. */
    private <T> void provide(
            StreamObserver<T> response, String type, String name, Struct inputs, String id, Response<T> answer) {
        var args = new Mocks.ResourceArgs(type, name, plain(inputs), "", id);
        var unused = cloud.newResourceAsync(args)
                .thenCompose(result -> serialized(result.state)
                        .thenApply(state -> answer.of(result.id.orElse(id), Serializer.createStruct(state))))
                .whenComplete((message, error) -> {
                    if (error != null) {
                        response.onError(io.grpc.Status.UNKNOWN
                                .withDescription(error.getMessage())
                                .asException());
                    } else {
                        reply(response, message);
                    }
                });
    }

    private Map<String, Object> plain(Struct struct) {
        var values = new HashMap<String, Object>();
        struct.getFieldsMap()
                .forEach((key, value) -> Optional.ofNullable(
                                deserializer.deserialize(value).getValueNullable())
                        .ifPresent(plain -> values.put(key, plain)));
        return values;
    }

    /** The fake cloud's state, a map, as the engine sends it: values serialized, secrets marked. */
    private CompletableFuture<Map<String, Object>> serialized(Object state) {
        var values = new HashMap<String, Object>();
        var done = ((Map<?, ?>) state)
                .entrySet().stream()
                        .map(entry -> serializer
                                .serializeAsync(String.valueOf(entry.getKey()), entry.getValue(), true)
                                .thenAccept(value -> {
                                    synchronized (values) {
                                        values.put(String.valueOf(entry.getKey()), value);
                                    }
                                }))
                        .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(done).thenApply(all -> values);
    }

    /** A URN as the engine makes it: a child's type is prefixed with its parent's, but for the stack's children. */
    private String urn(String parent, String type, String name) {
        var qualifiedType = type;
        if (!parent.isEmpty()) {
            var parentType = parent.split("::", -1)[2];
            if (!STACK_TYPE.equals(parentType)) {
                qualifiedType = parentType + "$" + type;
            }
        }
        return "urn:pulumi:" + stack + "::" + project + "::" + qualifiedType + "::" + name;
    }

    private static <T> void reply(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
