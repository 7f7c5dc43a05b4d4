/**
 * Bad input through the real Pulumi engine: every input empty, too long, of the wrong type
 * or shape; whitespace and control characters in the password; unicode usernames, valid and
 * invalid; a pool id of another region than the one configured; no region at all; conflicting
 * options; a password the pool's policy refuses; a pool that does not exist; values unknown at
 * preview that turn out bad at up.
 *
 * For each: the engine (`preview` and/or `up`) fails with the engine's check-failure line
 * naming the resource, the property and the reason; the fault proxy in front of cognito-local
 * proves no request reached the emulator (for the pool-policy and missing-pool cases: only
 * DescribeUserPool); the exported state is unchanged; and no password, good or bad, appears in
 * anything the engine printed.
 *
 * The engine stops at the first resource whose check fails (also with --continue-on-error),
 * but reports every failure of that resource: so each round declares ONE bad resource carrying
 * one bad value per property, next to the stack's good resources; rounds reuse one stack.
 */
import { randomBytes } from "node:crypto";
import type * as automation from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser, signIn, STRICT_PASSWORD_POLICY, type Pool } from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import {
  checkFailures,
  comparableState,
  engineFailure,
  EventLog,
  exportedResources,
  loadLibrary,
  plaintextOf,
  USER_PASSWORD_TYPE,
  type Engine,
} from "../harness/engine";
import { startFaultProxy, type FaultProxy } from "../harness/fault-proxy";
import { SecretScanner } from "../harness/secret-scanner";
import { TestRandomPassword } from "../support/test-random-password";

const PROJECT = "e2e-bad-input";
const REGION = "us-east-1";
const suffix = () => randomBytes(4).toString("hex");
/** A password every policy here accepts, unique per call. */
const goodPassword = (tag: string) => `${tag}#Good-${suffix()}-Pw9`;

// No region anywhere but the stack config: the missing-region case depends on it.
const h = useEngineHarness({
  project: PROJECT,
  emulator: "cognito-local",
  // In front of the emulator for the good resources.
  proxy: { recordBodies: false },
  env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined },
});
const { onOutput } = h;

/** Valid unicode usernames (letters, marks, symbols, numbers, punctuation): declared by the good resources. */
const UNICODE_USERS = ["josé", "用户名", "Zoë-ü", "e\u0301clair", "пользователь", "user😀"];

/** h.proxy, in front of the emulator for the good resources. */
let goodProxy: FaultProxy;
/** In front of the emulator for the bad resources: what reaches it is what the bad input caused. */
let badProxy: FaultProxy;
let pool: Pool;
/** A pool with a strict password policy. */
let strictPool: Pool;
let engine: Engine;
let stack: automation.Stack;
let noRegionStack: automation.Stack;
const goodPasswords = new Map<string, string>();
/** Every password any round declared, good or bad: none may appear in anything printed. */
const { scanner } = h;
/** The stack's state after the last operation: only this file's operations change it. */
let lastState: unknown;

/** What the program declares besides the good resources; set by each round. */
type BadArgs = Record<string, unknown>;
const spec: { bad: BadArgs | undefined; badName: string; unknowns: boolean } = {
  bad: undefined,
  badName: "bad",
  unknowns: false,
};

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    new UserPassword("good", {
      userPoolId: pool.userPoolId,
      username: "good",
      password: goodPasswords.get("good") as string,
      endpoint: goodProxy.endpoint,
    });
    UNICODE_USERS.forEach((username, i) => {
      new UserPassword(`unicode-${i}`, {
        userPoolId: pool.userPoolId,
        username,
        password: goodPasswords.get(username) as string,
        endpoint: goodProxy.endpoint,
      });
    });
    if (spec.bad) {
      // The cast is the point: a program in plain JavaScript, or with `any`, can pass anything.
      new UserPassword(spec.badName, spec.bad as never);
    }
    if (spec.unknowns) {
      // Unknown during preview (the random password is created only by up), bad once known.
      const random = new TestRandomPassword("too-long", { length: 300 });
      new UserPassword("unknown-at-preview", {
        userPoolId: random.result.apply(() => pool.userPoolId),
        username: random.result.apply(() => "has space"),
        password: random.result,
        endpoint: badProxy.endpoint,
      });
    }
    return Promise.resolve();
  };
}

