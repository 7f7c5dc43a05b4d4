/**
 * Faults through the real Pulumi engine, injected by the loopback fault proxy in front of an
 * emulator: throttling, HTTP 500 and 503, connection resets, responses slower than the
 * request timeout, the emulator stopped in the middle of a run, and the Cognito errors no
 * emulator produces (PasswordHistoryPolicyViolationException, NotAuthorizedException for a
 * missing IAM permission, InvalidPasswordException).
 *
 * Each round declares a new password for every user and injects, at once, a fault every user
 * meets a few times (the SDK's retries must absorb it: those users are updated) and the same
 * fault without end for ONE user (that user fails, with a message naming the user, the pool,
 * the call and the Cognito error). Then the fault is removed and a second `up` converges with
 * no manual step: exactly the failed user is updated. Every user is then signed in on moto
 * with the declared password. Destroy under faults scrambles every user. The stack runs with
 * COGNITO_PW_MAX_ATTEMPTS=4 (default 8) to keep the failing runs short; every retried call is
 * counted at the proxy.
 *
 * What the engine printed and wrote is scanned for every password (the InvalidPassword fault
 * echoes the password it received in its message, as a careless service might) and for the
 * AWS credentials.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type * as automation from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWKWARD_SYMBOLS, cognitoClient, createPool, createUser, signIn, type Pool } from "../support/cognito-fixtures";
import { startCognitoLocal, type Emulator } from "../harness/emulators";
import { useEngineHarness } from "../support/engine-harness";
import {
  changedSteps,
  comparableState,
  EventLog,
  exportedResources,
  loadLibrary,
  type Engine,
} from "../harness/engine";
import { forUser, startFaultProxy, type FaultProxy, type RequestInfo } from "../harness/fault-proxy";
import { waitFor } from "../harness/processes";

const PROJECT = "e2e-faults";
const MAX_ATTEMPTS = 4;
const USERS = ["u1", "u2", "u3", "u4"] as const;
type User = (typeof USERS)[number];

const h = useEngineHarness({
  project: PROJECT,
  proxy: true,
  engineEnv: { COGNITO_PW_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
});
const { onOutput, scanner } = h;

/** The harness's, in front of moto. */
let proxy: FaultProxy;
let pool: Pool;
let engine: Engine;
let stack: automation.Stack;
/** Requests recorded by the proxy in one round, for the scanner's positive control. */
let requestSample: Array<{ operation: string; body: string }> = [];

/** The resource name of each user's UserPassword (a round renames one). */
const names = Object.fromEntries(USERS.map((u) => [u, u])) as Record<User, string>;
/** The declared password of each user; each round replaces them. */
const declared = {} as Record<User, string>;
/** Every password each user was ever declared with, oldest first. */
const history = Object.fromEntries(USERS.map((u) => [u, [] as string[]])) as Record<User, string[]>;

function newPassword(user: string, round: string): string {
  const password = `${round}!${user}-${randomBytes(5).toString("hex")}-Pw9${AWKWARD_SYMBOLS}`;
  scanner.add({ label: `password of ${user} (${round})`, value: password });
  return password;
}

function declare(user: User, password: string): void {
  declared[user] = password;
  history[user].push(password);
}

function rotateAll(round: string): Record<User, string> {
  const previous = { ...declared };
  for (const user of USERS) declare(user, newPassword(user, round));
  return previous;
}

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    for (const user of USERS) {
      new UserPassword(names[user], {
        userPoolId: pool.userPoolId,
        username: user,
        password: declared[user],
        endpoint: proxy.endpoint,
      });
    }
    return Promise.resolve();
  };
}

interface RunResult {
  ok: boolean;
  output: string;
  log: EventLog;
}

