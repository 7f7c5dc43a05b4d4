/**
 * Crashes in the middle of an `up` of 100 users, through the real engine against moto, with
 * the fault proxy holding every AdminSetUserPassword answer for a while so the SIGKILL lands
 * mid-run, after some sets reached moto (test/support/fleet.ts). Once per checkpoint setting:
 *
 * The default (a checkpoint after every step):
 *  1. the dynamic provider process (`node .../@pulumi/pulumi/cmd/dynamic-provider`) killed
 *     during the creates: the engine fails each in-flight step (`UserPassword (a-034): error:
 *     error reading from server: EOF`, or `... connection reset by peer`), records no pending
 *     operation, releases its lock; the next `up` sets the rest;
 *  2. the pulumi CLI killed during the updates: the stack stays locked (`pulumi cancel`
 *     first); the checkpoint holds the in-flight steps as pending operations; the next `up`
 *     drops the pending UPDATES and updates those users again;
 *  3. the CLI killed during the creates: the pending CREATES survive the next `up` (which
 *     converges) and a plain `pulumi refresh`; `pulumi refresh --clear-pending-creates` drops them.
 *
 * `PULUMI_SKIP_CHECKPOINTS=true` (the checkpoint is written only when the operation ends; the
 * README's "Seeding many users"), with declared and generated passwords
 * (test/support/test-random-password.ts, a stand-in for @pulumi/random):
 *  - CLI killed (creates, a rotation): the checkpoint is left byte for byte as before the run,
 *    so every change of the run is forgotten, the generated passwords some users now hold too;
 *    `pulumi cancel` is still needed; the next `up` does the whole run again, and every user
 *    ends with the password the final state and the outputs name, none with one of the lost run;
 *  - provider killed (updates, a rotation): the CLI writes the checkpoint of every finished
 *    step when the run ends; no lock, no pending operation; each user holds a password the
 *    state knows; the next `up` sets the rest.
 * The provider process exits by itself when the CLI dies (its gRPC parent is gone).
 */
import { describe, expect, it } from "vitest";
import { useEngineHarness } from "../support/engine-harness";
import { count, crashFleets, forEachUser, whichPassword, type Fleet } from "../support/fleet";
import { stateFile } from "../harness/engine";
import { signIn } from "../harness/cognito";
import type * as automation from "@pulumi/pulumi/automation";
import { SecretScanner } from "../harness/secret-scanner";

const N = 100;
/** Slow enough that an `up` of 100 users at --parallel 10 takes several seconds; kill well inside the run. */
const SETTINGS = { size: N, delayMs: 600, parallel: 10, killAfterSets: 30 };
const PARALLEL = SETTINGS.parallel;
/** The engine's error for an in-flight step of a killed provider, after `resource` (a pattern up to the name's closing parenthesis). */
const PROVIDER_KILLED = (resource: string) =>
  new RegExp(
    `${resource}\\):\\s+error: (error reading from server: (EOF|connection reset by peer)|connection error|transport is closing)`,
  );

/** Every outcome counted is one of `names` (a user holding anything else fails it). */
function expectOnly(outcome: Record<string, number>, ...names: string[]): void {
  expect(
    Object.keys(outcome).every((k) => names.includes(k)),
    JSON.stringify(outcome),
  ).toBe(true);
}

/** Per setting: its own engine (the CLI's environment differs), pool and secret scan. */
function crashHarness(skipCheckpoints: boolean) {
  const h = useEngineHarness({
    project: skipCheckpoints ? "e2e-crash-skip" : "e2e-crash",
    proxy: true,
    env: { PULUMI_SKIP_CHECKPOINTS: undefined },
    // The setting reaches the CLI through the engine's environment (the Automation API's envVars).
    engineEnv: skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {},
  });
  return { h, ...crashFleets(h, SETTINGS) };
}

/** The leak scan closing each setting's block; `control` is a user name the output must hold. */
function noSecretsLeft(h: ReturnType<typeof crashHarness>["h"], minSecrets: number, control: string): void {
  it("no password and no AWS credential in the engine's output or files, crashes included", () => {
    expect(h.scanner.size).toBeGreaterThan(minSecrets);
    expect(h.leaks()).toBe("");
    expect(new SecretScanner([control]).scanText(h.printed, "output").length, "positive control").toBeGreaterThan(0);
  });
}

