/**
 * `ignoreChanges: ["password"]` through the real engine, against moto behind the fault proxy
 * (which records every request). The engine puts the previous value of an ignored input in
 * the new inputs before it calls `check`, so check compares the old password with itself:
 * it keeps the previous `passwordRevision`, diff finds no change, and no AdminSetUserPassword is sent. A
 * resource without ignoreChanges next to it, whose password changes in the same run, is the
 * control. Removing ignoreChanges later applies the declared password.
 */
import type * as automation from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, signIn } from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import {
  changedSteps,
  EventLog,
  exportedResources,
  loadLibrary,
  plaintextOf,
  USER_PASSWORD_TYPE,
  type StateResource,
} from "../harness/engine";

const h = useEngineHarness({ project: "e2e-ignore-changes", proxy: true });
const { onOutput } = h;
const PASSWORDS = {
  ignored1: h.password("ignored1"),
  ignored2: h.password("ignored2"),
  control1: h.password("control1"),
  control2: h.password("control2"),
};

/** What the program declares; each step changes it. */
const spec = { ignored: PASSWORDS.ignored1, control: PASSWORDS.control1, ignoreChanges: true };

let stack: automation.Stack;
/** Each resource's passwordRevision input after the creates. */
const createdRevisions: Record<string, unknown> = {};

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    new UserPassword(
      "ignored",
      { userPoolId: h.pool.userPoolId, username: "ignored", password: spec.ignored, endpoint: h.endpoint },
      spec.ignoreChanges ? { ignoreChanges: ["password"] } : {},
    );
    new UserPassword("control", {
      userPoolId: h.pool.userPoolId,
      username: "control",
      password: spec.control,
      endpoint: h.endpoint,
    });
    return Promise.resolve();
  };
}

/** The usernames of the AdminSetUserPassword requests that reached moto since the last reset. */
function setsReceived(): string[] {
  return h.proxy
    .requests("AdminSetUserPassword")
    .map((r) => (JSON.parse(r.body) as { Username: string }).Username)
    .sort();
}

async function userResource(name: string): Promise<StateResource> {
  const found = (await exportedResources(stack)).find(
    (r) => r.type === USER_PASSWORD_TYPE && r.urn.endsWith(`::${name}`),
  );
  if (!found) throw new Error(`no UserPassword ${name} in the state`);
  return found;
}

beforeAll(async () => {
  await createUser(h.pool, "ignored");
  await createUser(h.pool, "control");
  stack = await h.stack({ program: program() });
  const first = await stack.up({ onOutput });
  expect(first.summary.resourceChanges).toEqual({ create: 3 });
  expect(await signIn(h.pool, "ignored", PASSWORDS.ignored1)).toBe("tokens");
  for (const name of ["ignored", "control"])
    createdRevisions[name] = (await userResource(name)).inputs?.passwordRevision;
});

describe('ignoreChanges: ["password"] through the engine (moto)', () => {
  it("a changed password under ignoreChanges makes no update and no AdminSetUserPassword; the old password still signs in", async () => {
    spec.ignored = PASSWORDS.ignored2;
    spec.control = PASSWORDS.control2;
    h.proxy.resetCounts();
    const preview = new EventLog();
    await stack.preview({ onOutput, onEvent: preview.onEvent });
    expect(changedSteps(preview)).toEqual(["update control"]);

    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual(["update control"]);
    // Only the control's password reached Cognito.
    expect(setsReceived()).toEqual(["control"]);
    expect(await signIn(h.pool, "ignored", PASSWORDS.ignored1)).toBe("tokens");
    expect(await signIn(h.pool, "ignored", PASSWORDS.ignored2)).toBe("refused");
    expect(await signIn(h.pool, "control", PASSWORDS.control2)).toBe("tokens");

    // The state keeps the old password as the input (what the engine substituted) and check's
    // verdict: the ignored resource's revision as created, the control's a new one.
    const ignored = await userResource("ignored");
    expect(
      plaintextOf(ignored.inputs?.password) === PASSWORDS.ignored1,
      "the ignored resource's stored password is the old one",
    ).toBe(true);
    expect(createdRevisions.ignored).toMatch(/^[0-9a-f]{32}$/);
    expect(ignored.inputs?.passwordRevision).toBe(createdRevisions.ignored);
    expect(ignored.outputs?.passwordRevision).toBe(createdRevisions.ignored);
    const control = await userResource("control");
    expect(control.inputs?.passwordRevision).toMatch(/^[0-9a-f]{32}$/);
    expect(control.inputs?.passwordRevision).not.toBe(createdRevisions.control);
    expect(control.outputs?.passwordRevision).toBe(control.inputs?.passwordRevision);
  });

  it("another up changes nothing and sends no set", async () => {
    h.proxy.resetCounts();
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual([]);
    expect(h.proxy.count("AdminSetUserPassword")).toBe(0);
    expect(await signIn(h.pool, "ignored", PASSWORDS.ignored1)).toBe("tokens");
  });

  it("removing ignoreChanges applies the declared password", async () => {
    spec.ignoreChanges = false;
    h.proxy.resetCounts();
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual(["update ignored"]);
    expect(setsReceived()).toEqual(["ignored"]);
    expect(await signIn(h.pool, "ignored", PASSWORDS.ignored2)).toBe("tokens");
    expect(await signIn(h.pool, "ignored", PASSWORDS.ignored1)).toBe("refused");
  });

  it("no password in anything the engine printed or wrote", () => {
    expect(h.leaks()).toBe("");
  });
});
