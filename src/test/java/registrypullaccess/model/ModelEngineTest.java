package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.offline.DeclaredResource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's order of steps, as pulumi v3.253.0 and the providers decide it. */
class ModelEngineTest {

    private static final String PREFIX = "urn:pulumi:s::p::";
    private static final String KEY = "gcp:serviceaccount/key:Key";
    private static final String SECRET = "kubernetes:core/v1:Secret";

    private final World world = new World();
    private final PullOracle oracle = new PullOracle();
    private final ModelEngine engine = new ModelEngine(world, new ModelProvider(world, oracle), oracle);

    private static DeclaredResource resource(
            String type,
            String name,
            Map<String, Object> inputs,
            Set<String> dependencies,
            boolean protect,
            boolean retain,
            List<String> aliases) {
        return new DeclaredResource(
                PREFIX + type + "::" + name,
                type,
                name,
                "",
                dependencies,
                inputs,
                new DeclaredResource.Options(
                        protect, Optional.empty(), Optional.empty(), retain, List.of(), List.of(), aliases, List.of()));
    }

    private static DeclaredResource key(String period) {
        return resource(
                KEY,
                "key",
                Map.of(
                        "serviceAccountId",
                        "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com",
                        "keepers",
                        Map.of("p", period)),
                Set.of(),
                false,
                false,
                List.of());
    }

    private static DeclaredResource secret(String name, String data, Set<String> dependencies, boolean retain) {
        return resource(
                SECRET,
                name,
                Map.of(
                        "metadata",
                        Map.of("name", "regcred", "namespace", "team-a"),
                        "data",
                        Map.of(".dockerconfigjson", data)),
                dependencies,
                false,
                retain,
                List.of());
    }

    private List<String> steps(ModelEngine.Update update) {
        return update.steps().stream().map(ModelEngine.Step::toString).toList();
    }

    private List<StateResource> deployed(DeclaredResource... resources) {
        world.google.accounts.add("a@p.iam.gserviceaccount.com");
        return engine.up(List.of(), List.of(resources)).state();
    }

    @Test
    void aReplacementCreatesTheNewResourceFirstAndDeletesTheOldAfterTheProgram() {
        var state = deployed(key("1"), secret("secret", "a", Set.of(), false));

        var update = engine.up(state, List.of(key("2"), secret("secret", "a", Set.of(), false)));

        assertEquals(List.of("create-replacement key", "same secret", "delete-replaced key"), steps(update));
    }

    @Test
    void aFixedNameObjectWhoseDataChangesIsDeletedBeforeItIsCreatedAgain() {
        var state = deployed(secret("secret", "a", Set.of(), false));

        var update = engine.up(state, List.of(secret("secret", "b", Set.of(), false)));

        assertEquals(List.of("delete-replaced secret", "create-replacement secret"), steps(update));
    }

    /** The Secret as {@link #secret} declares it, but replaced create-first, and forced or not. */
    private static DeclaredResource createFirst(String data, boolean forced, boolean retain) {
        var metadata = new java.util.HashMap<String, Object>(Map.of("name", "regcred", "namespace", "team-a"));
        if (forced) {
            metadata.put("annotations", Map.of("pulumi.com/patchForce", "true"));
        }
        return theSecret(metadata, data, Optional.of(false), retain, List.of());
    }

    /** The Secret {@code secret} (team-a's {@code regcred}) with these metadata, data and options. */
    private static DeclaredResource theSecret(
            Map<String, Object> metadata,
            String data,
            Optional<Boolean> deleteBeforeReplace,
            boolean retain,
            List<String> replaceOnChanges) {
        return new DeclaredResource(
                PREFIX + SECRET + "::secret",
                SECRET,
                "secret",
                "",
                Set.of(),
                Map.of("metadata", metadata, "data", Map.of(".dockerconfigjson", data)),
                new DeclaredResource.Options(
                        false,
                        Optional.empty(),
                        deleteBeforeReplace,
                        retain,
                        List.of(),
                        List.of(),
                        List.of(),
                        replaceOnChanges));
    }

