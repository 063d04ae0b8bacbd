package registrypullaccess.repository;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.App;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.StackFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Google Cloud's and the clusters' side of the workflows, as docs/ci.md's one-time setup grants it: every identity
 * gets what the stacks it previews or deploys need, and no more than the setup says.
 */
class CiSetupTest {

    private static final Path CI_DOC = Path.of("docs/ci.md");

    @AfterEach
    void cleanup() {
        com.pulumi.test.PulumiTest.cleanup();
    }

    /** The key-creation preflight reads the project's org policy (orgpolicy.policy.get), previews and deploys alike. */
    @Test
    void everyIdentityThatPreviewsOrDeploysMayReadTheProjectsOrgPolicy() throws IOException {
        for (var roles : List.of("DEPLOYER_ROLES", "PREVIEWER_ROLES")) {
            assertTrue(words(roles).contains("roles/orgpolicy.policyViewer"), roles);
            assertTrue(doc().contains("for ROLE in $" + roles + "; do"), roles + " is granted in the setup");
        }
    }

    /** The setup grants in project acme-STACK; the previews use the preview environment's identity per stack. */
    @Test
    void everyStacksProjectIsTheOneTheSetupGrantsIn() throws IOException {
        var stacks = new TreeSet<String>();
        for (var path : StackFilesTest.stackFiles().toList()) {
            var name = stackName(path);
            stacks.add(name);
            assertEquals("acme-" + name, StackFile.load(path).values().get("gcp:project"), path.toString());
        }
        assertEquals(stacks, WorkflowsTest.documentedPreviewers().keySet());
    }

    /**
     * Service-account and key administration is conditioned on the puller accounts: each stack's puller id must
     * start with image-puller, or its deployer could not manage it.
     */
    @Test
    void theDeployersManageOnlyThePullerAccountsAndEveryStacksPullerIsOne() throws IOException {
        assertEquals(
                Set.of("roles/iam.serviceAccountAdmin", "roles/iam.serviceAccountKeyAdmin"),
                words("PULLER_ADMIN_ROLES"));
        assertTrue(
                doc().contains("for ROLE in $PULLER_ADMIN_ROLES; do\n    gcloud projects add-iam-policy-binding"
                        + " \"acme-$ENV\" --member=\"$DEPLOYER\" --role=\"$ROLE\" \\\n      --condition=\"title=pullers"
                        + " only,expression=resource.type == 'cloudresourcemanager.googleapis.com/Project' ||"
                        + " resource.name.startsWith('projects/acme-$ENV/serviceAccounts/image-puller')\""),
                "the puller roles are granted with the condition");
        for (var grant : List.of("DEPLOYER_ROLES", "PREVIEWER_ROLES")) {
            assertFalse(
                    words(grant).stream()
                            .anyMatch(role -> role.startsWith("roles/iam.serviceAccount")
                                    && !role.equals("roles/iam.serviceAccountViewer")),
                    grant + " administers accounts unconditioned");
        }
        for (var path : StackFilesTest.stackFiles().toList()) {
            var run = run(path);
            var accounts = run.ofType("gcp:serviceaccount/account:Account");
            assertFalse(accounts.isEmpty(), path.toString());
            for (var account : accounts) {
                assertTrue(
                        String.valueOf(account.input("accountId")).startsWith("image-puller"),
                        path + ": service account " + account.input("accountId")
                                + " is outside the deployers' condition");
            }
        }
    }

    /**
     * The deployers change the registries' repository IAM policies through a custom role with those two
     * permissions, never artifactregistry.admin, in exactly the projects the stacks' registries are in.
     */
    @Test
    void theDeployersHoldOnlyRepositoryPolicyRightsInTheRegistryProjectsTheirStacksUse() throws IOException {
        var doc = doc();
        assertFalse(doc.contains("roles/artifactregistry.admin"), "docs/ci.md grants artifactregistry.admin");
        var permissions =
                Pattern.compile("(?m)^REGISTRY_POLICY_PERMISSIONS=(\\S+)$").matcher(doc);
        assertTrue(permissions.find());
        assertEquals(
                Set.of("artifactregistry.repositories.getIamPolicy", "artifactregistry.repositories.setIamPolicy"),
                Set.of(permissions.group(1).split(",")));

        var used = new TreeSet<String>();
        for (var path : StackFilesTest.stackFiles().toList()) {
            for (var resource : run(path).resources()) {
                var type = resource.type();
                assertTrue(
                        GOOGLE_TYPES_THE_SETUP_GRANTS.contains(type) || !type.startsWith("gcp:"),
                        path + " declares " + type + ", which no grant in docs/ci.md's setup covers");
                if (type.equals("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember")) {
                    used.add(stackName(path) + ":" + resource.input("project"));
                }
            }
        }
        var pairs = Pattern.compile("(?m)^for PAIR in ([a-z: -]+); do\\n  ENV=\\$\\{PAIR%%:\\*}\\n  PROJECT=")
                .matcher(doc);
        assertTrue(pairs.find(), "docs/ci.md has no loop over the registry projects");
        assertEquals(used, new TreeSet<>(List.of(pairs.group(1).split(" "))));
    }

