package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KubernetesObjectTest {

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void registersTheCustomResourceTypeWithItsNestedFieldsAsTheProviderReadsThem() {
        var seen = Collections.synchronizedList(new ArrayList<Mocks.ResourceArgs>());
        Mocks mocks = args -> {
            seen.add(args);
            return CompletableFuture.completedFuture(
                    Mocks.ResourceResult.of(Optional.of(args.name + "-id"), args.inputs));
        };

        var result = PulumiTest.withMocks(mocks)
                .runTest(ctx -> new KubernetesObject(
                        "policy",
                        "kyverno.io/v1",
                        "ClusterPolicy",
                        Map.of("name", "copy"),
                        Output.of(Map.<String, Object>of(
                                "rules", List.of(Map.of("name", "clone", "generate", Map.of("synchronize", true))))),
                        CustomResourceOptions.Empty));

        assertEquals(List.of(), result.exceptions());
        var args = seen.get(0);
        assertEquals("kubernetes:kyverno.io/v1:ClusterPolicy", args.type);
        assertEquals("kyverno.io/v1", args.inputs.get("apiVersion"));
        assertEquals("ClusterPolicy", args.inputs.get("kind"));
        assertEquals(Map.of("name", "copy"), args.inputs.get("metadata"));
        assertEquals(
                Map.of("rules", List.of(Map.of("name", "clone", "generate", Map.of("synchronize", true)))),
                args.inputs.get("spec"));
    }
}