    @Test
    void theProgramsDeleteBeforeReplaceFalseOverridesTheProvidersRequest() {
        var state = deployed(createFirst("a", true, false));

        var update = engine.up(state, List.of(createFirst("b", true, false)));

        // The new object is the old one, applied onto; deleting the old by name then deletes it.
        assertEquals(List.of("create-replacement secret", "delete-replaced secret"), steps(update));
        assertTrue(world.cluster.get("Secret", "team-a", "regcred").isEmpty());
    }

    @Test
    void aCreateFirstReplacementThatIsRetainedChangesTheObjectInPlace() {
        var state = deployed(createFirst("a", true, true));

        engine.up(state, List.of(createFirst("b", true, true)));

        assertEquals(
                "b",
                world.cluster
                        .get("Secret", "team-a", "regcred")
                        .orElseThrow()
                        .fields
                        .get("data"));
    }

    @Test
    void aReplacementAppliesWithAFieldManagerOfItsOwnSoUnforcedItConflictsWithTheOldOne() {
        var state = deployed(createFirst("a", false, true));

        var update = engine.up(state, List.of(createFirst("b", false, true)));

        assertTrue(
                update.failure().orElseThrow().contains("conflict"),
                update.failure().toString());
    }

    @Test
    void aDependencyIsCreatedBeforeItsDependentWhateverTheirNamesAndTheOrderTheyWereDeclaredIn() {
        var source = namedSecret("b-source", Set.of());
        var dependent = namedSecret("a-dependent", Set.of(source.urn()));

        var update = engine.up(List.of(), List.of(dependent, source));

        assertEquals(List.of("create b-source", "create a-dependent"), steps(update));
    }

    private static DeclaredResource namedSecret(String name, Set<String> dependencies) {
        return resource(
                SECRET,
                name,
                Map.of("metadata", Map.of("name", name, "namespace", "team-a")),
                dependencies,
                false,
                false,
                List.of());
    }

    @Test
    void resourcesNoLongerDeclaredAreDeletedDependentsFirst() {
        var key = key("1");
        var secret = secret("secret", "a", Set.of(key.urn()), false);
        deployed(key, secret);
        // In the state's order the dependent may come first (a later update appends what it created).
        var state = List.of(new StateResource(secret, false), new StateResource(key, false));

        var update = engine.up(state, List.of());

        assertEquals(List.of("delete secret", "delete key"), steps(update));
        assertEquals(List.of(), update.state(), "a deleted resource leaves the state");
        assertEquals(List.of(), steps(engine.up(update.state(), List.of())), "and is not deleted again");
    }

    @Test
    void aRetainedResourceLeavesTheStateButNotTheCluster() {
        var state = deployed(secret("secret", "a", Set.of(), true));

        engine.up(state, List.of());

        assertTrue(world.cluster.get("Secret", "team-a", "regcred").isPresent());
    }

    @Test
    void aReadOfAManagedResourceUnderItsNameAndIdReleasesItWithoutDeletingIt() {
        var secret = secret("secret", "a", Set.of(), false);
        var state = deployed(secret);

        var update =
                engine.up(state, List.of(), List.of(new DeclaredResource.Read(secret.urn(), SECRET, "team-a/regcred")));

        assertEquals(List.of("read secret"), steps(update));
        assertEquals(List.of(), update.state());
        assertTrue(world.cluster.get("Secret", "team-a", "regcred").isPresent());
    }

    @Test
    void aReadOfAManagedResourceUnderAnotherIdReplacesItAndDeletesTheOld() {
        var secret = secret("secret", "a", Set.of(), false);
        var state = deployed(secret);

        var update =
                engine.up(state, List.of(), List.of(new DeclaredResource.Read(secret.urn(), SECRET, "team-a/other")));

        assertEquals(List.of("read-replacement secret", "delete-replaced secret"), steps(update));
        assertTrue(world.cluster.get("Secret", "team-a", "regcred").isEmpty());
    }

