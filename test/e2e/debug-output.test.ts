/**
 * What the engine prints with its debug and verbose logging, scanned for the passwords.
 *
 * `@pulumi/pulumi` logs "RegisterResource RPC finished: ...; err: ..., resp: ..." at debug
 * level, and `resp` holds the resource's outputs, secret ones included, in plain text (the
 * program receives secrets unwrapped; the log line does not redact them). `pulumi up --debug`
 * shows those lines, and `-v=9 --logtostderr --logflow` writes them to stderr too. So a
 * provider must return nothing derived from a password, secret or not: this file proves that
 * UserPassword does not, through the real engine, against moto:
 *
 *   1. `up --debug` (creates), 2. `preview --diff --debug` (both passwords changed),
 *   3. `up -v=9 --logtostderr --logflow` (the updates), 4. `refresh --debug`,
 *   5. `up --debug` (nothing changed),
 *
 * collecting stdout and stderr of each, and scanning all of it with the secret scanner for
 * every password (plain, URL, JSON, base64 at each offset, hex); passwords hold `"`, `\`,
 * `%`, `+`, `/`, `=`, `$`, are unique per run, and come from secret stack config (as in
 * `pulumi config set --secret`) and from a literal in the program. No `hmac-sha256$` and no
 * output named like a fingerprint appears either.
 *
 * Positive controls: the debug output does print UserPassword's outputs (its `setId` values),
 * and it does print a secret output in plain text: a test-only random password resource in
 * the same stack (not used by any UserPassword) has its secret `result` found by the scanner.
 * That is the upstream behaviour the README cautions about.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, signIn } from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import { expectedOutputs, FINGERPRINT_LIKE } from "../support/documented-outputs";
import { omit } from "../support/omit";
import {
  changedSteps,
  EventLog,
  exportedResources,
  loadLibrary,
  plaintextOf,
  SECRET_SIG,
  SECRET_SIG_KEY,
  USER_PASSWORD_TYPE,
  type StateResource,
} from "../harness/engine";
import { describeLeaks, SecretScanner, type Leak } from "../harness/secret-scanner";
import { TestRandomPassword } from "../support/test-random-password";

const h = useEngineHarness({ project: "e2e-debug-output" });

/** A password with every character that needs escaping somewhere (JSON, URL, shell, base64 alphabets, printf), unique per run. */
function trickyPassword(tag: string): string {
  return `${tag}"\\%+/=$-${randomBytes(6).toString("hex")}-Aa9`;
}

const passwords = {
  config1: trickyPassword("Cfg1"),
  config2: trickyPassword("Cfg2"),
  literal1: trickyPassword("Lit1"),
  literal2: trickyPassword("Lit2"),
};
const scanner = h.scanner.add(
  ...Object.entries(passwords).map(([label, value]) => ({ label: `password ${label}`, value })),
);

/** What the program declares; the steps change it. */
const spec = { literal: passwords.literal1 };

let stack: automation.Stack;
/** Everything each operation printed: stdout and stderr, by step (a retried step replaces its record). */
const printed = new Map<string, string>();

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    const config = new pulumi.Config();
    // As `pulumi config set --secret cfgPassword ...`: a secret Output.
    new UserPassword("cfg", {
      userPoolId: h.pool.userPoolId,
      username: "cfg",
      password: config.requireSecret("cfgPassword"),
      endpoint: h.endpoint,
    });
    // A plain string: UserPassword wraps it as a secret.
    new UserPassword("lit", {
      userPoolId: h.pool.userPoolId,
      username: "lit",
      password: spec.literal,
      endpoint: h.endpoint,
    });
    // Not used by any UserPassword: the positive control for the upstream debug output.
    const canary = new TestRandomPassword("canary", { length: 24 });
    return Promise.resolve({ canary: canary.result });
  };
}

function record(step: string, result: { stdout: string; stderr: string }): string {
  printed.set(`${step} stdout`, result.stdout).set(`${step} stderr`, result.stderr);
  if (process.env.E2E_DUMP_DIR) {
    mkdirSync(process.env.E2E_DUMP_DIR, { recursive: true });
    writeFileSync(
      path.join(process.env.E2E_DUMP_DIR, `${step.replace(/[^\w]+/g, "_")}.txt`),
      `${result.stdout}\n----- stderr\n${result.stderr}`,
    );
  }
  return `${result.stdout}\n${result.stderr}`;
}

async function userResources(): Promise<StateResource[]> {
  return (await exportedResources(stack)).filter((r) => r.type === USER_PASSWORD_TYPE);
}

