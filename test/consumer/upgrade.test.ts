// Upgrades, as users do them: a stack created with one packed version, then
// `npm install <newer tarball>` and plain `pulumi` commands. Every resource's state holds the
// serialized provider, a `require` of the installed package, so the code that runs after an
// upgrade (refresh, update, destroy) must be the newer one.
//  1. N -> N+1, where N+1 is this build with another version and a marker that records each
//     provider method it runs; then a downgrade back to N.
//  2. The migration from release 0.1.0 (test/consumer/fixtures: it stored a salted password
//     fingerprint as an output, and pinned @pulumi/pulumi 3.270.0): no password is set again
//     when nothing changed, and the old output goes at the next update and refresh.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepwise } from "../support/stepwise";
import { createPool, createUser, signIn, strongPassword, type Pool } from "../support/cognito-fixtures";
import { newestPulumi, packPackage, PACKAGE_NAME, type ConsumerProject } from "../support/consumer";
import { useEngineHarness } from "../support/engine-harness";
import type { FaultProxy } from "../harness/fault-proxy";
import { readmeExample } from "../support/readme";
import { describeLeaks, SecretScanner } from "../harness/secret-scanner";

const RELEASE_0_1_0 = path.join(__dirname, "fixtures", "pulumi-cognito-user-password-0.1.0.tgz");
const NEXT_VERSION = "0.2.1-upgrade-test";

// The proxy counts the migration's sets; the upgrade's projects talk to moto directly.
const h = useEngineHarness({
  project: "consumer-upgrade",
  credentials: "testing",
  pool: false,
  proxy: { recordBodies: false },
});

/** Version N+1: the same build, another version, and a line in the marker file per provider call. */
function withMarker(packageDir: string): void {
  const manifest = path.join(packageDir, "package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  pkg.version = NEXT_VERSION;
  writeFileSync(manifest, JSON.stringify(pkg, null, 2));
  appendFileSync(
    path.join(packageDir, "dist", "provider-runtime.js"),
    `
;(() => {
  const file = process.env.COGNITO_PW_UPGRADE_MARKER;
  if (!file) return;
  const provider = exports.provider;
  for (const method of ["check", "diff", "create", "read", "update", "delete"]) {
    const original = provider[method].bind(provider);
    provider[method] = (...args) => {
      require("node:fs").appendFileSync(file, "${NEXT_VERSION} " + method + "\\n");
      return original(...args);
    };
  }
})();
`,
  );
}

describe("upgrade from N to N+1, then a downgrade", () => {
  stepwise();
  let project: ConsumerProject;
  let pool: Pool;
  let tarballN: string;
  let tarballNext: string;
  const marker = path.join(tmpdir(), `cup-upgrade-marker-${process.pid}-${Date.now()}`);
  const passwords = {
    alice: strongPassword(),
    bob: strongPassword(),
    alice2: strongPassword(),
    alice3: strongPassword(),
  };
  const calls = () => (existsSync(marker) ? readFileSync(marker, "utf8").trim().split("\n").filter(Boolean) : []);

  beforeAll(async () => {
    tarballN = packPackage();
    tarballNext = packPackage({ transform: withMarker });
    pool = await createPool(h.emulator.endpoint);
    await createUser(pool, "alice");
    await createUser(pool, "bob");
    project = h.project({
      cell: { pulumiVersion: newestPulumi(), nodeMajor: 24, packageManager: "npm" },
      program: readmeExample("local"),
      env: { COGNITO_PW_UPGRADE_MARKER: marker },
    });
    project.install(tarballN);
    await project.initLocalExample({
      userPoolId: pool.userPoolId,
      endpoint: h.emulator.endpoint,
      alicePassword: passwords.alice,
      bobPassword: passwords.bob,
    });
  });
  afterAll(() => {
    project?.cleanup();
    rmSync(marker, { force: true });
  });

  it("version N creates the stack (and has no marker)", async () => {
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/\+ 3 created/);
    expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
    expect(calls()).toEqual([]);
  });

  it("after installing N+1, refresh runs N+1's read", async () => {
    project.reinstall(tarballNext);
    expect(project.exec("npm", ["ls", PACKAGE_NAME])).toContain(`${PACKAGE_NAME}@${NEXT_VERSION}`);
    expect(project.pulumiCopies()).toHaveLength(1);
    await project.pulumi(["refresh", "--yes"]);
    // Refresh previews first, and the engine diffs what it read: reads (and diffs) per user.
    const reads = calls().filter((c) => c === `${NEXT_VERSION} read`);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(calls().every((c) => c.startsWith(`${NEXT_VERSION} `))).toBe(true);
  });

  it("a password change runs N+1's check, diff and update", async () => {
    rmSync(marker, { force: true });
    await project.configSet("alicePassword", passwords.alice2, { secret: true });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(calls()).toEqual(
      expect.arrayContaining([`${NEXT_VERSION} check`, `${NEXT_VERSION} diff`, `${NEXT_VERSION} update`]),
    );
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
  });

  it("a downgrade back to N runs N's code on the state N+1 wrote", async () => {
    rmSync(marker, { force: true });
    project.reinstall(tarballN);
    await project.configSet("alicePassword", passwords.alice3, { secret: true });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(calls()).toEqual([]);
    expect(await signIn(pool, "alice", passwords.alice3)).toBe("tokens");
  });

  it("after N+1 again, destroy runs N+1's delete, which scrambles the passwords", async () => {
    project.reinstall(tarballNext);
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 3 deleted/);
    expect(calls().filter((c) => c.endsWith(" delete"))).toHaveLength(2);
    expect(await signIn(pool, "alice", passwords.alice3)).toBe("refused");
  });
});

