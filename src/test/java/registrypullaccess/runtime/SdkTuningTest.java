package registrypullaccess.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdkTuningTest {

    @Test
    void mavenRunsTheProgramWithTheSamePoolSizeAsTheJar() throws IOException {
        var jvmConfig = Files.readString(Path.of(".mvn/jvm.config"));

        assertTrue(
                jvmConfig.contains("-D" + SdkTuning.PARALLELISM_PROPERTY + "=" + SdkTuning.PARALLELISM),
                ".mvn/jvm.config must set what SdkTuning sets: " + jvmConfig);
    }

    @Test
    void runsTunedUnlessTheSwitchAsksForTheSdksOwnRunner() {
        assertFalse(SdkTuning.usesSdkRunner(null));
        assertFalse(SdkTuning.usesSdkRunner(""));
        assertFalse(SdkTuning.usesSdkRunner("tuned"));
        assertTrue(SdkTuning.usesSdkRunner("sdk"));
    }

    @Test
    void rejectsASwitchValueItDoesNotKnow() {
        var error = assertThrows(IllegalArgumentException.class, () -> SdkTuning.usesSdkRunner("SDK"));

        assertTrue(error.getMessage().contains("use sdk"), error.getMessage());
    }
}
