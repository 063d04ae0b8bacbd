package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordEncodingTest {

    private static final DeployedShape LISTED = new ShapeBuilder(DeployedShape.TOKEN)
            .namespaces(List.of("team-a", "team-b"))
            .releases(List.of("external-secrets/external-secrets"))
            .build();

    @Test
    void aRecordIsWrittenCompressedAndReadsBackAsItWas() {
        var written = RecordEncoding.encode(LISTED.toJson());

        assertTrue(written.startsWith("gzip:"), written);
        assertEquals(Optional.of(LISTED), DeployedShape.parse(written));
    }

    @Test
    void aPlainJsonRecordAVersionBeforeWroteIsStillRead() {
        var written = "{\"credentials\":\"key\",\"clusterWide\":false,\"namespaces\":[\"team-a\",\"team-b\"],"
                + "\"excluded\":[],\"home\":\"registry-pull-access\",\"secretName\":\"registry-pull-secret\","
                + "\"detach\":false,\"podsNameSecret\":false,\"releases\":[],\"selector\":false,"
                + "\"serviceAccounts\":[\"default\"],\"selectorLabels\":{},\"pullSecrets\":[\"registry-pull-secret\"],"
                + "\"tokenIdentity\":\"\"}";

        var read = DeployedShape.parse(written).orElseThrow();

        assertEquals(List.of("team-a", "team-b"), read.namespaces());
        assertEquals(List.of("registry-pull-secret"), read.pullSecrets());
        assertEquals(Optional.of(read), DeployedShape.parse(RecordEncoding.encode(read.toJson())));
    }

    @Test
    void aCompressedRecordThatCannotBeReadIsNoRecord() {
        assertEquals(Optional.empty(), DeployedShape.parse("gzip:not base64!"));
        assertEquals(Optional.empty(), DeployedShape.parse("gzip:bm90IGd6aXA="));
        assertEquals(Optional.empty(), DeployedShape.parse(RecordEncoding.encode("{not json")));
        assertEquals(Optional.empty(), RecordEncoding.json(null));
    }

    @Test
    void aRecordOverItsShareOfTheAnnotationsIsRefusedWithWhatToChange() {
        // Random letters compress little: find the longest text whose record takes the budget at most.
        var random = new Random(21);
        var text = new StringBuilder();
        while (text.length() < 2 * RecordEncoding.BUDGET) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        int low = 0;
        int high = text.length();
        while (low < high) {
            int middle = (low + high + 1) / 2;
            if (RecordEncoding.encode(text.substring(0, middle)).length() <= RecordEncoding.BUDGET) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }

        assertEquals(Optional.empty(), RecordEncoding.refusal(text.substring(0, low)));
        var refusal = RecordEncoding.refusal(text.substring(0, low + 1)).orElseThrow();
        assertTrue(refusal.contains("more than the 65536 one stack may take"), refusal);
        assertTrue(refusal.contains("registry-pull-access:namespaces"), refusal);
        assertTrue(refusal.contains("`pulumi config set registry-pull-access:allNamespaces true`"), refusal);
    }
}
