package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an update may do, by what the stack deployed before it. */
class DeployedShapeTest {

    private static final String NAME = "registry-pull-secret";
    private static final List<String> LISTED = List.of("team-a", "team-b");

    private static DeployedShape listed(String credentials, List<String> namespaces, String secretName) {
        return new DeployedShape(
                credentials, false, namespaces, List.of(), "registry-pull-access", secretName, false, false, List.of());
    }

    private static DeployedShape clusterWide(String credentials, boolean detach, List<String> excluded) {
        return new DeployedShape(
                credentials, true, List.of(), excluded, "registry-pull-access", NAME, detach, false, List.of());
    }

    @Test
    void aRecordReadsBackAsWritten() {
        var shape = clusterWide(DeployedShape.TOKEN, true, List.of("kube-system"));

        assertEquals(Optional.of(shape), DeployedShape.parse(shape.toJson()));
    }

    @Test
    void noRecordOrAnUnreadableOneIsNone() {
        assertEquals(Optional.empty(), DeployedShape.parse(null));
        assertEquals(Optional.empty(), DeployedShape.parse(""));
        assertEquals(Optional.empty(), DeployedShape.parse("{not json"));
        assertEquals(Optional.empty(), DeployedShape.parse("{\"credentials\":\"key\"}"));
        assertEquals(Optional.empty(), DeployedShape.parse("[1,2]"));
    }

    @Test
    void listedKeySecretsAreReleasedWhereEsoCopiesUnderTheSameName() {
        var before = listed(DeployedShape.KEY, LISTED, NAME);

        assertEquals(
                List.of("team-b"),
                before.relinquished(listed(DeployedShape.TOKEN, List.of("team-b", "team-c"), NAME), ns -> false));
        assertEquals(List.of(), before.relinquished(listed(DeployedShape.TOKEN, LISTED, "other-name"), ns -> true));
    }

    @Test
    void listedKeySecretsAreReleasedWhereKyvernoCopies() {
        var before = listed(DeployedShape.KEY, LISTED, NAME);

        assertEquals(
                List.of("team-a"),
                before.relinquished(clusterWide(DeployedShape.KEY, false, List.of()), "team-a"::equals));
        assertEquals(LISTED, before.relinquished(clusterWide(DeployedShape.TOKEN, false, List.of()), ns -> true));
        // Detached, Kyverno copies nothing: the stack deletes its Secrets as usual.
        assertEquals(List.of(), before.relinquished(clusterWide(DeployedShape.KEY, true, List.of()), ns -> true));
    }

    @Test
    void nothingIsReleasedThatTheStackKeepsWritingOrThatNoControllerTakesOver() {
        var before = listed(DeployedShape.KEY, LISTED, NAME);

        assertEquals(List.of(), before.relinquished(listed(DeployedShape.KEY, LISTED, NAME), ns -> true));
        assertEquals(List.of(), before.relinquished(listed(DeployedShape.NODE, LISTED, ""), ns -> true));
        assertEquals(
                List.of(),
                listed(DeployedShape.TOKEN, LISTED, NAME)
                        .relinquished(listed(DeployedShape.TOKEN, LISTED, NAME), n -> true));
        assertEquals(
                List.of(),
                clusterWide(DeployedShape.KEY, false, List.of())
                        .relinquished(clusterWide(DeployedShape.TOKEN, false, List.of()), ns -> true));
    }

    @Test
    void tokenToKeyUnderTheSameNameIsRefusedWithANewName() {
        var refusal = listed(DeployedShape.TOKEN, LISTED, NAME)
                .refusal(listed(DeployedShape.KEY, List.of("team-b"), NAME), "registry-pull-access:secretName");

        assertTrue(refusal.orElseThrow().startsWith("External Secrets Operator owns Secret " + NAME + " in [team-b]"));
        assertTrue(refusal.orElseThrow().contains("pulumi config set registry-pull-access:secretName " + NAME + "-2"));
    }