    /** What the deployers' grants cover; a stack that declares another Google type needs a grant first. */
    private static final Set<String> GOOGLE_TYPES_THE_SETUP_GRANTS = Set.of(
            "gcp:serviceaccount/account:Account",
            "gcp:serviceaccount/key:Key",
            "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
            "pulumi:providers:gcp");

    /**
     * The preview's Kubernetes rights, each for a reason (docs/ci.md, "Kubernetes rights of the previewers"): per
     * Kubernetes type the stacks declare, the resource and verbs a server-side dry run of it needs under
     * pulumi-kubernetes v4.0.0 (provider.go Create/Update, await.go Creation/Update).
     */
    private static final Map<String, List<String>> PREVIEW_RIGHTS = Map.of(
            // a new Secret is previewed by a dry-run apply (patch, and create as it would create); updates GET first
            "kubernetes:core/v1:Secret", List.of("|secrets|get,create,patch"),
            // the ConfigMap that owns each pull Secret, likewise
            "kubernetes:core/v1:ConfigMap", List.of("|configmaps|get,create,patch"),
            // the program reads each ServiceAccount it patches; a patch's creation preview is skipped (isPatchURN)
            "kubernetes:core/v1:ServiceAccountPatch", List.of("|serviceaccounts|get"),
            // the pull check Job is a new object at every preview
            "kubernetes:batch/v1:Job", List.of("batch|jobs|get,create,patch"),
            // the program reads the record of what the stack deployed, an annotation of the `default` Namespace
            "kubernetes:core/v1:NamespacePatch", List.of("|namespaces|get"));

    @Test
    void thePreviewersKubernetesRightsAreExactlyWhatTheStacksPreviewsNeed() throws IOException {
        var needed = new TreeSet<String>();
        for (var path : StackFilesTest.stackFiles().toList()) {
            for (var resource : run(path).resources()) {
                var type = resource.type();
                if (!type.startsWith("kubernetes:")) {
                    continue;
                }
                var rights = PREVIEW_RIGHTS.get(type);
                assertNotNull(rights, path + " declares " + type + ": give the previewers its rights in docs/ci.md");
                needed.addAll(rights);
            }
        }
        var documents = manifests();
        var rules = documents.stream()
                .filter(document -> "ClusterRole".equals(document.get("kind")))
                .flatMap(role -> list(role.get("rules")).stream())
                .toList();
        var granted = new TreeSet<String>();
        for (var rule : rules) {
            var map = (Map<?, ?>) rule;
            for (var group : list(map.get("apiGroups"))) {
                for (var resource : list(map.get("resources"))) {
                    granted.add(group + "|" + resource + "|" + String.join(",", strings(map.get("verbs"))));
                }
            }
        }
        assertEquals(needed, granted);

        // create and patch would let the preview's code write: every non-dry-run write of theirs is refused.
        var policy = documents.stream()
                .filter(document -> "ValidatingAdmissionPolicy".equals(document.get("kind")))
                .findFirst()
                .orElseThrow()
                .toString();
        assertTrue(policy.contains("expression=request.dryRun == true"), policy);
        assertTrue(policy.contains("request.userInfo.username.startsWith('pulumi-preview')"), policy);
        var binding = documents.stream()
                .filter(document -> "ValidatingAdmissionPolicyBinding".equals(document.get("kind")))
                .findFirst()
                .orElseThrow()
                .toString();
        assertTrue(binding.contains("validationActions=[Deny]"), binding);
    }

    @Test
    void theDocsTellTheOwnerWhichRepositorySettingsTheWorkflowsRelyOn() throws IOException {
        var doc = doc();
        for (var setting : List.of(
                "**Prevent self-review** on",
                "keep **Send write tokens to workflows from fork pull requests**",
                "`preview-prod`: required reviewers")) {
            assertTrue(doc.contains(setting), "docs/ci.md does not say: " + setting);
        }
    }

    private static OfflineRun run(Path path) throws IOException {
        var stack = StackFile.load(path);
        var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);
        assertEquals(List.of(), run.exceptions(), path.toString());
        return run;
    }

    private static String stackName(Path path) {
        var name = StackFilesTest.STACK_FILE.matcher(path.toString());
        assertTrue(name.matches(), path.toString());
        return name.group(1);
    }

    private static String doc() throws IOException {
        return Files.readString(CI_DOC);
    }

    /** The words of docs/ci.md's {@code NAME="..."} line. */
    private static Set<String> words(String variable) throws IOException {
        var line = Pattern.compile("(?m)^" + variable + "=\"([^\"]*)\"$").matcher(doc());
        assertTrue(line.find(), CI_DOC + " sets no " + variable);
        return Set.of(line.group(1).split(" "));
    }

    /** The documents of the setup's {@code kubectl apply -f - <<'EOF' ... EOF}. */
    private static List<Map<?, ?>> manifests() throws IOException {
        var block = Pattern.compile("(?s)kubectl apply -f - <<'EOF'\\n(.*?)\\nEOF\\n")
                .matcher(doc());
        assertTrue(block.find(), CI_DOC + " applies no manifests");
        var documents = new ArrayList<Map<?, ?>>();
        new Yaml().loadAll(block.group(1)).forEach(document -> documents.add((Map<?, ?>) document));
        return documents;
    }

    private static List<?> list(Object value) {
        return (List<?>) value;
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
