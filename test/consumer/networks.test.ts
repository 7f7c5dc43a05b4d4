// Enterprise pipelines, through plain `pulumi` commands in one fresh project (the package as
// users install it) against moto on loopback: HTTPS through a CONNECT proxy that logs its
// tunnels to a TLS front for moto whose certificate only the CA this run made makes valid (the
// front also records the access key that signed each call), NO_PROXY, the stack config
// aws:assumeRoles, the assumeRole input, web identity (STS at AWS_ENDPOINT_URL_STS: the proxy
// in front of moto, counting STS calls), failures on the way, and update plans (`preview
// --save-plan` then `up --plan`, and `up --strict`). Every scenario is a row of SCENARIOS with
// its own stack, its own user and its own environment; the engine harness
// (test/support/engine-harness.ts) starts moto, the proxy, the CA and the front, and scans the
// project for every password at the end. This machine sets AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS
// and other CA variables for its own registry traffic: every scenario's commands run with all
// of them cleared, and set only what the scenario means. Each scenario checks that the user
// signs in with the declared password, and a failure that nothing changed.
// Re-run one scenario: `node node_modules/vitest/vitest.mjs run --project consumer test/consumer/networks.test.ts -t "<name>"`
// (after `npm run build`: the package is packed from dist).
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSetPassword, createPool, createUser, signIn, type Pool } from "../support/cognito-fixtures";
import { newestPulumi, packPackage, type CliResult, type ConsumerProject } from "../support/consumer";
import { useEngineHarness, type EngineHarness } from "../support/engine-harness";

/** The program every stack runs: one user, everything from the stack's config. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { UserPassword } from "pulumi-cognito-user-password";

const config = new pulumi.Config();
const endpoint = config.get("endpoint");
const assumeRole = config.getObject<{ roleArn: string; externalId?: string }>("assumeRole");
new UserPassword("user", {
  userPoolId: config.require("userPoolId"),
  username: config.require("username"),
  password: config.requireSecret("password"),
  permanent: config.getBoolean("permanent") ?? true,
  ...(endpoint ? { endpoint } : {}),
  ...(assumeRole ? { assumeRole } : {}),
});
`;

/** Every variable that changes how the package or Node reach AWS: cleared for every scenario. */
const CLEARED: Record<string, undefined> = Object.fromEntries(
  [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "AWS_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "AWS_CONFIG_FILE",
    "AWS_PROFILE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
  ].map((k) => [k, undefined]),
);

// moto signs an assumed key into the role's account and keeps accounts apart: the pools are in
// its default account, which the roles below belong to.
const DEPLOY_ROLE = "arn:aws:iam::123456789012:role/cognito-deployer";
const TOOLING_ROLE = "arn:aws:iam::111111111111:role/tooling";

// moto, the CONNECT proxy (HTTPS_PROXY), which is also STS's endpoint (AWS_ENDPOINT_URL_STS)
// in front of moto (its recorded bodies are STS requests, role ARNs: nothing secret), the TLS
// front for moto (https://localhost:<port>, recording the signing key of each call) and its CA,
// the base credentials ("testing") and the scan of the project for every `lab.password()`.
const lab = useEngineHarness({ project: "networks", credentials: "testing", pool: false, proxy: true, tlsFront: true });
type Lab = EngineHarness;

/** What every scenario is given: the shared harness, its own pool, user and stack. */
interface ScenarioContext {
  lab: Lab;
  pool: Pool;
  username: string;
  stack: ScenarioStack;
  /** A new strong password, known to the secret scanner. */
  password: () => string;
}

interface Scenario {
  /** The test's name (`-t` selects it). */
  name: string;
  /** The Cognito endpoint the stack's config names; default: moto's own (plain HTTP). */
  endpoint?: (lab: Lab) => string;
  /** The environment of every command of this scenario's stack, on top of CLEARED. */
  env?: (lab: Lab) => Record<string, string | undefined>;
  run: (ctx: ScenarioContext) => Promise<void>;
}

/** One stack of the shared project, with this scenario's environment on every command. */
class ScenarioStack {
  constructor(
    private readonly project: ConsumerProject,
    readonly name: string,
    private readonly env: Record<string, string | undefined> = {},
  ) {}

