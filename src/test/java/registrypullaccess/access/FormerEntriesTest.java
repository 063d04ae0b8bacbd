package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which entries of ours a patch takes out, by what the stack deployed before it ({@link FormerEntries}). */
class FormerEntriesTest {

    private static final List<String> LISTED = List.of("team-a", "team-b");
    private static final List<String> DEFAULT = List.of("default");

    /** A listed shape, through the ServiceAccounts but for {@code detach} and {@code podsNameSecret}. */
    private static DeployedShape shape(
            String credentials,
            List<String> namespaces,
            String secretName,
            boolean detach,
            boolean podsNameSecret,
            List<String> serviceAccounts,
            List<String> pullSecrets) {
        return new ShapeBuilder(credentials)
                .namespaces(namespaces)
                .secretName(secretName)
                .detach(detach)
                .podsNameSecret(podsNameSecret)
                .serviceAccounts(serviceAccounts)
                .pullSecrets(pullSecrets)
                .build();
    }

    private static DeployedShape listed(String credentials, String secretName, List<String> pullSecrets) {
        return shape(credentials, LISTED, secretName, false, false, DEFAULT, pullSecrets);
    }

    private static DeployedShape key(String secretName) {
        return listed(DeployedShape.KEY, secretName, List.of(secretName));
    }

    private static FormerEntries former(DeployedShape last, DeployedShape next) {
        return new FormerEntries(Optional.of(last), next);
    }

    @Test
    void aNewSecretNameTakesTheFormerOneOutWhereTheLastUpdateListedIt() {
        var former = former(key("old"), key("new"));

        assertEquals(List.of("old"), former.in("team-a", "default"));
        assertEquals(List.of(), former.kept());
    }

    @Test
    void anEntryInANamespaceOrServiceAccountTheLastUpdateDidNotListIsNotOurs() {
        var former = former(key("old"), key("new"));

        assertEquals(List.of(), former.in("team-c", "default"));
        assertEquals(List.of(), former.in("team-a", "builder"));
    }

    @Test
    void theSameNameTakesNothingOut() {
        assertEquals(List.of(), former(key("same"), key("same")).in("team-a", "default"));
    }

    @Test
    void nothingIsTakenOutOnAFirstUpdate() {
        assertEquals(List.of(), new FormerEntries(Optional.empty(), key("new")).in("team-a", "default"));
    }

    @Test
    void aRecordWrittenBeforeItNamedItsSecretsKnowsTheSecretNameAlone() {
        var written = listed(DeployedShape.TOKEN, "old", List.of("old", "old-other-registries"))
                .toJson();
        var before = DeployedShape.parse(written.replaceAll(",\"pullSecrets\":\\[[^]]*]", ""))
                .orElseThrow();

        assertEquals(List.of(), before.pullSecrets());
        assertEquals(List.of("old"), former(before, key("new")).in("team-a", "default"));
    }

    @Test
    void aRecordWrittenBeforeItNamedTheServiceAccountsOwnsNoEntry() {
        var before = shape(DeployedShape.KEY, LISTED, "old", false, false, List.of(), List.of("old"));

        assertEquals(List.of(), former(before, key("new")).in("team-a", "default"));
    }

    @Test
    void theTokenToKeyRecipeTakesOutTheTokenSecretAndTheOtherRegistriesSecret() {
        var token = listed(DeployedShape.TOKEN, "old", List.of("old", "old-other-registries"));

        assertEquals(
                List.of("old", "old-other-registries"),
                former(token, key("new")).in("team-a", "default"));
    }

    @Test
    void tokenModeWithoutOtherRegistriesAnyMoreTakesTheirSecretOutUnderTheSameName() {
        var before = listed(DeployedShape.TOKEN, "same", List.of("same", "same-other-registries"));
        var after = listed(DeployedShape.TOKEN, "same", List.of("same"));

        assertEquals(List.of("same-other-registries"), former(before, after).in("team-a", "default"));
    }

    @Test
    void aRenameIntoTokenModeKeepsTheFormerEntryAndRecordsItForTheNextUpdate() {
        var token = listed(DeployedShape.TOKEN, "new", List.of("new"));
        var former = former(key("old"), token);

        assertEquals(List.of(), former.in("team-a", "default"));
        assertEquals(List.of("old"), former.kept());
        // The next update, under the same token Secret, takes it out.
        var recorded = token.listing(List.of("new", "old"), List.of());
        assertEquals(List.of("old"), former(recorded, token).in("team-a", "default"));
    }

    private static DeployedShape wide(String secretName) {
        return new ShapeBuilder(DeployedShape.KEY)
                .clusterWide(true)
                .secretName(secretName)
                .pullSecrets(List.of(secretName))
                .build();
    }

    @Test
    void fromClusterWideToListedKyvernosFormerEntryComesOutInTheNextUpdateWhereItsPolicyCovered() {
        var former = former(wide("old"), key("new"));

        assertEquals(List.of(), former.in("team-a", "default"), "Kyverno's policy puts it back until the update ends");
        assertEquals(List.of("old"), former.kept());
        assertEquals(LISTED, former.keptIn());
        var recorded = key("new").listing(List.of("new", "old"), LISTED);
        assertEquals(List.of("old"), former(recorded, key("new")).in("team-a", "default"));
    }