    @Test
    void clusterWideToListedUnderTheSameNameIsRefusedUnlessKyvernoNeverCopiedThere() {
        var key = "registry-pull-access:secretName";
        var listedKey = listed(DeployedShape.KEY, LISTED, NAME);

        assertTrue(clusterWide(DeployedShape.KEY, false, List.of())
                .refusal(listedKey, key)
                .orElseThrow()
                .startsWith("Kyverno copied Secret"));
        assertTrue(clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(listedKey, key)
                .isPresent());
        assertEquals(
                Optional.empty(), clusterWide(DeployedShape.KEY, false, LISTED).refusal(listedKey, key));
        // ESO takes Kyverno's copies over and writes them again at once: no window, nothing to refuse.
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of())
                        .refusal(listed(DeployedShape.TOKEN, LISTED, NAME), key));
    }

    @Test
    void detachedClusterWideToListedEntriesIsRefusedButNotToPodsNamingTheSecret() {
        var key = "registry-pull-access:secretName";
        var detached = clusterWide(DeployedShape.KEY, true, List.of());

        assertTrue(detached.refusal(listed(DeployedShape.TOKEN, LISTED, NAME), key)
                .orElseThrow()
                .startsWith("Kyverno's detach policy"));
        var podsName = new DeployedShape(
                DeployedShape.KEY, false, LISTED, List.of(), "registry-pull-access", NAME, false, true, List.of());
        assertEquals(Optional.empty(), detached.refusal(podsName, key));
    }

    @Test
    void listedTokenToClusterWideUnderTheSameNameIsRefused() {
        var key = "registry-pull-access:secretName";
        var token = listed(DeployedShape.TOKEN, LISTED, NAME);

        assertTrue(token.refusal(clusterWide(DeployedShape.TOKEN, false, List.of()), key)
                .orElseThrow()
                .contains("until Kyverno puts it back"));
        assertEquals(Optional.empty(), token.refusal(clusterWide(DeployedShape.TOKEN, false, LISTED), key));
        assertEquals(Optional.empty(), token.refusal(clusterWide(DeployedShape.TOKEN, true, List.of()), key));
        // A listed key Secret is released to Kyverno's copy instead.
        assertEquals(
                Optional.empty(),
                listed(DeployedShape.KEY, LISTED, NAME).refusal(clusterWide(DeployedShape.KEY, false, List.of()), key));
    }

    @Test
    void tokenToAKeyClusterWideUnderTheSameNameAndHomeIsRefused() {
        var key = "registry-pull-access:secretName";
        var wideKey = clusterWide(DeployedShape.KEY, false, List.of());

        var message = clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(wideKey, key)
                .orElseThrow();

        assertTrue(
                message.startsWith("External Secrets Operator owns Secret registry-pull-secret in the home namespace"
                        + " registry-pull-access"),
                message);
        assertTrue(
                message.contains("pulumi config set registry-pull-access:secretName registry-pull-secret-2"), message);
        // Listed token mode mints in the home namespace too, whatever the copies do after.
        assertTrue(listed(DeployedShape.TOKEN, LISTED, NAME)
                .refusal(clusterWide(DeployedShape.KEY, true, List.of()), key)
                .orElseThrow()
                .contains("in the home namespace"));
        // Another home: ESO's Secret is elsewhere. From a key: the source is the stack's own.
        var elsewhere = new DeployedShape(
                DeployedShape.KEY, true, List.of(), List.of(), "elsewhere", NAME, false, false, List.of());
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.TOKEN, false, List.of()).refusal(elsewhere, key));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of()).refusal(wideKey, key));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.TOKEN, false, List.of())
                        .refusal(clusterWide(DeployedShape.TOKEN, false, List.of()), key));
    }

    @Test
    void aReleaseInstalledBeforeButNotByThisStacksLastUpdateIsRefusedWithTheKeyToUseIt() {
        var kyverno = "kyverno/kyverno";
        var installing = new DeployedShape(
                DeployedShape.KEY,
                true,
                List.of(),
                List.of(),
                "registry-pull-access",
                NAME,
                false,
                false,
                List.of(kyverno));
        var keys = Map.of(kyverno, "registry-pull-access:installKyverno");

        // After `pulumi destroy` (no record of the stack) or from another stack: Helm would refuse the name.
        var refusal = installing
                .releaseRefusal(Optional.empty(), Set.of(kyverno), keys)
                .orElseThrow();
        assertTrue(refusal.startsWith("the Helm release kyverno/kyverno is installed already"), refusal);
        assertTrue(refusal.contains("`pulumi config set registry-pull-access:installKyverno false`"), refusal);
        assertTrue(
                refusal.contains("kubectl annotate namespace default registry-pull-access/release.kyverno.kyverno-"));
        var lastWithout = clusterWide(DeployedShape.KEY, false, List.of());
        assertTrue(installing
                .releaseRefusal(Optional.of(lastWithout), Set.of(kyverno), keys)
                .isPresent());
        // Installed by this stack's last update: in its state, an update as usual.
        assertEquals(Optional.empty(), installing.releaseRefusal(Optional.of(installing), Set.of(kyverno), keys));
        // Not installed yet.
        assertEquals(Optional.empty(), installing.releaseRefusal(Optional.empty(), Set.of(), keys));
    }

    @Test
    void aRecordWithoutReleasesFromTheFirstVersionReadsAsNone() {
        var json = "{\"credentials\":\"key\",\"clusterWide\":false,\"namespaces\":[\"team-a\"],\"excluded\":[],"
                + "\"home\":\"registry-pull-access\",\"secretName\":\"" + NAME + "\",\"detach\":false,"
                + "\"podsNameSecret\":false}";

        assertEquals(List.of(), DeployedShape.parse(json).orElseThrow().releases());
    }

    @Test
    void aNewNameIsNeverRefused() {
        var key = "registry-pull-access:secretName";

        assertEquals(
                Optional.empty(),
                listed(DeployedShape.TOKEN, LISTED, NAME).refusal(listed(DeployedShape.KEY, LISTED, "team-pull"), key));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of()).refusal(listed(DeployedShape.KEY, LISTED, "x"), key));
    }
}