  get dir(): string {
    return this.project.dir;
  }

  pulumi(args: string[], options: { allowFailure?: boolean; env?: Record<string, string | undefined> } = {}) {
    return this.project.pulumi([...args, "--stack", this.name], {
      ...(options.allowFailure ? { allowFailure: true } : {}),
      env: { ...this.env, ...options.env },
    });
  }

  async config(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): Promise<void> {
    await this.project.configSet(key, value, {
      ...(options.secret ? { secret: true } : {}),
      flags: ["--stack", this.name, ...(options.path ? ["--path"] : [])],
    });
  }

  /** `pulumi preview --save-plan <file>`, then `PULUMI_EXPERIMENTAL=true pulumi up --plan <file>`. */
  async previewThenUpWithPlan(): Promise<{ preview: CliResult; up: CliResult }> {
    const plan = path.join(this.dir, `${this.name}-plan.json`);
    const preview = await this.pulumi(["preview", "--save-plan", plan]);
    expect(existsSync(plan)).toBe(true);
    const up = await this.pulumi(["up", "--yes", "--plan", plan], {
      allowFailure: true,
      env: { PULUMI_EXPERIMENTAL: "true" },
    });
    expect(up.code, up.output).toBe(0);
    return { preview, up };
  }
}

/** The keys that signed the Cognito calls the front saw since `from`: one, not the base key. */
function expectOneAssumedKey(lab: Lab, from: number): void {
  const keys = new Set(
    lab.front.requests
      .slice(from)
      .filter((r) => r.operation.startsWith("Admin"))
      .map((r) => r.accessKeyId),
  );
  expect(keys.size).toBe(1);
  expect([...keys][0]).not.toBe("testing");
}

/** `pulumi up [flags]` sets the declared password: the user signs in with it. */
async function upSetsPassword(
  { pool, username, stack, password }: ScenarioContext,
  flags: string[] = [],
): Promise<CliResult> {
  const declared = password();
  await stack.config("password", declared, { secret: true });
  const up = await stack.pulumi(["up", "--yes", ...flags]);
  expect(up.output).toMatch(/\+ 2 created/);
  expect(await signIn(pool, username, declared)).toBe("tokens");
  return up;
}

