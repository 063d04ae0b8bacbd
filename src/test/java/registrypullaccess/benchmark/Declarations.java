package registrypullaccess.benchmark;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import pulumirpc.Resource.ReadResourceRequest;
import pulumirpc.Resource.ReadResourceResponse;
import pulumirpc.Resource.RegisterResourceOutputsRequest;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;
import pulumirpc.Resource.ResourceInvokeRequest;
import pulumirpc.Resource.ResourceInvokeResponse;
import registrypullaccess.App;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.runtime.SdkTuning;
import registrypullaccess.settings.ConfigKeys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What the benchmark's program tells the engine, every registration, read, invoke and component output, one
 * canonical JSON line each, sorted: the same format {@code node bench.mjs --dump N} prints for the Node.js peer, so
 * {@link NodeComparison} can check that the two declare the same before it compares their times. URNs lose their
 * stack and project (the SDKs' mocks make them differently), aliases are resolved to the URNs the engine would
 * make of them, and the SDK's own bookkeeping (feature flags, empty property dependencies) is left out.
 *
 * <p>Run alone: {@code ./mvnw -q test-compile exec:java -DmainClass=registrypullaccess.benchmark.Declarations
 * -Dexec.classpathScope=test -DmainArgs=2}.
 */
public final class Declarations {

    /** The stack both sides run under: the Secrets' field managers are named after it. */
    static final String STACK = "offline";

    private static final String STACK_TYPE = "pulumi:pulumi:Stack";
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private Declarations() {}

    public static void main(String[] args) {
        of(Integer.parseInt(args[0])).forEach(System.out::println);
        System.exit(0);
    }

    /** The canonical lines for the benchmark's configuration at N namespaces. */
    @SuppressWarnings("try") // the wake-ups are used by being open
    static List<String> of(int namespaces) {
        var lines = Collections.synchronizedList(new ArrayList<String>());
        var mocks = new FakeGoogleCloud();
        var monitor = new MockMonitor(mocks, PulumiTestInternal.mockLog()) {
            @Override
            public CompletableFuture<ReadResourceResponse> readResourceAsync(
                    Resource resource, ReadResourceRequest request) {
                lines.add(read(request));
                return super.readResourceAsync(resource, request);
            }

            @Override
            public CompletableFuture<RegisterResourceResponse> registerResourceAsync(
                    Resource resource, RegisterResourceRequest request) {
                if (!request.getType().equals(STACK_TYPE)) {
                    lines.add(register(request));
                }
                return super.registerResourceAsync(resource, request);
            }

            @Override
            public CompletableFuture<Void> registerResourceOutputsAsync(RegisterResourceOutputsRequest request) {
                if (!request.getUrn().contains("::" + STACK_TYPE + "::")) {
                    var line = new JsonObject();
                    line.addProperty("op", "outputs");
                    line.addProperty("urn", urn(request.getUrn()));
                    line.add("outputs", value(json(request.getOutputs())));
                    lines.add(canonical(line));
                }
                return super.registerResourceOutputsAsync(request);
            }

            @Override
            public CompletableFuture<ResourceInvokeResponse> invokeAsync(ResourceInvokeRequest request) {
                var line = new JsonObject();
                line.addProperty("op", "invoke");
                line.addProperty("tok", request.getTok());
                line.add("args", value(json(request.getArgs())));
                lines.add(canonical(line));
                return super.invokeAsync(request);
            }
        };
        try (var wakeUps = SdkTuning.start()) {
            var result = PulumiTestInternal.builder()
                    .options(TestOptions.builder()
                            .projectName(ConfigKeys.PROJECT)
                            .stackName(STACK)
                            .preview(mocks.preview())
                            .build())
                    .mocks(mocks)
                    .config(Benchmark.config(namespaces), Set.of())
                    .monitorDecorator(ignored -> monitor)
                    .deploymentFactory(SdkTuning::deployment)
                    .build()
                    .runTest(App::stack);
            if (!result.exceptions().isEmpty()) {
                throw new IllegalStateException(
                        "the program failed", result.exceptions().get(0));
            }
        } finally {
            PulumiTest.cleanup();
        }
        synchronized (lines) {
            return lines.stream().sorted().toList();
        }
    }

    private static String read(ReadResourceRequest request) {
        var line = new JsonObject();
        line.addProperty("op", "read");
        line.addProperty("type", request.getType());
        line.addProperty("name", request.getName());
        line.addProperty("id", request.getId());
        line.addProperty("parent", urn(request.getParent()));
        line.add("inputs", value(json(request.getProperties())));
        line.add("dependencies", urns(request.getDependenciesList()));
        line.addProperty("provider", request.getProvider());
        line.addProperty("version", request.getVersion());
        line.add("additionalSecretOutputs", sorted(request.getAdditionalSecretOutputsList()));
        return canonical(line);
    }

    private static String register(RegisterResourceRequest request) {
        var line = new JsonObject();
        line.addProperty("op", "register");
        line.addProperty("type", request.getType());
        line.addProperty("name", request.getName());
        line.addProperty("custom", request.getCustom());
        line.addProperty("parent", urn(request.getParent()));
        line.add("inputs", value(json(request.getObject())));
        line.add("dependencies", urns(request.getDependenciesList()));
        var propertyDependencies = new JsonObject();
        request.getPropertyDependenciesMap().forEach((property, urns) -> {
            if (urns.getUrnsCount() > 0) {
                propertyDependencies.add(property, urns(urns.getUrnsList()));
            }
        });
        line.add("propertyDependencies", propertyDependencies);
        line.addProperty("protect", request.getProtect());
        line.addProperty("retainOnDelete", request.getRetainOnDelete());
        if (request.getDeleteBeforeReplaceDefined()) {
            line.addProperty("deleteBeforeReplace", request.getDeleteBeforeReplace());
        }
        line.add("ignoreChanges", sorted(request.getIgnoreChangesList()));
        line.add("replaceOnChanges", sorted(request.getReplaceOnChangesList()));
        line.add("additionalSecretOutputs", sorted(request.getAdditionalSecretOutputsList()));
        var aliases = new ArrayList<String>();
        request.getAliasesList()
                .forEach(alias -> aliases.add(
                        alias.hasUrn()
                                ? urn(alias.getUrn())
                                : alias(
                                        alias.getSpec().getNoParent()
                                                ? ""
                                                : alias.getSpec().getParentUrn().isEmpty()
                                                        ? request.getParent()
                                                        : alias.getSpec().getParentUrn(),
                                        alias.getSpec().getType().isEmpty()
                                                ? request.getType()
                                                : alias.getSpec().getType(),
                                        alias.getSpec().getName().isEmpty()
                                                ? request.getName()
                                                : alias.getSpec().getName())));
        line.add("aliases", sorted(aliases));
        var timeouts = request.getCustomTimeouts();
        line.addProperty(
                "customTimeouts", timeouts.getCreate() + "/" + timeouts.getUpdate() + "/" + timeouts.getDelete());
        line.addProperty("importId", request.getImportId());
        line.addProperty("provider", request.getProvider());
        line.addProperty("version", request.getVersion());
        return canonical(line);
    }

    /** An alias as the engine resolves it: the parent's URN, less the stack's type, then the type and name. */
    private static String alias(String parent, String type, String name) {
        var parentUrn = urn(parent);
        return parentUrn.isEmpty() || parentUrn.equals(STACK_TYPE)
                ? type + "::" + name
                : parentUrn.substring(0, parentUrn.lastIndexOf("::")) + "$" + type + "::" + name;
    }

    /**
     * A URN without its stack and project, and without the stack's type, which the SDK's mocks put before its
     * descendants' types and the engine does not.
     */
    static String urn(String urn) {
        if (urn.isEmpty()) {
            return urn;
        }
        var rest = urn.substring(urn.indexOf("::", urn.indexOf("::") + 2) + 2);
        return rest.startsWith(STACK_TYPE + "::") ? STACK_TYPE : rest.replace(STACK_TYPE + "$", "");
    }

    private static JsonArray urns(List<String> urns) {
        return sorted(urns.stream().map(Declarations::urn).toList());
    }

    private static JsonArray sorted(List<String> values) {
        var array = new JsonArray();
        values.stream().sorted().forEach(array::add);
        return array;
    }

    private static JsonElement json(Message message) {
        try {
            return JsonParser.parseString(PRINTER.print(message));
        } catch (InvalidProtocolBufferException cannotHappenForAStruct) {
            throw new IllegalStateException(cannotHappenForAStruct);
        }
    }

    /** A value with the SDK's secret envelope turned into {@code {"secret": value}}, which both SDKs send alike. */
    private static JsonElement value(JsonElement element) {
        if (element.isJsonArray()) {
            var array = new JsonArray();
            element.getAsJsonArray().forEach(item -> array.add(value(item)));
            return array;
        }
        if (!element.isJsonObject()) {
            return element;
        }
        var object = element.getAsJsonObject();
        var signature = object.get("4dabf18193072939515e22adb298388d");
        if (signature != null && "1b47061264138c4ac30d75fd1eb44270".equals(signature.getAsString())) {
            var secret = new JsonObject();
            secret.add("secret", value(object.get("value")));
            return secret;
        }
        var copy = new JsonObject();
        object.entrySet().forEach(entry -> copy.add(entry.getKey(), value(entry.getValue())));
        return copy;
    }

    /** JSON with every object's keys sorted, numbers as JavaScript prints them. */
    private static String canonical(JsonElement element) {
        return new Gson().toJson(sortedKeys(element));
    }

    private static Object sortedKeys(JsonElement element) {
        if (element.isJsonObject()) {
            var map = new TreeMap<String, Object>();
            element.getAsJsonObject()
                    .entrySet()
                    .forEach(entry -> map.put(entry.getKey(), sortedKeys(entry.getValue())));
            return map;
        }
        if (element.isJsonArray()) {
            var list = new ArrayList<Object>();
            element.getAsJsonArray().forEach(item -> list.add(sortedKeys(item)));
            return list;
        }
        if (element.isJsonNull()) {
            return null;
        }
        var primitive = element.getAsJsonPrimitive();
        if (primitive.isNumber()) {
            var number = primitive.getAsDouble();
            return number == Math.rint(number) ? (Object) (long) number : (Object) number;
        }
        return primitive.isBoolean() ? (Object) primitive.getAsBoolean() : primitive.getAsString();
    }
}
