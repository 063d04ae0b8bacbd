package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an update may do, by what the stack deployed before it. */
class DeployedShapeTest {

    private static final String NAME = "registry-pull-secret";
    private static final List<String> LISTED = List.of("team-a", "team-b");
    private static final List<String> DEFAULT = List.of("default");

    private static DeployedShape shape(
            String credentials,
            boolean clusterWide,
            List<String> namespaces,
            List<String> excluded,
            String secretName,
            boolean detach,
            List<String> serviceAccounts) {
        return new ShapeBuilder(credentials)
                .clusterWide(clusterWide)
                .namespaces(namespaces)
                .excluded(excluded)
                .secretName(secretName)
                .detach(detach)
                .serviceAccounts(serviceAccounts)
                .build();
    }

    private static DeployedShape listed(String credentials, List<String> namespaces, String secretName) {
        return shape(credentials, false, namespaces, List.of(), secretName, false, DEFAULT);
    }

    /** Listed, with no ServiceAccount entries: the pods name the Secret themselves. */
    private static DeployedShape podsNameTheSecret(String credentials) {
        return podsNameTheSecret(credentials, false, LISTED, List.of());
    }

    private static DeployedShape podsNameTheSecret(
            String credentials, boolean clusterWide, List<String> namespaces, List<String> excluded) {
        return ShapeBuilder.from(shape(credentials, clusterWide, namespaces, excluded, NAME, false, List.of()))
                .podsNameSecret(true)
                .build();
    }

    private static DeployedShape clusterWide(String credentials, boolean detach, List<String> excluded) {
        return shape(credentials, true, List.of(), excluded, NAME, detach, DEFAULT);
    }

