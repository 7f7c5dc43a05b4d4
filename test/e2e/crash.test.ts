/**
 * Crashes in the middle of an `up` of 100 users, through the real engine against moto, with
 * the fault proxy holding every AdminSetUserPassword response for a while so the kill lands
 * mid-run (SIGKILL: no chance to clean up):
 *
 *  1. the dynamic provider process (`node .../@pulumi/pulumi/cmd/dynamic-provider`, child of
 *     the `pulumi-resource-pulumi-nodejs` shell script) killed during the creates;
 *  2. the pulumi CLI killed during the updates (every user's password rotated);
 *  3. the pulumi CLI killed during the creates (a second stack of 100 users).
 *
 * After each: every user holds either the password it had or the declared one, never
 * anything else; the next `up` converges; every user then signs in on moto with the declared
 * password. What the v3.274.1 engine with a file backend needed, found here:
 *  - provider killed: nothing. The engine fails each in-flight step (`UserPassword (a-034):
 *    error: error reading from server: EOF`, or `... connection reset by peer`), records no
 *    pending operation, releases its lock; the next `up` sets the rest.
 *  - CLI killed: the stack stays locked (`.pulumi/locks/...`): the next `up` is refused
 *    ("the stack is currently locked ... `pulumi cancel`"), so `pulumi cancel --yes` first.
 *    The checkpoint holds the in-flight steps as pending operations. Pending UPDATES are
 *    dropped by the next `up`, which updates those users again. Pending CREATES survive that
 *    `up` (which creates the resources anyway and converges) and warn on every later run;
 *    a non-interactive `pulumi refresh` leaves them too; `pulumi refresh
 *    --clear-pending-creates --yes` drops them. No `stack export`/`import` surgery needed.
 * The provider process exits by itself when the CLI dies (its gRPC parent is gone).
 */
import type * as automation from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser, type Pool } from "../support/cognito-fixtures";
import { count, generationPasswords, whichPassword } from "../support/fleet";
import { startMoto, type Emulator } from "../harness/emulators";
import {
  EventLog,
  loadLibrary,
  scanEngineFiles,
  startEngine,
  USER_PASSWORD_TYPE,
  type Engine,
  setProcessEnv,
  canaryAwsCredentials,
} from "../harness/engine";
import { startFaultProxy, type FaultProxy } from "../harness/fault-proxy";
import { descendants, dynamicProviderProcesses, killAll, pulumiCliProcesses, waitFor } from "../harness/processes";
import { awsCredentialSecrets, describeLeaks, SecretScanner } from "../harness/secret-scanner";

const PROJECT = "e2e-crash";
const N = 100;
/** Slow enough that an `up` of 100 users at --parallel 10 takes several seconds. */
const DELAY_MS = 600;
const PARALLEL = 10;
/** Kill once this many sets have reached moto: well inside the run. */
const KILL_AFTER_SETS = 30;

const AWS_ENV = { ...canaryAwsCredentials("crash"), AWS_REGION: "us-east-1" };

let moto: Emulator;
let proxy: FaultProxy;
let pool: Pool;
let engine: Engine;
const scanner = new SecretScanner(awsCredentialSecrets(AWS_ENV));
let restoreEnv: (() => void) | undefined;
let printed = "";
const onOutput = (text: string) => {
  printed += text;
};

/** One stack of N users: names, the declared passwords (per generation), and the stack. */
interface Fleet {
  users: string[];
  generation: number;
  passwords: Map<number, string[]>;
  stack: automation.Stack;
}

function passwordsFor(fleet: Fleet, generation: number): string[] {
  return generationPasswords(fleet.users, fleet.passwords, generation, scanner);
}

