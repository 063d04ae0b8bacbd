package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which entries of ours a patch takes out, by what the stack deployed before it ({@link RenamedEntries.Former}). */
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

    private static RenamedEntries.Former former(DeployedShape last, DeployedShape next) {
        return new RenamedEntries.Former(Optional.of(last), next);
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
        assertEquals(List.of(), new RenamedEntries.Former(Optional.empty(), key("new")).in("team-a", "default"));
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
        var recorded = token.listing(List.of("new", "old"));
        assertEquals(List.of("old"), former(recorded, token).in("team-a", "default"));
    }

    @Test
    void entriesKyvernoWroteClusterWideAreNotThePatchesToTakeOut() {
        var clusterWide = new ShapeBuilder(DeployedShape.KEY)
                .clusterWide(true)
                .secretName("old")
                .pullSecrets(List.of("old"))
                .build();

        assertEquals(List.of(), former(clusterWide, key("new")).in("team-a", "default"));
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
