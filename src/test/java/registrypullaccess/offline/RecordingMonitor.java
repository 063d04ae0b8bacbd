package registrypullaccess.offline;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.core.internal.Constants;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import pulumirpc.AliasOuterClass.Alias;
import pulumirpc.Resource.ReadResourceRequest;
import pulumirpc.Resource.ReadResourceResponse;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK's mock monitor, recording every registration as the engine would receive it. Mocks only see
 * plain input values; the registration also carries which inputs are secret, the parent, the
 * dependencies and the resource options, which is what the program's safety rests on.
 */
final class RecordingMonitor extends MockMonitor {

    private static final String STACK_TYPE = "pulumi:pulumi:Stack";

    private final List<DeclaredResource> declared = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> urns = ConcurrentHashMap.newKeySet();
    private final Map<String, String> aliasedBy = new ConcurrentHashMap<>();
    private final List<DeclaredResource.Read> reads = Collections.synchronizedList(new ArrayList<>());

    RecordingMonitor(Mocks mocks) {
        super(mocks, PulumiTestInternal.mockLog());
    }

    List<DeclaredResource> declared() {
        synchronized (declared) {
            return List.copyOf(declared);
        }
    }

    List<DeclaredResource.Read> reads() {
        synchronized (reads) {
            return List.copyOf(reads);
        }
    }

    /**
     * Reads share the URNs of registrations: the engine refuses a second resource with the same type and name
     * under the same parent, however it was declared, and so does this monitor.
     */
    @Override
    public CompletableFuture<ReadResourceResponse> readResourceAsync(Resource resource, ReadResourceRequest request) {
        return super.readResourceAsync(resource, request).thenApply(response -> {
            claim(response.getUrn());
            reads.add(new DeclaredResource.Read(response.getUrn(), request.getType(), request.getId()));
            return response;
        });
    }

    @Override
    public CompletableFuture<RegisterResourceResponse> registerResourceAsync(
            Resource resource, RegisterResourceRequest request) {
        return super.registerResourceAsync(resource, request).thenApply(response -> {
            claim(response.getUrn());
            var aliases = request.getAliasesList().stream()
                    .map(alias -> alias(request, response.getUrn(), alias))
                    .toList();
            // The engine refuses two resources that claim to be the same earlier one.
            aliases.forEach(alias -> {
                var earlier = aliasedBy.putIfAbsent(alias, response.getUrn());
                if (earlier != null) {
                    throw new IllegalStateException("Two resources ('" + earlier + "' and '" + response.getUrn()
                            + "') aliased to the same: '" + alias + "'");
                }
            });
            declared.add(new DeclaredResource(
                    response.getUrn(),
                    request.getType(),
                    request.getName(),
                    request.getParent(),
                    new LinkedHashSet<>(request.getDependenciesList()),
                    toJava(request.getObject()),
                    new DeclaredResource.Options(
                            request.getProtect(),
                            Optional.of(request.getImportId()).filter(id -> !id.isEmpty()),
                            request.getDeleteBeforeReplaceDefined()
                                    ? Optional.of(request.getDeleteBeforeReplace())
                                    : Optional.empty(),
                            request.getRetainOnDelete(),
                            List.copyOf(request.getAdditionalSecretOutputsList()),
                            List.copyOf(request.getIgnoreChangesList()),
                            aliases,
                            List.copyOf(request.getReplaceOnChangesList()))));
            return response;
        });
    }

    private void claim(String urn) {
        if (!urns.add(urn)) {
            throw new IllegalStateException("Duplicate resource URN '" + urn + "'; try giving it a unique name");
        }
    }

    /**
     * An alias as the engine resolves it, a URN as the engine makes them: one given as a URN is taken as it is;
     * in one given as a spec, what the spec leaves out is the resource's own, and a parent that is the stack is
     * no parent (pulumi v3.253.0, {@code pkg/resource/deploy/step_generator.go}, {@code collapseAliasToUrn}, and
     * {@code sdk/go/common/resource/alias.go}, {@code CreateURN}).
     */
    private static String alias(RegisterResourceRequest request, String urn, Alias alias) {
        if (alias.hasUrn()) {
            return alias.getUrn();
        }
        var spec = alias.getSpec();
        var parent = engineUrn(spec.getParentUrn().isEmpty() ? request.getParent() : spec.getParentUrn());
        var type = spec.getType().isEmpty() ? request.getType() : spec.getType();
        var name = spec.getName().isEmpty() ? request.getName() : spec.getName();
        if (spec.getNoParent() || parent.isEmpty() || parent.contains("::" + STACK_TYPE + "::")) {
            // urn:pulumi:STACK::PROJECT:: from the resource's own URN
            var stackAndProject = urn.substring(0, urn.indexOf("::", urn.indexOf("::") + 2) + 2);
            return stackAndProject + type + "::" + name;
        }
        return parent.substring(0, parent.lastIndexOf("::")) + "$" + type + "::" + name;
    }

    /**
     * A URN of the SDK's mocks as the engine makes it: the mocks put the stack's type before the types of its
     * descendants ({@code ::pulumi:pulumi:Stack$registry-pull-access:index:PullAccess::}); the engine leaves the
     * stack out (pulumi v3.253.0, {@code pkg/resource/deploy/deployment.go}, {@code generateURN}).
     */
    static String engineUrn(String urn) {
        return urn.replace("::" + STACK_TYPE + "$", "::");
    }

    private static Map<String, Object> toJava(Struct struct) {
        var map = new LinkedHashMap<String, Object>();
        struct.getFieldsMap().forEach((key, value) -> map.put(key, toJava(value)));
        return Collections.unmodifiableMap(map);
    }

    private static Object toJava(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> null;
            case BOOL_VALUE -> value.getBoolValue();
            case NUMBER_VALUE -> value.getNumberValue();
            case STRING_VALUE -> value.getStringValue();
            case LIST_VALUE ->
                value.getListValue().getValuesList().stream()
                        .map(RecordingMonitor::toJava)
                        .toList();
            case STRUCT_VALUE -> {
                var fields = value.getStructValue().getFieldsMap();
                var sig = fields.get(Constants.SpecialSigKey);
                if (sig != null && Constants.SpecialSecretSig.equals(sig.getStringValue())) {
                    yield new DeclaredResource.SecretValue(toJava(fields.get(Constants.SecretValueName)));
                }
                yield toJava(value.getStructValue());
            }
        };
    }
}