/** Base arguments of the bad resource: valid, aimed at a user no good resource declares. */
function base(): BadArgs {
  return {
    userPoolId: pool.userPoolId,
    username: "nobody",
    password: goodPassword("Base"),
    endpoint: badProxy.endpoint,
  };
}

interface Round {
  title: string;
  /** Overrides of base(); a property set to `undefined` is removed. */
  args: () => BadArgs;
  /** [property, reason] per failure the engine must report. */
  expected: Array<[string, RegExp]>;
  /** Which operations to run (each must fail). */
  ops: Array<"preview" | "up">;
  /** Requests the bad input may cause, per operation (default: none at all). */
  requests?: Record<string, number>;
}

const ROUNDS: Round[] = [
  {
    title: "every input empty",
    args: () => ({ userPoolId: "", username: "", password: "", region: "", endpoint: "", profile: "" }),
    expected: [
      ["userPoolId", /^must not be empty$/],
      ["username", /^must not be empty$/],
      ["password", /^must not be empty$/],
      ["region", /^must not be empty when given$/],
      ["endpoint", /^must not be empty when given$/],
      ["profile", /^must not be empty when given$/],
    ],
    ops: ["preview", "up"],
  },
  {
    title: "too long",
    args: () => ({
      userPoolId: `us-east-1_${"A".repeat(46)}`,
      username: "u".repeat(129),
      password: `Pw1!${"x".repeat(253)}`,
    }),
    expected: [
      ["userPoolId", /^must be at most 55 characters, got 56$/],
      ["username", /^must be at most 128 characters, got 129$/],
      ["password", /^must be at most 256 characters, got 257$/],
    ],
    ops: ["preview"],
  },
  {
    title: "wrong types",
    args: () => ({
      userPoolId: 42,
      username: ["alice"],
      password: 123456789,
      permanent: "yes",
      region: 5,
      onDelete: true,
      reissueExpiredTemporaryPassword: "no",
      allowFederatedUser: "true",
      checkPasswordPolicy: 0,
    }),
    expected: [
      ["userPoolId", /^must be a string, got number$/],
      ["username", /^must be a string, got array$/],
      ["password", /^must be a string, got number$/],
      ["permanent", /^must be a boolean, got string$/],
      ["region", /^must be a string, got number$/],
      ["onDelete", /^must be one of "scramble", "keep"$/],
      ["reissueExpiredTemporaryPassword", /^must be a boolean, got string$/],
      ["allowFederatedUser", /^must be a boolean, got string$/],
      ["checkPasswordPolicy", /^must be a boolean, got number$/],
    ],
    ops: ["preview", "up"],
  },
  {
    title: "wrong shapes",
    args: () => ({
      userPoolId: "nounderscore",
      username: { name: "alice" },
      password: { value: goodPassword("Obj") },
      region: "US-EAST-1",
      endpoint: "ftp://127.0.0.1:21",
      onDelete: "shred",
      passwd: "typo",
    }),
    expected: [
      ["userPoolId", /^must look like <region>_<id> \(e\.g\. us-east-1_AbC123\), got "nounderscore"$/],
      ["username", /^must be a string, got object$/],
      ["password", /^must be a string, got object$/],
      ["region", /^must be an AWS region such as us-east-1, got "US-EAST-1"$/],
      ["endpoint", /^must be an http\(s\) URL, got "ftp:\/\/127\.0\.0\.1:21"$/],
      ["onDelete", /^must be one of "scramble", "keep"$/],
      ["passwd", /^is not a UserPassword input$/],
    ],
    ops: ["preview"],
  },
  {
    title: "more shapes; whitespace in username and password",
    args: () => ({
      userPoolId: "us-east-1_",
      username: "ali ce",
      password: ` Leading${goodPassword("Ws")}`,
      endpoint: "not a url",
      profile: "my profile",
    }),
    expected: [
      ["userPoolId", /^must look like <region>_<id>/],
      ["username", /^must not contain whitespace or control characters$/],
      ["password", /^must not contain whitespace$/],
      ["endpoint", /^must be an http\(s\) URL, got "not a url"$/],
      ["profile", /^must not contain whitespace$/],
    ],
    ops: ["up"],
  },
  ...(
    [
      ["tab", "alice\t", `Mid dle${goodPassword("Sp")}`, /^must not contain whitespace$/],
      [
        "zero-width space (format character)",
        "zero\u200bwidth",
        `Tab\t${goodPassword("Tab")}`,
        /^must not contain whitespace$/,
      ],
      ["no-break space", "nbsp\u00a0x", `New\nline${goodPassword("Nl")}`, /^must not contain whitespace$/],
      ["bell", "ctl\u0007x", `Nbsp\u00a0${goodPassword("Nb")}`, /^must not contain whitespace$/],
      ["line break", "line\nbreak", `Ideo\u3000${goodPassword("Id")}`, /^must not contain whitespace$/],
      ["line separator", "ls\u2028x", `Ctl\u0001${goodPassword("Ct")}`, /^must not contain control characters$/],
      ["ideographic space", "ideo\u3000x", `Del\u007f${goodPassword("De")}`, /^must not contain control characters$/],
      ["NUL", "nul\u0000x", `Nel\u0085${goodPassword("Ne")}`, /^must not contain control characters$/],
    ] as const
  ).map(([what, username, password, reason], i): Round => ({
    title: `invalid unicode username (${what}); whitespace or control character in the password`,
    args: () => ({ username, password }),
    expected: [
      ["username", /^must not contain whitespace or control characters$/],
      ["password", reason],
    ],
    ops: i === 4 ? ["up"] : ["preview"],
  })),
  {
    title: "a NUL in the password",
    args: () => ({ password: `Nul\u0000${goodPassword("Nu")}` }),
    expected: [["password", /^must not contain control characters$/]],
    ops: ["preview"],
  },
  {
    title: "a pool id of another region than the configured aws:region",
    args: () => ({ userPoolId: "eu-west-1_Abc123" }),
    expected: [["userPoolId", /^names region eu-west-1 but the region in use is us-east-1$/]],
    ops: ["preview"],
  },
  {
    title: "a pool id of another region than the region input; conflicting options",
    args: () => ({
      userPoolId: "us-east-1_Abc123",
      region: "eu-west-1",
      permanent: true,
      reissueExpiredTemporaryPassword: false,
    }),
    expected: [
      ["userPoolId", /^names region us-east-1 but the region in use is eu-west-1$/],
      ["reissueExpiredTemporaryPassword", /^applies only to temporary passwords \(permanent: false\)$/],
    ],
    ops: ["preview", "up"],
  },
  {
    title: "conflicting options (permanent by default)",
    args: () => ({ reissueExpiredTemporaryPassword: true }),
    expected: [["reissueExpiredTemporaryPassword", /^applies only to temporary passwords \(permanent: false\)$/]],
    ops: ["up"],
  },
  {
    title: "a password the pool's policy refuses",
    args: () => ({
      userPoolId: strictPool.userPoolId,
      username: "strict-user",
      password: `short1A!${suffix().slice(0, 2)}`,
    }),
    expected: [
      [
        "password",
        /^UserPassword "[^"]+": user "strict-user" in user pool local_\w+: password does not satisfy the pool's password policy: .*at least 16 characters/,
      ],
    ],
    ops: ["preview", "up"],
    requests: { DescribeUserPool: 1 },
  },
  {
    title: "a pool that does not exist",
    args: () => ({ userPoolId: "local_DoesNotExist9" }),
    expected: [
      [
        "userPoolId",
        /^UserPassword "[^"]+": user pool local_DoesNotExist9 not found \(user "[^"]+"\) \(ResourceNotFoundException\)$/,
      ],
    ],
    ops: ["preview"],
    requests: { DescribeUserPool: 1 },
  },
];