    @Test
    void helmRefusesToInstallAReleaseThatDestroyKept() {
        var release = resource(
                "kubernetes:helm.sh/v3:Release",
                "kyverno",
                Map.of("name", "kyverno", "namespace", "kyverno", "chart", "kyverno"),
                Set.of(),
                false,
                true,
                List.of());
        var state = deployed(release);
        engine.up(state, List.of());

        var again = engine.up(List.of(), List.of(release));

        assertTrue(
                again.failure().orElseThrow().contains("cannot re-use a name that is still in use"),
                again.failure().toString());
    }

    @Test
    void deletingAProtectedResourceFailsTheUpdate() {
        var state = deployed(resource(KEY, "key", key("1").inputs(), Set.of(), true, false, List.of()));

        var update = engine.up(state, List.of());

        assertTrue(
                update.failure().orElseThrow().contains("protected"),
                update.failure().toString());
        assertEquals(1, world.google.keys.size());
    }

    @Test
    void anAliasKeepsTheStateOfTheOldName() {
        var state = deployed(key("1"));
        var renamed =
                resource(KEY, "new-key", key("1").inputs(), Set.of(), false, false, List.of(PREFIX + KEY + "::key"));

        var update = engine.up(state, List.of(renamed));

        assertEquals(List.of("same new-key"), steps(update));
    }

    @Test
    void aFailedStepEndsTheUpdateWithoutDeletes() {
        var state = deployed(key("1"), secret("secret", "a", Set.of(), false));
        world.cluster.write("kubectl-create", "Secret", "team-a", "other", Map.of("data", "x"), "foreign");
        var conflicting = resource(
                SECRET,
                "other",
                Map.of(
                        "metadata",
                        Map.of("name", "other", "namespace", "team-a"),
                        "data",
                        Map.of(".dockerconfigjson", "y")),
                Set.of(),
                false,
                false,
                List.of());

        var update = engine.up(state, List.of(conflicting));

        assertTrue(update.failure().orElseThrow().contains("conflict"));
        assertEquals(List.of("create other"), steps(update));
        assertEquals(1, world.google.keys.size());
    }

    private static DeclaredResource labelled(String value) {
        return resource(
                SECRET,
                "secret",
                Map.of(
                        "metadata",
                        Map.of("name", "regcred", "namespace", "team-a", "labels", Map.of("team", value)),
                        "data",
                        Map.of(".dockerconfigjson", "a")),
                Set.of(),
                false,
                false,
                List.of());
    }

    @Test
    void aPreviewDryRunsAnUpdateUnforcedAndAFailedPreviewStopsTheUpdateBeforeAnyStep() {
        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");
        var state = deployed(labelled("a"));
        world.cluster.write("kubectl-label", "Secret", "team-a", "regcred", Map.of("label:team", "c"), "foreign");

        var failure = engine.preview(state, List.of(labelled("b")), List.of(labelled("b")));

        assertTrue(
                failure.orElseThrow().startsWith("preview of update secret: Server-Side Apply field conflict"),
                failure.toString());
        assertEquals(
                "c",
                world.cluster.get("Secret", "team-a", "regcred").orElseThrow().label("team"));
    }

    @Test
    void aPreviewForcesACreateAndSkipsWhatItDoesNotKnowOrWhereTheNamespaceIsMissing() {
        var other = secret("secret", "mine", Set.of(), false);
        world.cluster.write("kubectl-create", "Secret", "team-a", "regcred", Map.of("data", "theirs"), "foreign");
        assertEquals(Optional.empty(), engine.preview(List.of(), List.of(other), List.of(other)));
        var unknown = secret("secret", "unknown", Set.of(), false);
        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");

        assertEquals(Optional.empty(), engine.preview(List.of(), List.of(other), List.of(other)));
        assertEquals(Optional.empty(), engine.preview(List.of(), List.of(other), List.of(unknown)));
        assertEquals(
                "theirs",
                world.cluster
                        .get("Secret", "team-a", "regcred")
                        .orElseThrow()
                        .fields
                        .get("data"));
    }

