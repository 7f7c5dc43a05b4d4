// Pulumi in a deployment pipeline, through plain `pulumi` commands in a fresh project running
// the program of examples/pipeline, against moto for Cognito, S3 and KMS, all on loopback:
//  1. State in an S3 bucket (the DIY backend), secrets encrypted with a KMS key: which endpoint
//     settings the CLI honours, up, sign-in, a password change, refresh, destroy; every object
//     in the bucket read back and scanned; a disabled key stops the next command, naming KMS,
//     and nothing is lost.
//  2. The example's GitHub Actions jobs, command for command: a pull request's preview with
//     read-only credentials (no write call, the planned changes, no secret), the drift gate,
//     the deployment; the IAM policies of examples/pipeline/iam derived from the calls counted.
//  3. Two pipelines at once: the backend's lock, and what `pulumi cancel` does to a running `up`.
// The CLI reaches S3 and KMS through AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_KMS (fault proxies
// in front of moto; the S3 one names requests by IAM action); the program's Cognito `endpoint`
// is another, which counts every call per operation and can refuse some.
// What is the CLI's, gocloud's or the AWS SDKs' own behaviour is cited, not re-tested here:
//  - service-specific endpoint variables (AWS_ENDPOINT_URL_S3, _KMS; the generic
//    AWS_ENDPOINT_URL): https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html;
//    the `endpoint`, `use_path_style` and `region` parameters of s3:// and awskms:// URLs:
//    https://gocloud.dev/howto/blob/#s3 and https://gocloud.dev/howto/secrets/#aws;
//  - the AWS SDK for Go's "Response has no supported checksum" warning, and
//    AWS_RESPONSE_CHECKSUM_VALIDATION=when_required:
//    https://docs.aws.amazon.com/sdkref/latest/guide/feature-dataintegrity.html;
//  - `pulumi cancel` deletes the lock of a running update without stopping it:
//    https://www.pulumi.com/docs/iac/cli/commands/pulumi_cancel/.
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepwise } from "../support/stepwise";
import { parseDocument } from "yaml";
import {
  adminSetPassword,
  createPool,
  createUser,
  signIn,
  strongPassword,
  type Pool,
} from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import { newestPulumi, packPackage, ROOT, type CliResult, type ConsumerProject } from "../support/consumer";
import type { Emulator } from "../harness/emulators";
import { startFaultProxy, type FaultProxy, type RuleHandle } from "../harness/fault-proxy";
import {
  createBucket,
  createKmsKey,
  disableKey,
  enableKey,
  fingerprint,
  keyState,
  listKeys,
  readBucket,
  refuseS3Writes,
  s3Requests,
  S3_WRITE_ACTIONS,
  startS3Proxy,
  type KmsKey,
  type StoredObject,
} from "../support/pipeline-aws";
import { describeLeaks, SecretScanner, type Leak } from "../harness/secret-scanner";

const EXAMPLE = path.join(ROOT, "examples", "pipeline");
const WORKFLOW_FILE = path.join(EXAMPLE, ".github", "workflows", "pulumi.yml");
const POLICY_FILES: Record<string, string> = {
  AWS_PREVIEW_ROLE_ARN: path.join(EXAMPLE, "iam", "preview-policy.json"),
  AWS_DEPLOY_ROLE_ARN: path.join(EXAMPLE, "iam", "deploy-policy.json"),
};
const REGION = "us-east-1";

/** Passwords with the characters that escaping and encoding get wrong (Cognito accepts them). */
function awkwardPassword(): string {
  return `${strongPassword()}"\\%+/=$`;
}

/** The project name of examples/pipeline/Pulumi.yaml. */
function exampleProjectName(): string {
  const doc = parseDocument(readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")).toJS() as { name: string };
  return doc.name;
}

const backendUrl = (bucket: string) => `s3://${bucket}?region=${REGION}`;
const secretsProvider = (key: KmsKey) => `awskms://${key.alias}?region=${REGION}`;

/** A transcript entry's command, without the value of a `config set` (it may be a password). */
function label(result: CliResult): string {
  const dashes = result.command.indexOf(" -- ");
  return dashes < 0 ? result.command : `${result.command.slice(0, dashes)} -- <value>`;
}

/** The UserPassword steps a `--diff` preview plans, by resource name, e.g. `{carol: "create"}`. */
function plannedSteps(output: string): Record<string, string> {
  const steps: Record<string, string> = {};
  const block = /^\s*[+~-] \S+UserPassword: \((\w+)\)\n(?:\s+\[id=[^\]\n]*\]\n)?\s+\[urn=[^\]\n]*::([\w-]+)\]/gm;
  for (const [, step, name] of output.matchAll(block)) steps[name as string] = step as string;
  return steps;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The harness's proxy is the program's Cognito endpoint.
const h = useEngineHarness({ project: "consumer-pipeline", credentials: "testing", pool: false, proxy: true });
let moto: Emulator;
let project: ConsumerProject;
/** The program's Cognito endpoint. */
let cognito: FaultProxy;
/** The CLI's KMS endpoint (AWS_ENDPOINT_URL_KMS). */
let kms: FaultProxy;
/** The CLI's S3 endpoint (AWS_ENDPOINT_URL_S3): counts per IAM action. */
let s3: FaultProxy;
/** S3 writes refused by read-only rules since the last `resetProxies`, summed as rules are removed. */
let s3Refused = 0;
const started = Date.now();