const CASES = ROUNDS.reduce((n, r) => n + r.expected.length, 0);

beforeAll(async () => {
  goodProxy = h.proxy;
  badProxy = await startFaultProxy(h.emulator.endpoint);
  pool = h.pool;
  strictPool = await createPool(h.emulator.endpoint, {
    passwordPolicy: STRICT_PASSWORD_POLICY,
  });
  for (const username of ["good", ...UNICODE_USERS]) {
    await createUser(pool, username);
    goodPasswords.set(username, goodPassword("U"));
  }
  await createUser(strictPool, "strict-user");
  scanner.add(...goodPasswords.values());

  engine = await h.engine();
  stack = await h.stack({ program: program(), config: { "aws:region": { value: REGION } } });
});

afterAll(async () => {
  await badProxy?.stop();
});

/** Declares the round's bad resource, runs `op`, checks failures, requests, state. Returns the engine's output. */
async function runRound(round: Round, op: "preview" | "up", index: number): Promise<void> {
  const args: BadArgs = { ...base(), ...round.args() };
  for (const key of Object.keys(args)) if (args[key] === undefined) delete args[key];
  if (typeof args.password === "string")
    scanner.add({ label: `bad password of round ${index} (${round.title})`, value: args.password });
  spec.bad = args;
  spec.badName = `bad-${index}`;
  const before = lastState;
  badProxy.resetCounts();
  goodProxy.resetCounts();

  const output = await engineFailure(() =>
    op === "preview" ? stack.preview({ onOutput, diff: true }) : stack.up({ onOutput }),
  );
  onOutput(output);

  const failures = checkFailures(output);
  const context = `${round.title} (${op}):\n${output.slice(0, 3000)}`;
  // Exactly the expected failures, all on the bad resource, each naming its property.
  expect(
    failures.map((f) => f.resource),
    context,
  ).toEqual(failures.map(() => spec.badName));
  expect(failures.map((f) => f.property).sort(), context).toEqual(round.expected.map(([p]) => p).sort());
  for (const [property, reason] of round.expected) {
    const failure = failures.find((f) => f.property === property);
    expect(failure?.reason, `${property} in ${context}`).toMatch(reason);
  }
  // The password is shown only as a secret in the failure line.
  if (round.expected.some(([p]) => p === "password"))
    expect(output).toMatch(/property password value \{\[secret\]\} has a problem/);
  // Nothing but what the bad input may cause reached the emulator; the good resources changed nothing.
  expect({ ...badProxy.counts }, context).toEqual(round.requests ?? {});
  expect(goodProxy.count("AdminSetUserPassword")).toBe(0);
  lastState = await comparableState(engine, stack);
  expect(lastState, `state after ${op}: ${round.title}`).toEqual(before);
}

