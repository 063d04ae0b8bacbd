package registrypullaccess.repository;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.App;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.StackFile;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GitHub workflows: every stack they deploy is valid, and they follow the rules we set for them. */
class WorkflowsTest {

    private static final Pattern STACK_FILE = Pattern.compile("(?:stacks/)?Pulumi\\.[a-z0-9-]+\\.yaml");
    private static final Pattern USES = Pattern.compile("(?m)^\\s*-?\\s*uses:\\s*(\\S+)(.*)$");
    private static final Pattern PINNED = Pattern.compile("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}");

    /** The tracked files under .github matching {@code glob}: an untracked draft workflow is nobody's yet. */
    private static List<Path> files(String glob) throws IOException {
        var matcher = Path.of(".").getFileSystem().getPathMatcher("glob:" + glob);
        return TrackedFiles.all().stream().filter(matcher::matches).toList();
    }

    private static List<Path> workflows() throws IOException {
        return files(".github/workflows/*.yml");
    }

    private static Set<String> stackFilesReferenced() throws IOException {
        var referenced = new TreeSet<String>();
        for (var workflow : workflows()) {
            var matcher = STACK_FILE.matcher(Files.readString(workflow));
            while (matcher.find()) {
                referenced.add(matcher.group());
            }
        }
        return referenced;
    }