    /** The same shape with another home namespace, detached or not, a selector or not. */
    private static DeployedShape varied(DeployedShape shape, String home, boolean detach, boolean selector) {
        return ShapeBuilder.from(shape)
                .home(home)
                .detach(detach)
                .selecting(selector ? Map.of("team", "payments") : Map.of())
                .pullSecrets(List.of())
                .tokenIdentity("")
                .build();
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

    /** A listed token shape whose tokens the given identity mints. */
    private static DeployedShape mintedBy(String identity, String secretName) {
        return ShapeBuilder.from(listed(DeployedShape.TOKEN, LISTED, secretName))
                .tokenIdentity(identity)
                .build();
    }

    @Test
    void anotherTokenIdentityUnderTheSameNameIsRefusedWithANewName() {
        var refusal = mintedBy("one", NAME).refusal(mintedBy("two", NAME), "registry-pull-access:secretName", false);

        assertTrue(refusal.orElseThrow().startsWith("Another identity mints the tokens"), refusal.toString());
        assertTrue(
                refusal.orElseThrow().contains("`pulumi config set registry-pull-access:secretName " + NAME + "-2`"));
    }

    @Test
    void anotherTokenIdentityIsNamedBesideAChangeOfHomeOrOfTheCopiedNamespacesEachWithItsWay() {
        var wide = ShapeBuilder.from(clusterWide(DeployedShape.TOKEN, false, List.of()))
                .tokenIdentity("one")
                .build();
        var key = "registry-pull-access:secretName";

        for (var next : List.of(
                ShapeBuilder.from(wide).home("payments").tokenIdentity("two").build(),
                ShapeBuilder.from(wide)
                        .excluded(List.of("kube-system"))
                        .tokenIdentity("two")
                        .build())) {
            var refusal = wide.refusal(next, key, true).orElseThrow();

            assertTrue(refusal.startsWith("Kyverno "), refusal);
            assertTrue(refusal.contains(" Also: Another identity mints the tokens"), refusal);
        }
    }

    @Test
    void anotherTokenIdentityIsNotRefusedUnderANewNameOrFromARecordThatNamesNone() {
        var key = "registry-pull-access:secretName";

        assertEquals(Optional.empty(), mintedBy("one", NAME).refusal(mintedBy("one", NAME), key, false));
        assertEquals(Optional.empty(), mintedBy("one", NAME).refusal(mintedBy("two", "other-name"), key, false));
        assertEquals(Optional.empty(), mintedBy("", NAME).refusal(mintedBy("two", NAME), key, false));
        assertEquals(
                Optional.empty(), listed(DeployedShape.KEY, LISTED, NAME).refusal(mintedBy("two", NAME), key, false));
        // A record written before the identity was recorded reads back without one.
        var recorded = mintedBy("one", NAME).toJson().replace("\"tokenIdentity\":\"one\"", "\"unknown\":1");
        assertEquals(Optional.of(mintedBy("", NAME)), DeployedShape.parse(recorded));
    }

    @Test
    void anotherTokenIdentityIsNotRefusedWhereTheNextDeploymentDetaches() {
        var detached = ShapeBuilder.from(mintedBy("two", NAME)).detach(true).build();

        assertEquals(
                Optional.empty(), mintedBy("one", NAME).refusal(detached, "registry-pull-access:secretName", false));
        assertEquals(
                Optional.empty(),
                ShapeBuilder.from(mintedBy("one", NAME))
                        .detach(true)
                        .build()
                        .refusal(detached, "registry-pull-access:secretName", false),
                "detached before and after");
    }

    @Test
    void tokenToKeyUnderTheSameNameIsRefusedWithANewName() {
        var refusal = listed(DeployedShape.TOKEN, LISTED, NAME)
                .refusal(listed(DeployedShape.KEY, List.of("team-b"), NAME), "registry-pull-access:secretName", false);

        assertTrue(refusal.orElseThrow().startsWith("External Secrets Operator owns Secret " + NAME + " in [team-b]"));
        assertTrue(refusal.orElseThrow().contains("pulumi config set registry-pull-access:secretName " + NAME + "-2"));
    }

    @Test
    void clusterWideToListedUnderTheSameNameIsRefusedUnlessKyvernoNeverCopiedThere() {
        var key = "registry-pull-access:secretName";
        var listedKey = listed(DeployedShape.KEY, LISTED, NAME);

        assertTrue(clusterWide(DeployedShape.KEY, false, List.of())
                .refusal(listedKey, key, false)
                .orElseThrow()
                .startsWith("Kyverno copied Secret"));
        assertTrue(clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(listedKey, key, false)
                .isPresent());
        assertEquals(
                Optional.empty(), clusterWide(DeployedShape.KEY, false, LISTED).refusal(listedKey, key, false));
    }

    /**
     * ESO writes into Kyverno's copies, Kyverno puts them back until the copy policy goes, and then deletes by name the
     * copies it finds at the delete: ESO's Secret too, wherever Kyverno wrote last. Under a new name ESO writes Secrets
     * of its own.
     */
    @Test
    void clusterWideToListedTokenUnderTheSameNameIsRefusedWithANewName() {
        var key = "registry-pull-access:secretName";
        var listedToken = listed(DeployedShape.TOKEN, LISTED, NAME);

        var refusal = clusterWide(DeployedShape.KEY, false, List.of())
                .refusal(listedToken, key, true)
                .orElseThrow();

        assertTrue(
                refusal.startsWith("Kyverno copied Secret " + NAME + " into [team-a, team-b]: External Secrets"
                        + " Operator would write into Kyverno's copy"),
                refusal);
        assertTrue(refusal.contains("`pulumi config set " + key + " " + NAME + "-2`"), refusal);
        assertTrue(clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(listedToken, key, false)
                .isPresent());
        // Where Kyverno never copied (excluded), or under a new name: no refusal.
        assertEquals(
                Optional.empty(), clusterWide(DeployedShape.KEY, false, LISTED).refusal(listedToken, key, false));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of())
                        .refusal(listed(DeployedShape.TOKEN, LISTED, "x"), key, false));
    }

    @Test
    void detachedClusterWideToListedEntriesIsRefusedButNotToPodsNamingTheSecret() {
        var key = "registry-pull-access:secretName";
        var detached = clusterWide(DeployedShape.KEY, true, List.of());

        assertTrue(detached.refusal(listed(DeployedShape.TOKEN, LISTED, NAME), key, false)
                .orElseThrow()
                .startsWith("Kyverno's detach policy"));
        var podsName = podsNameTheSecret(DeployedShape.KEY);
        assertEquals(Optional.empty(), detached.refusal(podsName, key, false));
    }

    @Test
    void listedTokenToClusterWideUnderTheSameNameIsRefused() {
        var key = "registry-pull-access:secretName";
        var token = listed(DeployedShape.TOKEN, LISTED, NAME);

        assertTrue(token.refusal(clusterWide(DeployedShape.TOKEN, false, List.of()), key, false)
                .orElseThrow()
                .contains("until Kyverno puts it back"));
        assertEquals(Optional.empty(), token.refusal(clusterWide(DeployedShape.TOKEN, false, LISTED), key, false));
        assertEquals(Optional.empty(), token.refusal(clusterWide(DeployedShape.TOKEN, true, List.of()), key, false));
        // A listed key Secret is released to Kyverno's copy instead.
        assertEquals(
                Optional.empty(),
                listed(DeployedShape.KEY, LISTED, NAME)
                        .refusal(clusterWide(DeployedShape.KEY, false, List.of()), key, false));
    }

    @Test
    void tokenToAKeyClusterWideUnderTheSameNameAndHomeIsRefused() {
        var key = "registry-pull-access:secretName";
        var wideKey = clusterWide(DeployedShape.KEY, false, List.of());

        var message = clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(wideKey, key, false)
                .orElseThrow();

        assertTrue(
                message.startsWith("External Secrets Operator owns Secret registry-pull-secret in the home namespace"
                        + " registry-pull-access"),
                message);
        assertTrue(
                message.contains("pulumi config set registry-pull-access:secretName registry-pull-secret-2"), message);
        // Listed token mode mints in the home namespace too, whatever the copies do after.
        assertTrue(listed(DeployedShape.TOKEN, LISTED, NAME)
                .refusal(clusterWide(DeployedShape.KEY, true, List.of()), key, false)
                .orElseThrow()
                .contains("in the home namespace"));
        // Another home: ESO's Secret is elsewhere (what is refused there is the new home, aNewHomeClusterWide...).
        // From a key: the source is the stack's own.
        var elsewhere = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .home("elsewhere")
                .build();
        assertFalse(clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(elsewhere, key, false)
                .orElseThrow()
                .contains("External Secrets Operator"));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of()).refusal(wideKey, key, false));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.TOKEN, false, List.of())
                        .refusal(clusterWide(DeployedShape.TOKEN, false, List.of()), key, false));
    }

    @Test
    void aReleaseInstalledBeforeButNotByThisStacksLastUpdateIsRefusedWithTheKeyToUseIt() {
        var kyverno = "kyverno/kyverno";
        var installing = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .releases(List.of(kyverno))
                .build();
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
                listed(DeployedShape.TOKEN, LISTED, NAME)
                        .refusal(listed(DeployedShape.KEY, LISTED, "team-pull"), key, false));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of())
                        .refusal(listed(DeployedShape.KEY, LISTED, "x"), key, false));
    }

    @Test
    void fromListedSecretsToClusterWideTheWayAddsThePullCheckUnlessItIsThere() {
        var key = "registry-pull-access:secretName";
        var token = listed(DeployedShape.TOKEN, LISTED, NAME);
        var wide = clusterWide(DeployedShape.TOKEN, false, List.of());

        var unchecked = token.refusal(wide, key, false).orElseThrow();
        assertTrue(unchecked.contains("`pulumi config set " + key + " " + NAME + "-2`"), unchecked);
        assertTrue(unchecked.contains("`pulumi config set registry-pull-access:verifyImage <image>`"), unchecked);
        var checked = token.refusal(wide, key, true).orElseThrow();
        assertFalse(checked.contains("verifyImage"), checked);
        // Cluster-wide already, Kyverno's copies stay through the switch: no check is needed.
        var fromWide = clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(clusterWide(DeployedShape.KEY, false, List.of()), key, false)
                .orElseThrow();
        assertFalse(fromWide.contains("verifyImage"), fromWide);
    }

    @Test
    void toPodsThatNameTheSecretTheWayIsTwoUpdatesWithTheNewNameListedFirst() {
        var key = "registry-pull-access:secretName";
        var podsName = podsNameTheSecret(DeployedShape.KEY);

        var refusal = clusterWide(DeployedShape.KEY, false, List.of())
                .refusal(podsName, key, false)
                .orElseThrow();

        assertTrue(
                refusal.contains(
                        "Switch in two updates: first under a new name with the ServiceAccounts listed ("
                                + "`pulumi config set " + key + " " + NAME + "-2` and"
                                + " `registry-pull-access:serviceAccounts: [\"default\"]` in the stack file, then `pulumi up`)"),
                refusal);
        assertTrue(
                refusal.endsWith(
                        "then set `registry-pull-access:serviceAccounts: []` in the stack file and `pulumi up`."),
                refusal);
        // Per-pod already: the pods add the new name first, in one update.
        var perPod = podsNameTheSecret(DeployedShape.TOKEN);
        var oneStep = perPod.refusal(podsName, key, false).orElseThrow();
        assertTrue(oneStep.contains("Switch under a new name in one step"), oneStep);
        assertTrue(oneStep.contains("Pods that name the Secret themselves"), oneStep);
    }

    @Test
    void aChangeOfTheSelectorUnderTheSameNameIsRefusedAtPreviewWithANewName() {
        var key = "registry-pull-access:secretName";
        var all = clusterWide(DeployedShape.KEY, false, List.of());
        var chosen = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .selecting(Map.of("team", "payments"))
                .build();

        var refusal = all.refusal(chosen, key, false).orElseThrow();

        assertTrue(refusal.startsWith("Kyverno refuses to change which namespaces the copy policy matches"), refusal);
        assertTrue(refusal.contains("`pulumi config set " + key + " " + NAME + "-2`"), refusal);
        assertTrue(chosen.refusal(all, key, false).isPresent());
        assertTrue(chosen.refusal(clusterWide(DeployedShape.TOKEN, false, List.of()), key, false)
                .isPresent());
        // Kyverno allows the match to change with the pattern: under a new name there is nothing to refuse.
        var renamed = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .secretName("x")
                .selecting(Map.of("team", "payments"))
                .build();
        assertEquals(Optional.empty(), all.refusal(renamed, key, false));
        assertEquals(Optional.empty(), chosen.refusal(chosen, key, false));
        // Detached, there is no copy policy; another home is another policy (refused for the new home only).
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, true, List.of()).refusal(chosen, key, false));
        var elsewhere = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .home("team-x")
                .selecting(Map.of("team", "payments"))
                .build();
        assertFalse(all.refusal(elsewhere, key, false).orElseThrow().startsWith("Kyverno refuses"));
        var detachedChosen = ShapeBuilder.from(clusterWide(DeployedShape.KEY, true, List.of()))
                .selecting(Map.of("team", "payments"))
                .build();
        assertEquals(Optional.empty(), all.refusal(detachedChosen, key, false));
    }

    private static DeployedShape listedIn(List<String> serviceAccounts, String secretName) {
        return shape(DeployedShape.KEY, false, LISTED, List.of(), secretName, false, serviceAccounts);
    }

    private static DeployedShape wide(List<String> excluded, String secretName, List<String> serviceAccounts) {
        return shape(DeployedShape.KEY, true, List.of(), excluded, secretName, false, serviceAccounts);
    }

    @Test
    void aNewNameWhileAServiceAccountLeavesTheListIsRefusedWithTheRenameFirst() {
        var key = "registry-pull-access:secretName";
        var builderToo = listedIn(List.of("default", "builder"), NAME);

        var refusal =
                builderToo.refusal(listedIn(DEFAULT, "team-pull"), key, false).orElseThrow();

        assertTrue(
                refusal.startsWith("ServiceAccounts [builder] list Secret " + NAME + ", which this update deletes"),
                refusal);
        assertTrue(
                refusal.contains("Switch in two updates: first under the new name with the ServiceAccounts listed as"
                        + " before (`registry-pull-access:serviceAccounts: [\"default\",\"builder\"]` in the stack file,"
                        + " then `pulumi up`); then set `registry-pull-access:serviceAccounts: [\"default\"]` in the"
                        + " stack file and `pulumi up`."),
                refusal);
        // Each of the two updates alone is not refused: the rename keeps the ServiceAccounts, the second keeps the
        // name.
        assertEquals(
                Optional.empty(), builderToo.refusal(listedIn(List.of("default", "builder"), "team-pull"), key, false));
        assertEquals(
                Optional.empty(),
                listedIn(List.of("default", "builder"), "team-pull")
                        .refusal(listedIn(DEFAULT, "team-pull"), key, false));
        // From cluster-wide too: Kyverno listed the Secret in the same ServiceAccounts.
        var wideBuilderToo = wide(List.of(), NAME, List.of("default", "builder"));
        assertTrue(wideBuilderToo
                .refusal(listedIn(DEFAULT, "team-pull"), key, false)
                .isPresent());
        assertTrue(wideBuilderToo
                .refusal(wide(List.of(), "team-pull", DEFAULT), key, false)
                .isPresent());
    }

    @Test
    void aNewNameWhilePodsComeToNameTheSecretIsRefusedWithTheRenameListedFirst() {
        var key = "registry-pull-access:secretName";
        var perPod = ShapeBuilder.from(podsNameTheSecret(DeployedShape.KEY))
                .secretName("team-pull")
                .build();

        var refusal = listed(DeployedShape.KEY, LISTED, NAME)
                .refusal(perPod, key, false)
                .orElseThrow();

        assertTrue(refusal.startsWith("ServiceAccounts [default] list Secret " + NAME), refusal);
        assertTrue(refusal.contains("while pods are to name team-pull themselves"), refusal);
        assertTrue(
                refusal.endsWith("(`registry-pull-access:serviceAccounts: [\"default\"]` in the stack file, then"
                        + " `pulumi up`); have the pods name the new Secret in their imagePullSecrets; then set"
                        + " `registry-pull-access:serviceAccounts: []` in the stack file and `pulumi up`."),
                refusal);
        assertTrue(clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(perPod, key, false)
                .isPresent());
    }

    @Test
    void aNewNameIsNotRefusedWhereNoServiceAccountListedTheOldOneOrNoNamespaceStaysCovered() {
        var key = "registry-pull-access:secretName";
        var builderToo = listedIn(List.of("default", "builder"), NAME);

        // Detached before, or pods named the Secret: no entry lists the old name.
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, true, List.of()).refusal(listedIn(List.of(), "team-pull"), key, false));
        assertEquals(
                Optional.empty(),
                podsNameTheSecret(DeployedShape.KEY).refusal(listed(DeployedShape.KEY, LISTED, "x"), key, false));
        // Detaching now, or node identity: no Secret is listed after.
        var detaching = ShapeBuilder.from(listed(DeployedShape.KEY, LISTED, "x"))
                .detach(true)
                .build();
        assertEquals(Optional.empty(), builderToo.refusal(detaching, key, false));
        assertEquals(Optional.empty(), builderToo.refusal(listed(DeployedShape.NODE, LISTED, ""), key, false));
        assertEquals(Optional.empty(), listed(DeployedShape.NODE, LISTED, "").refusal(builderToo, key, false));
        // No namespace covered before is covered after: the old Secrets go with their namespaces' coverage.
        assertEquals(
                Optional.empty(), builderToo.refusal(listed(DeployedShape.KEY, List.of("team-c"), "x"), key, false));
        assertTrue(builderToo
                .refusal(listed(DeployedShape.KEY, List.of("team-b"), "x"), key, false)
                .isPresent());
        assertEquals(Optional.empty(), builderToo.refusal(wide(LISTED, "x", DEFAULT), key, false));
        assertTrue(builderToo
                .refusal(wide(List.of("team-a"), "x", DEFAULT), key, false)
                .isPresent());
        assertEquals(
                Optional.empty(),
                wide(List.of("team-c"), NAME, List.of("default", "builder"))
                        .refusal(listed(DeployedShape.KEY, List.of("team-c"), "x"), key, false));
    }

    @Test
    void aRecordWrittenBeforeTheServiceAccountsReadsAsNoneAndRefusesNoNewName() {
        var json = "{\"credentials\":\"key\",\"clusterWide\":false,\"namespaces\":[\"team-a\"],\"excluded\":[],"
                + "\"home\":\"registry-pull-access\",\"secretName\":\"" + NAME + "\",\"detach\":false,"
                + "\"podsNameSecret\":false,\"releases\":[],\"selector\":false}";

        var before = DeployedShape.parse(json).orElseThrow();

        assertEquals(List.of(), before.serviceAccounts());
        assertEquals(
                Optional.empty(),
                before.refusal(listed(DeployedShape.KEY, LISTED, "x"), "registry-pull-access:secretName", false));
    }

    @Test
    void aFirstUpCoveringNamespacesThroughKyvernoIsRefusedWithoutThePullCheckWhichIsTheWay() {
        var wide = clusterWide(DeployedShape.KEY, false, List.of());

        var refusal = wide.firstCoverRefusal(Optional.empty(), false).orElseThrow();

        assertTrue(
                refusal.startsWith("this update has Kyverno copy Secret " + NAME + " into namespaces it did not"
                        + " cover before (from nothing (a first `pulumi up`"),
                refusal);
        assertTrue(refusal.contains("`pulumi config set registry-pull-access:verifyImage <image>`"), refusal);
        assertTrue(refusal.contains("`pulumi config rm registry-pull-access:verifyImage` and `pulumi up`"), refusal);
        assertEquals(Optional.empty(), wide.firstCoverRefusal(Optional.empty(), true), "with the check");
        assertTrue(clusterWide(DeployedShape.TOKEN, false, List.of())
                .firstCoverRefusal(Optional.empty(), false)
                .isPresent());
    }

    @Test
    void fromListedPerPodOrDetachedToClusterWideIsRefusedWithoutThePullCheck() {
        var wide = clusterWide(DeployedShape.KEY, false, List.of());

        for (var last : List.of(
                listed(DeployedShape.KEY, LISTED, NAME),
                listed(DeployedShape.TOKEN, LISTED, "other-name"),
                podsNameTheSecret(DeployedShape.KEY),
                clusterWide(DeployedShape.KEY, true, List.of()),
                listed(DeployedShape.NODE, LISTED, ""))) {
            var refusal = wide.firstCoverRefusal(Optional.of(last), false);
            assertTrue(refusal.isPresent(), last.toString());
            assertTrue(refusal.orElseThrow().contains("(from " + last.credentials() + " credentials"), refusal.get());
            assertEquals(Optional.empty(), wide.firstCoverRefusal(Optional.of(last), true), last.toString());
        }
    }

    @Test
    void betweenTwoClusterWideDeploymentsThatCoverTheSameNamespacesNoCheckIsNeeded() {
        var wide = clusterWide(DeployedShape.KEY, false, List.of("team-b"));

        assertEquals(Optional.empty(), wide.firstCoverRefusal(Optional.of(wide), false));
        assertEquals(
                Optional.empty(),
                wide.firstCoverRefusal(Optional.of(clusterWide(DeployedShape.TOKEN, false, List.of("team-b"))), false));
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, false, List.of("team-b", "team-c"))
                        .firstCoverRefusal(Optional.of(wide), false),
                "covering fewer namespaces copies into none for the first time");
        // Cluster-wide with pods naming the Secret, no ServiceAccount listed it: Kyverno adds the entries now.
        var podsNameIt = podsNameTheSecret(DeployedShape.KEY, true, List.of(), List.of("team-b"));
        assertTrue(wide.firstCoverRefusal(Optional.of(podsNameIt), false).isPresent());
        assertEquals(Optional.empty(), podsNameIt.firstCoverRefusal(Optional.of(wide), false));
        // team-b, excluded before, is covered now.
        assertTrue(clusterWide(DeployedShape.KEY, false, List.of())
                .firstCoverRefusal(Optional.of(wide), false)
                .isPresent());
    }

    @Test
    void nothingIsRefusedThatKyvernoDoesNotCopy() {
        var listed = listed(DeployedShape.KEY, LISTED, NAME);

        assertEquals(Optional.empty(), listed.firstCoverRefusal(Optional.empty(), false), "listed");
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, true, List.of()).firstCoverRefusal(Optional.of(listed), false),
                "detached: nothing is copied or listed");
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.NODE, false, List.of()).firstCoverRefusal(Optional.empty(), false),
                "node credentials: no Secret");
    }

    @Test
    void fromAllNamespacesToASelectorNoneIsCoveredForTheFirstTimeButTheOtherWayRoundSome() {
        var all = clusterWide(DeployedShape.KEY, false, List.of());
        var chosen = varied(all, "registry-pull-access", false, true);

        assertEquals(Optional.empty(), chosen.firstCoverRefusal(Optional.of(all), false));
        assertTrue(all.firstCoverRefusal(Optional.of(chosen), false).isPresent());
        // From a detached one, with another home, Kyverno copied nothing: the check is the way again.
        assertTrue(varied(all, "team-a", false, false)
                .firstCoverRefusal(Optional.of(varied(chosen, "registry-pull-access", true, true)), false)
                .isPresent());
    }

    @Test
    void aNewHomeClusterWideUnderTheSameNameIsRefusedWithANewNameAndThePullCheck() {
        var key = "registry-pull-access:secretName";
        var all = clusterWide(DeployedShape.KEY, false, List.of());
        var teamA = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .home("team-a")
                .build();

        var refusal = all.refusal(teamA, key, false).orElseThrow();

        assertTrue(
                refusal.startsWith("Kyverno copied Secret " + NAME + " from the home namespace registry-pull-access"
                        + " into the namespaces it covers, team-a too"),
                refusal);
        assertTrue(refusal.contains("`pulumi config set " + key + " " + NAME + "-2`"), refusal);
        assertTrue(refusal.contains("`pulumi config set registry-pull-access:verifyImage <image>`"), refusal);
        assertFalse(all.refusal(teamA, key, true).orElseThrow().contains("verifyImage"));
        // Back to the default home, and from ESO's source: the same.
        assertTrue(teamA.refusal(all, key, true).orElseThrow().contains("from the home namespace team-a"));
        assertTrue(clusterWide(DeployedShape.TOKEN, false, List.of())
                .refusal(teamA, key, false)
                .orElseThrow()
                .startsWith("Kyverno copied Secret"));
        // Detaching: in the home the copies come from.
        var detachedA = ShapeBuilder.from(clusterWide(DeployedShape.KEY, true, List.of()))
                .home("team-a")
                .build();
        assertTrue(all.refusal(detachedA, key, false)
                .orElseThrow()
                .endsWith("detach where the copies come from (`pulumi config set registry-pull-access:homeNamespace"
                        + " registry-pull-access`)."));
        // No copies before (detached or listed), a new name, or the same home: nothing of this to refuse.
        assertEquals(
                Optional.empty(),
                clusterWide(DeployedShape.KEY, true, List.of()).refusal(teamA, key, false));
        assertEquals(Optional.empty(), listed(DeployedShape.KEY, LISTED, NAME).refusal(teamA, key, true));
        var renamedA = ShapeBuilder.from(clusterWide(DeployedShape.KEY, false, List.of()))
                .home("team-a")
                .secretName("x")
                .build();
        assertEquals(Optional.empty(), all.refusal(renamedA, key, false));
        assertEquals(Optional.empty(), all.refusal(all, key, false));
        assertEquals(Optional.empty(), teamA.refusal(listed(DeployedShape.KEY, LISTED, "x"), key, false));
    }

    /** The same shape choosing namespaces by these labels ({@code null}: a record written before they were kept). */
    private static DeployedShape selecting(DeployedShape shape, Map<String, String> labels) {
        return ShapeBuilder.from(shape).selecting(labels).pullSecrets(List.of()).build();
    }

    @Test
    void aNamespaceNewlyExcludedOrNoLongerUnderTheSameNameIsRefusedAtPreviewWithANewName() {
        var key = "registry-pull-access:secretName";
        var rename = "`pulumi config set " + key + " " + NAME + "-2`";
        for (var credentials : List.of(DeployedShape.KEY, DeployedShape.TOKEN)) {
            var all = clusterWide(credentials, false, List.of("kube-system"));
            var withoutTeamB = clusterWide(credentials, false, List.of("kube-system", "team-b"));

            var narrowing = all.refusal(withoutTeamB, key, false).orElseThrow();
            var widening = withoutTeamB.refusal(all, key, false).orElseThrow();

            for (var refusal : List.of(narrowing, widening)) {
                assertTrue(
                        refusal.startsWith("Kyverno refuses to change which namespaces the copy policy matches"),
                        refusal);
                assertTrue(refusal.contains(rename), refusal);
            }
            assertTrue(
                    narrowing.contains(
                            "registry-pull-access:excludeNamespaces [kube-system] -> [kube-system, team-b])"),
                    narrowing);
            // Covering fewer namespaces needs no check; covering team-b again does, in the same update.
            assertFalse(narrowing.contains("verifyImage"), narrowing);
            assertTrue(widening.contains("`pulumi config set registry-pull-access:verifyImage <image>`"), widening);
            assertFalse(withoutTeamB.refusal(all, key, true).orElseThrow().contains("verifyImage"));
        }
        var reordered = clusterWide(DeployedShape.KEY, false, List.of("team-b", "kube-system"));
        assertTrue(clusterWide(DeployedShape.KEY, false, List.of("kube-system", "team-b"))
                .refusal(reordered, key, false)
                .orElseThrow()
                .contains("(the order only: keep it as it was)"));
    }

    @Test
    void anotherSelectorValueUnderTheSameNameIsRefusedAtPreviewWithANewNameAndTheCheckWhereItMayCoverMore() {
        var key = "registry-pull-access:secretName";
        var all = clusterWide(DeployedShape.KEY, false, List.of());
        var payments = selecting(all, Map.of("team", "payments"));
        var web = selecting(all, Map.of("tier", "web"));
        var paymentsWeb = selecting(all, Map.of("team", "payments", "tier", "web"));

        var other = payments.refusal(web, key, false).orElseThrow();
        var narrower = payments.refusal(paymentsWeb, key, false).orElseThrow();

        assertTrue(
                other.startsWith("Kyverno refuses to change which namespaces the copy policy matches"
                        + " (registry-pull-access:namespaceSelector {team=payments} -> {tier=web})"),
                other);
        assertTrue(other.contains("`pulumi config set " + key + " " + NAME + "-2`"), other);
        assertTrue(other.contains("`pulumi config set registry-pull-access:verifyImage <image>`"), other);
        assertTrue(narrower.contains("-> {team=payments, tier=web})"), narrower);
        assertFalse(narrower.contains("verifyImage"), narrower);
        assertTrue(paymentsWeb.refusal(payments, key, false).orElseThrow().contains("verifyImage"));
        assertTrue(all.refusal(payments, key, false)
                .orElseThrow()
                .contains("namespaceSelector (none: every namespace) -> {team=payments}"));
        assertEquals(Optional.empty(), payments.refusal(payments, key, false));
    }

    @Test
    void aCoverageChangeIsNotRefusedWhereTheCopyPolicyIsNotUpdatedUnderItsName() {
        var all = clusterWide(DeployedShape.KEY, false, List.of());
        var withoutTeamB = clusterWide(DeployedShape.KEY, false, List.of("team-b"));

        assertEquals(Optional.empty(), KyvernoCopies.coverageChange(all, all));
        assertEquals(Optional.empty(), KyvernoCopies.coverageChange(listed(DeployedShape.KEY, LISTED, NAME), all));
        assertEquals(Optional.empty(), KyvernoCopies.coverageChange(all, listed(DeployedShape.KEY, LISTED, NAME)));
        // Detached, there is no copy policy on one side: it is created, or deleted.
        assertEquals(
                Optional.empty(),
                KyvernoCopies.coverageChange(varied(all, "registry-pull-access", true, false), withoutTeamB));
        assertEquals(
                Optional.empty(),
                KyvernoCopies.coverageChange(all, varied(withoutTeamB, "registry-pull-access", true, false)));
        // Another home or another name: another policy, created before the old one goes.
        assertEquals(Optional.empty(), KyvernoCopies.coverageChange(all, varied(withoutTeamB, "team-a", false, false)));
        assertEquals(
                Optional.empty(),
                KyvernoCopies.coverageChange(
                        all, shape(DeployedShape.KEY, true, List.of(), List.of("team-b"), "x", false, DEFAULT)));
        assertEquals(
                Optional.empty(),
                KyvernoCopies.coverageChange(all, clusterWide(DeployedShape.NODE, false, List.of("team-b"))));
        assertTrue(KyvernoCopies.coverageChange(all, withoutTeamB).isPresent());
    }

    @Test
    void aRecordWrittenBeforeTheSelectorsLabelsRefusesNoChangeOfTheirValuesItCannotSee() {
        var json = "{\"credentials\":\"key\",\"clusterWide\":true,\"namespaces\":[],\"excluded\":[],"
                + "\"home\":\"registry-pull-access\",\"secretName\":\"" + NAME + "\",\"detach\":false,"
                + "\"podsNameSecret\":false,\"releases\":[],\"selector\":true,\"serviceAccounts\":[\"default\"]}";
        var before = DeployedShape.parse(json).orElseThrow();
        var web = selecting(clusterWide(DeployedShape.KEY, false, List.of()), Map.of("tier", "web"));

        assertEquals(null, before.selectorLabels());
        assertEquals(Optional.empty(), KyvernoCopies.coverageChange(before, web));
        assertEquals(Optional.empty(), web.firstCoverRefusal(Optional.of(before), false));
        // Its selector's presence is known: dropping it is refused, and covers more.
        var all = clusterWide(DeployedShape.KEY, false, List.of());
        assertTrue(KyvernoCopies.coverageChange(before, all)
                .orElseThrow()
                .contains("namespaceSelector (a selector) -> (none: every namespace)"));
        assertTrue(all.firstCoverRefusal(Optional.of(before), false).isPresent());
    }
}