    @Test
    void aPreviewSendsAReplacementsCreateWhileTheOldObjectStillExists() {
        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");
        var state = deployed(secret("secret", "a", Set.of(), false));
        world.cluster.admission((kind, namespace, name, before, after) -> {
            if (before != null) {
                throw new ModelCluster.Refused("an update of " + name);
            }
        });
        var replacement = secret("secret", "b", Set.of(), false);

        var failure = engine.preview(state, List.of(replacement), List.of(replacement));

        assertEquals(Optional.of("preview of create secret: an update of regcred"), failure);
        assertEquals(Set.of(SECRET + "::secret"), engine.planned(state, List.of(replacement)));
    }

    private static DeclaredResource withMetadata(
            String type, String name, Map<String, Object> metadata, Map<String, Object> rest) {
        var inputs = new java.util.LinkedHashMap<String, Object>(rest);
        inputs.put("metadata", metadata);
        return resource(type, name, inputs, Set.of(), false, false, List.of());
    }

    /** A pull check Job whose pod runs as team-a's default ServiceAccount. */
    private static DeclaredResource job(Map<String, Object> annotations) {
        return withMetadata(
                ModelProvider.JOB,
                "check",
                Map.of("name", "check", "namespace", "team-a", "annotations", annotations),
                Map.of(
                        "spec",
                        Map.of(
                                "backoffLimit",
                                1,
                                "activeDeadlineSeconds",
                                60,
                                "template",
                                Map.of(
                                        "spec",
                                        Map.of(
                                                "serviceAccountName",
                                                "default",
                                                "containers",
                                                List.of(Map.of("image", "ghcr.io/acme/check:1")))))));
    }

    @Test
    void replacingAProtectedResourceFailsTheUpdate() {
        var state = deployed(resource(KEY, "key", key("1").inputs(), Set.of(), true, false, List.of()));

        var update =
                engine.up(state, List.of(resource(KEY, "key", key("2").inputs(), Set.of(), true, false, List.of())));

        assertTrue(
                update.failure().orElseThrow().contains("protection"),
                update.failure().toString());
        assertEquals(List.of(), steps(update));
    }

    @Test
    void aJobThatCannotPullFailsAndFailsEveryNextUpdateUntilReplacedWithReplaceUnready() {
        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");
        world.cluster.write("kubernetes", "ServiceAccount", "team-a", "default", Map.of(), "kubernetes");

        var first = engine.up(List.of(), List.of(job(Map.of())));
        var auths = "{\"auths\":{\"ghcr.io\":{\"username\":\"acme\",\"password\":\"p\"}}}";
        world.cluster.write(
                "kubectl-create",
                "Secret",
                "team-a",
                "ghcr",
                Map.of(
                        "data",
                        java.util.Base64.getEncoder()
                                .encodeToString(auths.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                "foreign");
        world.cluster.write(
                "kubectl-edit",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of("ghcr")),
                "foreign");
        var second = engine.up(first.state(), List.of(job(Map.of())));
        var third = engine.up(second.state(), List.of(job(Map.of("pulumi.com/replaceUnready", "true"))));

        assertTrue(
                first.failure().orElseThrow().contains("could not pull"),
                first.failure().toString());
        assertEquals(List.of("update check"), steps(second));
        assertTrue(
                second.failure().orElseThrow().contains("has failed"),
                second.failure().toString());
        assertEquals(List.of("delete-replaced check", "create-replacement check"), steps(third));
    }

    @Test
    void anUpdateTakesKubectlsFieldsOverButACreateDoesNot() {
        world.cluster.write("kubectl", "Secret", "team-a", "regcred", Map.of("label:team", "x"), "foreign");
        assertTrue(engine.up(List.of(), List.of(labelled("y")))
                .failure()
                .orElseThrow()
                .contains("conflict"));
        world.cluster.delete("Secret", "team-a", "regcred", "kubectl");
        var state = deployed(labelled("a"));
        world.cluster.write("kubectl", "Secret", "team-a", "regcred", Map.of("label:team", "c"), "foreign");

        var update = engine.up(state, List.of(labelled("b")));

        assertEquals(Optional.empty(), update.failure());
        assertEquals(
                "b",
                world.cluster.get("Secret", "team-a", "regcred").orElseThrow().label("team"));
    }

    @Test
    void anObjectAnnotatedPatchForceTakesAnotherManagersFields() {
        world.cluster.write("kubectl-create", "Secret", "team-a", "regcred", Map.of("data", "theirs"), "foreign");
        var forced = withMetadata(
                SECRET,
                "secret",
                annotatedRegcred(Map.of("pulumi.com/patchForce", "true")),
                Map.of("data", Map.of(".dockerconfigjson", "mine")));

        var update = engine.up(List.of(), List.of(forced));

        assertEquals(Optional.empty(), update.failure());
        assertEquals(
                "mine",
                world.cluster
                        .get("Secret", "team-a", "regcred")
                        .orElseThrow()
                        .fields
                        .get("data"));
    }

    @Test
    void anUpdateOfAnObjectDeletedBehindTheEnginesBackFails() {
        var state = deployed(labelled("a"));
        world.cluster.delete("Secret", "team-a", "regcred", "kubectl");

        var update = engine.up(state, List.of(labelled("b")));

        assertTrue(
                update.failure().orElseThrow().endsWith("not found"),
                update.failure().toString());
    }

    @Test
    void deletingAPatchTakesOutOnlyWhatItApplied() {
        world.cluster.write(
                "kubernetes", "ServiceAccount", "team-a", "default", Map.of("automount", "false"), "kubernetes");
        var patch = withMetadata(
                ModelProvider.PATCH,
                "sa",
                Map.of(
                        "name",
                        "default",
                        "namespace",
                        "team-a",
                        "annotations",
                        Map.of("pulumi.com/patchForce", "true")),
                Map.of("imagePullSecrets", List.of(Map.of("name", "regcred"))));
        var state = deployed(patch);
        var account = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of("regcred"), ModelKyverno.imagePullSecrets(account));

        engine.up(state, List.of());

        var after = world.cluster.get("ServiceAccount", "team-a", "default").orElseThrow();
        assertEquals(List.of(), ModelKyverno.imagePullSecrets(after));
        assertEquals("false", after.fields.get("automount"));
    }