/** The outputs of each UserPassword (without `__provider`), by name, checked to be exactly the documented ones. */
async function documentedUserOutputs(): Promise<Record<string, Record<string, unknown>>> {
  const byName: Record<string, Record<string, unknown>> = {};
  for (const user of await userResources()) {
    const outputs = omit(user.outputs ?? {}, "__provider");
    expect(Object.keys(outputs).sort(), `${user.urn} outputs`).toEqual(
      expectedOutputs(["setId", "passwordRevision", "endpoint"]),
    );
    expect(
      Object.keys(outputs).filter((k) => FINGERPRINT_LIKE.test(k)),
      `${user.urn} outputs`,
    ).toEqual([]);
    byName[user.urn.split("::").pop() as string] = outputs;
  }
  return byName;
}

/** Outputs without the three that change when a new password is set (passwordSetAt, and the random setId and passwordRevision). */
function withoutPerSetOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  return omit(outputs, "passwordSetAt", "setId", "passwordRevision");
}

/** The outputs after the create, to compare with those after the password changed. */
let createdOutputs: Record<string, Record<string, unknown>> = {};

async function canaryResult(): Promise<string> {
  const canary = (await exportedResources(stack)).find((r) => r.urn.endsWith("::canary"));
  const value = plaintextOf(canary?.outputs?.result);
  if (typeof value !== "string") throw new Error("the canary has no result in the state");
  return value;
}

beforeAll(async () => {
  await createUser(h.pool, "cfg");
  await createUser(h.pool, "lit");
  stack = await h.stack({ program: program() });
  await stack.setConfig("cfgPassword", { value: passwords.config1, secret: true });
});

