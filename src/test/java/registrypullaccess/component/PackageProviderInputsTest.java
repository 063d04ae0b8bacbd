package registrypullaccess.component;

import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.properties.PropertyValue;
import org.junit.jupiter.api.Test;
import registrypullaccess.access.PullAccess;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.InvalidSettingsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

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
 * What the provider does with a Construct's inputs before the SDK constructs the component, in this JVM (the
 * provider over gRPC, in a process of its own: {@link PackageProviderTest}), and the engine's address among the
 * arguments the engine starts a plugin with.
 */
class PackageProviderInputsTest {

    private final List<String> warnings = new ArrayList<>();

    private PackageProvider provider(Optional<String> stackGcpProject) {
        return new PackageProvider(() -> stackGcpProject, warnings::add);
    }

    private static ConstructRequest construct(String type, Map<String, PropertyValue> inputs) {
        return new ConstructRequest(type, "pull-access", inputs, null);
    }

    @Test
    void takesTheCallingStacksGcpProjectWhenTheInputsNameNone() {
        var checked = provider(Optional.of("acme-dev"))
                .checked(construct(PullAccess.TYPE, inputs("registries", strings("eu.gcr.io"))));

        assertEquals(PropertyValue.of("acme-dev"), checked.getInputs().get("gcpProject"));
        assertEquals(PullAccess.TYPE, checked.getType());
        assertEquals("pull-access", checked.getName());
    }

    @Test
    void keepsTheProjectTheInputsNameOverTheStacks() {
        var checked = provider(Optional.of("acme-dev"))
                .checked(construct(
                        PullAccess.TYPE,
                        inputs("gcpProject", PropertyValue.of("acme-prod"), "registries", strings("eu.gcr.io"))));

        assertEquals(PropertyValue.of("acme-prod"), checked.getInputs().get("gcpProject"));
    }

    @Test
    void refusesBadInputsWithEveryProblemAsTheStacksReaderDoes() {
        var refused = assertThrows(
                InvalidSettingsException.class,
                () -> provider(Optional.empty()).checked(construct(PullAccess.TYPE, twoProblems())));
        var byStack = twoProblemsRefusedByTheStack();

        assertEquals(2, refused.problems().size(), "every problem at once: " + refused.problems());
        assertEquals(byStack.getMessage(), refused.getMessage());
    }

    @Test
    void sendsTheSettingsWarningsToTheEngine() {
        provider(Optional.empty())
                .checked(construct(PullAccess.TYPE, euGcrIoInAcmeDev("allNamespaces", PropertyValue.of(true))));

        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("Cluster-wide coverage expects Kyverno"), warnings::toString);
    }

    @Test
    void answersBadInputsWithAFailedConstructNotAThrow() {
        var construct = provider(Optional.empty())
                .construct(construct(PullAccess.TYPE, inputs("gcpProject", PropertyValue.of("acme-dev"))));

        var failed = assertThrows(ExecutionException.class, construct::get);
        assertTrue(failed.getCause() instanceof InvalidSettingsException, failed::toString);
    }

    @Test
    void leavesOtherTypesToTheSdksComponentProvider() {
        var notOurs = ConfigKeys.PROJECT + ":index:Nothing";
        var refused = assertThrows(
                RuntimeException.class,
                () -> provider(Optional.empty())
                        .construct(construct(notOurs, inputs()))
                        .join());

        assertFalse(refused instanceof InvalidSettingsException, refused::toString);
        assertTrue(String.valueOf(refused.getMessage()).contains(notOurs), refused::toString);
    }

    @Test
    void findsTheEnginesAddressAmongTheLoggingFlags() {
        assertEquals("127.0.0.1:50051", PackageProvider.engineAddress(new String[] {
            "--logtostderr", "-v=9", "--tracing", "127.0.0.1:9411", "--logflow", "127.0.0.1:50051"
        }));
    }

    @Test
    void refusesNoAddressOrTwo() {
        assertThrows(IllegalArgumentException.class, () -> PackageProvider.engineAddress(new String[] {"--logflow"}));
        assertThrows(
                IllegalArgumentException.class,
                () -> PackageProvider.engineAddress(new String[] {"127.0.0.1:1", "127.0.0.1:2"}));
    }
}
