// The Java program's declarations for N namespaces, at the benchmark's configuration (Benchmark.config: two
// registries, eu.gcr.io and europe-west1-docker.pkg.dev/acme-shared/images, a rotating JSON key), under the Node.js
// SDK's mocks: the same resource types, names, inputs, parents, dependencies, options, live ServiceAccount reads,
// invoke and component outputs, made with generic resources so that no provider package is needed. The mocks answer
// as the Java side's FakeGoogleCloud does.
//
// Run: npm ci && node bench.mjs [N] [rounds]
//      node bench.mjs --dump N   prints every registration, read, invoke and component output as one canonical JSON
//                                line each, sorted, as the Java side's Declarations does: NodeComparison checks the
//                                two are equal before it compares times.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

const PROJECT = "registry-pull-access";
const STACK = "offline"; // as the Java side's: the Secrets' field managers are named after it
const GCP_PROJECT = "acme-dev";
const SECRET_NAME = "registry-pull-secret";
const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nOFFLINE-PLACEHOLDER-NOT-A-KEY\n-----END PRIVATE KEY-----\n";
const ROTATION_DAYS = 90;
const DAY = 86_400_000;

// FakeGoogleCloud's uid for namespace/name: Java's UUID.nameUUIDFromBytes (an MD5, version 3).
function uid(namespacedName) {
  const bytes = createHash("md5").update(namespacedName, "utf8").digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x30;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// FakeGoogleCloud's key file for projects/PROJECT/serviceAccounts/EMAIL.
function keyFile(accountName) {
  const [, project, , email] = accountName.split("/");
  return "{\n"
    + "  \"type\": \"service_account\",\n"
    + `  "project_id": "${project}",\n`
    + "  \"private_key_id\": \"0000000000000000000000000000000000000000\",\n"
    + `  "private_key": "${PRIVATE_KEY.replaceAll("\n", "\\n")}",\n`
    + `  "client_email": "${email}",\n`
    + "  \"client_id\": \"100000000000000000001\",\n"
    + "  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n"
    + "  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n"
    + "  \"universe_domain\": \"googleapis.com\"\n"
    + "}\n";
}

let registered = 0;
const mocks = {
  newResource(args) {
    if (args.id === undefined || args.id === "") registered++;
    const state = { ...args.inputs };
    switch (args.type) {
      case "gcp:serviceaccount/account:Account": {
        const email = `${args.inputs.accountId}@${args.inputs.project}.iam.gserviceaccount.com`;
        Object.assign(state, {
          email, member: `serviceAccount:${email}`, name: `projects/${args.inputs.project}/serviceAccounts/${email}`,
          uniqueId: "100000000000000000001",
        });
        break;
      }
      case "gcp:serviceaccount/key:Key": {
        const keepers = Object.values(args.inputs.keepers ?? {});
        Object.assign(state, {
          name: `${args.inputs.serviceAccountId}/keys/${keepers.length > 0 ? keepers[0] : "offline"}`,
          privateKey: Buffer.from(keyFile(args.inputs.serviceAccountId)).toString("base64"),
        });
        break;
      }
      case "kubernetes:core/v1:ConfigMap":
        state.metadata = { ...args.inputs.metadata, uid: uid(`${args.inputs.metadata.namespace}/${args.inputs.metadata.name}`) };
        break;
      case "kubernetes:core/v1:Namespace":
        // Read: the live Namespace by its name, with no labels or annotations (no record of an earlier update).
        if (args.id) state.metadata = { name: args.id, labels: {}, annotations: {} };
        break;
      case "kubernetes:core/v1:ServiceAccount": {
        // Read: the live object by its id "namespace/name", listing no pull secrets.
        const [namespace, name] = args.id.split("/");
        state.metadata = { namespace, name, resourceVersion: "1" };
        break;
      }
    }
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    if (args.token !== "gcp:projects/getOrganizationPolicy:getOrganizationPolicy") throw new Error(`unknown invoke ${args.token}`);
    return {
      ...args.inputs, id: `${args.inputs.project}:${args.inputs.constraint}`, etag: "", updateTime: "", version: 0,
      listPolicies: [], restorePolicies: [], booleanPolicies: [],
    };
  },
};

class Generic extends pulumi.CustomResource {
  constructor(type, name, props, opts) {
    super(type, name, props, opts);
  }
}

// The engine's URN of an earlier name under the component: what the Java program's aliases give.
const oldUrn = (type, name) => `urn:pulumi:${STACK}::${PROJECT}::registry-pull-access:index:PullAccess$${type}::${name}`;

// The Java side's KyvernoPolicies.digest of {resource, stack}: SHA-256 of the JSON with sorted keys.
const fieldManager = (resourceName) =>
  `${PROJECT}-${createHash("sha256").update(JSON.stringify({ resource: resourceName, stack: STACK })).digest("hex").slice(0, 16)}`;

const base64 = (text) => Buffer.from(text, "utf8").toString("base64");

// As kubectl writes it (the Java side's DockerConfigJson): servers sorted, username, password, auth.
function dockerConfigJson(servers, password) {
  const auths = servers.map((server) =>
    `${JSON.stringify(server)}:{"username":"_json_key","password":${JSON.stringify(password)},"auth":${JSON.stringify(base64(`_json_key:${password}`))}}`);
  return `{"auths":{${auths.join(",")}}}`;
}

function declare(namespaces) {
  const today = Math.floor(Date.now() / DAY);
  const periodStartDay = today - (today % ROTATION_DAYS);
  const periodStart = new Date(periodStartDay * DAY).toISOString().slice(0, 10);
  const nextRotation = new Date((periodStartDay + ROTATION_DAYS) * DAY).toISOString().slice(0, 10);
  const keyName = Math.floor(periodStartDay / ROTATION_DAYS) % 2 === 0 ? "key-even" : "key-odd";
  const registries = [
    { entry: "eu.gcr.io", host: "eu.gcr.io", project: GCP_PROJECT, location: "europe", repository: "eu.gcr.io" },
    {
      entry: "europe-west1-docker.pkg.dev/acme-shared/images", host: "europe-west1-docker.pkg.dev",
      project: "acme-shared", location: "europe-west1", repository: "images",
    },
  ];
  const hosts = registries.map((registry) => registry.host).sort();
  const labels = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": PROJECT };

  const parent = new pulumi.ComponentResource("registry-pull-access:index:PullAccess", "pull-access");
  // The record of what the last update deployed (DeploymentMarker), read before anything else, then checked against
  // this update's shape (SwitchGuard): no record here, so nothing is refused and no release is read.
  const recordRead = new Generic("kubernetes:core/v1:Namespace", "pull-access/deployed/read",
    { metadata: undefined }, { parent, version: "4.0.0", id: "default" });
  const namespaceNames = Array.from({ length: namespaces }, (_, i) => `team-${i + 1}`);
  const shape = {
    credentials: "key", clusterWide: false, namespaces: namespaceNames, excluded: [], home: PROJECT,
    secretName: SECRET_NAME, detach: false, podsNameSecret: false, releases: [], selector: false,
    serviceAccounts: ["default"],
  };
  const recordAnnotation = `registry-pull-access/deployed.${createHash("sha256").update(`${PROJECT}/${STACK}/pull-access`).digest("hex").slice(0, 16)}`;
  const previous = recordRead.metadata.apply((metadata) => metadata?.annotations?.[recordAnnotation]);
  const releases = recordRead.metadata.apply((metadata) =>
    Object.entries(metadata?.annotations ?? {}).filter(([name]) => name.startsWith("registry-pull-access/release.")).map(([, value]) => value));
  const checked = pulumi.all([previous, releases]).apply(() => shape);
  // The key-creation preflight: the account's project waits for the organization policy check.
  const constraint = "constraints/iam.disableServiceAccountKeyCreation";
  const checkedProject = pulumi.output(pulumi.runtime.invoke(
    "gcp:projects/getOrganizationPolicy:getOrganizationPolicy", { constraint, project: GCP_PROJECT }))
    .apply((policy) => {
      if ((policy.booleanPolicies ?? []).some((booleanPolicy) => booleanPolicy.enforced === true)) {
        throw new Error(`gcp:project ${GCP_PROJECT} enforces ${constraint}`);
      }
      return GCP_PROJECT;
    });
  const account = new Generic("gcp:serviceaccount/account:Account", "pull-access/sa",
    {
      accountId: "image-puller",
      description: "Pulls container images into Kubernetes clusters. Managed by Pulumi (registry-pull-access); changes made by hand are undone on the next update.",
      displayName: "Kubernetes image puller", project: checkedProject, email: undefined, member: undefined, name: undefined,
    },
    {
      parent, protect: false, version: "7.0.0",
      aliases: [{ type: "gcp:serviceAccount/account:Account" }, oldUrn("gcp:serviceaccount/account:Account", "pull-access-sa")],
    });
  const key = new Generic("gcp:serviceaccount/key:Key", `pull-access/${keyName}`,
    { keepers: { rotationPeriodStart: periodStart }, serviceAccountId: account.name, privateKey: undefined, name: undefined },
    {
      parent, version: "7.0.0", deleteBeforeReplace: false, additionalSecretOutputs: ["privateKey"],
      aliases: [
        { type: "gcp:serviceAccount/key:Key" },
        oldUrn("gcp:serviceaccount/key:Key", "pull-access/key"), oldUrn("gcp:serviceaccount/key:Key", "pull-access-key"),
      ],
    });
  const grants = registries.map((registry) => new Generic(
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
    `pull-access/reader/${registry.project}/${registry.location}/${registry.repository}`,
    {
      location: registry.location, member: account.member, project: registry.project, repository: registry.repository,
      role: "roles/artifactregistry.reader",
    },
    {
      parent, protect: false, version: "7.0.0",
      aliases: [oldUrn("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        `pull-access-reader-${registry.project}-${registry.location}-${registry.repository}`.replaceAll(".", "-"))],
    }));
  // Secret by the mocks (the key is), and the trailing newline dropped, as `$(cat key.json)` drops it.
  const data = pulumi.secret(key.privateKey.apply((privateKey) => ({
    ".dockerconfigjson": base64(dockerConfigJson(hosts, Buffer.from(privateKey, "base64").toString("utf8").replace(/\n+$/, ""))),
  })));
  const urns = [account.urn, key.urn, ...grants.map((grant) => grant.urn)];
  for (let i = 1; i <= namespaces; i++) {
    const namespace = `team-${i}`;
    const secretResource = `pull-access/${namespace}/pull-secret`;
    const owner = new Generic("kubernetes:core/v1:ConfigMap", `${secretResource}-owner`,
      {
        apiVersion: "v1", kind: "ConfigMap",
        metadata: {
          annotations: { "registry-pull-access/owns": `Secret ${SECRET_NAME}` }, labels, name: `${SECRET_NAME}-owner`, namespace,
        },
      },
      { parent, version: "4.0.0", dependsOn: grants });
    const secret = new Generic("kubernetes:core/v1:Secret", secretResource,
      {
        apiVersion: "v1", kind: "Secret",
        metadata: {
          annotations: {
            "pulumi.com/patchFieldManager": fieldManager(secretResource), "pulumi.com/patchForce": "true",
            "registry-pull-access/hosts": hosts.join(","),
          },
          labels, name: SECRET_NAME, namespace,
          ownerReferences: [{
            apiVersion: "v1", kind: "ConfigMap", name: `${SECRET_NAME}-owner`, uid: owner.metadata.apply((metadata) => metadata.uid),
          }],
        },
        type: "kubernetes.io/dockerconfigjson", data,
      },
      {
        parent, version: "4.0.0", dependsOn: grants, deleteBeforeReplace: false, retainOnDelete: true,
        additionalSecretOutputs: ["data", "stringData"],
        aliases: [oldUrn("kubernetes:core/v1:Secret", `pull-access-${namespace}-pull-secret`)],
      });
    const live = new Generic("kubernetes:core/v1:ServiceAccount", `pull-access/${namespace}/default/live`,
      { imagePullSecrets: undefined, metadata: undefined }, { parent, version: "4.0.0", id: `${namespace}/default` });
    const read = pulumi.all([live.imagePullSecrets, live.metadata]).apply(([listed, metadata]) => ({
      names: (listed ?? []).map((reference) => reference.name).filter((name) => name !== undefined),
      resourceVersion: metadata.resourceVersion ?? "",
    }));
    const patch = new Generic("kubernetes:core/v1:ServiceAccountPatch", `pull-access/${namespace}/default/sa`,
      {
        apiVersion: "v1", kind: "ServiceAccount",
        imagePullSecrets: read.apply(({ names }) =>
          [...new Set(names.filter((name) => name !== SECRET_NAME)), SECRET_NAME].map((name) => ({ name }))),
        metadata: {
          annotations: { "pulumi.com/patchForce": "true" }, name: "default", namespace,
          resourceVersion: read.apply(({ resourceVersion }) => resourceVersion),
        },
      },
      {
        parent, version: "4.0.0", dependsOn: [...grants, secret], retainOnDelete: true,
        aliases: [oldUrn("kubernetes:core/v1:ServiceAccountPatch", `pull-access-${namespace}-default-sa`)],
      });
    urns.push(owner.urn, secret.urn, patch.urn);
  }
  const outputs = {
    keyPeriodStart: periodStart,
    namespaces: namespaceNames,
    nextKeyRotation: nextRotation,
    pullSecretName: SECRET_NAME,
    registries: registries.map((registry) => ({
      entry: registry.entry, host: registry.host, role: "roles/artifactregistry.reader",
      resource: `projects/${registry.project}/locations/${registry.location}/repositories/${registry.repository}`,
    })),
    registryHosts: hosts,
    serviceAccountEmail: account.email,
  };
  // Recorded once everything the outputs come from is declared.
  const declared = pulumi.all(Object.values(outputs));
  const recorded = checked.apply((deployed) => declared.apply(() => deployed));
  const record = new Generic("kubernetes:core/v1:NamespacePatch", "pull-access/deployed",
    {
      apiVersion: "v1", kind: "Namespace",
      metadata: {
        name: "default",
        annotations: recorded.apply((deployed) => ({ [recordAnnotation]: JSON.stringify(deployed), "pulumi.com/patchForce": "true" })),
      },
    },
    { parent, version: "4.0.0", dependsOn: [recordRead] });
  urns.push(record.urn);
  parent.registerOutputs(outputs);
  return urns;
}

// --dump: what the program tells the engine, in the Java side's Declarations format.
const STACK_TYPE = "pulumi:pulumi:Stack";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function shortUrn(urn) {
  if (!urn) return "";
  const rest = urn.split("::").slice(2).join("::");
  return rest.startsWith(`${STACK_TYPE}::`) ? STACK_TYPE : rest.replaceAll(`${STACK_TYPE}$`, "");
}

// Its mocks declare no stack resource: a resource without a parent is the stack's child, as under the engine.
const parentUrn = (urn) => (urn ? shortUrn(urn) : STACK_TYPE);

function unwrapSecrets(value) {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  if (value[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return { secret: unwrapSecrets(value.value) };
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, unwrapSecrets(entry)]));
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
}

const struct = (message) => unwrapSecrets(message ? message.toJavaScript() : {});
const sortedUrns = (urns) => urns.map(shortUrn).sort();

function alias(request, proto) {
  if (proto.hasUrn()) return shortUrn(proto.getUrn());
  const spec = proto.getSpec();
  const parent = spec.getNoparent() ? "" : shortUrn(spec.getParenturn() || request.getParent());
  const type = spec.getType() || request.getType();
  const name = spec.getName() || request.getName();
  return !parent || parent === STACK_TYPE ? `${type}::${name}` : `${parent.slice(0, parent.lastIndexOf("::"))}$${type}::${name}`;
}

function dumping(monitor, lines) {
  const { registerResource, readResource, registerResourceOutputs, invoke } = monitor;
  monitor.registerResource = (request, callback) => {
    const propertyDependencies = {};
    request.getPropertydependenciesMap().forEach((dependencies, property) => {
      if (dependencies.getUrnsList().length > 0) propertyDependencies[property] = sortedUrns(dependencies.getUrnsList());
    });
    const timeouts = request.getCustomtimeouts();
    lines.push(canonical({
      op: "register", type: request.getType(), name: request.getName(), custom: request.getCustom(),
      parent: parentUrn(request.getParent()), inputs: struct(request.getObject()),
      dependencies: sortedUrns(request.getDependenciesList()), propertyDependencies,
      protect: request.getProtect() ?? false, retainOnDelete: request.getRetainondelete() ?? false,
      ...(request.getDeletebeforereplacedefined() ? { deleteBeforeReplace: request.getDeletebeforereplace() } : {}),
      ignoreChanges: [...request.getIgnorechangesList()].sort(),
      replaceOnChanges: [...request.getReplaceonchangesList()].sort(),
      additionalSecretOutputs: [...request.getAdditionalsecretoutputsList()].sort(),
      aliases: request.getAliasesList().map((proto) => alias(request, proto)).sort(),
      customTimeouts: timeouts ? `${timeouts.getCreate()}/${timeouts.getUpdate()}/${timeouts.getDelete()}` : "//",
      importId: request.getImportid(), provider: request.getProvider(), version: request.getVersion(),
    }));
    return registerResource.call(monitor, request, callback);
  };
  monitor.readResource = (request, callback) => {
    lines.push(canonical({
      op: "read", type: request.getType(), name: request.getName(), id: request.getId(),
      parent: parentUrn(request.getParent()), inputs: struct(request.getProperties()),
      dependencies: sortedUrns(request.getDependenciesList()), provider: request.getProvider(),
      version: request.getVersion(), additionalSecretOutputs: [...request.getAdditionalsecretoutputsList()].sort(),
    }));
    return readResource.call(monitor, request, callback);
  };
  monitor.registerResourceOutputs = (request, callback) => {
    lines.push(canonical({ op: "outputs", urn: shortUrn(request.getUrn()), outputs: struct(request.getOutputs()) }));
    return registerResourceOutputs.call(monitor, request, callback);
  };
  monitor.invoke = (request, callback) => {
    lines.push(canonical({ op: "invoke", tok: request.getTok(), args: struct(request.getArgs()) }));
    return invoke.call(monitor, request, callback);
  };
}

if (process.argv[2] === "--dump") {
  const lines = [];
  await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false);
  dumping(pulumi.runtime.getMonitor(), lines);
  const urns = declare(Number(process.argv[3] ?? 2));
  await Promise.all(urns.map((urn) => urn.promise()));
  // The component's outputs are registered once its output values are known: wait for every call to the monitor.
  await pulumi.runtime.waitForRPCs();
  lines.sort().forEach((line) => console.log(line));
} else {
  const namespaces = Number(process.argv[2] ?? 1000);
  const rounds = Number(process.argv[3] ?? 6);
  const times = [];
  for (let round = 0; round < rounds; round++) {
    await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false);
    const start = process.hrtime.bigint();
    const urns = declare(namespaces);
    await Promise.all(urns.map((urn) => urn.promise()));
    await pulumi.runtime.waitForRPCs(); // the component's outputs too, as the Java side waits for all its work
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (round === 0) {
      // The line the Java benchmark's side-by-side comparison reads (NodeComparison), as its ColdRun prints it.
      const cpu = process.cpuUsage();
      console.log(`cold ${namespaces} ${times[0].toFixed(0)} ms ${registered} resources ${((cpu.user + cpu.system) / 1000).toFixed(0)} cpu-ms`);
    }
  }
  if (rounds > 1) console.log(`node ${process.version}, N=${namespaces}: first ${times[0].toFixed(0)} ms, best of the other ${rounds - 1} ${Math.min(...times.slice(1)).toFixed(0)} ms`);
}