describe("debug and verbose engine output hold no password (moto)", () => {
  it("1. up --debug creates both users; the debug output prints UserPassword's outputs, and (upstream) a secret output in plain text", async () => {
    const log = new EventLog();
    const result = await stack.up({ debug: true, onEvent: log.onEvent });
    const text = record("up --debug", result);
    expect(changedSteps(log)).toEqual(["create cfg", "create lit"]);
    expect(await signIn(h.pool, "cfg", passwords.config1)).toBe("tokens");
    expect(await signIn(h.pool, "lit", passwords.literal1)).toBe("tokens");

    // What the debug lines printed for them is what the state holds: exactly the documented outputs.
    createdOutputs = await documentedUserOutputs();
    // The debug line the issue is about is there, and it does print UserPassword's outputs.
    expect(text).toContain("RegisterResource RPC finished");
    const users = await userResources();
    expect(users).toHaveLength(2);
    for (const user of users) {
      expect(user.outputs?.setId, user.urn).toMatch(/^[0-9a-f]{32}$/);
      expect(text, `${user.urn}: its setId in the debug output`).toContain(user.outputs?.setId as string);
    }
    // Positive control: a secret output IS printed in plain text by --debug (upstream behaviour).
    const canary = await canaryResult();
    expect(
      new SecretScanner([{ label: "canary result", value: canary }]).scanText(text, "up --debug").length,
    ).toBeGreaterThan(0);
  });

  it("2. preview --diff --debug with both passwords changed shows two updates", async () => {
    await stack.setConfig("cfgPassword", { value: passwords.config2, secret: true });
    spec.literal = passwords.literal2;
    const log = new EventLog();
    const result = await stack.preview({ diff: true, debug: true, onEvent: log.onEvent });
    record("preview --diff --debug", result);
    expect(changedSteps(log)).toEqual(["update cfg", "update lit"]);
    expect(result.stdout).toContain("[secret]");
  });

  it("3. up -v=9 --logtostderr --logflow applies the updates", async () => {
    const log = new EventLog();
    const result = await stack.up({ logVerbosity: 9, logToStdErr: true, logFlow: true, onEvent: log.onEvent });
    const text = record("up -v=9 --logtostderr --logflow", result);
    expect(changedSteps(log)).toEqual(["update cfg", "update lit"]);
    // Verbose logging really was on (the engine's own log lines on stderr).
    expect(result.stderr.length).toBeGreaterThan(10_000);
    // ...and prints the outputs, as --debug does (positive control).
    expect(text).toContain("RegisterResource RPC finished");
    for (const user of await userResources())
      expect(text, `${user.urn}: its new setId in the verbose log`).toContain(user.outputs?.setId as string);
    expect(await signIn(h.pool, "cfg", passwords.config2)).toBe("tokens");
    expect(await signIn(h.pool, "lit", passwords.literal2)).toBe("tokens");
    expect(await signIn(h.pool, "cfg", passwords.config1)).toBe("refused");
    // The outputs the update returned (and the verbose log printed): the documented ones, and
    // none changed with the password but for passwordSetAt and the random setId and passwordRevision.
    const updated = await documentedUserOutputs();
    for (const name of ["cfg", "lit"]) {
      expect(withoutPerSetOutputs(updated[name] ?? {}), name).toEqual(withoutPerSetOutputs(createdOutputs[name] ?? {}));
      expect(updated[name]?.setId, name).not.toBe(createdOutputs[name]?.setId);
      expect(updated[name]?.passwordRevision, name).toMatch(/^[0-9a-f]{32}$/);
      expect(updated[name]?.passwordRevision, name).not.toBe(createdOutputs[name]?.passwordRevision);
    }
  });

  it("4. refresh --debug finds both in the declared state", async () => {
    const result = await stack.refresh({ debug: true });
    record("refresh --debug", result);
    // Right after the passwords changed, too: no update reported.
    expect(result.summary.resourceChanges ?? {}).not.toHaveProperty("update");
    for (const user of await userResources()) {
      expect(user.outputs?.drift, user.urn).toBeUndefined();
      expect(user.outputs?.status, user.urn).toBe("CONFIRMED");
    }
  });

  it("4b. refresh --debug --run-program: the program's registrations print the refreshed outputs", async () => {
    const result = await stack.refresh({ debug: true, runProgram: true });
    const text = record("refresh --debug --run-program", result);
    expect(text).toContain("RegisterResource RPC finished");
    for (const user of await userResources()) expect(user.outputs?.drift, user.urn).toBeUndefined();
  });

  it("5. up --debug with nothing changed changes nothing", async () => {
    const log = new EventLog();
    const result = await stack.up({ debug: true, onEvent: log.onEvent });
    record("up --debug (no change)", result);
    expect(changedSteps(log)).toEqual([]);
  });

  it("no password, in any encoding, in anything printed; no fingerprint anywhere; the outputs are the documented ones", async () => {
    const texts = [...printed].map(([where, text]) => ({ where, text }));
    expect(texts).toHaveLength(12);
    const leaks = scanner.scanTexts(texts);
    // Upstream, not the provider: in a preview the engine answers a dynamic resource's
    // create or update with its inputs (dynamic providers cannot preview), and the debug line
    // prints them, the password input included. The CLI redacts secret config values
    // ("[secret]"), so only the literal one shows, and only there, only as the input itself.
    const isPreviewEcho = (leak: Leak) => {
      if (
        leak.where !== "preview --diff --debug stderr" ||
        leak.secret !== "password literal2" ||
        leak.form !== "plain"
      )
        return false;
      const line = (printed.get(leak.where) ?? "").split("\n")[leak.line - 1] ?? "";
      return line.includes(
        `password,,,,,${SECRET_SIG_KEY},,,${SECRET_SIG},value,,,${passwords.literal2},passwordRevision,`,
      );
    };
    const echoes = leaks.filter(isPreviewEcho);
    expect(
      echoes.length,
      "the preview's echo of the literal password input (upstream; see the README's security notes)",
    ).toBeGreaterThan(0);
    expect(describeLeaks(leaks.filter((leak) => !isPreviewEcho(leak)))).toBe("");
    // The password from secret config, the case, appears nowhere at all.
    expect(describeLeaks(leaks.filter((leak) => leak.secret.startsWith("password config")))).toBe("");
    for (const { where, text } of texts) {
      expect(text.includes("hmac-sha256$"), `hmac-sha256$ in ${where}`).toBe(false);
      expect(/passwordFingerprint/i.test(text), `passwordFingerprint in ${where}`).toBe(false);
    }
    for (const user of await userResources()) {
      const outputs = Object.keys(user.outputs ?? {}).filter((k) => k !== "__provider");
      expect(outputs.sort(), user.urn).toEqual(expectedOutputs(["setId", "passwordRevision", "endpoint"]));
      expect(
        outputs.filter((k) => FINGERPRINT_LIKE.test(k)),
        user.urn,
      ).toEqual([]);
      // check's verdict is a plain random revision (input and output alike), not a secret, not derived from the password.
      expect(user.inputs?.passwordRevision, user.urn).toMatch(/^[0-9a-f]{32}$/);
      expect(user.outputs?.passwordRevision, user.urn).toBe(user.inputs?.passwordRevision);
      expect(
        Object.keys(user.inputs ?? {}).filter((k) => FINGERPRINT_LIKE.test(k)),
        user.urn,
      ).toEqual([]);
    }
  });
});
