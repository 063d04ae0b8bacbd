package registrypullaccess.offline;

import com.pulumi.core.Alias;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.kubernetes.core.v1.SecretArgs;
import com.pulumi.resources.CustomResourceOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline run refuses what the engine refuses, so a test cannot pass where `pulumi up` would fail. */
class RecordingMonitorTest {

    @Test
    void refusesASecondResourceOfTheSameTypeAndName() {
        var run = OfflineRun.run(Map.of(), Set.of(), ctx -> {
            new Secret("twice", SecretArgs.builder().build());
            new Secret("twice", SecretArgs.builder().build());
        });

        assertTrue(
                run.failure().orElseThrow().getMessage().startsWith("Duplicate resource URN"),
                run.exceptions().toString());
    }

    @Test
    void refusesTwoResourcesThatAliasTheSameName() {
        var run = OfflineRun.run(Map.of(), Set.of(), ctx -> {
            var formerly = CustomResourceOptions.builder()
                    .aliases(Alias.builder().name("old").build());
            new Secret("one", SecretArgs.builder().build(), formerly.build());
            new Secret("two", SecretArgs.builder().build(), formerly.build());
        });

        assertTrue(
                run.failure().orElseThrow().getMessage().startsWith("Two resources"),
                run.exceptions().toString());
    }
}
