package registrypullaccess.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model Google project: tokens minted only when granted, living an hour; policies of at most 1,500 members. */
class ModelGoogleTest {

    private static final String ACCOUNT = "image-puller@acme-dev.iam.gserviceaccount.com";
    private static final String POLICY = "projects/acme-dev/serviceAccounts/" + ACCOUNT;
    private static final String MINTER = "serviceAccount:acme-dev.svc.id.goog[team-a/regcred-minter]";

    private final ModelGoogle google = new ModelGoogle();

    @Test
    void aTokenIsMintedOnlyForAnIdentityGrantedAtThatMomentAndLivesAnHour() {
        google.accounts.add(ACCOUNT);
        assertTrue(google.mint("acme-dev", ACCOUNT, MINTER, 0).isEmpty());

        google.addMember(POLICY, "roles/iam.workloadIdentityUser", MINTER);
        var token = google.mint("acme-dev", ACCOUNT, MINTER, 100).orElseThrow();

        assertEquals(
                ACCOUNT, google.identity("oauth2accesstoken", token, 100 + 3599).orElseThrow());
        assertTrue(google.identity("oauth2accesstoken", token, 100 + 3600).isEmpty());
    }

    @Test
    void aDeletedAccountsTokensAndKeysStopWorking() {
        google.accounts.add(ACCOUNT);
        google.addMember(POLICY, "roles/iam.workloadIdentityUser", MINTER);
        var token = google.mint("acme-dev", ACCOUNT, MINTER, 0).orElseThrow();
        google.keys.put("key-1", ACCOUNT);

        google.deleteAccount(ACCOUNT);

        assertTrue(google.identity("oauth2accesstoken", token, 1).isEmpty());
        assertTrue(google.identity("_json_key", "{\"private_key_id\":\"key-1\"}", 1)
                .isEmpty());
    }

    @Test
    void aPolicyHoldsAtMost1500Principals() {
        for (int i = 0; i < ModelGoogle.MAX_PRINCIPALS; i++) {
            google.addMember("repository", "roles/artifactregistry.reader", "serviceAccount:p" + i);
        }

        assertThrows(
                IllegalStateException.class,
                () -> google.addMember("repository", "roles/artifactregistry.reader", "serviceAccount:one-more"));
    }

    @Test
    void aRemovalTakesTheMemberOutWhoeverAddedIt() {
        google.addMember(POLICY, "roles/iam.workloadIdentityUser", MINTER);
        google.addMember(POLICY, "roles/iam.workloadIdentityUser", MINTER);

        google.removeMember(POLICY, "roles/iam.workloadIdentityUser", MINTER);

        assertTrue(!google.granted(POLICY, "roles/iam.workloadIdentityUser", MINTER));
    }
}