    @Test
    void everyStackFileTheWorkflowsDeployIsValid() throws IOException {
        var referenced = stackFilesReferenced();

        assertFalse(referenced.isEmpty());
        for (var file : referenced) {
            var stack = StackFile.load(Path.of(file));
            var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);
            assertEquals(List.of(), run.exceptions(), file);
        }
    }

    @Test
    void theWorkflowsCoverEveryStackFileInTheRepository() throws IOException {
        var inRepository = new TreeSet<String>();
        StackFilesTest.stackFiles().forEach(path -> inRepository.add(path.toString()));

        assertEquals(inRepository, stackFilesReferenced());
    }

    @Test
    void everyActionIsPinnedToACommitWithItsVersionInAComment() throws IOException {
        var files = new ArrayList<>(workflows());
        files.addAll(files(".github/actions/*/action.yml"));
        assertEquals(7, files.size(), files.toString());
        for (var file : files) {
            var matcher = USES.matcher(Files.readString(file));
            while (matcher.find()) {
                var action = matcher.group(1);
                if (action.startsWith("./")) {
                    continue;
                }
                assertTrue(PINNED.matcher(action).matches(), file + ": " + action + " is not pinned to a commit");
                assertTrue(
                        matcher.group(2).matches("\\s*# v\\d+\\.\\d+\\.\\d+"),
                        file + ": " + action + " has no version comment");
            }
        }
    }

    @Test
    void everyJobSaysWhichPermissionsItNeeds() throws IOException {
        for (var workflow : workflows()) {
            var jobs = jobs(workflow);
            var topLevel = load(workflow).get("permissions");
            for (var job : jobs.entrySet()) {
                assertTrue(
                        job.getValue().containsKey("permissions") || topLevel != null,
                        workflow + ": job " + job.getKey() + " has no permissions");
            }
        }
    }

    @Test
    void aRunningPulumiUpIsNeverCancelled() throws IOException {
        var deploy = jobsInEnvironments(DEPLOY);

        assertEquals(Set.of("dev", "staging", "prod"), deploy.keySet());
        for (var job : deploy.entrySet()) {
            var concurrency = (Map<?, ?>) job.getValue().get("concurrency");
            assertEquals(false, concurrency.get("cancel-in-progress"), job.getKey());
            assertEquals(
                    job.getKey(),
                    job.getValue().get("environment"),
                    job.getKey() + " runs in its own GitHub environment, where reviewers can be required");
        }
    }

    @Test
    void deploysRunOnlyFromMain() throws IOException {
        var deploy = jobs(DEPLOY);

        for (var job : jobsInEnvironments(DEPLOY).entrySet()) {
            assertEquals(ON_MAIN, job.getValue().get("if"), "deploy.yml: job " + job.getKey());
        }
        // Dispatched from another branch, the skipped deploy jobs are explained by a job that runs instead.
        var explained = deploy.values().stream()
                .filter(job -> "github.ref != 'refs/heads/main'".equals(job.get("if")))
                .toList();
        assertEquals(1, explained.size(), "deploy.yml: a job that says why nothing was deployed");
        assertTrue(explained.get(0).toString().contains("::notice"), explained.toString());
    }

    @Test
    void pullRequestsFromForksAreSkippedWithTheReasonShown() throws IOException {
        var preview = jobs(PREVIEW);
        var sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";

        for (var job : List.of("build", "preview", "preview-prod", "comment", "comment-prod")) {
            assertTrue(String.valueOf(preview.get(job).get("if")).contains(sameRepository + " && "), job);
        }
        var fork = preview.get("fork");
        assertEquals(sameRepository.replace("==", "!="), fork.get("if"));
        assertFalse(fork.containsKey("environment"));
        assertTrue(
                fork.toString().contains("::notice") && fork.toString().contains("GITHUB_STEP_SUMMARY"),
                "the fork job tells the pull request why there is no preview: " + fork);
    }

    /**
     * GitHub treats a run Dependabot starts like a fork's, even when someone else re-runs it, and it gets no identity
     * token (docs/ci.md, "Dependabot's pull requests"): no job of such a run signs in, builds or posts, and one job
     * says how a maintainer gets the preview instead of a red run.
     */
    @Test
    void dependabotsRunsAreNotPreviewedAndSayHowAMaintainerGetsThePreview() throws IOException {
        var preview = jobs(PREVIEW);
        var sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";

        for (var job : List.of("build", "preview", "preview-prod", "comment", "comment-prod")) {
            assertTrue(
                    String.valueOf(preview.get(job).get("if")).endsWith(" && " + NOT_DEPENDABOT),
                    job + " runs for Dependabot, which gets no identity token");
        }
        for (var job : preview.entrySet()) {
            if (signsIn(job.getValue())) {
                assertTrue(String.valueOf(job.getValue().get("if")).endsWith(NOT_DEPENDABOT), job.getKey());
            }
        }
        var dependabot = preview.get("dependabot");
        assertEquals(sameRepository + " && " + NOT_DEPENDABOT.replace("!=", "=="), dependabot.get("if"));
        assertEquals(Map.of(), dependabot.get("permissions"));
        assertFalse(dependabot.containsKey("environment"));
        var says = dependabot.toString();
        assertTrue(says.contains("::notice") && says.contains("GITHUB_STEP_SUMMARY"), says);
        assertTrue(says.contains("re-runs") && says.contains("commit of their own"), says);
        assertTrue(
                Files.readString(CI_DOC).contains("/troubleshooting-dependabot-on-github-actions"),
                "docs/ci.md cites what GitHub documents about runs Dependabot starts");
    }

    @Test
    void everyJobThatSignsInToGoogleCloudNamesOnlyItsEnvironmentsIdentity() throws IOException {
        var signingIn = 0;
        for (var workflow : workflows()) {
            for (var job : jobs(workflow).entrySet()) {
                if (!signsIn(job.getValue())) {
                    assertFalse(job.getValue().toString().contains("vars.GCP_SERVICE_ACCOUNT"), workflow + ": " + job);
                    continue;
                }
                signingIn++;
                var where = workflow + ": job " + job.getKey();
                assertTrue(
                        job.getValue().get("environment") instanceof String,
                        where + " signs in without an environment");
                var stackStep = stackAction(job.getValue());
                assertEquals(
                        "${{ vars.GCP_SERVICE_ACCOUNT }}",
                        stackStep.get("service-account"),
                        where + ": the identity must come from its GitHub environment's variables");
            }
        }
        assertEquals(5, signingIn, "deploy dev, staging, prod; preview dev and staging, and prod");
    }

    /**
     * pull_request_target and workflow_run run with the base repository's token and secrets while they can be made
     * to act on a pull request's code: neither may trigger any workflow here.
     */
    @Test
    void noWorkflowRunsAPullRequestsCodeWithTheBaseRepositorysRights() throws IOException {
        for (var workflow : workflows()) {
            for (var forbidden : List.of("pull_request_target", "workflow_run")) {
                assertFalse(triggers(workflow).contains(forbidden), workflow + " is triggered by " + forbidden);
            }
        }
        // Dependabot's pull requests get no Actions secrets: the preview must not need any.
        assertFalse(Files.readString(PREVIEW).contains("secrets."), "preview.yml uses a secret");
    }

    @Test
    void thePreviewShowsEveryStackWhereDeployPutsIt() throws IOException {
        var deployed = new TreeMap<String, Map<String, Object>>();
        for (var job : jobsInEnvironments(DEPLOY).values()) {
            var with = new TreeMap<>(stackAction(job));
            with.keySet().retainAll(STACK_INPUTS);
            deployed.put((String) with.get("stack"), with);
        }
        var previewed = new TreeMap<String, Map<String, Object>>();
        for (var entry : matrix(jobs(PREVIEW).get("preview"))) {
            var with = new TreeMap<>(entry);
            with.keySet().retainAll(STACK_INPUTS);
            previewed.put((String) with.get("stack"), with);
        }
        var prod = new TreeMap<>(stackAction(jobs(PREVIEW).get("preview-prod")));
        prod.keySet().retainAll(STACK_INPUTS);
        previewed.put((String) prod.get("stack"), prod);

        assertEquals(deployed, previewed);
    }

    @Test
    void thePulumiCliVersionIsExactSoThatDependabotBumpsIt() throws IOException {
        var manifest = new Gson().fromJson(Files.readString(PULUMI_CLI), JsonObject.class);
        var version =
                manifest.getAsJsonObject("dependencies").get("@pulumi/pulumi").getAsString();

        assertTrue(
                version.matches("3\\.\\d+\\.\\d+"),
                PULUMI_CLI + ": @pulumi/pulumi " + version + " is not an exact version");
        assertTrue(
                Files.readString(STACK_ACTION).contains(".dependencies[\"@pulumi/pulumi\"]' " + PULUMI_CLI),
                "the action reads the CLI version from " + PULUMI_CLI);
        assertTrue(
                Files.readString(Path.of(".github/dependabot.yml")).contains("directory: /" + PULUMI_CLI.getParent()),
                "Dependabot watches " + PULUMI_CLI);
    }

    /**
     * Concurrency groups are shared by every workflow of the repository (case-insensitively), and a run that joins a
     * group with cancel-in-progress cancels the run in it. Every group starts with its own workflow file's name, and
     * each deploy job's group is a constant of its own: no committed workflow can join or cancel a deploy's group.
     */
    @Test
    void noOtherWorkflowCanJoinOrCancelADeploysConcurrencyGroup() throws IOException {
        var deployGroups = new TreeSet<String>();
        for (var job : jobsInEnvironments(DEPLOY).entrySet()) {
            var concurrency = (Map<?, ?>) job.getValue().get("concurrency");
            var group = String.valueOf(concurrency.get("group"));
            assertFalse(group.contains("${{"), "deploy.yml: job " + job.getKey() + "'s group is not a constant");
            assertTrue(deployGroups.add(group.toLowerCase(Locale.ROOT)), "two deploy jobs share " + group);
        }
        assertEquals(Set.of("deploy.yml dev", "deploy.yml staging", "deploy.yml prod"), deployGroups);
        assertFalse(load(DEPLOY).containsKey("concurrency"), "deploy.yml has no workflow-wide group");

        for (var workflow : workflows()) {
            var prefix = workflow.getFileName().toString().toLowerCase(Locale.ROOT) + " ";
            var groups = new ArrayList<Object>();
            groups.add(load(workflow).get("concurrency"));
            jobs(workflow).values().forEach(job -> groups.add(job.get("concurrency")));
            for (var concurrency : groups) {
                if (concurrency == null) {
                    continue;
                }
                var group = concurrency instanceof Map<?, ?> map ? map.get("group") : concurrency;
                assertTrue(
                        String.valueOf(group).toLowerCase(Locale.ROOT).startsWith(prefix),
                        workflow + ": concurrency group '" + group + "' does not start with '" + prefix + "'");
            }
        }
    }

    @Test
    void everyDeployJobUpdatesItsStackOnlyThroughTheStepsThatCheckMainsHead() throws IOException {
        for (var job : jobsInEnvironments(DEPLOY).entrySet()) {
            assertEquals("up", stackAction(job.getValue()).get("command"), job.getKey());
            assertEquals("${{ github.token }}", stackAction(job.getValue()).get("github-token"), job.getKey());
        }
        assertEquals(
                "inputs.command == 'up'",
                actionStep("pulumi-stack", "Deploy only main's head").get("if"),
                "every update asks for main's head first");
    }

    /** A re-run, or an approval after main moved on, must not deploy an older commit: the step fails instead. */
    @Test
    void anUpdateDeploysMainsHeadOrNothing(@TempDir Path directory) throws Exception {
        var step = ActionStep.named("pulumi-stack", "Deploy only main's head");
        var gh = directory.resolve("gh");
        Files.writeString(gh, """
                #!/bin/sh
                [ "$*" = 'api repos/acme/registry-pull-access/commits/main --jq .sha' ] || exit 2
                [ -n "$GH_TOKEN" ] || exit 3
                [ -n "$MAIN_HEAD" ] || exit 4
                echo "$MAIN_HEAD"
                """);
        assertTrue(gh.toFile().setExecutable(true));
        var environment = new TreeMap<String, String>(Map.of(
                "PATH", directory + File.pathSeparator + System.getenv("PATH"),
                "GITHUB_REPOSITORY", "acme/registry-pull-access",
                "GITHUB_SHA", "1111111111111111111111111111111111111111",
                "GH_TOKEN", "token",
                "MAIN_HEAD", "1111111111111111111111111111111111111111"));

        assertEquals(0, step.run(directory, environment).exitCode(), "the run of main's head deploys");

        environment.put("MAIN_HEAD", "2222222222222222222222222222222222222222");
        var moved = step.run(directory, environment);
        assertEquals(1, moved.exitCode(), moved.output());
        assertTrue(moved.output().contains("::error title=Not main's head::"), moved.output());

        environment.remove("MAIN_HEAD");
        assertTrue(step.run(directory, environment).exitCode() != 0, "no answer from GitHub, no deploy");
    }

    /** The preview's code runs Maven, its plugins and the program: the jobs that run it cannot write to the PR. */
    @Test
    void noJobThatRunsThePullRequestsCodeCanWriteToThePullRequest() throws IOException {
        var writers = 0;
        for (var workflow : workflows()) {
            for (var job : jobs(workflow).entrySet()) {
                var permissions = job.getValue().get("permissions");
                if (!(permissions instanceof Map<?, ?> granted) || !"write".equals(granted.get("pull-requests"))) {
                    continue;
                }
                writers++;
                var where = workflow + ": job " + job.getKey();
                assertFalse(granted.containsKey("id-token"), where + " signs in and writes to the pull request");
                for (var step : steps(job.getValue())) {
                    assertFalse(step.containsKey("run"), where + " runs a command: " + step);
                    var uses = String.valueOf(step.get("uses"));
                    if (uses.startsWith("actions/checkout@")) {
                        var with = (Map<?, ?>) step.get("with");
                        assertEquals(
                                ".github/actions",
                                with.get("sparse-checkout"),
                                where + " checks out more than .github/actions");
                        // Without a ref, checkout takes the pull request's merge commit: its post-previews, which
                        // the pull request can change, would run with this job's write token.
                        assertEquals(
                                "${{ github.event.pull_request.base.sha }}",
                                with.get("ref"),
                                where + " runs the pull request's own .github/actions");
                    } else {
                        assertEquals("./.github/actions/post-previews", uses, where);
                    }
                }
            }
        }
        assertEquals(2, writers, "the two comment jobs");
        var posting = Files.readString(Path.of(".github/actions/post-previews/action.yml"));
        for (var runsCode :
                List.of("mvnw", "java", "npm", "./", "actions/checkout", "pulumi/actions", "pulumi-stack")) {
            assertFalse(posting.contains(runsCode), "post-previews runs " + runsCode);
        }
    }

    /**
     * A job behind required reviewers starts when they approve, up to 35 days into the run (GitHub cancels a run
     * after 35 days, waits for approval included): the jar it runs must still be there, in every workflow.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theBuiltProgramOutlivesTheLongestWaitForAnApproval() throws IOException {
        var runs = (Map<String, Object>)
                load(Path.of(".github/actions/build-program/action.yml")).get("runs");
        var uploads = ((List<Map<String, Object>>) runs.get("steps"))
                .stream()
                        .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/upload-artifact@"))
                        .map(step -> (Map<String, Object>) step.get("with"))
                        .toList();
        assertEquals(1, uploads.size(), "build-program uploads the jar once");
        assertEquals("program", uploads.get(0).get("name"));
        assertTrue(
                uploads.get(0).get("retention-days") instanceof Integer days && days >= LONGEST_RUN_DAYS,
                "the jar expires before a late approval can run it: " + uploads.get(0));
        var setup = Files.readString(CI_DOC).split("### One-time setup", -1)[1];
        assertTrue(
                setup.contains("Artifact and log retention") && setup.contains(LONGEST_RUN_DAYS + " days"),
                "docs/ci.md's setup keeps the repository's artifact retention at " + LONGEST_RUN_DAYS + " days");
    }

    /** The identity that previews pull requests without a reviewer cannot decrypt prod: prod has its own. */
    @Test
    void prodIsPreviewedOnlyByItsOwnIdentityBehindItsOwnEnvironment() throws IOException {
        var preview = jobs(PREVIEW);

        assertEquals("preview", preview.get("preview").get("environment"));
        assertEquals(
                List.of("dev", "staging"),
                matrix(preview.get("preview")).stream()
                        .map(entry -> entry.get("stack"))
                        .toList());
        assertEquals("preview-prod", preview.get("preview-prod").get("environment"));
        assertEquals("prod", stackAction(preview.get("preview-prod")).get("stack"));
        assertEquals(previewers(), documentedPreviewers());
    }

    /** Which environment previews which stack, from preview.yml. */
    static Map<String, String> previewers() throws IOException {
        var previewers = new TreeMap<String, String>();
        for (var job : jobs(PREVIEW).values()) {
            if (!signsIn(job)) {
                continue;
            }
            var environment = (String) job.get("environment");
            var stack = String.valueOf(stackAction(job).get("stack"));
            if (stack.equals("${{ matrix.stack }}")) {
                matrix(job).forEach(entry -> previewers.put((String) entry.get("stack"), environment));
            } else {
                previewers.put(stack, environment);
            }
        }
        return previewers;
    }

    /** docs/ci.md's {@code PREVIEWERS="STACK:ENVIRONMENT ..."}, which its setup grants from. */
    static Map<String, String> documentedPreviewers() throws IOException {
        var line = Pattern.compile("(?m)^PREVIEWERS=\"([a-z: -]+)\"$").matcher(Files.readString(CI_DOC));
        assertTrue(line.find(), CI_DOC + " sets no PREVIEWERS=\"...\"");
        var documented = new TreeMap<String, String>();
        for (var pair : List.of(line.group(1).split(" ", -1))) {
            documented.put(pair.substring(0, pair.indexOf(':')), pair.substring(pair.indexOf(':') + 1));
        }
        return documented;
    }

    @Test
    void everyDependabotUpdateWaitsOutACooldownAndEveryActionIsWatched() throws IOException {
        @SuppressWarnings("unchecked")
        var updates = (List<Map<String, Object>>) load(DEPENDABOT).get("updates");

        for (var update : updates) {
            var cooldown = (Map<?, ?>) update.get("cooldown");
            assertTrue(
                    cooldown != null && cooldown.get("default-days") instanceof Integer days && days >= 7,
                    "a Dependabot update without a cooldown of 7 days or more: " + update);
        }
        var actions = updates.stream()
                .filter(update -> "github-actions".equals(update.get("package-ecosystem")))
                .findFirst()
                .orElseThrow();
        var watched = new TreeSet<>((List<?>) actions.get("directories"));
        for (var action : files(".github/actions/*/action.yml")) {
            assertTrue(watched.contains("/" + action.getParent().toString().replace('\\', '/')), action.toString());
        }
    }

    /**
     * Pulumi's Java host starts the built jar with no JVM options of its own: the workflows give it, through
     * {@code JAVA_TOOL_OPTIONS}, the JVM's options that .mvn/jvm.config gives the program on the Maven path (the
     * pool size the entry point sets itself; the exports are for the compiler in Maven's JVM).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theBuiltJarRunsWithTheJvmOptionsOfTheMavenPath() throws IOException {
        var mavenPath = Arrays.stream(
                        Files.readString(Path.of(".mvn/jvm.config")).strip().split("\\s+"))
                .filter(option -> option.startsWith("-XX:"))
                .toList();
        var runs = (Map<String, Object>)
                load(Path.of(".github/actions/pulumi-stack/action.yml")).get("runs");
        var pulumi = ((List<Map<String, Object>>) runs.get("steps"))
                .stream()
                        .filter(step -> String.valueOf(step.get("uses")).startsWith("pulumi/actions@"))
                        .findFirst()
                        .orElseThrow();
        var options = (String) ((Map<String, Object>) pulumi.get("env")).get("JAVA_TOOL_OPTIONS");

        assertFalse(mavenPath.isEmpty(), ".mvn/jvm.config sets the JVM's options");
        assertEquals(mavenPath, List.of(options.strip().split("\\s+")));
    }

    /**
     * A user who just cloned the repository has no jar: the committed Pulumi.yaml keeps Maven. The workflows point
     * their own checkout at the jar they built, and only at it.
     */
    @Test
    void aFreshCloneRunsWithMavenAndTheWorkflowsRunTheBuiltJar(@TempDir Path directory) throws Exception {
        var committed = load(PROJECT);
        assertEquals("java", committed.get("runtime"), "Pulumi.yaml must not name a jar a fresh clone lacks");
        Files.copy(PROJECT, directory.resolve(PROJECT));
        var step = ActionStep.named("pulumi-stack", "Run the built program");

        assertTrue(step.run(directory, Map.of()).exitCode() != 0, "no jar: the step fails");

        Files.createDirectories(directory.resolve("target"));
        Files.writeString(directory.resolve("target/registry-pull-access.jar"), "");
        var outcome = step.run(directory, Map.of());
        assertEquals(0, outcome.exitCode(), outcome.output());
        var changed = new TreeMap<>(load(directory.resolve(PROJECT)));
        assertEquals(
                Map.of("name", "java", "options", Map.of("binary", "target/registry-pull-access.jar")),
                changed.remove("runtime"));
        var rest = new TreeMap<>(committed);
        rest.remove("runtime");
        assertEquals(rest, changed, "nothing else in Pulumi.yaml changes");
        assertTrue(
                Files.readString(Path.of("pom.xml")).contains("<finalName>registry-pull-access</finalName>"),
                "the jar the step runs is the one `package` builds");
        assertTrue(
                Files.readString(Path.of(".github/actions/build-program/action.yml"))
                        .contains("path: target/registry-pull-access.jar"),
                "and the one the build job uploads");
    }

    /**
     * Google Cloud's side of the workflows: the workload identity provider accepts a token only from a job the
     * workflows define, in that job's environment, for that workflow's events and refs. Built here from the
     * workflow files and compared with the condition docs/ci.md's setup creates, so neither can change alone.
     */
    @Test
    void theWorkloadIdentityConditionInTheDocsIsTheOneTheWorkflowsNeed() throws IOException {
        var documented = Pattern.compile("(?s)\nCONDITION=\"(.*?)\"\n").matcher(Files.readString(CI_DOC));
        assertTrue(documented.find(), CI_DOC + " sets no CONDITION=\"...\"");
        assertTrue(Files.readString(CI_DOC).contains("--attribute-condition=\"$CONDITION\""), CI_DOC.toString());

        var expected = attributeCondition();
        assertEquals(
                expected.replaceAll("\\s+", ""),
                documented.group(1).replaceAll("\\s+", ""),
                "docs/ci.md's CONDITION should read (whitespace aside):\n" + expected);
    }

    @Test
    void theDocsCreateOneIdentityPerEnvironmentThatSignsIn() throws IOException {
        var loop = Pattern.compile("(?m)^for ENV in ([a-z -]+); do").matcher(Files.readString(CI_DOC));
        assertTrue(loop.find(), CI_DOC + " has no `for ENV in ...; do` loop creating the identities");

        var environments = new TreeSet<String>();
        for (var workflow : workflows()) {
            environments.addAll(signingInJobs(workflow).stream()
                    .map(job -> (String) job.get("environment"))
                    .toList());
        }
        assertEquals(environments, new TreeSet<>(List.of(loop.group(1).strip().split(" +"))));
    }

    /**
     * The CEL attribute condition for the workflows as they are: per workflow that signs in, its file on the ref
     * it runs from, its events and the environments of its jobs. A workflow whose jobs all run only on main is
     * pinned to main; one triggered only by pull requests is pinned to pull request refs; any other is refused.
     */
    static String attributeCondition() throws IOException {
        var clauses = new ArrayList<String>();
        for (var workflow : workflows()) {
            var jobs = signingInJobs(workflow);
            if (jobs.isEmpty()) {
                continue;
            }
            var file = "$REPO/" + workflow.toString().replace('\\', '/');
            var events = triggers(workflow);
            String refs;
            if (jobs.stream().allMatch(job -> ON_MAIN.equals(job.get("if")))) {
                refs = "assertion.job_workflow_ref == '" + file
                        + "@refs/heads/main' && assertion.ref == 'refs/heads/main'";
            } else if (events.equals(List.of("pull_request"))) {
                refs = "assertion.job_workflow_ref.startsWith('" + file + "@refs/pull/')"
                        + " && assertion.ref.startsWith('refs/pull/')";
            } else {
                throw new AssertionError(
                        workflow + " signs in but neither runs only on main nor only on pull requests");
            }
            clauses.add("(" + refs + "\n    && assertion.event_name in " + celList(events)
                    + " && assertion.environment in "
                    + celList(jobs.stream()
                            .map(job -> (String) job.get("environment"))
                            .distinct()
                            .toList()) + ")");
        }
        // The repository's and its owner's numeric ids never change; a name can be taken by another after a rename.
        return "assertion.repository_id == '$REPO_ID' && assertion.repository_owner_id == '$OWNER_ID' && (\n  "
                + String.join("\n  || ", clauses) + "\n)";
    }

    private static String celList(List<String> values) {
        return values.stream().map(value -> "'" + value + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static final Path DEPLOY = Path.of(".github/workflows/deploy.yml");
    private static final Path PREVIEW = Path.of(".github/workflows/preview.yml");
    private static final Path STACK_ACTION = Path.of(".github/actions/pulumi-stack/action.yml");
    private static final Path PULUMI_CLI = Path.of("tools/pulumi-cli/package.json");
    private static final Path CI_DOC = Path.of("docs/ci.md");
    private static final Path DEPENDABOT = Path.of(".github/dependabot.yml");
    private static final Path PROJECT = Path.of("Pulumi.yaml");
    private static final String ON_MAIN = "github.ref == 'refs/heads/main'";
    private static final String NOT_DEPENDABOT = "github.actor != 'dependabot[bot]'";
    /** GitHub cancels a workflow run after 35 days, time spent waiting for approval included. */
    private static final int LONGEST_RUN_DAYS = 35;
    /** What says where a stack lives: the same in the preview and the deploy. */
    private static final Set<String> STACK_INPUTS =
            Set.of("stack", "config-file", "cloud-url", "gke-project", "gke-location", "gke-cluster");

    private static boolean signsIn(Map<String, Object> job) {
        return job.get("permissions") instanceof Map<?, ?> permissions && "write".equals(permissions.get("id-token"));
    }

    private static List<Map<String, Object>> signingInJobs(Path workflow) throws IOException {
        return jobs(workflow).values().stream().filter(WorkflowsTest::signsIn).toList();
    }

    private static Map<String, Map<String, Object>> jobsInEnvironments(Path workflow) throws IOException {
        var found = new TreeMap<String, Map<String, Object>>();
        jobs(workflow).forEach((name, job) -> {
            if (job.containsKey("environment")) {
                found.put(name, job);
            }
        });
        return found;
    }

    /** The {@code with:} of the job's step that uses the pulumi-stack action. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stackAction(Map<String, Object> job) {
        return ((List<Map<String, Object>>) job.get("steps"))
                .stream()
                        .filter(step -> "./.github/actions/pulumi-stack".equals(step.get("uses")))
                        .map(step -> (Map<String, Object>) step.get("with"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no pulumi-stack step in " + job));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> job) {
        return (List<Map<String, Object>>) job.get("steps");
    }

    /** The step named {@code name} of the composite action {@code action}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> actionStep(String action, String name) throws IOException {
        var runs = (Map<String, Object>)
                load(Path.of(".github/actions", action, "action.yml")).get("runs");
        return ((List<Map<String, Object>>) runs.get("steps"))
                .stream()
                        .filter(step -> name.equals(step.get("name")))
                        .findFirst()
                        .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> matrix(Map<String, Object> job) {
        var strategy = (Map<String, Object>) job.get("strategy");
        return (List<Map<String, Object>>) ((Map<String, Object>) strategy.get("matrix")).get("include");
    }

    /** The events under {@code on:}, which YAML 1.1 (SnakeYAML) reads as the key {@code true}. */
    private static List<String> triggers(Path workflow) throws IOException {
        var document = load(workflow);
        // YAML 1.1 reads the key `on` as the boolean true.
        var on = document.containsKey("on") ? document.get("on") : ((Map<?, ?>) document).get(true);
        if (on instanceof Map<?, ?> map) {
            return map.keySet().stream().map(String::valueOf).toList();
        }
        if (on instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(on));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> jobs(Path workflow) throws IOException {
        return (Map<String, Map<String, Object>>) load(workflow).get("jobs");
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }
}
