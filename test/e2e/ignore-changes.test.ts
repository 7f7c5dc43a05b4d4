/**
 * `ignoreChanges: ["password"]` through the real engine, against moto behind the fault proxy
 * (which records every request). The engine puts the previous value of an ignored input in
 * the new inputs before it calls `check`, so check compares the old password with itself:
 * it keeps the previous `passwordRevision`, diff finds no change, and no AdminSetUserPassword is sent. A
 * resource without ignoreChanges next to it, whose password changes in the same run, is the
 * control. Removing ignoreChanges later applies the declared password.
 */
import { randomBytes } from "node:crypto";
import type * as automation from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser, signIn, type Pool } from "../support/cognito-fixtures";
import { startMoto, type Emulator } from "../harness/emulators";
import {
  changedSteps,
  EventLog,
  exportedResources,
  loadLibrary,
  plaintextOf,
  scanEngineFiles,
  startEngine,
  USER_PASSWORD_TYPE,
  type Engine,
  type StateResource,
  setProcessEnv,
  canaryAwsCredentials,
} from "../harness/engine";
import { startFaultProxy, type FaultProxy } from "../harness/fault-proxy";
import { awsCredentialSecrets, describeLeaks, SecretScanner } from "../harness/secret-scanner";

const PROJECT = "e2e-ignore-changes";
const AWS_ENV = { ...canaryAwsCredentials("ignore"), AWS_REGION: "us-east-1" };
const pw = (tag: string) => `${tag}#Ign-${randomBytes(6).toString("hex")}-Pw7`;

const PASSWORDS = {
  ignored1: pw("Ignored1"),
  ignored2: pw("Ignored2"),
  control1: pw("Control1"),
  control2: pw("Control2"),
};
const scanner = new SecretScanner([
  ...Object.entries(PASSWORDS).map(([label, value]) => ({ label: `password ${label}`, value })),
  ...awsCredentialSecrets(AWS_ENV),
]);

/** What the program declares; each step changes it. */
const spec = { ignored: PASSWORDS.ignored1, control: PASSWORDS.control1, ignoreChanges: true };

let moto: Emulator;
let proxy: FaultProxy;
let pool: Pool;
let engine: Engine;
let stack: automation.Stack;
let restoreEnv: (() => void) | undefined;
let printed = "";
/** Each resource's passwordRevision input after the creates. */
const createdRevisions: Record<string, unknown> = {};
const onOutput = (text: string) => {
  printed += text;
};

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    new UserPassword(
      "ignored",
      { userPoolId: pool.userPoolId, username: "ignored", password: spec.ignored, endpoint: proxy.endpoint },
      spec.ignoreChanges ? { ignoreChanges: ["password"] } : {},
    );
    new UserPassword("control", {
      userPoolId: pool.userPoolId,
      username: "control",
      password: spec.control,
      endpoint: proxy.endpoint,
    });
    return Promise.resolve();
  };
}

/** The usernames of the AdminSetUserPassword requests that reached moto since the last reset. */
function setsReceived(): string[] {
  return proxy
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
  restoreEnv = setProcessEnv({ ...AWS_ENV, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined });
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint);
  pool = await createPool(moto.endpoint);
  await createUser(pool, "ignored");
  await createUser(pool, "control");
  engine = await startEngine({ prefix: PROJECT, extraEnv: AWS_ENV });
  stack = await engine.stack({ projectName: PROJECT, stackName: "dev", program: program() });
  const first = await stack.up({ onOutput });
  expect(first.summary.resourceChanges).toEqual({ create: 3 });
  expect(await signIn(pool, "ignored", PASSWORDS.ignored1)).toBe("tokens");
  for (const name of ["ignored", "control"])
    createdRevisions[name] = (await userResource(name)).inputs?.passwordRevision;
});

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
  if (engine && !process.env.E2E_KEEP_ENGINE_DIR) engine.cleanup();
  restoreEnv?.();
});

describe('ignoreChanges: ["password"] through the engine (moto)', () => {
  it("a changed password under ignoreChanges makes no update and no AdminSetUserPassword; the old password still signs in", async () => {
    spec.ignored = PASSWORDS.ignored2;
    spec.control = PASSWORDS.control2;
    proxy.resetCounts();
    const preview = new EventLog();
    await stack.preview({ onOutput, onEvent: preview.onEvent });
    expect(changedSteps(preview)).toEqual(["update control"]);

    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual(["update control"]);
    // Only the control's password reached Cognito.
    expect(setsReceived()).toEqual(["control"]);
    expect(await signIn(pool, "ignored", PASSWORDS.ignored1)).toBe("tokens");
    expect(await signIn(pool, "ignored", PASSWORDS.ignored2)).toBe("refused");
    expect(await signIn(pool, "control", PASSWORDS.control2)).toBe("tokens");

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
    proxy.resetCounts();
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual([]);
    expect(proxy.count("AdminSetUserPassword")).toBe(0);
    expect(await signIn(pool, "ignored", PASSWORDS.ignored1)).toBe("tokens");
  });

  it("removing ignoreChanges applies the declared password", async () => {
    spec.ignoreChanges = false;
    proxy.resetCounts();
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual(["update ignored"]);
    expect(setsReceived()).toEqual(["ignored"]);
    expect(await signIn(pool, "ignored", PASSWORDS.ignored2)).toBe("tokens");
    expect(await signIn(pool, "ignored", PASSWORDS.ignored1)).toBe("refused");
  });

  it("no password in anything the engine printed or wrote", () => {
    expect(describeLeaks(scanner.scanText(printed, "the engine's output"))).toBe("");
    expect(describeLeaks(scanEngineFiles(engine, scanner))).toBe("");
  });
});