describe("migration from release 0.1.0, which stored a password fingerprint", () => {
  stepwise();
  let project: ConsumerProject;
  let pool: Pool;
  let proxy: FaultProxy;
  const passwords = { alice: strongPassword(), bob: strongPassword(), alice2: strongPassword() };
  const sets = () => proxy.count("AdminSetUserPassword");
  const state = async () => (await project.pulumi(["stack", "export"])).stdout;

  beforeAll(async () => {
    proxy = h.proxy;
    proxy.resetCounts();
    pool = await createPool(h.emulator.endpoint);
    await createUser(pool, "alice");
    await createUser(pool, "bob");
    // 0.1.0 pinned @pulumi/pulumi 3.270.0 in its dependencies: a project on that version is
    // the one where it installed cleanly.
    project = h.project({
      cell: { pulumiVersion: "3.270.0", nodeMajor: 24, packageManager: "npm" },
      program: readmeExample("local"),
    });
    project.install(RELEASE_0_1_0);
    await project.initLocalExample({
      userPoolId: pool.userPoolId,
      endpoint: proxy.endpoint,
      alicePassword: passwords.alice,
      bobPassword: passwords.bob,
    });
  });
  afterAll(() => {
    project?.cleanup();
  });

  it("0.1.0 creates the stack, with a fingerprint output in the state", async () => {
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/\+ 3 created/);
    expect(sets()).toBe(2);
    expect(await state()).toContain("passwordFingerprint");
  });

  it("after the upgrade, preview and up change nothing and set no password", async () => {
    project.reinstall(packPackage());
    expect(project.pulumiCopies()).toHaveLength(1);
    const preview = await project.pulumi(["preview", "--diff"]);
    expect(preview.output).toMatch(/3 unchanged/);
    const up = await project.pulumi(["up", "--yes"]);
    expect(up.output).toMatch(/3 unchanged/);
    expect(sets()).toBe(2);
    expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
  });

  it("a password change updates that user only, and its fingerprint output is gone", async () => {
    await project.configSet("alicePassword", passwords.alice2, { secret: true });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(sets()).toBe(3);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("tokens");
    expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("refresh drops the remaining fingerprint, with no password set", async () => {
    await project.pulumi(["refresh", "--yes"]);
    expect(await state()).not.toContain("passwordFingerprint");
    expect(sets()).toBe(3);
  });

  it("destroy scrambles both, and no password was ever printed or stored in plain text", async () => {
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 3 deleted/);
    expect(await signIn(pool, "alice", passwords.alice2)).toBe("refused");
    const leaks = project.leaks(new SecretScanner(Object.values(passwords)));
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});
