// Enterprise pipelines, through plain `pulumi` commands in one fresh project (the package as
// users install it) against moto on loopback: update plans (`preview --save-plan` then
// `up --plan`, and `up --strict`). Every scenario is a row of SCENARIOS with its own stack and
// its own user; the setup (pack, install, moto) is in one place, `beforeAll`. Each scenario
// checks that the user signs in with the declared password, and a failure that nothing changed.
// Re-run one scenario: `node node_modules/vitest/vitest.mjs run --project consumer test/consumer/networks.test.ts -t "<name>"`
// (after `npm run build`: the package is packed from dist).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser, signIn, strongPassword, type Pool } from "../support/cognito-fixtures";
import { ConsumerProject, newestPulumi, packPackage, type CliResult } from "../support/consumer";
import { startMoto, type Emulator } from "../../harness/emulators";
import { describeLeaks, SecretScanner } from "../../harness/secret-scanner";

/** The program every stack runs: one user, everything from the stack's config. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { UserPassword } from "pulumi-cognito-user-password";

const config = new pulumi.Config();
const endpoint = config.get("endpoint");
new UserPassword("user", {
  userPoolId: config.require("userPoolId"),
  username: config.require("username"),
  password: config.requireSecret("password"),
  permanent: config.getBoolean("permanent") ?? true,
  ...(endpoint ? { endpoint } : {}),
});
`;

const BASE_ENV = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** What every scenario is given: the shared project and emulator, its own pool, user and stack. */
interface ScenarioContext {
  moto: Emulator;
  pool: Pool;
  username: string;
  stack: ScenarioStack;
  /** A new strong password, known to the secret scanner. */
  password: () => string;
}

interface Scenario {
  /** The test's name (`-t` selects it). */
  name: string;
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

  async config(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    await this.project.configSet(key, value, { ...options, flags: ["--stack", this.name] });
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

const SCENARIOS: Scenario[] = [
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
let moto: Emulator;
const passwords: string[] = [];

beforeAll(async () => {
  const tarball = packPackage();
  moto = await startMoto();
  project = ConsumerProject.create({
    cell: { pulumiVersion: newestPulumi(), nodeMajor: 24, packageManager: "npm" },
    program: PROGRAM,
    env: BASE_ENV,
    name: "networks",
  });
  project.install(tarball);
});

afterAll(async () => {
  await moto?.stop();
  if (project) {
    const leaks = project.leaks(new SecretScanner(passwords));
    if (!process.env.CONSUMER_KEEP_PROJECT) project.cleanup();
    expect(describeLeaks(leaks)).toBe("");
  }
});

describe("enterprise pipelines, through the CLI", () => {
  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))("%s", async (_name, scenario, index) => {
    const pool = await createPool(moto.endpoint);
    const username = `user${index}`;
    await createUser(pool, username);
    const stack = new ScenarioStack(project, `s${index}`);
    await project.pulumi(["stack", "init", stack.name]);
    await stack.config("userPoolId", pool.userPoolId);
    await stack.config("username", username);
    await stack.config("endpoint", moto.endpoint);
    await scenario.run({
      moto,
      pool,
      username,
      stack,
      password: () => {
        const p = strongPassword();
        passwords.push(p);
        return p;
      },
    });
  });
});