const SCENARIOS: Scenario[] = [
  {
    name: "HTTPS through the proxy to an endpoint only AWS_CA_BUNDLE makes valid: plain pulumi up sets the password",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => ({ HTTPS_PROXY: lab.proxy.endpoint, AWS_CA_BUNDLE: lab.ca.caFile }),
    run: async (ctx) => {
      const tunnels = ctx.lab.proxy.tunnels.length;
      await upSetsPassword(ctx);
      const opened = ctx.lab.proxy.tunnels.slice(tunnels);
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.every((t) => t.target === `localhost:${ctx.lab.front.port}` && t.status === 200)).toBe(true);
    },
  },
  {
    name: "the profile's ca_bundle instead of AWS_CA_BUNDLE, through the proxy",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => {
      const config = path.join(project.root, "config-ca-bundle");
      writeFileSync(config, `[default]\nca_bundle = ${lab.ca.caFile}\n`);
      return { HTTPS_PROXY: lab.proxy.endpoint, AWS_CONFIG_FILE: config };
    },
    run: async (ctx) => {
      const tunnels = ctx.lab.proxy.tunnels.length;
      await upSetsPassword(ctx);
      expect(ctx.lab.proxy.tunnels.length).toBeGreaterThan(tunnels);
    },
  },
  {
    name: "NO_PROXY naming the endpoint's host: no tunnel, the password is set",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => ({ HTTPS_PROXY: lab.proxy.endpoint, NO_PROXY: "localhost", AWS_CA_BUNDLE: lab.ca.caFile }),
    run: async (ctx) => {
      const tunnels = ctx.lab.proxy.tunnels.length;
      const requests = ctx.lab.front.requests.length;
      await upSetsPassword(ctx);
      expect(ctx.lab.proxy.tunnels.length).toBe(tunnels);
      expect(ctx.lab.front.requests.length).toBeGreaterThan(requests);
    },
  },
  {
    name: "the stack config aws:assumeRoles (a chain of two): every Cognito call signed with the assumed key",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => ({ AWS_CA_BUNDLE: lab.ca.caFile, AWS_ENDPOINT_URL_STS: lab.proxy.endpoint }),
    run: async (ctx) => {
      await ctx.stack.config("aws:assumeRoles[0].roleArn", TOOLING_ROLE, { path: true });
      await ctx.stack.config("aws:assumeRoles[1].roleArn", DEPLOY_ROLE, { path: true });
      await ctx.stack.config("aws:assumeRoles[1].sessionName", "pipeline", { path: true });
      const sts = ctx.lab.proxy.count("AssumeRole");
      const from = ctx.lab.front.requests.length;
      // One provider process (an up's preview runs in a process of its own, which assumes again).
      await upSetsPassword(ctx, ["--skip-preview"]);
      expect(ctx.lab.proxy.count("AssumeRole") - sts).toBe(2);
      const bodies = ctx.lab.proxy.requests("AssumeRole").slice(sts);
      expect(bodies.map((r) => new URLSearchParams(r.body).get("RoleArn"))).toEqual([TOOLING_ROLE, DEPLOY_ROLE]);
      expectOneAssumedKey(ctx.lab, from);
    },
  },
  {
    name: "the assumeRole input: every Cognito call signed with the assumed key",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => ({ AWS_CA_BUNDLE: lab.ca.caFile, AWS_ENDPOINT_URL_STS: lab.proxy.endpoint }),
    run: async (ctx) => {
      await ctx.stack.config("assumeRole.roleArn", DEPLOY_ROLE, { path: true });
      await ctx.stack.config("assumeRole.externalId", "pipeline-42", { path: true });
      const sts = ctx.lab.proxy.count("AssumeRole");
      const from = ctx.lab.front.requests.length;
      await upSetsPassword(ctx, ["--skip-preview"]);
      expect(ctx.lab.proxy.count("AssumeRole") - sts).toBe(1);
      expectOneAssumedKey(ctx.lab, from);
    },
  },
  {
    name: "web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, no keys): every Cognito call signed with the role's key",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => {
      const token = path.join(project.root, "oidc-token");
      writeFileSync(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUifQ.c2ln");
      return {
        AWS_CA_BUNDLE: lab.ca.caFile,
        AWS_ENDPOINT_URL_STS: lab.proxy.endpoint,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_ROLE_ARN: DEPLOY_ROLE,
        AWS_WEB_IDENTITY_TOKEN_FILE: token,
      };
    },
    run: async (ctx) => {
      const sts = ctx.lab.proxy.count("AssumeRoleWithWebIdentity");
      const from = ctx.lab.front.requests.length;
      await upSetsPassword(ctx);
      expect(ctx.lab.proxy.count("AssumeRoleWithWebIdentity") - sts).toBeGreaterThan(0);
      expectOneAssumedKey(ctx.lab, from);
    },
  },
  {
    name: "failures, each clear and changing nothing: the proxy refuses (407), the certificate is not trusted, STS refuses",
    endpoint: (lab) => lab.front.endpoint,
    env: (lab) => ({ HTTPS_PROXY: lab.proxy.endpoint, AWS_ENDPOINT_URL_STS: lab.proxy.endpoint }),
    run: async ({ lab, pool, username, stack, password }) => {
      const before = password();
      await adminSetPassword(pool, username, before, true);
      const declared = password();
      await stack.config("password", declared, { secret: true });
      const unchanged = async () => {
        expect(await signIn(pool, username, before)).toBe("tokens");
        expect(await signIn(pool, username, declared)).toBe("refused");
      };
      const refusal = lab.proxy.refuseTunnels({ status: 407 });
      const refused = await stack.pulumi(["up", "--yes"], {
        allowFailure: true,
        env: { AWS_CA_BUNDLE: lab.ca.caFile },
      });
      refusal.remove();
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain(`the proxy ${lab.proxy.endpoint} refused the tunnel: HTTP 407`);
      await unchanged();

      const untrusted = await stack.pulumi(["up", "--yes"], { allowFailure: true });
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.output).toMatch(
        /TLS certificate does not verify; if a company or private CA signs it, set AWS_CA_BUNDLE/,
      );
      await unchanged();

      const sts = lab.proxy.failWith("AssumeRole", { status: 403, type: "AccessDenied", message: "not authorized" });
      await stack.config("assumeRole.roleArn", DEPLOY_ROLE, { path: true });
      const stsRefused = await stack.pulumi(["up", "--yes"], {
        allowFailure: true,
        env: { AWS_CA_BUNDLE: lab.ca.caFile, NO_PROXY: "localhost" },
      });
      sts.remove();
      expect(stsRefused.code).not.toBe(0);
      expect(stsRefused.output).toContain(`assuming the role ${DEPLOY_ROLE} failed`);
      expect(stsRefused.output).toContain("(AccessDenied)");
      await unchanged();
    },
  },
  {
    name: "update plans: create, a password change, a permanence change and no change, each through preview --save-plan and up --plan; then up --strict; refresh finds no change",
    async run({ pool, username, stack, password }) {
      const first = password();
      await stack.config("password", first, { secret: true });
      // A create through a plan: the preview's check and the up's agree on the revision.
      const created = await stack.previewThenUpWithPlan();
      expect(created.preview.output).toMatch(/\+ 2 to create/);
      expect(created.up.output).toMatch(/\+ 2 created/);
      expect(await signIn(pool, username, first)).toBe("tokens");

      const second = password();
      await stack.config("password", second, { secret: true });
      const changed = await stack.previewThenUpWithPlan();
      expect(changed.preview.output).toMatch(/~ 1 to update/);
      expect(changed.up.output).toMatch(/~ 1 updated/);
      expect(await signIn(pool, username, second)).toBe("tokens");
      expect(await signIn(pool, username, first)).toBe("refused");

      await stack.config("permanent", "false");
      const temporary = await stack.previewThenUpWithPlan();
      expect(temporary.up.output).toMatch(/~ 1 updated/);
      expect(await signIn(pool, username, second)).toBe("NEW_PASSWORD_REQUIRED");

      const unchanged = await stack.previewThenUpWithPlan();
      expect(unchanged.preview.output).toMatch(/2 unchanged/);
      expect(unchanged.up.output).toMatch(/2 unchanged/);
      expect(unchanged.up.output).not.toMatch(/updated/);

      // `up --strict`: the update constrained to the plan its own preview made.
      await stack.config("permanent", "true");
      const third = password();
      await stack.config("password", third, { secret: true });
      const strict = await stack.pulumi(["up", "--yes", "--strict"], { allowFailure: true });
      expect(strict.code, strict.output).toBe(0);
      expect(strict.output).toMatch(/~ 1 updated/);
      expect(await signIn(pool, username, third)).toBe("tokens");
      expect(await signIn(pool, username, second)).toBe("refused");
      const strictSame = await stack.pulumi(["up", "--yes", "--strict"], { allowFailure: true });
      expect(strictSame.code, strictSame.output).toBe(0);
      expect(strictSame.output).toMatch(/2 unchanged/);

      // The drift gate right after a change.
      const gate = await stack.pulumi(["refresh", "--preview-only", "--expect-no-changes"], { allowFailure: true });
      expect(gate.code, gate.output).toBe(0);
    },
  },
];

let project: ConsumerProject;

beforeAll(() => {
  const tarball = packPackage();
  project = lab.project({
    cell: { pulumiVersion: newestPulumi(), nodeMajor: 24, packageManager: "npm" },
    program: PROGRAM,
    name: "networks",
  });
  project.install(tarball);
});

// Before the harness's own afterAll (hooks run in reverse) deletes the project.
afterAll(() => {
  if (project) expect(lab.leaks()).toBe("");
});

describe("enterprise pipelines, through the CLI", () => {
  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))("%s", async (_name, scenario, index) => {
    const pool = await createPool(lab.emulator.endpoint);
    const username = `user${index}`;
    await createUser(pool, username);
    const stack = new ScenarioStack(project, `s${index}`, { ...CLEARED, ...scenario.env?.(lab) });
    await project.pulumi(["stack", "init", stack.name]);
    await stack.config("userPoolId", pool.userPoolId);
    await stack.config("username", username);
    await stack.config("endpoint", scenario.endpoint?.(lab) ?? lab.emulator.endpoint);
    await scenario.run({ lab, pool, username, stack, password: () => lab.password(`${stack.name}`) });
  });
});