describe(`checkpoint after every step (the default): crash in the middle of an up of ${N} users`, () => {
  const c = crashHarness(false);
  const { h } = c;
  let fleet: Fleet;
  const pending = async (f: Fleet) => (await c.statePasswords(f)).pendingOperations;

  it("the dynamic provider killed during the creates: the next up converges with no manual step", async () => {
    fleet = await c.makeFleet("a", "declared");
    const crash = await c.upAndKill(fleet, "provider");
    expect(crash.killed.cmdline).toMatch(/@pulumi\/pulumi\/cmd\/dynamic-provider/);
    // The engine fails each in-flight step, naming the resource; no pending operation, no lock.
    expect(crash.error, crash.error.slice(-4000)).toMatch(PROVIDER_KILLED("UserPassword \\(a-\\d{3}"));
    expect(await pending(fleet)).toEqual([]);
    const created = (await c.statePasswords(fleet)).recorded.filter((p) => p !== undefined).length;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(N);
    // Nobody holds anything but the declared password or the one AdminCreateUser left.
    const outcome = count(await whichPassword(h.pool, fleet.users, { declared: c.declaredPasswords(fleet, 1) }));
    expect(Object.keys(outcome).sort()).toEqual(["declared", "untouched"]);
    expect(outcome.declared).toBeGreaterThanOrEqual(created);

    const { ops } = await c.recover(fleet);
    expect(ops.create).toBe(N - created);
    expect(ops.same ?? 0).toBe(created);
    expect(await pending(fleet)).toEqual([]);
    await c.expectAllDeclared(fleet);
  });

  it("the CLI killed during the updates: `pulumi cancel`, then the next up converges and drops the pending updates", async () => {
    fleet.generation = 2;
    const crash = await c.upAndKill(fleet, "cli");
    expect(crash.error).toMatch(/SIGKILL|killed/i);
    await c.expectProviderGone();
    const left = await pending(fleet);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((p) => p.startsWith("updating "))).toBe(true);
    // Every user holds the old or the new declared password, nothing else.
    const outcome = count(
      await whichPassword(h.pool, fleet.users, {
        new: c.declaredPasswords(fleet, 2),
        old: c.declaredPasswords(fleet, 1),
      }),
    );
    expectOnly(outcome, "new", "old");
    expect(outcome.new).toBeGreaterThanOrEqual(crash.setsBeforeKill - PARALLEL);

    // The engine refuses to run on a locked stack and says what to do.
    await c.expectLockedThenCancel(fleet);
    const { ops, output } = await c.recover(fleet);
    expect(output).toMatch(
      new RegExp(`Attempting to deploy or update resources with ${left.length} pending operations`),
    );
    expect((ops.update ?? 0) + (ops.same ?? 0)).toBe(N);
    expect(ops.update ?? 0).toBeGreaterThanOrEqual(N - crash.setsBeforeKill - PARALLEL);
    expect(await pending(fleet)).toEqual([]);
    await c.expectAllDeclared(fleet);
  });

  it("the CLI killed during the creates: `pulumi cancel`; the next up converges; the pending creates need `pulumi refresh --clear-pending-creates`", async () => {
    const fleetB = await c.makeFleet("b", "declared");
    const crash = await c.upAndKill(fleetB, "cli");
    expect(crash.error).toMatch(/SIGKILL|killed/i);
    await c.expectProviderGone();
    const left = await pending(fleetB);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((p) => p.startsWith("creating "))).toBe(true);
    const outcome = count(await whichPassword(h.pool, fleetB.users, { declared: c.declaredPasswords(fleetB, 1) }));
    expectOnly(outcome, "declared", "untouched");

    await fleetB.stack.cancel();
    const { ops } = await c.recover(fleetB);
    expect((ops.create ?? 0) + (ops.same ?? 0)).toBe(N);
    await c.expectAllDeclared(fleetB);
    // The pending creates outlive the up (the next runs warn about them) ...
    expect(await pending(fleetB)).toEqual(left);
    // ... a plain non-interactive `pulumi refresh` runs, and leaves them where they are ...
    const plain = await (
      await h.engine()
    ).cli(["refresh", "--yes"], {
      cwd: fleetB.stack.workspace.workDir,
      stack: fleetB.stack.name,
    });
    h.onOutput(plain.stdout + plain.stderr);
    expect(await pending(fleetB)).toEqual(left);
    // ... and `refresh --clear-pending-creates` drops them; the stack is clean.
    await fleetB.stack.refresh({ onOutput: h.onOutput, clearPendingCreates: true });
    expect(await pending(fleetB)).toEqual([]);
    const clean = await c.recover(fleetB);
    expect(clean.ops).toEqual({ same: N });
    expect(clean.output).not.toMatch(/pending operations/);
  });

  noSecretsLeft(h, 3 * N, "b-042");
});

