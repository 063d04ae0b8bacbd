package registrypullaccess.pullsecret;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImagePullSecretsTest {

    @Test
    void addsOursAfterTheEntriesAlreadyThere() {
        assertEquals(
                List.of("team-b-creds", "dockerhub", "ours"),
                ImagePullSecrets.merge(List.of("team-b-creds", "dockerhub"), List.of("ours"), true));
    }

    @Test
    void listsOursOnceWhenAnEarlierRunAddedIt() {
        assertEquals(
                List.of("team-b-creds", "ours"),
                ImagePullSecrets.merge(List.of("ours", "team-b-creds", "ours"), List.of("ours"), true));
    }

    @Test
    void detachingRemovesOnlyOurs() {
        assertEquals(
                List.of("team-b-creds", "dockerhub"),
                ImagePullSecrets.merge(List.of("team-b-creds", "ours", "dockerhub"), List.of("ours"), false));
    }

    @Test
    void anEmptyListGetsJustOurs() {
        assertEquals(List.of("ours"), ImagePullSecrets.merge(List.of(), List.of("ours"), true));
    }
}