    @Test
    void aPreviewDoesNotDryRunANewPatchOrACreateWhoseNamespaceIsMissing() {
        refuseEveryWrite();
        var patch = patch("regcred");
        var secret = secret("secret", "a", Set.of(), false);
        assertEquals(Optional.empty(), engine.preview(List.of(), List.of(patch, secret), List.of(patch, secret)));

        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");

        assertEquals(
                Optional.of("preview of create secret: refused Secret"),
                engine.preview(List.of(), List.of(patch, secret), List.of(patch, secret)));
    }

    /** The metadata of team-a's {@code regcred}, with annotations. */
    private static Map<String, Object> annotatedRegcred(Map<String, String> annotations) {
        return Map.of("name", "regcred", "namespace", "team-a", "annotations", annotations);
    }

    /** The Secret as {@link #secret} declares it, annotated, replaced when its {@code example.com/a} changes. */
    private static DeclaredResource annotated(String a, String b) {
        return theSecret(
                annotatedRegcred(Map.of("example.com/a", a, "example.com/b", b)),
                "x",
                Optional.empty(),
                false,
                List.of("metadata.annotations[\"example.com/a\"]"));
    }

    /** pulumi v3.253.0 {@code pkg/resource/deploy/step_generator.go} {@code applyReplaceOnChanges}. */
    @Test
    void aChangeAtAReplaceOnChangesPathReplacesAndAChangeElsewhereUpdates() {
        var state = deployed(annotated("1", "1"));

        var updated = engine.up(state, List.of(annotated("1", "2")));
        var replaced = engine.up(updated.state(), List.of(annotated("2", "2")));

        assertEquals(List.of("update secret"), steps(updated));
        assertEquals(List.of("delete-replaced secret", "create-replacement secret"), steps(replaced));
    }