beforeAll(async () => {
  const tarball = packPackage();
  moto = h.emulator;
  cognito = h.proxy;
  kms = await startFaultProxy(moto.endpoint, { recordBodies: false });
  s3 = await startS3Proxy(moto.endpoint);
  project = h.project({
    cell: { pulumiVersion: newestPulumi(), nodeMajor: 24, packageManager: "npm" },
    program: readFileSync(path.join(EXAMPLE, "index.ts"), "utf8"),
    name: exampleProjectName(),
    env: {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      // moto returns no checksums: without this the CLI's AWS SDK warns on every S3 read.
      AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    },
  });
  // A pipeline has no passphrase: the KMS key is the only way to the secrets.
  project.setEnv({ PULUMI_CONFIG_PASSPHRASE: undefined });
  project.install(tarball);
});

afterAll(async () => {
  console.log(`[consumer] pipeline: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await Promise.all([kms?.stop(), s3?.stop()]);
});

/** Fresh counters and no rules on every proxy. */
function resetProxies(): void {
  for (const proxy of [cognito, kms, s3]) {
    proxy.clearRules();
    proxy.resetCounts();
  }
  s3Refused = 0;
}

/** Fresh proxies, and what one pipeline has of its own: a pool with `users`, a state bucket, a KMS key. */
async function freshPipeline(users: string[]): Promise<{ pool: Pool; bucket: string; key: KmsKey }> {
  resetProxies();
  const pool = await createPool(moto.endpoint);
  for (const user of users) await createUser(pool, user);
  return { pool, bucket: await createBucket(moto.endpoint), key: await createKmsKey(moto.endpoint) };
}

/** Leaks of `secrets` in the outputs of the commands from `from` on (but `skip`), and in the bucket's objects. */
function leaksIn(
  secrets: string[],
  from: number,
  objects: StoredObject[],
  skip: (r: CliResult) => boolean = () => false,
): Leak[] {
  const scanner = new SecretScanner(secrets);
  return [
    ...scanner.scanTexts(
      project.transcript
        .slice(from)
        .filter((r) => !skip(r))
        .map((r) => ({ text: r.output, where: label(r) })),
    ),
    ...objects.flatMap((o) => scanner.scanText(o.body, `s3 object ${o.key}`)),
    ...project
      .stateFolders()
      .flatMap((dir) => scanner.scanDirectory(dir, { exclude: (f) => f.includes("node_modules") })),
  ];
}

const showsSecrets = (r: CliResult) => r.command.includes("--show-secrets");

describe("state in S3, secrets encrypted by KMS: up, sign-in, a change, refresh, destroy", () => {
  stepwise();
  const STACK = "kms";
  const passwords = {
    alice: awkwardPassword(),
    bob: awkwardPassword(),
    alice2: awkwardPassword(),
    alice3: awkwardPassword(),
  };
  let pool: Pool;
  let bucket: string;
  let key: KmsKey;
  let first: number;

  beforeAll(async () => {
    ({ pool, bucket, key } = await freshPipeline(["alice", "bob"]));
    project.setEnv({ PULUMI_BACKEND_URL: backendUrl(bucket) });
    first = project.transcript.length;
  });

  it("stack init with the awskms:// secrets provider, the passwords as secret config", async () => {
    kms.resetCounts();
    await project.pulumi(["stack", "select", STACK, "--create", "--secrets-provider", secretsProvider(key)]);
    const stackConfig = readFileSync(path.join(project.dir, `Pulumi.${STACK}.yaml`), "utf8");
    expect(stackConfig).toContain(`secretsprovider: ${secretsProvider(key)}`);
    expect(stackConfig).toMatch(/^encryptedkey: \S+$/m);
    // The data key is made locally, encrypted by KMS and decrypted back: stack init needs kms:Encrypt (and Decrypt).
    expect(Object.keys(kms.counts).sort()).toEqual(["Decrypt", "Encrypt"]);
    // The CLI's S3 calls go through the S3 proxy (AWS_ENDPOINT_URL_S3): the later write checks stand on it.
    expect(s3.count("s3:GetObject")).toBeGreaterThan(0);
    await project.configSet("userPoolId", pool.userPoolId);
    await project.configSet("aws:region", REGION);
    await project.configSet("users.alice.permanent", "true", { flags: ["--path"] });
    await project.configSet("users.bob.permanent", "false", { flags: ["--path"] });
    await project.configSet("passwords.alice", passwords.alice, { secret: true, flags: ["--path"] });
    await project.configSet("passwords.bob", passwords.bob, { secret: true, flags: ["--path"] });
    const { stdout } = await project.pulumi(["config"]);
    expect(stdout).toMatch(/passwords\s+\{"alice":"\[secret\]","bob":"\[secret\]"\}|passwords\s+\[secret\]/);
  });

  it("Cognito: AWS_ENDPOINT_URL redirects the provider's calls too; AWS_ENDPOINT_URL_S3 and _KMS do not", async () => {
    // The program's `endpoint` is not set yet: the provider resolves it as the AWS SDK does.
    const probe = await startFaultProxy(moto.endpoint, { recordBodies: false });
    try {
      const generic = await project.pulumi(["preview"], {
        env: { AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL_KMS: undefined, AWS_ENDPOINT_URL: probe.endpoint },
      });
      expect(generic.code).toBe(0);
      // Cognito (the provider's policy check), KMS and S3 (no X-Amz-Target) all went to the generic endpoint.
      expect(probe.count("DescribeUserPool")).toBeGreaterThan(0);
      expect(probe.count("Decrypt")).toBeGreaterThan(0);
      expect(probe.count("(none)")).toBeGreaterThan(0);
      probe.resetCounts();
      kms.resetCounts();
      s3.resetCounts();
      // The service-specific variables: each service to its own endpoint. Cognito's is
      // AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (or the `endpoint` input); it sees no S3 or
      // KMS call, and the S3 and KMS endpoints see no Cognito call.
      const specific = await project.pulumi(["preview"], {
        env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: probe.endpoint },
      });
      expect(specific.code).toBe(0);
      expect(Object.keys(probe.counts)).toEqual(["DescribeUserPool"]);
      expect(Object.keys(kms.counts)).toEqual(["Decrypt"]);
      expect(Object.keys(s3.counts).filter((a) => !/^s3:(GetObject|ListBucket)$/.test(a))).toEqual([]);
    } finally {
      await probe.stop();
    }
    await project.configSet("endpoint", cognito.endpoint);
  });

  it("up sets the declared passwords; the seeded passwords come back from stack output --show-secrets", async () => {
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/\+ 3 created/);
    expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
    const plain = JSON.parse((await project.pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
    expect(plain.seededPasswords).toBe("[secret]");
    expect(plain.userStatuses).toEqual({ alice: "CONFIRMED", bob: "FORCE_CHANGE_PASSWORD" });
    const shown = JSON.parse(
      (await project.pulumi(["stack", "output", "seededPasswords", "--show-secrets", "--json"])).stdout,
    ) as Record<string, string>;
    expect(shown).toEqual({ alice: passwords.alice, bob: passwords.bob });
  });

  it("a password changed in secret config updates that user only", async () => {
    await project.configSet("passwords.alice", passwords.alice2, { secret: true, flags: ["--path"] });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(output).toMatch(/2 unchanged/);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
    expect(await signIn(pool, "alice", passwords.alice)).toBe("refused");
  });

  it("refresh finds the users as declared", async () => {
    const { output } = await project.pulumi(["refresh", "--yes"]);
    expect(output).toMatch(/3 unchanged/);
    expect(output).not.toMatch(/updated/);
  });

  it("every object in the bucket (checkpoint, history, backups) holds no password in any encoding, and the secrets as KMS-protected ciphertext", async () => {
    const objects = await readBucket(moto.endpoint, bucket);
    const keys = objects.map((o) => o.key);
    const project_ = exampleProjectName();
    expect(keys).toContain(`.pulumi/stacks/${project_}/${STACK}.json`);
    expect(keys.filter((k) => k.startsWith(`.pulumi/history/${project_}/${STACK}/`)).length).toBeGreaterThanOrEqual(6);
    expect(keys.filter((k) => k.startsWith(`.pulumi/backups/${project_}/${STACK}/`)).length).toBeGreaterThanOrEqual(1);
    expect(keys.filter((k) => k.startsWith(".pulumi/locks/"))).toEqual([]);
    const stateObject = objects.find((o) => o.key === `.pulumi/stacks/${project_}/${STACK}.json`) as StoredObject;
    const checkpoint = JSON.parse(stateObject.body.toString("utf8")) as {
      checkpoint: {
        latest: {
          secrets_providers: { type: string; state: { url: string } };
          resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
        };
      };
    };
    const latest = checkpoint.checkpoint.latest;
    expect(latest.secrets_providers.type).toBe("cloud");
    expect(latest.secrets_providers.state.url).toBe(secretsProvider(key));
    const alice = latest.resources.find((r) => r.type.endsWith("UserPassword") && r.inputs?.username === "alice");
    // Secret values are stored as {<sig>: ..., ciphertext: "..."}, encrypted with the stack's data key.
    const ciphertextOf = (value: unknown) => (value as { ciphertext?: unknown } | undefined)?.ciphertext;
    expect(typeof ciphertextOf(alice?.inputs?.password)).toBe("string");
    const stack = latest.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    expect(typeof ciphertextOf(stack?.outputs?.seededPasswords)).toBe("string");
    const leaks = new SecretScanner(Object.values(passwords)).scanTexts(
      objects.map((o) => ({ text: o.body, where: `s3 object ${o.key}` })),
    );
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it("a disabled KMS key: the next command fails at once naming KMS, and nothing is lost", async () => {
    await project.configSet("passwords.alice", passwords.alice3, { secret: true, flags: ["--path"] });
    const before = fingerprint(await readBucket(moto.endpoint, bucket));
    const rules = await disableKey(moto.endpoint, key, kms);
    try {
      expect(await keyState(moto.endpoint, key)).toBe("Disabled");
      cognito.resetCounts();
      const t0 = Date.now();
      const up = await project.pulumi(["up", "--yes"], { allowFailure: true });
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(up.code).toBe(1);
      expect(up.output).toMatch(/operation error KMS: Decrypt/);
      expect(up.output).toMatch(/DisabledException/);
      const preview = await project.pulumi(["preview"], { allowFailure: true });
      expect(preview.code).not.toBe(0);
      expect(preview.output).toMatch(/operation error KMS: Decrypt.*DisabledException/);
      // No Cognito call, no state object written, alice still on her previous password.
      expect(cognito.count()).toBe(0);
      expect(fingerprint(await readBucket(moto.endpoint, bucket))).toEqual(before);
      expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
      expect(rules.reduce((n, r) => n + r.hits, 0)).toBeGreaterThanOrEqual(2);
    } finally {
      await enableKey(moto.endpoint, key, rules);
    }
  });

  it("the key enabled again, the stack goes on: up sets the pending change", async () => {
    expect(await keyState(moto.endpoint, key)).toBe("Enabled");
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(await signIn(pool, "alice", passwords.alice3)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("destroy scrambles the passwords; no password in any output, the project, PULUMI_HOME or any bucket object", async () => {
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 3 deleted/);
    expect(await signIn(pool, "alice", passwords.alice3)).toBe("refused");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("refused");
    const leaks = leaksIn(Object.values(passwords), first, await readBucket(moto.endpoint, bucket), showsSecrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});

// ---- the example's workflow ----

interface WorkflowJob {
  name: string;
  /** The name of the variable holding the role the job assumes, e.g. AWS_PREVIEW_ROLE_ARN. */
  roleVariable: string;
  /** Its `pulumi` commands, as run: variables expanded. */
  commands: string[];
}

interface Workflow {
  env: Record<string, string>;
  jobs: WorkflowJob[];
  raw: Record<string, unknown>;
}

/**
 * The workflow's jobs and the `pulumi` commands of their `run` steps, one per line, cut at the
 * first shell operator (`>`, `|`, `;`, `&&`, a comment), with `$VAR`/`"$VAR"` expanded from
 * the workflow's `env` (`vars` gives the values of entries that come from GitHub variables).
 */
function readWorkflow(vars: Record<string, string>): Workflow {
  const doc = parseDocument(readFileSync(WORKFLOW_FILE, "utf8"));
  if (doc.errors.length > 0) throw new Error(`${WORKFLOW_FILE}: ${doc.errors.map((e) => e.message).join("; ")}`);
  const raw = doc.toJS() as {
    env: Record<string, string>;
    jobs: Record<string, { steps: Array<{ run?: string; with?: Record<string, string> }> }>;
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.env)) {
    const fromGitHub = /\$\{\{\s*vars\.\w+\s*\}\}/.test(String(value));
    if (fromGitHub && vars[name] === undefined) continue;
    env[name] = fromGitHub ? (vars[name] as string) : String(value);
  }
  const expand = (word: string) =>
    word.replace(/\$\{?(\w+)\}?/g, (_m, name: string) => {
      const value = env[name];
      if (value === undefined) throw new Error(`${WORKFLOW_FILE}: $${name} is not in the workflow's env`);
      return value;
    });
  const jobs = Object.entries(raw.jobs).map(([name, job]) => {
    const role = job.steps.map((s) => s.with?.["role-to-assume"]).find(Boolean) ?? "";
    const roleVariable = /vars\.(\w+)/.exec(role)?.[1] ?? "";
    const commands: string[] = [];
    for (const step of job.steps) {
      for (const line of (step.run ?? "").replace(/\\\n/g, " ").split("\n")) {
        const trimmed = line.trim();
        if (!trimmed.startsWith("pulumi ")) continue;
        const words = [...trimmed.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)];
        const kept: string[] = [];
        for (const [whole, dq, sq, bare] of words) {
          if (bare !== undefined && /^(>|>>|\||;|&&|\|\||#.*)$/.test(bare)) break;
          if (whole.startsWith("#")) break;
          kept.push(sq !== undefined ? sq : expand(dq ?? bare ?? ""));
        }
        commands.push(kept.join(" "));
      }
    }
    return { name, roleVariable, commands };
  });
  return { env, jobs, raw };
}

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

function policy(file: string): PolicyStatement[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { Statement: PolicyStatement[] }).Statement;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** The Allow actions of a policy with the given service prefix, sorted. */
function allowedActions(statements: PolicyStatement[], service: string): string[] {
  return [
    ...new Set(
      statements
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => list(s.Action))
        .filter((a) => a.startsWith(`${service}:`)),
    ),
  ].sort();
}

