package registrypullaccess.offline;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.core.internal.Constants;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The SDK's mock monitor, recording every registration as the engine would receive it. Mocks only see
 * plain input values; the registration also carries which inputs are secret, the parent, the
 * dependencies and the resource options, which is what the program's safety rests on.
 */
final class RecordingMonitor extends MockMonitor {

    private final List<DeclaredResource> declared = Collections.synchronizedList(new ArrayList<>());

    RecordingMonitor(Mocks mocks) {
        super(mocks, PulumiTestInternal.mockLog());
    }

    List<DeclaredResource> declared() {
        synchronized (declared) {
            return List.copyOf(declared);
        }
    }

    @Override
    public CompletableFuture<RegisterResourceResponse> registerResourceAsync(Resource resource,
                                                                            RegisterResourceRequest request) {
        return super.registerResourceAsync(resource, request).thenApply(response -> {
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
                            request.getDeleteBeforeReplace(),
                            request.getRetainOnDelete(),
                            List.copyOf(request.getAdditionalSecretOutputsList()),
                            List.copyOf(request.getIgnoreChangesList()),
                            List.copyOf(request.getReplaceOnChangesList()))));
            return response;
        });
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
            case LIST_VALUE -> value.getListValue().getValuesList().stream().map(RecordingMonitor::toJava).toList();
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
