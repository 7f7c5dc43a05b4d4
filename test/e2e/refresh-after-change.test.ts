/**
 * A refresh right after an `up` that changed a password, through the real engine against
 * moto. `pulumi refresh` reads each resource, then calls the provider's `diff` with the
 * refreshed outputs as the old state and the stored inputs as the new: the stored inputs hold
 * the `passwordRevision` check issued for the new password, and the outputs recorded the same
 * one, so a resource that did not change shows no change. That is what drift gates run
 * (`pulumi refresh --preview-only --expect-no-changes`, `pulumi preview --refresh
 * --expect-no-changes`); a boolean "password changed" input, true in the state after such an
 * up, made them report "~ 1 updated". A following `up` with nothing changed leaves every
 * resource's inputs and outputs as they were (no true -> false flip in the state).
 *
 * Two users: `changed` (its password changes in step 1) and `steady` (never changes).
 */
import type * as automation from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, signIn } from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import {
  changedSteps,
  comparableState,
  EventLog,
  loadLibrary,
  USER_PASSWORD_TYPE,
  type StateResource,
} from "../harness/engine";

const h = useEngineHarness({ project: "e2e-refresh-after-change" });
const { onOutput } = h;
const PASSWORDS = { changed1: h.password("changed1"), changed2: h.password("changed2"), steady: h.password("steady") };

/** What the program declares; step 1 changes it. */
const spec = { changed: PASSWORDS.changed1 };
let stack: automation.Stack;

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    new UserPassword("changed", {
      userPoolId: h.pool.userPoolId,
      username: "changed",
      password: spec.changed,
      endpoint: h.endpoint,
    });
    new UserPassword("steady", {
      userPoolId: h.pool.userPoolId,
      username: "steady",
      password: PASSWORDS.steady,
      endpoint: h.endpoint,
    });
    return Promise.resolve();
  };
}

type UserStates = Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;

/** Each UserPassword's stored inputs and outputs, by name (secrets compared by a digest of their value, as `comparableState` does). */
async function userStates(): Promise<UserStates> {
  const { resources } = (await comparableState(await h.engine(), stack)) as { resources: Array<StateResource> };
  const byName: UserStates = {};
  for (const r of resources) {
    if (r.type !== USER_PASSWORD_TYPE) continue;
    byName[r.urn.split("::").pop() as string] = { inputs: r.inputs ?? {}, outputs: r.outputs ?? {} };
  }
  return byName;
}

/**
 * `pulumi refresh --preview-only --expect-no-changes`, the plain CLI command a drift gate
 * runs (the engine's environment skips confirmations, which the CLI refuses together with
 * --preview-only: turned off here).
 */
async function driftGate(): Promise<{ stdout: string; stderr: string; code: number }> {
  const result = await (
    await h.engine()
  ).cli(["refresh", "--preview-only", "--expect-no-changes"], {
    cwd: stack.workspace.workDir,
    stack: stack.name,
    env: { PULUMI_SKIP_CONFIRMATIONS: "false" },
    allowFailure: true,
  });
  onOutput(result.stdout + result.stderr);
  return result;
}

/** The steps of a preview with refresh that are neither "same" nor a refresh that found nothing different. */
function changedOrDrifted(log: EventLog): string[] {
  return log
    .resourceOps(USER_PASSWORD_TYPE)
    .filter((o) => o.op !== "same" && !(o.op === "refresh" && (o.diffs ?? []).length === 0))
    .map((o) => `${o.op} ${o.name}${o.diffs?.length ? ` (${o.diffs.join(", ")})` : ""}`)
    .sort();
}

/** The states right after the up that changed the password. */
let afterChange: UserStates = {};

beforeAll(async () => {
  await createUser(h.pool, "changed");
  await createUser(h.pool, "steady");
  stack = await h.stack({ program: program() });
  const first = await stack.up({ onOutput });
  expect(first.summary.resourceChanges).toEqual({ create: 3 });
});

describe("refresh right after an up that changed a password (moto)", () => {
  it("1. an up that changes one password updates that one only", async () => {
    const before = await userStates();
    spec.changed = PASSWORDS.changed2;
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    afterChange = await userStates();
    expect(changedSteps(log)).toEqual(["update changed"]);
    expect(await signIn(h.pool, "changed", PASSWORDS.changed2)).toBe("tokens");
    expect(await signIn(h.pool, "changed", PASSWORDS.changed1)).toBe("refused");
    // The new password's revision is in the inputs and the outputs alike; the steady one's is as created.
    const changed = afterChange.changed;
    expect(changed?.inputs.passwordRevision).toMatch(/^[0-9a-f]{32}$/);
    expect(changed?.inputs.passwordRevision).not.toBe(before.changed?.inputs.passwordRevision);
    expect(changed?.outputs.passwordRevision).toBe(changed?.inputs.passwordRevision);
    expect(afterChange.steady).toEqual(before.steady);
  });

  it("2. the CLI's drift gate, `pulumi refresh --preview-only --expect-no-changes`, passes", async () => {
    const result = await driftGate();
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).not.toMatch(/updated|to update/);
    expect(result.stdout).toMatch(/3 unchanged/);
  });

  it("3. stack.refresh() reports no changes, and leaves the state as it was", async () => {
    const log = new EventLog();
    const result = await stack.refresh({ onOutput, onEvent: log.onEvent });
    expect(result.summary.resourceChanges ?? {}).not.toHaveProperty("update");
    expect(result.summary.resourceChanges).toEqual({ same: 3 });
    expect(changedSteps(log)).toEqual([]);
    expect(await userStates()).toEqual(afterChange);
  });

  it("4. preview with refresh and expectNoChanges succeeds", async () => {
    const log = new EventLog();
    const preview = await stack.preview({ refresh: true, expectNoChanges: true, onOutput, onEvent: log.onEvent });
    expect(preview.changeSummary ?? {}).not.toHaveProperty("update");
    expect(changedOrDrifted(log)).toEqual([]);
  });

  it("5. a following up with nothing changed leaves every resource's inputs and outputs identical (no state churn), then a refresh still finds nothing", async () => {
    const log = new EventLog();
    const result = await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual([]);
    expect(result.summary.resourceChanges).toEqual({ same: 3 });
    expect(await userStates()).toEqual(afterChange);
    const gate = await driftGate();
    expect(gate.code, `${gate.stdout}\n${gate.stderr}`).toBe(0);
    expect(await signIn(h.pool, "changed", PASSWORDS.changed2)).toBe("tokens");
    expect(await signIn(h.pool, "steady", PASSWORDS.steady)).toBe("tokens");
  });

  it("no password in anything the engine printed or wrote", () => {
    expect(h.leaks()).toBe("");
  });
});
