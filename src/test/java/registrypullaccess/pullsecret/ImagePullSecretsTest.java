package registrypullaccess.pullsecret;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImagePullSecretsTest {

    @Test
    void addsOursAfterTheEntriesAlreadyThere() {
        assertEquals(
                List.of("team-b-creds", "dockerhub", "ours"),
                ImagePullSecrets.merge(List.of("team-b-creds", "dockerhub"), List.of("ours"), List.of(), true));
    }

    @Test
    void listsOursOnceWhenAnEarlierRunAddedIt() {
        assertEquals(
                List.of("team-b-creds", "ours"),
                ImagePullSecrets.merge(List.of("ours", "team-b-creds", "ours"), List.of("ours"), List.of(), true));
    }

    @Test
    void detachingRemovesOnlyOurs() {
        assertEquals(
                List.of("team-b-creds", "dockerhub"),
                ImagePullSecrets.merge(
                        List.of("team-b-creds", "ours", "dockerhub"), List.of("ours"), List.of(), false));
    }

    @Test
    void takesOurFormerEntriesOutAndKeepsEveryoneElsesInTheirOrder() {
        assertEquals(
                List.of("team-b-creds", "dockerhub", "ours"),
                ImagePullSecrets.merge(
                        List.of("team-b-creds", "former", "dockerhub", "former-other-registries"),
                        List.of("ours"),
                        List.of("former", "former-other-registries"),
                        true));
    }

    @Test
    void detachingTakesOurFormerEntriesOutToo() {
        assertEquals(
                List.of("team-b-creds"),
                ImagePullSecrets.merge(
                        List.of("former", "team-b-creds", "ours"), List.of("ours"), List.of("former"), false));
    }

    @Test
    void anEmptyListGetsJustOurs() {
        assertEquals(List.of("ours"), ImagePullSecrets.merge(List.of(), List.of("ours"), List.of(), true));
    }
}