    @Test
    void withASelectorKyvernosEntriesAreNotKnownToBeOursAndStay() {
        var selected = ShapeBuilder.from(wide("old"))
                .selecting(Map.of("team", "payments"))
                .build();

        assertEquals(List.of(), former(selected, key("new")).kept());
    }

    @Test
    void clusterWideARenameKeepsTheFormerEntryEverywhereAndTheNextUpdatesPolicyTakesItOut() {
        var rename = former(wide("old"), wide("new"));

        assertEquals(List.of("old"), rename.kept());
        assertEquals(List.of(), rename.keptIn(), "everywhere the policy covers");
        assertEquals(List.of(), rename.takenOutByPolicy(), "not while pods may still need it");
        var next = former(wide("new").listing(List.of("new", "old"), List.of()), wide("new"));
        assertEquals(List.of("old"), next.takenOutByPolicy());
        assertEquals(List.of(), next.policyNamespaces());
        assertEquals(List.of(), next.kept(), "the update after drops the rule");
    }

    @Test
    void clusterWideARenameThatAlsoChangesCoverageKeepsNothing() {
        var narrower =
                ShapeBuilder.from(wide("new")).excluded(List.of("team-b")).build();

        assertEquals(List.of(), former(wide("old"), narrower).kept());
    }

    @Test
    void fromListedToClusterWideTheFormerEntryIsKeptWhereThePatchesListedItAndThePolicyCovers() {
        var wide = ShapeBuilder.from(wide("new")).excluded(List.of("team-b")).build();
        var rename = former(key("old"), wide);

        assertEquals(List.of("old"), rename.kept());
        assertEquals(List.of("team-a"), rename.keptIn());
        var next = former(wide.listing(List.of("new", "old"), List.of("team-a")), wide);
        assertEquals(List.of("old"), next.takenOutByPolicy());
        assertEquals(List.of("team-a"), next.policyNamespaces(), "not where an entry of that name is someone else's");
    }

    @Test
    void keptEntriesComeOutOnlyWhereTheyAreKnownToBeOursTheOwnOneWhereverItWasListed() {
        var last = ShapeBuilder.from(key("new"))
                .pullSecrets(List.of("new", "old"))
                .keptIn(List.of("team-a"))
                .build();

        assertEquals(List.of("old"), former(last, key("new")).in("team-a", "default"));
        assertEquals(List.of(), former(last, key("new")).in("team-b", "default"));
        assertEquals(List.of("new"), former(last, key("newer")).in("team-b", "default"));
    }

    @Test
    void aRecordThatKeptEntriesWithoutSayingWhereTakesOutOnlyItsOwn() {
        var written = ShapeBuilder.from(key("new"))
                .pullSecrets(List.of("new", "old"))
                .build()
                .toJson();
        var before = DeployedShape.parse(written.replaceAll(",\"keptIn\":\\[[^]]*]", ""))
                .orElseThrow();

        assertEquals(null, before.keptIn());
        assertEquals(List.of(), former(before, key("new")).in("team-a", "default"));
        assertEquals(List.of("new"), former(before, key("newer")).in("team-a", "default"));
    }

    @Test
    void aRenameThatChangesTheServiceAccountsKeepsNothingAnEntryInAnotherMayBeSomeoneElses() {
        var token =
                shape(DeployedShape.TOKEN, LISTED, "new", false, false, List.of("default", "builder"), List.of("new"));

        assertEquals(List.of(), former(key("old"), token).kept());
    }

    @Test
    void twoRenamesBeforeTheNextUpdateKeepBothWhereBothAreOurs() {
        var last = ShapeBuilder.from(wide("new"))
                .pullSecrets(List.of("new", "old"))
                .keptIn(List.of("team-a"))
                .build();
        var rename = former(last, wide("newer"));

        assertEquals(List.of("new", "old"), rename.kept());
        assertEquals(List.of("team-a"), rename.keptIn());
    }

    @Test
    void afterDetachingOrWithPodsNamingTheSecretNoEntryIsOurs() {
        for (var detach : List.of(true, false)) {
            var last = shape(DeployedShape.KEY, LISTED, "old", detach, !detach, DEFAULT, List.of("old"));

            assertEquals(List.of(), former(last, key("new")).in("team-a", "default"));
        }
    }

    @Test
    void aRenameIntoTokenModeRecordsNothingKeptWhereNoServiceAccountListedItBefore() {
        var token = shape(DeployedShape.TOKEN, List.of("team-c"), "new", false, false, DEFAULT, List.of("new"));

        assertEquals(List.of(), former(key("old"), token).kept());
    }

    @Test
    void detachingUnderANewNameTakesTheFormerEntryOutToo() {
        var detached = shape(DeployedShape.TOKEN, LISTED, "new", true, false, DEFAULT, List.of("new"));

        assertEquals(List.of("old"), former(key("old"), detached).in("team-a", "default"));
    }
}