describe(`PULUMI_SKIP_CHECKPOINTS=true: crash in the middle of an up of ${N} users`, () => {
  const c = crashHarness(true);
  const { h } = c;
  let declared: Fleet;
  let random: Fleet;
  const checkpoint = async (f: Fleet) => stateFile(await h.engine(), "e2e-crash-skip", f.stackName).text;

  /**
   * The converged end state of a random fleet: the state's random results are the passwords the
   * outputs name and the UserPasswords recorded, every user signs in with exactly that one, and
   * none with any password of `stale` (earlier or lost generations).
   */
  async function expectRandomConverged(
    fleet: Fleet,
    outputs: automation.OutputMap,
    stale: Record<string, Array<string | undefined>>,
  ): Promise<void> {
    const state = await c.statePasswords(fleet);
    expect(state.pendingOperations).toEqual([]);
    const named = outputs.passwords?.value as Record<string, string>;
    expect(outputs.passwords?.secret, "the passwords output is secret").toBe(true);
    const finals = fleet.users.map((u) => named[u] as string);
    expect(finals.every((p) => typeof p === "string" && p.length === 20)).toBe(true);
    expect(state.random, "the outputs name the state's random passwords").toEqual(finals);
    expect(state.recorded, "each UserPassword recorded the random password it was set with").toEqual(finals);
    const outcome = await whichPassword(h.pool, fleet.users, { final: finals, ...stale });
    expect(count(outcome), "every user signs in with the password the final state names, and with no other").toEqual({
      final: N,
    });
    for (const [name, list] of Object.entries(stale)) {
      const overlap = fleet.users.filter((_, i) => list[i] !== undefined && list[i] === finals[i]);
      expect(overlap, `${name} passwords reused as final ones`).toEqual([]);
      // A stale password must not sign in either (checked separately: `whichPassword` stops at the first match).
      const still = await forEachUser(fleet.users, async (user, i) =>
        list[i] !== undefined && (await signIn(h.pool, user, list[i])) === "tokens" ? user : undefined,
      );
      expect(still.filter(Boolean), `users still signing in with a ${name} password`).toEqual([]);
    }
  }

  it("declared passwords, the CLI killed during the creates: the state is as before the run, `pulumi cancel`, the next up creates all and converges", async () => {
    declared = await c.makeFleet("d", "declared");
    const before = await checkpoint(declared);
    const crash = await c.upAndKill(declared, "cli");
    expect(crash.skipCheckpointsInEnv, "the CLI ran with PULUMI_SKIP_CHECKPOINTS=true").toBe(true);
    expect(crash.error).toMatch(/SIGKILL|killed/i);
    await c.expectProviderGone();
    // Nothing of the run was written: no resource, no pending operation.
    expect(await checkpoint(declared), "the checkpoint is byte for byte the one before the run").toBe(before);
    const state = await c.statePasswords(declared);
    expect(state.recorded.filter(Boolean)).toEqual([]);
    expect(state.pendingOperations).toEqual([]);
    // Yet sets reached Cognito: each user holds the declared password or is untouched.
    const outcome = count(await whichPassword(h.pool, declared.users, { declared: c.declaredPasswords(declared, 1) }));
    expectOnly(outcome, "declared", "untouched");
    expect(outcome.declared).toBeGreaterThanOrEqual(crash.setsBeforeKill - PARALLEL);

    await c.expectLockedThenCancel(declared);
    const { ops } = await c.recover(declared);
    // The whole run again: every user is created (set) anew, those set before the crash too.
    expect(ops).toEqual({ create: N });
    expect((await c.statePasswords(declared)).pendingOperations).toEqual([]);
    expect(count(await whichPassword(h.pool, declared.users, { declared: c.declaredPasswords(declared, 1) }))).toEqual({
      declared: N,
    });
  });

  it("declared passwords, the provider killed during the updates: the finished steps are saved, no lock, the next up updates the rest", async () => {
    declared.generation = 2;
    const crash = await c.upAndKill(declared, "provider");
    expect(crash.skipCheckpointsInEnv, "the provider inherited PULUMI_SKIP_CHECKPOINTS=true from the CLI").toBe(true);
    expect(crash.error, crash.error.slice(-4000)).toMatch(PROVIDER_KILLED("UserPassword \\(d-\\d{3}"));
    const [oldPasswords, newPasswords] = [c.declaredPasswords(declared, 1), c.declaredPasswords(declared, 2)];
    const state = await c.statePasswords(declared);
    expect(state.pendingOperations).toEqual([]);
    const updated = declared.users.filter((_, i) => state.recorded[i] === newPasswords[i]);
    expect(updated.length).toBeGreaterThan(0);
    expect(updated.length).toBeLessThan(N);
    expect(state.recorded.every((p, i) => p === oldPasswords[i] || p === newPasswords[i])).toBe(true);
    // Every user holds the old or the new declared password, and those the state records as new hold the new one.
    const outcome = await whichPassword(h.pool, declared.users, { new: newPasswords, old: oldPasswords });
    expectOnly(count(outcome), "new", "old");
    expect(declared.users.filter((u, i) => state.recorded[i] === newPasswords[i] && outcome[i] !== "new")).toEqual([]);

    // No lock: the next up runs straight away.
    const { ops } = await c.recover(declared);
    expect(ops).toEqual({ update: N - updated.length, same: updated.length });
    expect(count(await whichPassword(h.pool, declared.users, { new: newPasswords }))).toEqual({ new: N });
  });

  it("random passwords, the CLI killed during the creates: the lost run's passwords are in no state; the next up generates new ones and every user ends with the one the outputs name", async () => {
    random = await c.makeFleet("r", "random");
    const before = await checkpoint(random);
    const crash = await c.upAndKill(random, "cli");
    expect(crash.skipCheckpointsInEnv).toBe(true);
    await c.expectProviderGone();
    expect(await checkpoint(random), "the checkpoint is byte for byte the one before the run").toBe(before);
    const state = await c.statePasswords(random);
    expect(
      [...state.recorded, ...state.random].filter(Boolean),
      "no random result and no UserPassword in the state",
    ).toEqual([]);
    // Users now hold generated passwords that no state knows (the cost of the setting) ...
    const lost = crash.sentInRun;
    const holding = count(await whichPassword(h.pool, random.users, { lost }));
    expect(holding.lost ?? 0).toBeGreaterThanOrEqual(crash.setsBeforeKill - PARALLEL);
    expectOnly(holding, "lost", "untouched");

    // ... until the next up, which does the whole run again with new random passwords.
    await c.expectLockedThenCancel(random);
    const { ops, randomOps, outputs } = await c.recover(random);
    expect(randomOps).toEqual({ create: N });
    expect(ops).toEqual({ create: N });
    await expectRandomConverged(random, outputs, { lost });
  });

  it("random passwords, the CLI killed during a rotation: the state keeps the old passwords; the next up replaces them again and sets every user", async () => {
    const old = (await c.statePasswords(random)).random;
    random.generation = 2;
    const before = await checkpoint(random);
    const crash = await c.upAndKill(random, "cli");
    await c.expectProviderGone();
    expect(await checkpoint(random)).toBe(before);
    expect((await c.statePasswords(random)).random, "the state still names the old passwords").toEqual(old);
    const lost = crash.sentInRun;
    const holding = count(await whichPassword(h.pool, random.users, { lost, old }));
    expect(holding.lost ?? 0).toBeGreaterThanOrEqual(crash.setsBeforeKill - PARALLEL);
    expectOnly(holding, "lost", "old");

    await c.expectLockedThenCancel(random);
    const { ops, randomOps, outputs } = await c.recover(random);
    expect(randomOps).toEqual({ "create-replacement": N, replace: N, "delete-replaced": N });
    expect(ops).toEqual({ update: N });
    await expectRandomConverged(random, outputs, { lost, old });
  });

  it("random passwords, the provider killed during a rotation: each user holds a password the state knows; the next up converges", async () => {
    const old = (await c.statePasswords(random)).random;
    random.generation = 3;
    const crash = await c.upAndKill(random, "provider");
    expect(crash.error, crash.error.slice(-4000)).toMatch(PROVIDER_KILLED("\\((r-\\d{3}(-pw)?)"));
    const state = await c.statePasswords(random);
    expect(state.pendingOperations).toEqual([]);
    const replaced = random.users.filter((_, i) => state.random[i] !== old[i]);
    expect(replaced.length, "some random passwords were replaced before the kill").toBeGreaterThan(0);
    // Right after the crash: every user holds the password its UserPassword recorded, or the new
    // random result the state already holds (a set whose answer the kill cut off): none unknown.
    const holding = await whichPassword(h.pool, random.users, { recorded: state.recorded, random: state.random });
    expectOnly(count(holding), "recorded", "random");

    const { ops, outputs } = await c.recover(random);
    expect((ops.update ?? 0) + (ops.same ?? 0)).toBe(N);
    expect(ops.update ?? 0).toBeGreaterThan(0);
    const lost = crash.sentInRun.map((p, i) => (p === state.random[i] ? undefined : p));
    await expectRandomConverged(random, outputs, { old, lost });
  });

  noSecretsLeft(h, 4 * N, "r-042");
});
