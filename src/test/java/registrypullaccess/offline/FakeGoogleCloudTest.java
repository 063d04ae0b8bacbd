package registrypullaccess.offline;

import com.pulumi.test.Mocks;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeGoogleCloudTest {

    @Test
    void refusesAResourceTypeItWasNotTaught() {
        var result = new FakeGoogleCloud()
                .newResourceAsync(new Mocks.ResourceArgs(
                        "gcp:projects/iAMBinding:IAMBinding", "authoritative", Map.of(), "", ""));

        var error = assertThrows(ExecutionException.class, result::get);
        assertTrue(
                error.getCause()
                        .getMessage()
                        .contains("does not know resource type gcp:projects/iAMBinding:IAMBinding"),
                error.getCause().getMessage());
    }
}