    /**
     * pulumi-kubernetes v4.0.0 {@code provider/pkg/provider/provider.go} {@code Create} ("Skip if: 1: The input values
     * contain unknowns") and {@code Update} (skipped for unknowns too).
     */
    @Test
    void aPreviewDoesNotDryRunAnObjectWhoseInputsItDoesNotKnowYet() {
        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");
        var state = deployed(labelled("a"));
        refuseEveryWrite();
        var declared = List.of(labelled("b"), secret("other", "b", Set.of(), false));
        var unknown = List.of(labelled("unknown"), secret("other", "unknown", Set.of(), false));

        assertEquals(Optional.empty(), engine.preview(state, declared, unknown));
        assertTrue(engine.preview(state, declared, declared).isPresent(), "known inputs are dry-run");
    }

    /**
     * pulumi-kubernetes v4.0.0 {@code provider/pkg/provider/provider.go} {@code Create} ("3: The resource is a Patch
     * resource"); a Patch already in the state is dry-run on update like any object.
     */
    @Test
    void aPreviewDoesNotDryRunANewPatchButDoesAnUpdatedOne() {
        world.cluster.write("foreign", "Namespace", "", "team-a", Map.of(), "foreign");
        var deployedPatch = patch("regcred");
        var state = deployed(deployedPatch);
        refuseEveryWrite();
        var newPatch = withMetadata(
                ModelProvider.PATCH,
                "builder",
                Map.of("name", "builder", "namespace", "team-a"),
                Map.of("imagePullSecrets", List.of(Map.of("name", "regcred"))));

        assertEquals(
                Optional.empty(),
                engine.preview(state, List.of(deployedPatch, newPatch), List.of(deployedPatch, newPatch)));
        assertEquals(
                Optional.of("preview of update sa: refused ServiceAccount"),
                engine.preview(state, List.of(patch("other")), List.of(patch("other"))));
    }

    /** An admission webhook that refuses every write, dry run or not. */
    private void refuseEveryWrite() {
        world.cluster.admission((kind, namespace, name, before, after) -> {
            throw new ModelCluster.Refused("refused " + kind);
        });
    }

    /** A patch of team-a's default ServiceAccount listing one Secret. */
    private static DeclaredResource patch(String secretName) {
        return withMetadata(
                ModelProvider.PATCH,
                "sa",
                Map.of("name", "default", "namespace", "team-a"),
                Map.of("imagePullSecrets", List.of(Map.of("name", secretName))));
    }

    /**
     * {@code pulumi up} stops when its preview fails (pulumi v3.253.0 {@code pkg/backend/apply.go}
     * {@code PreviewThenPromptThenExecute}): here the preview's create of a delete-before-replace replacement meets the
     * old object, which the update itself would have deleted first.
     */
    @Test
    void aFailedPreviewStopsTheUpBeforeAnyStep() {
        var model = new Model();
        model.up(List.of(secret("secret", "a", Set.of(), false)), List.of());
        model.world.cluster.admission((kind, namespace, name, before, after) -> {
            if ("Secret".equals(kind) && before != null) {
                throw new ModelCluster.Refused("an update of " + name);
            }
        });
        var replacement = secret("secret", "b", Set.of(), false);

        var update = model.previewThenUp(List.of(replacement), List.of(), List.of(replacement));

        assertEquals(Optional.of("preview of create secret: an update of regcred"), update.failure());
        assertEquals(List.of(), steps(update));
        assertEquals(
                "a",
                model.world
                        .cluster
                        .get("Secret", "team-a", "regcred")
                        .orElseThrow()
                        .fields
                        .get("data"));
    }

    /** The key file of a key as {@link ModelKeys} makes it: it names the key. */
    private Optional<String> keyIdentity(DeclaredResource key) {
        return world.google.identity(
                "_json_key", "{\"private_key_id\":\"" + ModelKeys.keyId(key.inputs()) + "\"}", world.now());
    }

    /** pulumi-gcp deletes a replaced key (Google: a deleted key no longer authenticates). */
    @Test
    void aRotatedKeyWorksUntilTheOldKeyIsDeletedAfterTheProgram() {
        var state = deployed(key("1"));
        assertTrue(keyIdentity(key("1")).isPresent());

        engine.up(state, List.of(key("2")));

        assertTrue(keyIdentity(key("1")).isEmpty(), "the old key is deleted");
        assertTrue(keyIdentity(key("2")).isPresent());
    }
}