async function makeFleet(prefix: string, stackName: string): Promise<Fleet> {
  const users = Array.from({ length: N }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  for (const user of users) await createUser(pool, user);
  const { UserPassword } = loadLibrary();
  const fleet = { users, generation: 1, passwords: new Map<number, string[]>() } as Fleet;
  fleet.stack = await engine.stack({
    projectName: PROJECT,
    stackName,
    program: () => {
      const passwords = passwordsFor(fleet, fleet.generation);
      users.forEach((username, i) => {
        new UserPassword(username, {
          userPoolId: pool.userPoolId,
          username,
          password: passwords[i] as string,
          endpoint: proxy.endpoint,
        });
      });
      return Promise.resolve();
    },
  });
  return fleet;
}

/** Runs `check` on every user, 8 at a time. */
async function expectAllDeclared(fleet: Fleet): Promise<void> {
  const outcome = await whichPassword(pool, fleet.users, { declared: passwordsFor(fleet, fleet.generation) });
  const wrong = fleet.users.filter((_, i) => outcome[i] !== "declared");
  expect(wrong, `users not signing in with the declared password (generation ${fleet.generation})`).toEqual([]);
}

interface Interrupted {
  error: string;
  setsBeforeKill: number;
  killed: Array<{ pid: number; cmdline: string }>;
}

/** Starts an `up` with slow sets, kills `what` after KILL_AFTER_SETS sets reached moto, returns the failure. */
async function upAndKill(fleet: Fleet, what: "provider" | "cli"): Promise<Interrupted> {
  proxy.resetCounts();
  const slow = proxy.delay("AdminSetUserPassword", DELAY_MS);
  let output = "";
  const running = fleet.stack.up({ onOutput: (t) => void (output += t), parallel: PARALLEL }).then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  try {
    const reached = await waitFor(() => (proxy.forwarded.AdminSetUserPassword ?? 0) >= KILL_AFTER_SETS, 120_000);
    expect(reached, "the up reached the sets").toBe(true);
    const targets =
      what === "provider" ? dynamicProviderProcesses() : pulumiCliProcesses().filter((p) => / up /.test(p.cmdline));
    expect(targets, `exactly one ${what} process of this test to kill: ${JSON.stringify(descendants())}`).toHaveLength(
      1,
    );
    const setsBeforeKill = proxy.forwarded.AdminSetUserPassword ?? 0;
    killAll(
      targets.map((p) => p.pid),
      "SIGKILL",
    );
    const error = await running;
    expect(error, "the interrupted up fails").toBeDefined();
    printed += output + (error ?? "");
    if (process.env.E2E_DEBUG) console.log(`----- ${what} killed:\n${error}`);
    return { error: `${output}\n${error ?? ""}`, setsBeforeKill, killed: targets };
  } finally {
    slow.remove();
  }
}

async function pendingOperations(stack: automation.Stack): Promise<string[]> {
  const deployment = (await stack.exportStack()).deployment as {
    pending_operations?: Array<{ type: string; resource: { urn: string } }>;
  };
  return (deployment.pending_operations ?? []).map((p) => `${p.type} ${p.resource.urn.split("::").pop()}`);
}

async function userResourcesInState(stack: automation.Stack): Promise<number> {
  const deployment = (await stack.exportStack()).deployment as { resources?: Array<{ type: string }> };
  return (deployment.resources ?? []).filter((r) => r.type === USER_PASSWORD_TYPE).length;
}

/** An `up` that must succeed; returns its steps per op and the engine's output. */
async function recover(stack: automation.Stack): Promise<{ ops: Record<string, number>; output: string }> {
  const log = new EventLog();
  let output = "";
  const result = await stack.up({
    onOutput: (t) => void (output += t),
    // With --diff the engine's warnings go to stderr.
    onError: (t) => void (output += t),
    onEvent: log.onEvent,
    parallel: PARALLEL,
    diff: true,
  });
  printed += output;
  expect(result.summary.result).toBe("succeeded");
  return { ops: count(log.resourceOps(USER_PASSWORD_TYPE).map((o) => o.op)), output };
}

beforeAll(async () => {
  restoreEnv = setProcessEnv({ ...AWS_ENV, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined });
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint);
  pool = await createPool(moto.endpoint);
  engine = await startEngine({ prefix: PROJECT, extraEnv: AWS_ENV });
});

afterAll(async () => {
  // Whatever a failed test left running below this process (ours only).
  killAll(
    descendants()
      .filter((p) => /pulumi|dynamic-provider/.test(p.cmdline))
      .map((p) => p.pid),
  );
  await proxy?.stop();
  await moto?.stop();
  if (engine && !process.env.E2E_KEEP_ENGINE_DIR) engine.cleanup();
  restoreEnv?.();
});

