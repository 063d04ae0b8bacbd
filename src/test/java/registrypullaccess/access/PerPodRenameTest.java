package registrypullaccess.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new {@code secretName} under pods that name the Secret themselves, before and after ({@link PerPodRename}). */
class PerPodRenameTest {

    private static final List<String> TEAMS = List.of("team-a", "team-b");

    private static ShapeBuilder perPod(String credentials) {
        return new ShapeBuilder(credentials)
                .namespaces(TEAMS)
                .podsNameSecret(true)
                .serviceAccounts(List.of());
    }

    @Test
    void aRenameIsRefusedListedAndClusterWideKeyOrTokenNamingTheKeyThatSaysThePodsNameBoth() {
        for (var from : List.of(
                perPod(DeployedShape.KEY).build(),
                perPod(DeployedShape.TOKEN).build(),
                perPod(DeployedShape.KEY)
                        .namespaces(List.of())
                        .clusterWide(true)
                        .build())) {
            var to = ShapeBuilder.from(from).secretName("team-pull").build();

            var refusal = PerPodRename.refusal(from, to, Optional.empty()).orElse("");

            assertTrue(
                    refusal.startsWith("Pods name Secret registry-pull-secret themselves, which this update deletes"),
                    refusal);
            assertTrue(
                    refusal.contains("first add team-pull beside registry-pull-secret in the pods' imagePullSecrets"
                            + " and roll them out"),
                    refusal);
            assertTrue(
                    refusal.contains("`pulumi config set registry-pull-access:podsNameNewSecret team-pull`, and"
                            + " `pulumi up`"),
                    refusal);
        }
    }

    @Test
    void fromPodsNamingTheSecretToServiceAccountsUnderANewNameIsRefusedNamingTheSameNameFirst() {
        var from = perPod(DeployedShape.KEY).build();
        var listed = ShapeBuilder.from(from)
                .podsNameSecret(false)
                .serviceAccounts(List.of("default"))
                .build();
        var renamed = ShapeBuilder.from(listed).secretName("team-pull").build();

        var refusal = PerPodRename.refusal(from, renamed, Optional.empty()).orElse("");

        assertTrue(refusal.contains("a pod that names a Secret itself gets none of its ServiceAccount's"), refusal);
        assertTrue(
                refusal.contains("(`pulumi config set registry-pull-access:secretName registry-pull-secret`,"
                        + " `registry-pull-access:serviceAccounts: [\"default\"]` in the stack file, `pulumi up`)"),
                refusal);
        assertTrue(refusal.endsWith(
                "then `pulumi config set registry-pull-access:secretName team-pull` and `pulumi up`."));
        assertEquals(Optional.empty(), PerPodRename.refusal(from, listed, Optional.empty()), "under the same name");
    }

    @Test
    void aRenameIsAllowedOnceTheKeySaysThePodsNameTheNewSecretAndRefusedAgainForAnotherName() {
        var from = perPod(DeployedShape.KEY).build();
        var to = ShapeBuilder.from(from).secretName("team-pull").build();
        var further = ShapeBuilder.from(from).secretName("team-pull-2").build();

        assertEquals(Optional.empty(), PerPodRename.refusal(from, to, Optional.of("team-pull")));
        assertTrue(PerPodRename.refusal(to, further, Optional.of("team-pull")).isPresent());
    }

    @Test
    void nothingIsRefusedUnderTheSameNameOrWhereNoPodNamedTheOldSecretOrNoneIsCoveredAgain() {
        var from = perPod(DeployedShape.KEY).build();
        var renamed = ShapeBuilder.from(from).secretName("team-pull");

        assertEquals(Optional.empty(), PerPodRename.refusal(from, from, Optional.empty()), "same name");
        assertEquals(
                Optional.empty(),
                PerPodRename.refusal(
                        ShapeBuilder.from(from)
                                .podsNameSecret(false)
                                .serviceAccounts(List.of("default"))
                                .build(),
                        renamed.build(),
                        Optional.empty()),
                "ServiceAccounts before: RenamedEntries' to judge");
        assertEquals(
                Optional.empty(),
                PerPodRename.refusal(from, renamed.namespaces(List.of("team-c")).build(), Optional.empty()),
                "no namespace covered again");
        assertEquals(
                Optional.empty(),
                PerPodRename.refusal(
                        from,
                        ShapeBuilder.from(from)
                                .secretName("team-pull")
                                .detach(true)
                                .build(),
                        Optional.empty()),
                "detached: no pod is covered after");
    }
}