describe("bad input through the engine: refused by check, naming the property, before any request", () => {
  it(`baseline: the good resources (valid unicode usernames included) deploy; ${CASES} bad-input failures are tried below`, async () => {
    const log = new EventLog();
    const result = await stack.up({ onOutput, onEvent: log.onEvent });
    expect(result.summary.resourceChanges).toEqual({ create: 2 + UNICODE_USERS.length });
    expect(log.resourceOps(USER_PASSWORD_TYPE).filter((o) => o.op === "create")).toHaveLength(1 + UNICODE_USERS.length);
    for (const [username, password] of goodPasswords)
      expect(await signIn(pool, username, password), username).toBe("tokens");
    expect(CASES).toBeGreaterThanOrEqual(25);
    lastState = await comparableState(engine, stack);
  });

  ROUNDS.forEach((round, index) => {
    it(`${round.title}: ${round.expected.map(([p]) => p).join(", ")} (${round.ops.join(" + ")})`, async () => {
      for (const op of round.ops) await runRound(round, op, index);
    });
  });

  it("values unknown at preview pass untouched (no request); once known at up they are refused before any request", async () => {
    spec.bad = undefined;
    spec.unknowns = true;
    badProxy.resetCounts();
    const log = new EventLog();
    const preview = await stack.preview({ onOutput, onEvent: log.onEvent, diff: true });
    expect(preview.changeSummary).toMatchObject({ create: 2 });
    expect(log.previews(USER_PASSWORD_TYPE).map((m) => `${m.op} ${m.urn.split("::").pop()}`)).toContain(
      "create unknown-at-preview",
    );
    expect(badProxy.count()).toBe(0);

    const before = lastState as { resources: Array<{ type: string }> };
    const output = await engineFailure(() => stack.up({ onOutput }));
    onOutput(output);
    const failures = checkFailures(output);
    expect(failures.map((f) => `${f.resource} ${f.property}: ${f.reason}`).sort(), output).toEqual([
      "unknown-at-preview password: must be at most 256 characters, got 300",
      "unknown-at-preview username: must not contain whitespace or control characters",
    ]);
    expect(badProxy.count()).toBe(0);
    // The random password was created (it was valid); no UserPassword changed.
    const after = (await comparableState(engine, stack)) as { resources: Array<{ type: string }> };
    const users = (s: { resources: Array<{ type: string }> }) =>
      s.resources.filter((r) => r.type === USER_PASSWORD_TYPE);
    expect(users(after)).toEqual(users(before));
    expect(after.resources.length).toBe(before.resources.length + 1);
    // Its value, now known, is a password too.
    const random = (await exportedResources(stack)).find((r) => r.urn.endsWith("::too-long"));
    const value = plaintextOf(random?.outputs?.result);
    expect(typeof value === "string" && value.length).toBe(300);
    scanner.add({ label: "the 300-character random password", value: value as string });
    lastState = after;
    spec.unknowns = false;
  });

  it("no region anywhere (emulator pool id, no region input, no aws:region, no AWS_REGION): refused naming region", async () => {
    const { UserPassword } = loadLibrary();
    const regionless = { declare: false };
    const password = goodPassword("Nr");
    scanner.add(password);
    noRegionStack = await engine.stack({
      projectName: PROJECT,
      stackName: "no-region",
      program: () => {
        // A good resource that names its region, so the state has something to keep.
        new UserPassword("with-region", {
          userPoolId: pool.userPoolId,
          username: "good",
          password: goodPasswords.get("good") as string,
          region: REGION,
          endpoint: goodProxy.endpoint,
          onDelete: "keep",
        });
        if (regionless.declare)
          new UserPassword("regionless", {
            userPoolId: pool.userPoolId,
            username: "nobody",
            password,
            endpoint: badProxy.endpoint,
          });
        return Promise.resolve();
      },
    });
    await noRegionStack.up({ onOutput });
    regionless.declare = true;
    for (const op of ["preview", "up"] as const) {
      const before = await comparableState(engine, noRegionStack);
      badProxy.resetCounts();
      const output = await engineFailure(() =>
        op === "preview" ? noRegionStack.preview({ onOutput }) : noRegionStack.up({ onOutput }),
      );
      onOutput(output);
      expect(checkFailures(output), output).toEqual([
        {
          resource: "regionless",
          property: "region",
          // An asymmetric matcher (vitest types it `any`).
          reason: expect.stringMatching(
            /^UserPassword "regionless": user "[^"]+" in user pool \S+: no AWS region: set the "region" input, the stack config "aws:region", or AWS_REGION$/,
          ) as unknown,
        },
      ]);
      expect(badProxy.count()).toBe(0);
      expect(await comparableState(engine, noRegionStack)).toEqual(before);
    }
  });

  it("no password, good or bad, and no AWS credential in anything the engine printed or wrote", () => {
    expect(h.printed.length).toBeGreaterThan(1000);
    expect(scanner.size).toBeGreaterThan(ROUNDS.length);
    expect(h.leaks()).toBe("");
    // Positive control: the scanner finds what the output does hold.
    expect(
      new SecretScanner(["has a problem: must not be empty"]).scanText(h.printed, "output").length,
    ).toBeGreaterThan(0);
  });
});
