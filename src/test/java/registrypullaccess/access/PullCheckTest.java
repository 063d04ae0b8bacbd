package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.App;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.settings.PullCheck;
import registrypullaccess.settings.Settings;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;
import static registrypullaccess.Fixtures.inNamespace;

/** The optional pull check: a Job per namespace that pulls an image the way a workload would. */
class PullCheckTest {

    static final String JOB = "kubernetes:batch/v1:Job";
    static final String IMAGE = "eu.gcr.io/acme-dev/app:1.0";

    private static Settings checking(String... more) {
        var keys = new ArrayList<>(List.of(
                "verifyImage",
                IMAGE,
                "namespaces",
                "[\"team-a\",\"team-b\"]",
                "serviceAccounts",
                "[\"builder\",\"default\"]"));
        keys.addAll(List.of(more));
        return fromConfig(keys.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podSpec(DeclaredResource job) {
        return (Map<String, Object>) job.input("spec", "template", "spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(DeclaredResource job, String list) {
        return ((List<Map<String, Object>>) podSpec(job).get(list)).get(0);
    }

    @Test
    void isDeclaredOnlyWhenAskedFor() {
        assertEquals(List.of(), deploy(fromConfig()).ofType(JOB));
    }

    @Test
    void runsInEveryNamespaceUnderThePatchedServiceAccountWithoutAPullSecretOfItsOwn() {
        var run = deploy(checking());

        var jobs = run.ofType(JOB);
        assertEquals(2, jobs.size());
        for (var namespace : List.of("team-a", "team-b")) {
            var job = inNamespace(jobs, namespace);
            assertEquals(
                    "builder",
                    podSpec(job).get("serviceAccountName"),
                    "the first of serviceAccounts, which the program patched");
            assertNull(podSpec(job).get("imagePullSecrets"), "the patch, not the pod, must supply the secret");
            assertEquals(IMAGE, container(job, "containers").get("image"));
            assertEquals(
                    "Always",
                    container(job, "containers").get("imagePullPolicy"),
                    "a copy cached on the node must not hide a missing permission");
        }
    }

    @Test
    void waitsForThePatchesAndGrantsOfItsNamespace() {
        var run = deploy(checking());

        var job = inNamespace(run.ofType(JOB), "team-a");
        var patches = run.ofType(PATCH).stream()
                .filter(p -> "team-a".equals(p.input("metadata", "namespace")))
                .map(DeclaredResource::urn)
                .toList();
        assertEquals(2, patches.size());
        assertTrue(job.dependencies().containsAll(patches));
        assertTrue(job.dependencies().contains(run.ofType(GRANT).get(0).urn()));
    }

    @Test
    void namesItsJobsInTheClusterWithAValidNameNotTheResourceName() {
        for (var job : deploy(checking()).ofType(JOB)) {
            // Left unnamed, the provider would name the Job after the resource, whose '/' Kubernetes refuses.
            assertEquals("pull-access-pull-check", job.input("metadata", "name"), job.name());
        }
    }

    /**
     * Two stacks may cover the same namespaces with different secretNames (docs/operations.md, What other teams can
     * count on): their checks must be two Jobs. The default Secret's Jobs keep the name they always had.
     */
    @Test
    void namesItsJobsAfterASecretNameOtherThanTheDefault() {
        var other = deploy(checking("secretName", "team-pull")).ofType(JOB);
        var third = deploy(checking("secretName", "team-pull-2")).ofType(JOB);

        assertEquals(2, other.size());
        for (var job : other) {
            var name = job.input("metadata", "name").toString();
            assertTrue(name.matches("pull-access-pull-check-[0-9a-f]{10}"), name);
        }
        assertFalse(other.get(0).input("metadata", "name").equals(third.get(0).input("metadata", "name")));
    }

    @Test
    void runsAsAnUnprivilegedUserThatCannotGainPrivilegesOrWriteItsImage() {
        var job = deploy(checking()).ofType(JOB).get(0);

        assertEquals(
                Map.of("runAsNonRoot", true, "runAsUser", 65534.0, "seccompProfile", Map.of("type", "RuntimeDefault")),
                podSpec(job).get("securityContext"));
        assertEquals(false, podSpec(job).get("automountServiceAccountToken"));
        var restricted = Map.of(
                "allowPrivilegeEscalation",
                false,
                "readOnlyRootFilesystem",
                true,
                "capabilities",
                Map.of("drop", List.of("ALL")));
        assertEquals(restricted, container(job, "containers").get("securityContext"));
        assertEquals(restricted, container(job, "initContainers").get("securityContext"));
        assertEquals(
                Map.of("requests", Map.of("cpu", "10m", "memory", "16Mi"), "limits", Map.of("memory", "64Mi")),
                container(job, "containers").get("resources"));
        assertEquals(
                Map.of("app.kubernetes.io/managed-by", "pulumi", "app.kubernetes.io/part-of", "registry-pull-access"),
                job.input("metadata", "labels"));
    }

    @Test
    void worksForImagesWithoutAShellAndLeavesNothingRunning() {
        var job = deploy(checking()).ofType(JOB).get(0);

        assertEquals(
                List.of("/check/busybox", "true"), container(job, "containers").get("command"));
        assertEquals(
                PullCheck.DEFAULT_HELPER_IMAGE, container(job, "initContainers").get("image"));
        assertEquals("Never", podSpec(job).get("restartPolicy"));
        assertEquals(0.0, job.input("spec", "backoffLimit"));
        assertEquals((double) PullCheckJob.SECONDS, job.input("spec", "activeDeadlineSeconds"));
    }

    @Test
    void runsAgainWhenTheKeyTheSecretOrTheImageChanges() {
        var settings = checking();
        var before = checkedTemplate(deploy(settings));

        assertEquals(before, checkedTemplate(deploy(settings)), "same inputs, same Job");
        assertNotEquals(
                before,
                checkedTemplate(deploy(new FakeGoogleCloud(), settings, LocalDate.of(2027, 3, 1))),
                "a rotated key replaces the Job");
        assertNotEquals(before, checkedTemplate(deploy(checking("verifyImage", "eu.gcr.io/acme-dev/app:2.0"))));
        assertNotEquals(
                before,
                checkedTemplate(deploy(checking("email", "ops@acme.example"))),
                "a different Secret replaces the Job");
    }

    @Test
    void isNotDeclaredWhileDetachedBecauseNoServiceAccountListsTheSecretAnyMore() {
        var run = deploy(checking("detach", "true"));

        assertEquals(List.of(), run.ofType(JOB));
        assertEquals(4, run.ofType(PATCH).size(), "the entries are still taken out of both ServiceAccounts");
    }

    @Test
    void aCheckThatFailedRunsAgainOnTheNextUpInsteadOfFailingAtOnce() {
        for (var job : deploy(checking()).ofType(JOB)) {
            // The provider replaces a Job that is not complete only when asked to (pulumi-kubernetes v4.0.0 Diff).
            assertEquals("true", job.input("metadata", "annotations", PullCheckJob.REPLACE_UNREADY_ANNOTATION));
        }
    }

    @Test
    void inKeylessModeWaitsForTheGrants() {
        var run = deploy(checking("keyless", "true", "nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com"));

        var job = inNamespace(run.ofType(JOB), "team-a");
        assertTrue(job.dependencies().contains(run.ofType(GRANT).get(0).urn()));
        assertEquals(List.of(), run.ofType(PATCH));
        assertEquals("nodes@acme-dev.iam.gserviceaccount.com", run.outputs().get("serviceAccountEmail"));
        assertEquals(List.of("eu.gcr.io"), run.outputs().get("registryHosts"));
    }

    @Test
    void readsTheCheckFromTheStackConfiguration() {
        var run = OfflineRun.run(
                Map.of(
                        "gcp:project",
                        "acme-dev",
                        "registry-pull-access:registries",
                        "[\"eu.gcr.io\"]",
                        "registry-pull-access:verifyImage",
                        IMAGE,
                        "registry-pull-access:verifyHelperImage",
                        "mirror.acme.example/busybox:1.36.1-musl"),
                Set.of(),
                App::stack);

        assertEquals(List.of(), run.exceptions());
        assertEquals(
                "mirror.acme.example/busybox:1.36.1-musl",
                container(run.ofType(JOB).get(0), "initContainers").get("image"));
        assertEquals(Optional.empty(), run.ofType(JOB).get(0).options().importId());
    }

    private static Object checkedTemplate(OfflineRun run) {
        return inNamespace(run.ofType(JOB), "team-a").input("spec", "template");
    }
}
