package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.Fixtures;
import registrypullaccess.OutsideMutationTesting;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many listed namespaces one stack's record of what it deployed holds: every stack of this program writes its
 * record on the {@code default} Namespace, whose annotations together may hold at most 256 KiB (kubernetes/apimachinery
 * v0.27.2, pkg/api/validation/objectmeta.go, TotalAnnotationSizeLimitB: the bytes of every key and value). Prints the
 * figures (docs/operations.md, "What other teams can count on"); names of 63 characters, the longest a namespace may
 * have, either alike (a common prefix and a number, as teams name them) or random (the worst case for compression).
 */
@OutsideMutationTesting
class DeploymentRecordSizeTest {

    /** All the annotations of one object: kubernetes/apimachinery v0.27.2, TotalAnnotationSizeLimitB. */
    private static final int LIMIT = 256 * 1024;

    private static final String KEY =
            DeploymentMarker.annotation("registry-pull-access", "production-europe-west1", "pull-access");

    private static List<String> alike(int count) {
        var names = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            var prefix = "payments-service-production-europe-west1-";
            names.add(prefix + String.format("%0" + (63 - prefix.length()) + "d", i));
        }
        return names;
    }

    private static List<String> random(int count) {
        var random = new Random(21);
        var names = new ArrayList<String>();
        var alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        for (int i = 0; i < count; i++) {
            var name = new StringBuilder("n");
            while (name.length() < 62) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.append('z').toString());
        }
        return names;
    }

    private static DeployedShape listed(List<String> namespaces, boolean token) {
        var json = new StringBuilder("[");
        namespaces.forEach(namespace -> json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(namespace)
                .append('"'));
        var keys = new ArrayList<>(List.of("namespaces", json.append(']').toString()));
        if (token) {
            keys.addAll(List.of(
                    "credentials",
                    "token",
                    "gkeCluster",
                    "projects/acme-dev/locations/europe-west1/clusters/dev",
                    "installExternalSecrets",
                    "true"));
        }
        Settings settings = Fixtures.fromConfig(keys.toArray(String[]::new));
        return SwitchGuard.shape(settings);
    }

    /** The annotation's bytes, key and value, as the API server counts them. */
    private static int plain(DeployedShape shape) {
        return KEY.length() + shape.toJson().length();
    }

    private static int compressed(DeployedShape shape) {
        return KEY.length() + RecordEncoding.encode(shape.toJson()).length();
    }

    /**
     * The most namespaces whose record fits in {@code bytes}, up to {@code allowed}: token mode's settings allow names
     * of 1 MiB in all (SettingsRules, MAX_STORE_NAMESPACE_BYTES: 15,887 names of 63 characters); key mode's set no
     * limit, and this looks up to 40,000.
     */
    private static int most(
            IntFunction<DeployedShape> shape, ToIntFunction<DeployedShape> size, int bytes, int allowed) {
        int low = 0;
        int high = allowed;
        while (low < high) {
            int middle = (low + high + 1) / 2;
            if (size.applyAsInt(shape.apply(middle)) <= bytes) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** Where a record first passes the limit: at a count, or never within what the settings allow. */
    private static String passes(int most, int allowed) {
        return most == allowed ? "never, up to the " + allowed + " allowed" : "at " + (most + 1);
    }

    @Test
    void printsHowManyListedNamespacesOneRecordHolds() {
        for (var token : List.of(false, true)) {
            var allowed = token ? 1024 * 1024 / (63 + 3) : 40_000;
            for (var style : List.of("alike", "random")) {
                IntFunction<DeployedShape> shape =
                        count -> listed("alike".equals(style) ? alike(count) : random(count), token);
                var plain = most(shape, DeploymentRecordSizeTest::plain, LIMIT, allowed);
                var compressed = most(shape, DeploymentRecordSizeTest::compressed, LIMIT, allowed);
                System.out.printf(
                        "record size, %s mode, %s names of 63: plain JSON passes 256 KiB %s namespaces (%d bytes for"
                                + " 1000); compressed %s (%d bytes for 1000); the %d-byte budget holds %d%n",
                        token ? "token" : "key",
                        style,
                        passes(plain, allowed),
                        plain(shape.apply(1000)),
                        passes(compressed, allowed),
                        compressed(shape.apply(1000)),
                        RecordEncoding.BUDGET,
                        most(shape, DeploymentRecordSizeTest::compressed, RecordEncoding.BUDGET, allowed));
                assertTrue(compressed > plain, style + ": " + compressed + " <= " + plain);
            }
        }
    }
}