/** `up` (or destroy) that may fail; continue-on-error so every resource is attempted; with --diff. */
async function run(op: "up" | "destroy" = "up", on: automation.Stack = stack, parallel?: number): Promise<RunResult> {
  const log = new EventLog();
  let output = "";
  const collect = (text: string) => {
    output += text;
    onOutput(text);
  };
  try {
    // --diff: the detailed diff of every input is printed too, and scanned for the passwords.
    const options = {
      onOutput: collect,
      onEvent: log.onEvent,
      continueOnError: true,
      diff: true,
      ...(parallel ? { parallel } : {}),
    };
    if (op === "up") await on.up(options);
    else await on.destroy(options);
    return { ok: true, output, log };
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    onOutput(text);
    if (process.env.E2E_DEBUG) console.log(`----- ${op} failed:\n${output}\n${text}`);
    return { ok: false, output: `${output}\n${text}`, log };
  }
}

/** The resources whose error the output reports (`error: UserPassword "<name>": ...`). */
function failedResources(output: string): string[] {
  return [...new Set([...output.matchAll(/error: UserPassword "([^"]+)"/g)].map((m) => m[1] as string))].sort();
}

/** Every request but `user`'s. */
const notUser = (user: string) => (r: RequestInfo) => !forUser(user)(r);

/** AdminSetUserPassword (or `operation`) requests that reached the proxy for `user`. */
function attempts(user: string, operation = "AdminSetUserPassword"): number {
  return proxy.requests(operation).filter((r) => forUser(user)(r)).length;
}

async function expectSignsIn(users: readonly User[], passwords: Record<User, string> = declared): Promise<void> {
  for (const user of users)
    expect(await signIn(pool, user, passwords[user]), `${user} signs in with the declared password`).toBe("tokens");
}

async function expectConverges(expectedUpdates: string[]): Promise<void> {
  proxy.clearRules();
  const second = await run();
  expect(second.ok, second.output.slice(-3000)).toBe(true);
  expect(changedSteps(second.log)).toEqual(expectedUpdates);
  await expectSignsIn(USERS);
}

beforeAll(async () => {
  proxy = h.proxy;
  pool = h.pool;
  for (const user of USERS) await createUser(pool, user);
  rotateAll("Initial");
  engine = await h.engine();
  stack = await h.stack({ stackName: "moto", program: program() });
  const first = await run();
  expect(first.ok, first.output).toBe(true);
  await expectSignsIn(USERS);
});

describe("faults through the engine (moto behind the fault proxy)", () => {
  it("throttling: throttled sets are retried; a user throttled without end fails naming the user; the next up converges", async () => {
    rotateAll("Throttle");
    proxy.resetCounts();
    // The first 3 sets of u1..u3 are throttled; u4 is throttled without end.
    proxy.failWith("AdminSetUserPassword", {
      status: 400,
      type: "TooManyRequestsException",
      message: "Rate exceeded",
      when: forUser("u4"),
    });
    proxy.failWith("AdminSetUserPassword", {
      status: 400,
      type: "TooManyRequestsException",
      message: "Rate exceeded",
      times: 3,
      when: notUser("u4"),
    });
    const result = await run();
    expect(result.ok).toBe(false);
    expect(failedResources(result.output)).toEqual(["u4"]);
    expect(result.output).toContain(
      `UserPassword "u4": user "u4" in user pool ${pool.userPoolId}: AdminSetUserPassword failed: still throttled after the SDK's retries; ` +
        "lower the deployment's --parallel or raise the quota (TooManyRequestsException)",
    );
    expect(changedSteps(result.log)).toEqual(["update u1", "update u2", "update u3"]);
    expect(attempts("u4")).toBe(MAX_ATTEMPTS);
    // Each of the 3 throttled sets of the others was retried, and went through.
    expect(attempts("u1") + attempts("u2") + attempts("u3")).toBe(3 + 3);
    await expectSignsIn(["u1", "u2", "u3"]);
    await expectConverges(["update u4"]);
  });

  it("HTTP 500 on the sets and 503 on one user's look-up: retried; the 503 user fails naming the call; the next up converges", async () => {
    rotateAll("Http5xx");
    proxy.resetCounts();
    proxy.failWith("AdminSetUserPassword", {
      status: 500,
      type: "InternalErrorException",
      times: USERS.length - 1,
      when: notUser("u3"),
    });
    proxy.failWith("AdminGetUser", {
      status: 503,
      type: "ServiceUnavailableException",
      message: "Service unavailable",
      when: forUser("u3"),
    });
    const result = await run();
    expect(failedResources(result.output)).toEqual(["u3"]);
    expect(result.output).toContain(
      `UserPassword "u3": user "u3" in user pool ${pool.userPoolId}: AdminGetUser failed: HTTP 503: Service unavailable (ServiceUnavailableException)`,
    );
    expect(changedSteps(result.log)).toEqual(["update u1", "update u2", "update u4"]);
    expect(attempts("u3", "AdminGetUser")).toBe(MAX_ATTEMPTS);
    expect(attempts("u3")).toBe(0);
    // Three 500s answered, each retried: 3 successful sets needed 6 requests.
    expect(proxy.count("AdminSetUserPassword")).toBe(3 + (USERS.length - 1));
    await expectConverges(["update u3"]);
  });

  it("connection resets: retried; a user whose connection is always reset fails naming the user; the next up converges", async () => {
    rotateAll("Reset");
    proxy.resetCounts();
    proxy.resetConnection("AdminSetUserPassword", USERS.length - 1, { when: notUser("u2") });
    proxy.resetConnection("AdminSetUserPassword", undefined, { when: forUser("u2") });
    const result = await run();
    expect(failedResources(result.output)).toEqual(["u2"]);
    expect(result.output).toMatch(
      new RegExp(
        `UserPassword "u2": user "u2" in user pool ${pool.userPoolId}: AdminSetUserPassword failed[^\\n]*\\((ECONNRESET|EPIPE|TimeoutError|Error)\\)`,
      ),
    );
    expect(changedSteps(result.log)).toEqual(["update u1", "update u3", "update u4"]);
    expect(attempts("u2")).toBe(MAX_ATTEMPTS);
    expect(proxy.count("AdminSetUserPassword")).toBe(MAX_ATTEMPTS + 3 + (USERS.length - 1));
    // u2's password never reached moto: the old one still works.
    expect(await signIn(pool, "u2", history.u2.at(-2) as string)).toBe("tokens");
    await expectConverges(["update u2"]);
  });

  it("a response slower than the request timeout: retried; a user always too slow fails with a timeout naming the user; the next up converges", async () => {
    rotateAll("Slow");
    stack.workspace.envVars.COGNITO_PW_REQUEST_TIMEOUT_MS = "800";
    try {
      proxy.resetCounts();
      // Delayed after moto answered: the set is applied, the client has given up (as with AWS).
      proxy.delay("AdminSetUserPassword", 2_500, USERS.length - 1, { when: notUser("u1") });
      proxy.delay("AdminSetUserPassword", 2_500, undefined, { when: forUser("u1") });
      const result = await run();
      expect(failedResources(result.output)).toEqual(["u1"]);
      expect(result.output).toMatch(
        new RegExp(
          `UserPassword "u1": user "u1" in user pool ${pool.userPoolId}: AdminSetUserPassword failed[^\\n]*\\((TimeoutError|RequestTimeout\\w*)\\)`,
        ),
      );
      expect(changedSteps(result.log)).toEqual(["update u2", "update u3", "update u4"]);
      expect(attempts("u1")).toBe(MAX_ATTEMPTS);
      expect(proxy.count("AdminSetUserPassword")).toBe(MAX_ATTEMPTS + 3 + (USERS.length - 1));
      // A timed-out set may have been applied: u1 already has the declared password, and
      // the state still the old inputs (the old password); the next up sets it again, the same password.
      expect(await signIn(pool, "u1", declared.u1)).toBe("tokens");
    } finally {
      delete stack.workspace.envVars.COGNITO_PW_REQUEST_TIMEOUT_MS;
    }
    await expectConverges(["update u1"]);
  });

  it("errors emulators never produce: password history, missing IAM permission, a policy refusal echoing the password: not retried, named, nothing changed; the next up converges", async () => {
    // u1 goes back to a password it had: the pool's history (simulated: it refuses the
    // passwords u1 held before) refuses it, as Cognito would on Essentials and above.
    const reused = history.u1[0] as string;
    const previous = { ...declared };
    declare("u1", reused);
    declare("u2", newPassword("u2", "Iam"));
    declare("u3", newPassword("u3", "Policy"));
    declare("u4", newPassword("u4", "Clean"));
    const before = (await comparableState(engine, stack)) as {
      resources: Array<{ urn: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    };
    // What each user's state says about its last set: the random setId (a new one per set) and the stored password input (by digest).
    const lastSets = (s: typeof before) =>
      Object.fromEntries(
        s.resources
          .filter((r) => r.outputs?.setId)
          .map((r): [string, { setId: unknown; password: unknown }] => [
            r.urn.split("::").pop() as string,
            { setId: r.outputs?.setId, password: r.inputs?.password },
          ]),
      );

    proxy.resetCounts();
    const passwordOf = (r: RequestInfo) => (JSON.parse(r.body) as { Password?: string }).Password ?? "";
    // The pool's history, as Cognito keeps it: u1's earlier passwords are refused.
    const passwordHistory = () =>
      proxy.failWith("AdminSetUserPassword", {
        status: 400,
        type: "PasswordHistoryPolicyViolationException",
        message: "Password has previously been used",
        when: (r) => forUser("u1")(r) && history.u1.slice(0, -1).includes(passwordOf(r)),
      });
    passwordHistory();
    proxy.failWith("AdminSetUserPassword", {
      status: 400,
      type: "NotAuthorizedException",
      message:
        "User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: cognito-idp:AdminSetUserPassword " +
        "because no identity-based policy allows the cognito-idp:AdminSetUserPassword action",
      when: forUser("u2"),
    });
    proxy.failWith("AdminSetUserPassword", {
      status: 400,
      type: "InvalidPasswordException",
      // A careless service quoting what it received, in several encodings.
      message: (r) =>
        `Password ${passwordOf(r)} (${encodeURIComponent(passwordOf(r))}, ${Buffer.from(passwordOf(r)).toString("base64")}) does not conform with policy: Password must have symbol characters`,
      when: forUser("u3"),
    });

    const result = await run();
    requestSample = proxy.requests();
    expect(failedResources(result.output)).toEqual(["u1", "u2", "u3"]);
    const target = (u: string) => `UserPassword "${u}": user "${u}" in user pool ${pool.userPoolId}`;
    expect(result.output).toContain(
      `${target("u1")}: the pool's password history refuses this password because the user used it recently; ` +
        "rotate the password (e.g. change the RandomPassword's keepers) and run again (PasswordHistoryPolicyViolationException)",
    );
    expect(result.output).toContain(
      `${target("u2")}: not allowed to call AdminSetUserPassword; check the IAM permissions of the credentials (NotAuthorizedException)`,
    );
    expect(result.output).toMatch(
      new RegExp(
        `${target("u3")}: password does not satisfy the pool's password policy: Password \\*\\*\\* \\(\\*\\*\\*, \\*\\*\\*\\) does not conform with policy[^\\n]*\\(InvalidPasswordException\\)`,
      ),
    );
    expect(changedSteps(result.log)).toEqual(["update u4"]);
    // Not retried: these are answers, not faults.
    for (const u of ["u1", "u2", "u3"]) expect(attempts(u), u).toBe(1);
    // Nothing changed for them: Cognito still has the previous passwords; the state the old setIds and old password inputs.
    await expectSignsIn(["u1", "u2", "u3"], previous);
    await expectSignsIn(["u4"]);
    const after = (await comparableState(engine, stack)) as typeof before;
    const [was, is] = [lastSets(before), lastSets(after)];
    for (const u of ["u1", "u2", "u3"]) expect(is[u], u).toEqual(was[u]);
    expect(is.u4).not.toEqual(was.u4);

    // The IAM policy and the password fixed: the next up converges for them and tries u1 again,
    // which the history refuses again (the README's documented behaviour).
    proxy.clearRules();
    const history1 = passwordHistory();
    proxy.resetCounts();
    const again = await run();
    expect(failedResources(again.output)).toEqual(["u1"]);
    expect(again.output).toContain("(PasswordHistoryPolicyViolationException)");
    expect(changedSteps(again.log)).toEqual(["update u2", "update u3"]);
    expect(attempts("u1")).toBe(1);
    expect(history1.hits).toBe(1);
    // Rotating u1 to a new password (what the message says to do) converges, no other step.
    declare("u1", newPassword("u1", "Rotated"));
    proxy.resetCounts();
    const rotated = await run();
    expect(rotated.ok, rotated.output.slice(-3000)).toBe(true);
    expect(changedSteps(rotated.log)).toEqual(["update u1"]);
    expect(history1.hits).toBe(1);
    await expectSignsIn(USERS);
    proxy.clearRules();
  });

  it("a rename finished in a later run (another provider process) does not scramble the password the new resource declares", async () => {
    // Renamed without an alias; a targeted up creates the new resource only (as would a run
    // interrupted between create-new and delete-old); the next up deletes the old one.
    names.u4 = "u4-renamed";
    const renamedUrn = `urn:pulumi:${stack.name}::${PROJECT}::pulumi-nodejs:dynamic/cognito:UserPassword::u4-renamed`;
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent, target: [renamedUrn] });
    expect(changedSteps(log)).toEqual(["create u4-renamed"]);
    await expectSignsIn(["u4"]);

    proxy.resetCounts();
    const second = await run();
    expect(second.ok, second.output.slice(-3000)).toBe(true);
    expect(changedSteps(second.log)).toEqual(["delete u4"]);
    // The old resource's delete left u4 alone: "u4-renamed" declares this user in the stack.
    expect(attempts("u4")).toBe(0);
    await expectSignsIn(USERS);
  });

  it("destroy under throttling and 500s scrambles everyone; a user failing without end stays in the state, declared password intact, and the next destroy scrambles it", async () => {
    // Right before the destroy, every declared password works.
    await expectSignsIn(USERS);
    proxy.resetCounts();
    proxy.failWith("AdminSetUserPassword", {
      status: 503,
      type: "ServiceUnavailableException",
      message: "Service unavailable",
      when: forUser("u2"),
    });
    // A token-bucket quota of 3 requests per second on the others (the library's pacer gives
    // way once throttled, so it may refuse few or none).
    proxy.throttle("AdminSetUserPassword", { ratePerSecond: 3, burst: 1, when: notUser("u2") });
    proxy.failWith("AdminSetUserPassword", {
      status: 500,
      type: "InternalErrorException",
      times: 2,
      when: notUser("u2"),
    });
    const result = await run("destroy");
    expect(failedResources(result.output)).toEqual(["u2"]);
    expect(result.output).toContain(
      `UserPassword "u2": user "u2" in user pool ${pool.userPoolId}: AdminSetUserPassword failed: HTTP 503`,
    );
    expect(attempts("u2")).toBe(MAX_ATTEMPTS);
    // Every refused scramble (two 500s, the quota's refusals) was retried: 3 scrambles went through.
    expect(proxy.count("AdminSetUserPassword")).toBe(
      MAX_ATTEMPTS + 3 + 2 + proxy.throttledCount("AdminSetUserPassword"),
    );
    for (const user of ["u1", "u3", "u4"] as const)
      expect(await signIn(pool, user, declared[user]), user).toBe("refused");
    expect(await signIn(pool, "u2", declared.u2)).toBe("tokens");
    const left = (await exportedResources(stack)).map((r) => r.urn.split("::").pop());
    expect(left).toContain("u2");
    expect(left).not.toContain("u1");

    proxy.clearRules();
    const second = await run("destroy");
    expect(second.ok, second.output.slice(-3000)).toBe(true);
    for (const user of USERS) expect(await signIn(pool, user, declared[user]), user).toBe("refused");
    expect(await exportedResources(stack)).toEqual([]);
  });
});

describe("the emulator stopped in the middle of an up (cognito-local, restarted on its data, the proxy re-pointed)", () => {
  let dataDir: string | undefined;
  const CUSERS = ["c1", "c2", "c3", "c4", "c5", "c6"];
  let local: Emulator;
  let localProxy: FaultProxy;
  let localPool: Pool;
  let localStack: automation.Stack;
  const localDeclared: Record<string, string> = {};

  afterAll(async () => {
    await localProxy?.stop();
    await local?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the run fails naming the users whose sets had not landed; after a restart the next up converges; every user signs in with the declared password", async () => {
    // Its data outlives the process: a restart finds the pools and users again.
    dataDir = mkdtempSync(path.join(tmpdir(), "cognito-pw-faults-"));
    local = await startCognitoLocal({ dataDir });
    localProxy = await startFaultProxy(local.endpoint);
    localPool = await createPool(local.endpoint);
    for (const user of CUSERS) {
      await createUser(localPool, user);
      localDeclared[user] = newPassword(user, "Local1");
    }
    const { UserPassword } = loadLibrary();
    localStack = await engine.stack({
      projectName: PROJECT,
      stackName: "emulator-stop",
      program: () => {
        for (const user of CUSERS) {
          new UserPassword(user, {
            userPoolId: localPool.userPoolId,
            username: user,
            password: localDeclared[user] as string,
            endpoint: localProxy.endpoint,
          });
        }
        return Promise.resolve();
      },
    });
    const first = await run("up", localStack);
    expect(first.ok, first.output.slice(-3000)).toBe(true);

    for (const user of CUSERS) localDeclared[user] = newPassword(user, "Local2");
    localProxy.resetCounts();
    // Slow sets (answered by the emulator, then held): the emulator is stopped with sets in
    // flight. Two at a time, so that users are still waiting when it stops: with every user in
    // flight at once, all their sets could reach the emulator before the stop, and none fail.
    localProxy.delay("AdminSetUserPassword", 1_500);
    const running = run("up", localStack, 2);
    expect(await waitFor(() => (localProxy.forwarded.AdminSetUserPassword ?? 0) >= 2, 60_000)).toBe(true);
    await local.stop();
    const result = await running;
    expect(result.ok).toBe(false);
    const failed = failedResources(result.output);
    const updated = changedSteps(result.log).map((s) => s.replace(/^update /, ""));
    // Every user either got its set through before the stop, or failed with a clear error.
    expect([...failed, ...updated].sort()).toEqual([...CUSERS].sort());
    expect(failed.length).toBeGreaterThan(0);
    for (const user of failed) {
      expect(result.output).toMatch(
        new RegExp(
          `UserPassword "${user}": user "${user}" in user pool ${localPool.userPoolId}: Admin(Get|Set)User\\w* failed`,
        ),
      );
    }

    // Restarted on the same data, on another port: the proxy follows it.
    local = await startCognitoLocal({ dataDir });
    localProxy.clearRules();
    localProxy.setUpstream(local.endpoint);
    localPool = { ...localPool, client: cognitoClient(local.endpoint) };
    const second = await run("up", localStack);
    expect(second.ok, second.output.slice(-3000)).toBe(true);
    expect(
      changedSteps(second.log)
        .map((s) => s.replace(/^update /, ""))
        .sort(),
    ).toEqual([...failed].sort());
    for (const user of CUSERS)
      expect(await signIn(localPool, user, localDeclared[user] as string), user).toBe("tokens");
    const third = await run("up", localStack);
    expect(changedSteps(third.log)).toEqual([]);
    await localStack.destroy({ onOutput });
  });
});

describe("secret hygiene over every fault", () => {
  it("no password (including the one a fault echoed) and no AWS credential in the engine's output or files", () => {
    expect(scanner.size).toBeGreaterThan(20);
    expect(h.leaks()).toBe("");
    // Positive control: the proxy's record of the requests holds the passwords.
    expect(scanner.scanTexts(requestSample.map((r) => ({ where: r.operation, text: r.body }))).length).toBeGreaterThan(
      0,
    );
  });
});