/** What one role's jobs were seen to call, summed over every run of them. */
interface RoleCalls {
  cognito: Set<string>;
  kms: Set<string>;
  s3: Set<string>;
  s3Keys: Set<string>;
  s3Buckets: Set<string>;
}

describe("the example pipeline's jobs: a pull request's preview with read-only credentials, the drift gate, the deployment, and least privilege", () => {
  stepwise();
  const passwords = {
    alice: awkwardPassword(),
    bob: awkwardPassword(),
    alice2: awkwardPassword(),
    carol: awkwardPassword(),
    drifted: strongPassword(),
  };
  let pool: Pool;
  let bucket: string;
  let key: KmsKey;
  let first: number;
  let workflow: Workflow;
  let STACK: string;
  /** Per workflow job: the commands it ran here (every run). */
  const ran = new Map<string, string[][]>();
  const calls: Record<string, RoleCalls> = {};
  let readOnlyRules: RuleHandle[] = [];
  let s3Rules: RuleHandle[] = [];
  /** Requests the read-only rules refused (Cognito and KMS writes), summed as rules are removed. */
  let refusedByRules = 0;

  const job = (name: string) => {
    const found = workflow.jobs.find((j) => j.name === name);
    if (!found) throw new Error(`the workflow has no job ${name}`);
    return found;
  };

  /** Read-only credentials, as the preview role has: every write refused with AccessDenied. */
  const readOnly = (on: boolean) => {
    for (const rule of readOnlyRules) {
      refusedByRules += rule.hits;
      rule.remove();
    }
    for (const rule of s3Rules) {
      s3Refused += rule.hits;
      rule.remove();
    }
    readOnlyRules = [];
    s3Rules = [];
    if (!on) return;
    s3Rules = refuseS3Writes(s3);
    const denied = (service: string, action: string) => ({
      status: 400,
      type: "AccessDeniedException",
      message: `User: arn:aws:sts::123456789012:assumed-role/pulumi-preview/github is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`,
    });
    readOnlyRules = [
      cognito.failWith("AdminSetUserPassword", denied("cognito-idp", "AdminSetUserPassword")),
      ...["Encrypt", "GenerateDataKey", "ReEncrypt"].map((op) => kms.failWith(op, denied("kms", op))),
    ];
  };

  /**
   * Runs the workflow job `name` the way the runner does: its `pulumi` commands in order (the
   * ones in the test, `args`, must be those of the workflow), stopping at the first failure;
   * preview and drift run with read-only credentials. Counts what the job called, per role.
   */
  const runJob = async (name: string, args: string[][]): Promise<CliResult[]> => {
    const { roleVariable } = job(name);
    resetProxies();
    readOnly(roleVariable === "AWS_PREVIEW_ROLE_ARN");
    const results: CliResult[] = [];
    try {
      for (const command of args) {
        const result = await project.pulumi(command, { allowFailure: true });
        results.push(result);
        if (result.code !== 0) break;
      }
    } finally {
      const seen = (calls[roleVariable] ??= {
        cognito: new Set(),
        kms: new Set(),
        s3: new Set(),
        s3Keys: new Set(),
        s3Buckets: new Set(),
      });
      for (const op of Object.keys(cognito.counts)) seen.cognito.add(op);
      for (const op of Object.keys(kms.counts)) seen.kms.add(op);
      for (const request of s3Requests(s3)) {
        for (const action of request.actions) seen.s3.add(action);
        if (request.key) seen.s3Keys.add(request.key);
        seen.s3Buckets.add(request.bucket);
      }
      ran.set(name, [...(ran.get(name) ?? []), args.map((a) => results[args.indexOf(a)]?.command ?? "(not run)")]);
      readOnly(false);
    }
    return results;
  };

  const stackSelect = () => ["stack", "select", STACK, "--create", "--secrets-provider", secretsProvider(key)];
  const previewJob = () => runJob("preview", [stackSelect(), ["preview", "--diff"]]);
  const driftJob = () => runJob("drift", [stackSelect(), ["preview", "--refresh", "--expect-no-changes"]]);
  const deployJob = () =>
    runJob("deploy", [
      stackSelect(),
      ["up", "--refresh", "--yes"],
      ["stack", "output", "seededPasswords", "--show-secrets", "--json"],
    ]);
  const expectSucceeded = (results: CliResult[], count: number) => {
    expect(results.map((r) => [label(r), r.code === 0 ? "ok" : r.output])).toEqual(
      results.map((r) => [label(r), "ok"]),
    );
    expect(results).toHaveLength(count);
  };

  beforeAll(async () => {
    ({ pool, bucket, key } = await freshPipeline(["alice", "bob", "carol"]));
    workflow = readWorkflow({ PULUMI_BACKEND_URL: backendUrl(bucket), SECRETS_PROVIDER: secretsProvider(key) });
    STACK = workflow.env.STACK as string;
    project.setEnv({ PULUMI_BACKEND_URL: workflow.env.PULUMI_BACKEND_URL });
    first = project.transcript.length;
  });

  afterAll(() => {
    readOnly(false);
  });

  it("a developer, once: the stack with the KMS secrets provider, and its config (committed with the repository)", async () => {
    await project.pulumi(stackSelect());
    await project.configSet("userPoolId", pool.userPoolId);
    await project.configSet("endpoint", cognito.endpoint);
    await project.configSet("aws:region", REGION);
    await project.configSet("users.alice.permanent", "true", { flags: ["--path"] });
    await project.configSet("users.bob.permanent", "false", { flags: ["--path"] });
    await project.configSet("passwords.alice", passwords.alice, { secret: true, flags: ["--path"] });
    await project.configSet("passwords.bob", passwords.bob, { secret: true, flags: ["--path"] });
  });

  it("deploy job (main): up sets the passwords, and the pipeline's tests read them from stack output --show-secrets --json", async () => {
    const results = await deployJob();
    expectSucceeded(results, 3);
    expect(results[1]?.output).toMatch(/\+ 3 created/);
    expect(JSON.parse(results[2]?.stdout ?? "")).toEqual({ alice: passwords.alice, bob: passwords.bob });
    expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("a pull request changes the config: a new user, a new password, a temporary password made permanent", async () => {
    await project.configSet("users.carol.permanent", "true", { flags: ["--path"] });
    await project.configSet("passwords.carol", passwords.carol, { secret: true, flags: ["--path"] });
    await project.configSet("passwords.alice", passwords.alice2, { secret: true, flags: ["--path"] });
    await project.configSet("users.bob.permanent", "true", { flags: ["--path"] });
  });

  it("preview job (pull request), read-only: shows the planned changes, needs and makes no write call, shows no secret", async () => {
    const before = fingerprint(await readBucket(moto.endpoint, bucket));
    refusedByRules = 0;
    const results = await previewJob();
    expectSucceeded(results, 2);
    const output = results[1]?.output ?? "";
    expect(output).toMatch(/\+ 1 to create/);
    expect(output).toMatch(/~ 2 to update/);
    expect(plannedSteps(output)).toEqual({ carol: "create", alice: "update", bob: "update" });
    expect(output).toMatch(/~ permanent\s*:\s*false => true/);
    // No write was even attempted: AdminSetUserPassword never reached the proxy, whose rule
    // would have refused it; no S3 write; KMS only decrypted.
    expect(cognito.count("AdminSetUserPassword")).toBe(0);
    expect(refusedByRules).toBe(0);
    expect(Object.keys(cognito.counts).sort()).toEqual(["DescribeUserPool"]);
    expect(s3Refused).toBe(0);
    expect(Object.keys(s3.counts).filter((a) => S3_WRITE_ACTIONS.has(a))).toEqual([]);
    expect(Object.keys(kms.counts)).toEqual(["Decrypt"]);
    expect(fingerprint(await readBucket(moto.endpoint, bucket))).toEqual(before);
    // Cognito unchanged.
    expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(pool, "carol", passwords.carol)).toBe("refused");
    const leaks = new SecretScanner(Object.values(passwords)).scanTexts(
      results.map((r) => ({ text: r.output, where: label(r) })),
    );
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it("drift gate, read-only: fails while a change is not deployed", async () => {
    const results = await driftJob();
    expect(results[0]?.code).toBe(0);
    // Exit code 7 (the CLI's ExitNoChanges): a pipeline tells "changes pending" from an error (1).
    expect(results[1]?.code).toBe(7);
    expect(results[1]?.output).toMatch(/no changes were expected for preview but changes were proposed/);
    readOnly(true);
    const plain = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    // A refresh does not run the program: a change in config is no drift to it.
    const refreshGate = await project.pulumi(["refresh", "--preview-only", "--expect-no-changes"], {
      allowFailure: true,
    });
    readOnly(false);
    expect(plain.code).toBe(7);
    expect(plain.output).toMatch(/no changes were expected for preview but changes were proposed/);
    expect([refreshGate.code, refreshGate.output]).toEqual([0, refreshGate.output]);
    expect(cognito.count("AdminSetUserPassword")).toBe(0);
  });

  it("deploy job: the change goes out; every user signs in as declared", async () => {
    const results = await deployJob();
    expectSucceeded(results, 3);
    expect(results[1]?.output).toMatch(/\+ 1 created/);
    expect(results[1]?.output).toMatch(/~ 2 updated/);
    expect(JSON.parse(results[2]?.stdout ?? "")).toEqual({
      alice: passwords.alice2,
      bob: passwords.bob,
      carol: passwords.carol,
    });
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("tokens");
    expect(await signIn(pool, "carol", passwords.carol)).toBe("tokens");
  });

  it("drift gate passes when nothing changed (after a password-changing up)", async () => {
    const results = await driftJob();
    expectSucceeded(results, 2);
    readOnly(true);
    const refreshGate = await project.pulumi(["refresh", "--preview-only", "--expect-no-changes"], {
      allowFailure: true,
    });
    const previewGate = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    readOnly(false);
    expect([refreshGate.code, refreshGate.output]).toEqual([0, refreshGate.output]);
    expect([previewGate.code, previewGate.output]).toEqual([0, previewGate.output]);
  });

  it("drift gate fails on drift (a temporary password set outside the stack), read-only, with no write", async () => {
    await adminSetPassword(pool, "alice", passwords.drifted, false);
    const before = fingerprint(await readBucket(moto.endpoint, bucket));
    const results = await driftJob();
    expect(results[1]?.code).toBe(7);
    expect(results[1]?.output).toMatch(/no changes were expected for preview but changes were proposed/);
    readOnly(true);
    const refreshGate = await project.pulumi(["refresh", "--preview-only", "--expect-no-changes"], {
      allowFailure: true,
    });
    readOnly(false);
    expect(refreshGate.code).toBe(7);
    expect(refreshGate.output).toMatch(/no changes were expected for refresh but changes were proposed/);
    expect(cognito.count("AdminSetUserPassword")).toBe(0);
    expect(s3Refused).toBe(0);
    expect(fingerprint(await readBucket(moto.endpoint, bucket))).toEqual(before);
  });

  it("deploy job (up --refresh) repairs the drift; the gate passes again", async () => {
    const results = await deployJob();
    expectSucceeded(results, 3);
    expect(results[1]?.output).toMatch(/~ 1 updated/);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
    expectSucceeded(await driftJob(), 2);
  });

  it("the IAM policies: per role, exactly the Cognito, KMS and S3 actions its jobs called, scoped to the pool, the key and the state bucket", () => {
    const roles = new Set(workflow.jobs.map((j) => j.roleVariable));
    expect([...roles].sort()).toEqual(Object.keys(POLICY_FILES).sort());
    const derived: Record<string, Record<string, string[]>> = {};
    for (const role of roles) {
      const seen = calls[role];
      expect(seen, `no job with ${role} ran`).toBeDefined();
      const statements = policy(POLICY_FILES[role] as string);
      const wanted = {
        "cognito-idp": [...(seen as RoleCalls).cognito].map((op) => `cognito-idp:${op}`).sort(),
        kms: [...(seen as RoleCalls).kms].map((op) => `kms:${op}`).sort(),
        s3: [...(seen as RoleCalls).s3].sort(),
      };
      derived[role] = wanted;
      for (const [service, actions] of Object.entries(wanted)) {
        expect(
          allowedActions(statements, service),
          `${path.basename(POLICY_FILES[role] as string)}: ${service}`,
        ).toEqual(actions);
      }
      // Nothing but these three services, and every statement scoped to one resource.
      expect(statements.flatMap((s) => list(s.Action)).filter((a) => !/^(cognito-idp|kms|s3):\w+$/.test(a))).toEqual(
        [],
      );
      for (const s of statements) {
        const resources = list(s.Resource);
        expect(resources).toHaveLength(1);
        const resource = resources[0] as string;
        const service = list(s.Action)[0]?.split(":")[0];
        if (service === "cognito-idp")
          expect(resource).toMatch(/^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_\w+$/);
        if (service === "kms") expect(resource).toMatch(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/);
        if (service === "s3") {
          const objectLevel = list(s.Action).some((a) => a !== "s3:ListBucket");
          // Every object Pulumi touched is under .pulumi/: the object statements name that prefix.
          expect(resource).toMatch(
            objectLevel ? /^arn:aws:s3:::[a-z0-9.-]+\/\.pulumi\/\*$/ : /^arn:aws:s3:::[a-z0-9.-]+$/,
          );
          expect(list(s.Action).every((a) => (a === "s3:ListBucket") !== objectLevel)).toBe(true);
        }
      }
      expect([...(seen as RoleCalls).s3Keys].filter((k) => !k.startsWith(".pulumi/"))).toEqual([]);
      expect([...(seen as RoleCalls).s3Buckets]).toEqual([bucket]);
    }
    // The preview role may read, not write.
    const previewActions = Object.values(derived.AWS_PREVIEW_ROLE_ARN ?? {}).flat();
    expect(previewActions.filter((a) => /AdminSet|Put|Delete|Encrypt|GenerateDataKey/.test(a))).toEqual([]);
    expect(derived.AWS_DEPLOY_ROLE_ARN?.["cognito-idp"]).toContain("cognito-idp:AdminSetUserPassword");
    console.log(`[pipeline] IAM actions derived from the calls counted: ${JSON.stringify(derived)}`);
  });

  it("the workflow is valid YAML, and its pulumi commands are exactly those its jobs ran here", () => {
    const raw = workflow.raw as {
      permissions: Record<string, string>;
      jobs: Record<string, { concurrency?: { "cancel-in-progress"?: boolean } }>;
    };
    expect(raw.permissions["id-token"]).toBe("write");
    expect(Object.keys(workflow.env)).toEqual(
      expect.arrayContaining(["PULUMI_BACKEND_URL", "SECRETS_PROVIDER", "STACK"]),
    );
    expect(raw.jobs.deploy?.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(workflow.jobs.map((j) => j.name).sort()).toEqual([...ran.keys()].sort());
    for (const { name, commands } of workflow.jobs) {
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(command).toMatch(/ --non-interactive$/);
      // Every run of the job here ran exactly the workflow's commands, in order (a failing
      // drift gate ends its run early, as it ends the job).
      for (const run of ran.get(name) ?? []) {
        const done = run.filter((c) => c !== "(not run)");
        expect(done, `job ${name}`).toEqual(commands.slice(0, done.length));
      }
      expect(
        ran.get(name)?.some((run) => run.every((c, i) => c === commands[i]) && run.length === commands.length),
        `job ${name} ran in full`,
      ).toBe(true);
      // And each succeeded at least once.
      for (const command of commands) {
        expect(
          project.transcript.some((r) => r.command === command && r.code === 0),
          command,
        ).toBe(true);
      }
    }
  });

  it("no password in any output (but stack output --show-secrets), the project, PULUMI_HOME or any bucket object", async () => {
    const leaks = leaksIn(Object.values(passwords), first, await readBucket(moto.endpoint, bucket), showsSecrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});

describe("two pipelines at once on one S3 stack: the backend's lock", () => {
  stepwise();
  const STACK = "lock";
  const passwords = {
    alice: awkwardPassword(),
    bob: awkwardPassword(),
    aliceA: awkwardPassword(),
    bobA: awkwardPassword(),
    aliceB: awkwardPassword(),
    aliceA2: awkwardPassword(),
    aliceB2: awkwardPassword(),
  };
  /** alice's password after the two simultaneous ups (the winner's, or B's when neither ran). */
  let aliceNow: string;
  let pool: Pool;
  let bucket: string;
  let key: KmsKey;
  let first: number;
  /** Pipeline B's copy of the stack's config file (another commit of the same repository). */
  let configB: string;
  const SET_DELAY_MS = 3_000;

  const locks = async () => (await listKeys(moto.endpoint, bucket)).filter((k) => k.startsWith(".pulumi/locks/"));
  const waitForLock = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const found = await locks();
      if (found.length > 0) return found;
      await sleep(100);
    }
    throw new Error("no lock object appeared within 60 s");
  };
  /** The passwords the proxy saw in AdminSetUserPassword requests since the last reset. */
  const passwordsSet = () =>
    cognito.requests("AdminSetUserPassword").map((r) => (JSON.parse(r.body) as { Password: string }).Password);
  const LOCKED =
    /the stack is currently locked by 1 lock\(s\)\. Either wait for the other process\(es\) to end or delete the lock file with `pulumi cancel`\./;

  beforeAll(async () => {
    ({ pool, bucket, key } = await freshPipeline(["alice", "bob"]));
    project.setEnv({ PULUMI_BACKEND_URL: backendUrl(bucket) });
    first = project.transcript.length;
    await project.pulumi(["stack", "select", STACK, "--create", "--secrets-provider", secretsProvider(key)]);
    await project.configSet("userPoolId", pool.userPoolId);
    await project.configSet("endpoint", cognito.endpoint);
    await project.configSet("aws:region", REGION);
    await project.configSet("users.alice.permanent", "true", { flags: ["--path"] });
    await project.configSet("users.bob.permanent", "true", { flags: ["--path"] });
    await project.configSet("passwords.alice", passwords.alice, { secret: true, flags: ["--path"] });
    await project.configSet("passwords.bob", passwords.bob, { secret: true, flags: ["--path"] });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/\+ 3 created/);
    configB = path.join(project.root, `Pulumi.${STACK}.pipeline-b.yaml`);
  });

  afterAll(() => {
    cognito.clearRules();
  });

  it("the DIY backend locks by default: a second up while the first runs fails at once with the lock error, and sets nothing", async () => {
    // Pipeline A: new passwords for both users; pipeline B: another commit, another password for alice.
    await project.configSet("passwords.alice", passwords.aliceA, { secret: true, flags: ["--path"] });
    await project.configSet("passwords.bob", passwords.bobA, { secret: true, flags: ["--path"] });
    copyFileSync(path.join(project.dir, `Pulumi.${STACK}.yaml`), configB);
    await project.configSet("passwords.alice", passwords.aliceB, {
      secret: true,
      flags: ["--path", "--config-file", configB],
    });
    cognito.resetCounts();
    const slow = cognito.delay("AdminSetUserPassword", SET_DELAY_MS);
    try {
      const a = project.pulumi(["up", "--yes"], { allowFailure: true });
      const held = await waitForLock();
      expect(held).toHaveLength(1);
      const t0 = Date.now();
      const b = await project.pulumi(["up", "--yes", "--config-file", configB], { allowFailure: true });
      const refusedAfter = Date.now() - t0;
      const resultA = await a;
      expect(b.code).toBe(1);
      expect(b.output).toMatch(LOCKED);
      expect(b.output).toContain(held[0]);
      expect(refusedAfter).toBeLessThan(SET_DELAY_MS);
      expect(resultA.code, resultA.output).toBe(0);
      expect(resultA.output).toMatch(/~ 2 updated/);
      console.log(`[pipeline] the second up was refused after ${refusedAfter} ms`);
    } finally {
      slow.remove();
    }
    // B set nothing: every password that reached Cognito is one of A's.
    expect(passwordsSet().sort()).toEqual([passwords.aliceA, passwords.bobA].sort());
    expect(await signIn(pool, "alice", passwords.aliceA)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bobA)).toBe("tokens");
    expect(await signIn(pool, "alice", passwords.aliceB)).toBe("refused");
    expect(await locks()).toEqual([]);
  });

  it("pipeline B, re-run after A, goes through", async () => {
    const { output } = await project.pulumi(["up", "--yes", "--config-file", configB]);
    expect(output).toMatch(/~ 1 updated/);
    expect(await signIn(pool, "alice", passwords.aliceB)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bobA)).toBe("tokens");
  });

  it("two ups started at the same instant: never both run; the loser fails with the lock error and sets nothing", async () => {
    await project.configSet("passwords.alice", passwords.aliceA2, { secret: true, flags: ["--path"] });
    await project.configSet("passwords.alice", passwords.aliceB2, {
      secret: true,
      flags: ["--path", "--config-file", configB],
    });
    cognito.resetCounts();
    const slow = cognito.delay("AdminSetUserPassword", SET_DELAY_MS);
    let a: CliResult;
    let b: CliResult;
    try {
      [a, b] = await Promise.all([
        project.pulumi(["up", "--yes"], { allowFailure: true }),
        project.pulumi(["up", "--yes", "--config-file", configB], { allowFailure: true }),
      ]);
    } finally {
      slow.remove();
    }
    const outcome = {
      a: a.code === 0 ? "ran" : LOCKED.test(a.output) ? "locked out" : a.output,
      b: b.code === 0 ? "ran" : LOCKED.test(b.output) ? "locked out" : b.output,
    };
    console.log(`[pipeline] two ups at once: ${JSON.stringify(outcome)}`);
    // Both can lose (each sees the other's lock): then neither ran, which is safe too.
    expect([outcome.a, outcome.b].every((o) => o === "ran" || o === "locked out")).toBe(true);
    expect([outcome.a, outcome.b].filter((o) => o === "ran").length).toBeLessThanOrEqual(1);
    const winner = outcome.a === "ran" ? passwords.aliceA2 : outcome.b === "ran" ? passwords.aliceB2 : undefined;
    expect(passwordsSet()).toEqual(winner ? [winner] : []);
    aliceNow = winner ?? passwords.aliceB;
    expect(await signIn(pool, "alice", aliceNow)).toBe("tokens");
    expect(await locks()).toEqual([]);
  });

  it("destroy scrambles; no password in any output, the project, PULUMI_HOME or any bucket object", async () => {
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 3 deleted/);
    expect(await signIn(pool, "alice", aliceNow)).toBe("refused");
    const leaks = leaksIn(Object.values(passwords), first, await readBucket(moto.endpoint, bucket), showsSecrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});
