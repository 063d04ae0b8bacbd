// The program's declarations for N namespaces under the Node.js SDK's mocks, to compare with the Java
// benchmark: the same resource types, inputs, parents, dependencies and live ServiceAccount reads, made
// with generic resources so that no provider package is needed. Run: npm ci && node bench.mjs [N] [rounds]
import * as pulumi from "@pulumi/pulumi";

let registered = 0;
const mocks = {
  newResource(args) {
    if (args.id === undefined || args.id === "") registered++;
    const state = { ...args.inputs };
    if (args.type === "gcp:serviceaccount/account:Account") {
      const email = `${args.inputs.accountId}@${args.inputs.project}.iam.gserviceaccount.com`;
      Object.assign(state, { email, member: `serviceAccount:${email}`, name: `projects/${args.inputs.project}/serviceAccounts/${email}` });
    } else if (args.type === "gcp:serviceaccount/key:Key") {
      Object.assign(state, { privateKey: Buffer.from('{"type":"service_account"}').toString("base64"), name: `${args.inputs.serviceAccountId}/keys/1` });
    } else if (args.type === "kubernetes:core/v1:ServiceAccount") {
      state.imagePullSecrets = [];
    }
    return { id: `${args.name}-id`, state };
  },
  call() {
    return {};
  },
};

class Generic extends pulumi.CustomResource {
  constructor(type, name, props, opts) {
    super(type, name, props, opts);
  }
}

function declare(namespaces) {
  const parent = new pulumi.ComponentResource("registry-pull-access:index:PullAccess", "pull-access");
  const account = new Generic("gcp:serviceaccount/account:Account", "pull-access-sa",
    { project: "acme-dev", accountId: "image-puller", displayName: "Kubernetes image puller", email: undefined, member: undefined, name: undefined },
    { parent });
  const grants = ["eu.gcr.io", "images"].map((repository) => new Generic(
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", `pull-access-reader-${repository}`,
    { project: "acme-dev", location: "europe", repository, role: "roles/artifactregistry.reader", member: account.member },
    { parent }));
  const key = new Generic("gcp:serviceaccount/key:Key", "pull-access-key",
    { serviceAccountId: account.name, privateKey: undefined, name: undefined }, { parent });
  const data = pulumi.secret(key.privateKey.apply((privateKey) => ({
    ".dockerconfigjson": Buffer.from(JSON.stringify({ auths: { "eu.gcr.io": { username: "_json_key", password: Buffer.from(privateKey, "base64").toString() } } })).toString("base64"),
  })));
  const urns = [account.urn, key.urn, ...grants.map((grant) => grant.urn)];
  const labels = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "registry-pull-access" };
  for (let i = 1; i <= namespaces; i++) {
    const namespace = `team-${i}`;
    const secret = new Generic("kubernetes:core/v1:Secret", `pull-access-${namespace}-pull-secret`,
      {
        metadata: {
          name: "registry-pull-secret", namespace, labels,
          annotations: { "registry-pull-access/hosts": "eu.gcr.io,europe-west1-docker.pkg.dev" },
        },
        type: "kubernetes.io/dockerconfigjson", data,
      },
      { parent, dependsOn: grants });
    const live = new Generic("kubernetes:core/v1:ServiceAccount", `pull-access-${namespace}-default-live`,
      { imagePullSecrets: undefined }, { parent, id: `${namespace}/default` });
    const patch = new Generic("kubernetes:core/v1:ServiceAccountPatch", `pull-access-${namespace}-default-sa`,
      {
        metadata: { name: "default", namespace, annotations: { "pulumi.com/patchForce": "true" } },
        imagePullSecrets: live.imagePullSecrets.apply((names) => [...(names ?? []), { name: "registry-pull-secret" }]),
      },
      { parent, dependsOn: [...grants, secret], retainOnDelete: true });
    urns.push(secret.urn, patch.urn);
  }
  return urns;
}

const namespaces = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 6);
const times = [];
for (let round = 0; round < rounds; round++) {
  await pulumi.runtime.setMocks(mocks, "registry-pull-access", `bench-${round}`, false);
  const start = process.hrtime.bigint();
  const urns = declare(namespaces);
  await Promise.all(urns.map((urn) => urn.promise()));
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (round === 0) {
    // The line the Java benchmark's side-by-side comparison reads (NodeComparison), as its ColdRun prints it.
    const cpu = process.cpuUsage();
    console.log(`cold ${namespaces} ${times[0].toFixed(0)} ms ${registered} resources ${((cpu.user + cpu.system) / 1000).toFixed(0)} cpu-ms`);
  }
}
if (rounds > 1) console.log(`node ${process.version}, N=${namespaces}: first ${times[0].toFixed(0)} ms, best of the other ${rounds - 1} ${Math.min(...times.slice(1)).toFixed(0)} ms`);