describe(`crash in the middle of an up of ${N} users`, () => {
  let fleet: Fleet;

  it("the dynamic provider killed during the creates: the next up converges with no manual step", async () => {
    fleet = await makeFleet("a", "fleet-a");
    const crash = await upAndKill(fleet, "provider");
    expect(crash.killed[0]?.cmdline).toMatch(/@pulumi\/pulumi\/cmd\/dynamic-provider/);
    // The engine fails each in-flight step, naming the resource; no pending operation, no lock.
    expect(crash.error, crash.error.slice(-4000)).toMatch(
      /UserPassword \(a-\d{3}\):\s+error: (error reading from server: (EOF|connection reset by peer)|connection error|transport is closing)/,
    );
    expect(await pendingOperations(fleet.stack)).toEqual([]);
    const created = await userResourcesInState(fleet.stack);
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(N);
    // Nobody holds anything but the declared password or the one AdminCreateUser left.
    const outcome = count(await whichPassword(pool, fleet.users, { declared: passwordsFor(fleet, 1) }));
    expect(Object.keys(outcome).sort()).toEqual(["declared", "untouched"]);
    expect(outcome.declared).toBeGreaterThanOrEqual(created);

    const { ops } = await recover(fleet.stack);
    expect(ops.create).toBe(N - created);
    expect(ops.same ?? 0).toBe(created);
    expect(await pendingOperations(fleet.stack)).toEqual([]);
    await expectAllDeclared(fleet);
  });

  it("the CLI killed during the updates: `pulumi cancel`, then the next up converges and drops the pending updates", async () => {
    fleet.generation = 2;
    const crash = await upAndKill(fleet, "cli");
    expect(crash.error).toMatch(/SIGKILL|killed/i);
    // The provider dies with its parent.
    expect(
      await waitFor(() => dynamicProviderProcesses().length === 0, 15_000),
      "the provider process exits by itself",
    ).toBe(true);
    const pending = await pendingOperations(fleet.stack);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((p) => p.startsWith("updating "))).toBe(true);
    // Every user holds the old or the new declared password, nothing else.
    const outcome = count(
      await whichPassword(pool, fleet.users, { new: passwordsFor(fleet, 2), old: passwordsFor(fleet, 1) }),
    );
    expect(
      Object.keys(outcome).every((k) => k === "new" || k === "old"),
      JSON.stringify(outcome),
    ).toBe(true);
    expect(outcome.new).toBeGreaterThanOrEqual(crash.setsBeforeKill - PARALLEL);

    // The engine refuses to run on a locked stack and says what to do.
    let refused = "";
    await fleet.stack.up({ onOutput }).catch((err: unknown) => {
      refused = err instanceof Error ? err.message : String(err);
    });
    expect(refused).toMatch(/the stack is currently locked by 1 lock\(s\)[\s\S]*pulumi cancel/);
    await fleet.stack.cancel();

    const { ops, output } = await recover(fleet.stack);
    expect(output).toMatch(
      new RegExp(`Attempting to deploy or update resources with ${pending.length} pending operations`),
    );
    expect((ops.update ?? 0) + (ops.same ?? 0)).toBe(N);
    expect(ops.update ?? 0).toBeGreaterThanOrEqual(N - crash.setsBeforeKill - PARALLEL);
    expect(await pendingOperations(fleet.stack)).toEqual([]);
    await expectAllDeclared(fleet);
  });

  it("the CLI killed during the creates: `pulumi cancel`; the next up converges; the pending creates need `pulumi refresh --clear-pending-creates`", async () => {
    const fleetB = await makeFleet("b", "fleet-b");
    const crash = await upAndKill(fleetB, "cli");
    expect(crash.error).toMatch(/SIGKILL|killed/i);
    expect(await waitFor(() => dynamicProviderProcesses().length === 0, 15_000)).toBe(true);
    const pending = await pendingOperations(fleetB.stack);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((p) => p.startsWith("creating "))).toBe(true);
    const outcome = count(await whichPassword(pool, fleetB.users, { declared: passwordsFor(fleetB, 1) }));
    expect(
      Object.keys(outcome).every((k) => k === "declared" || k === "untouched"),
      JSON.stringify(outcome),
    ).toBe(true);

    await fleetB.stack.cancel();
    const { ops } = await recover(fleetB.stack);
    expect((ops.create ?? 0) + (ops.same ?? 0)).toBe(N);
    await expectAllDeclared(fleetB);
    // The pending creates outlive the up (the next runs warn about them) ...
    expect(await pendingOperations(fleetB.stack)).toEqual(pending);
    // ... a plain non-interactive `pulumi refresh` runs, and leaves them where they are ...
    const plain = await engine.cli(["refresh", "--yes"], {
      cwd: fleetB.stack.workspace.workDir,
      stack: fleetB.stack.name,
    });
    printed += plain.stdout + plain.stderr;
    expect(await pendingOperations(fleetB.stack)).toEqual(pending);
    // ... and `refresh --clear-pending-creates` drops them; the stack is clean.
    await fleetB.stack.refresh({ onOutput, clearPendingCreates: true });
    expect(await pendingOperations(fleetB.stack)).toEqual([]);
    const clean = await recover(fleetB.stack);
    expect(clean.ops).toEqual({ same: N });
    expect(clean.output).not.toMatch(/pending operations/);
  });

  it("no password and no AWS credential in the engine's output or files, crashes included", () => {
    expect(scanner.size).toBeGreaterThan(3 * N);
    expect(describeLeaks(scanner.scanText(printed, "the engine's output"))).toBe("");
    expect(describeLeaks(scanEngineFiles(engine, scanner))).toBe("");
    expect(new SecretScanner(["b-042"]).scanText(printed, "output").length, "positive control").toBeGreaterThan(0);
  });
});
