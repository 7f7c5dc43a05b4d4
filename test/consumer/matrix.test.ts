// The package as users get it, through plain `pulumi` commands: `npm pack`, a fresh project
// outside the repository running the README's local example, installed with the README's
// commands, then stack init, secret config, preview, up, sign-in, a password change, refresh
// and destroy. One `describe` per cell of the matrix: the oldest `@pulumi/pulumi` the peer
// range claims and the newest the registry serves on the default Node, one pnpm cell, and
// one cell on the other supported Node. Re-run one cell: `npm test -- --project consumer -t pnpm`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepwise } from "../support/stepwise";
import { createPool, createUser, signIn, strongPassword, type Pool } from "../support/cognito-fixtures";
import {
  cellName,
  type ConsumerProject,
  newestPulumi,
  oldestSupportedPulumi,
  packPackage,
  type ConsumerCell,
} from "../support/consumer";
import { useEngineHarness } from "../support/engine-harness";
import { readmeExample } from "../support/readme";
import { describeLeaks, SecretScanner } from "../harness/secret-scanner";

const newest = newestPulumi();
const CELLS: ConsumerCell[] = [
  { pulumiVersion: oldestSupportedPulumi(), nodeMajor: 24, packageManager: "npm" },
  { pulumiVersion: newest, nodeMajor: 24, packageManager: "npm" },
  { pulumiVersion: newest, nodeMajor: 24, packageManager: "pnpm" },
  { pulumiVersion: newest, nodeMajor: 22, packageManager: "npm" },
];

/** Passwords with the characters that escaping and encoding get wrong (Cognito accepts them). */
function awkwardPassword(): string {
  return `${strongPassword()}"\\%+/=$`;
}

const h = useEngineHarness({ project: "consumer-matrix", credentials: "testing", pool: false });
let tarball: string;

beforeAll(() => {
  tarball = packPackage();
});

describe.each(CELLS.map((cell) => [cellName(cell), cell] as const))("a fresh project: %s", (_name, cell) => {
  let project: ConsumerProject;
  let pool: Pool;
  const passwords = { alice: awkwardPassword(), bob: awkwardPassword(), alice2: awkwardPassword() };
  let started = 0;
  stepwise();

  beforeAll(async () => {
    started = Date.now();
    pool = await createPool(h.emulator.endpoint);
    await createUser(pool, "alice");
    await createUser(pool, "bob");
    project = h.project({ cell, program: readmeExample("local") });
  });

  afterAll(() => {
    console.log(`[consumer] ${cellName(cell)}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    project?.cleanup();
  });

  it("installs with the README's commands, and the project has exactly one @pulumi/pulumi", () => {
    project.install(tarball);
    expect(project.pulumiCopies()).toHaveLength(1);
    if (cell.packageManager === "npm") {
      const tree = project.exec("npm", ["ls", "@pulumi/pulumi", "--all"]);
      // The package's own peer resolves to the project's copy.
      const versions = [...tree.matchAll(/@pulumi\/pulumi@([\w.-]+)/g)].map((m) => m[1]);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(new Set(versions)).toEqual(new Set([cell.pulumiVersion]));
    }
  });

  it("stack init and config, the passwords as secrets", async () => {
    await project.initLocalExample({
      userPoolId: pool.userPoolId,
      endpoint: h.emulator.endpoint,
      alicePassword: passwords.alice,
      bobPassword: passwords.bob,
    });
    const { stdout } = await project.pulumi(["config"]);
    expect(stdout).toMatch(/alicePassword\s+\[secret\]/);
  });

  it("preview plans the two passwords and changes nothing", async () => {
    const { output } = await project.pulumi(["preview"]);
    expect(output).toMatch(/\+ 3 to create/);
    expect(await signIn(pool, "alice", passwords.alice)).toBe("refused");
  });

  it("up sets a permanent and a temporary password, and each user signs in as declared", async () => {
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/\+ 3 created/);
    expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(pool, "alice", `${passwords.alice}x`)).toBe("refused");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
    expect(await signIn(pool, "bob", `${passwords.bob}x`)).toBe("refused");
  });

  it("a password changed in config updates that user only", async () => {
    await project.configSet("alicePassword", passwords.alice2, { secret: true });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(output).toMatch(/2 unchanged/);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
    expect(await signIn(pool, "alice", passwords.alice)).toBe("refused");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("refresh finds the users as declared, and a following up has nothing to do", async () => {
    const refresh = await project.pulumi(["refresh", "--yes"]);
    expect(refresh.output).toMatch(/3 unchanged/);
    const up = await project.pulumi(["up", "--yes"]);
    expect(up.output).toMatch(/3 unchanged/);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
  });

  it("destroy scrambles the declared passwords", async () => {
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 3 deleted/);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("refused");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("refused");
  });

  it("printed no plugin-from-PATH warning and no password, and stored none in plain text", () => {
    const all = project.transcript.map((r) => r.output).join("\n");
    expect(all).not.toMatch(/using pulumi-\S+ from \$PATH/);
    const leaks = project.leaks(new SecretScanner(Object.values(passwords)));
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});
