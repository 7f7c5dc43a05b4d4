/**
 * Two UserPassword resources that target the same Cognito user in one stack would race: the
 * user would end with whichever set landed last. They are refused instead, through the real
 * engine, against cognito-local behind the fault proxy (which records every request):
 *  - at preview (and up), when the pool and username are known and equal: check refuses the
 *    second declaration, naming both resources; nothing is set;
 *  - at up, when one names the user by an alias that only resolves at run time (the email of
 *    a user in an email-as-username pool, next to her real username): the second set is
 *    refused with DuplicateUserError, even with Cognito slow enough that both sets are in
 *    flight at once; exactly one password reaches Cognito;
 *  - a resource renamed without an alias (create-new, delete-old on the same user) is NOT
 *    such a case: the rename goes through and the password is not scrambled; also when the
 *    new resource names the user by an alias the old one did not use, where only the random
 *    `setId` of the old resource's last set tells the delete that a newer set superseded it;
 *  - the same username in two different pools is not a conflict either.
 */
import { randomBytes } from "node:crypto";
import type * as automation from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import { AWKWARD_SYMBOLS, createPool, createUser, signIn, type Pool } from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import {
  changedSteps,
  checkFailures,
  engineFailure,
  EventLog,
  exportedResources,
  loadLibrary,
  USER_PASSWORD_TYPE,
} from "../harness/engine";
import { usernameOf, type RecordedRequest } from "../harness/fault-proxy";
import { describeLeaks, SecretScanner } from "../harness/secret-scanner";

const EVE_EMAIL = "eve@example.com";
const pw = (tag: string) => `${tag}#Conc-${randomBytes(5).toString("hex")}-Pw7${AWKWARD_SYMBOLS}`;

const h = useEngineHarness({ project: "e2e-concurrency", emulator: "cognito-local", proxy: true });
const { onOutput } = h;
let otherPool: Pool;
let emailPool: Pool;
let eveId: string;
let stack: automation.Stack;

const PASSWORDS = {
  first: pw("First"),
  second: pw("Second"),
  otherPool: pw("Other"),
  byEmail: pw("ByEmail"),
  byId: pw("ById"),
  solo: pw("Solo"),
  eve: pw("Eve"),
};
const scanner = h.scanner.add(
  ...Object.entries(PASSWORDS).map(([label, value]) => ({ label: `password ${label}`, value })),
);

/** What the program declares; each step changes it. */
const spec = {
  /** The resources declaring user "shared" of `pool`, by name. */
  shared: [] as Array<"first" | "second">,
  aliases: false,
  soloName: "solo-a",
  /** A resource for eve (email pool), by name and the username it declares. */
  eve: undefined as { name: string; username: string } | undefined,
};

function program(): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    const endpoint = h.endpoint;
    for (const name of spec.shared) {
      new UserPassword(name, {
        userPoolId: h.pool.userPoolId,
        username: "shared",
        password: PASSWORDS[name],
        endpoint,
      });
    }
    // Same username, another pool: another user.
    new UserPassword("other-pool", {
      userPoolId: otherPool.userPoolId,
      username: "shared",
      password: PASSWORDS.otherPool,
      endpoint,
    });
    new UserPassword(spec.soloName, {
      userPoolId: h.pool.userPoolId,
      username: "solo",
      password: PASSWORDS.solo,
      endpoint,
    });
    if (spec.eve) {
      new UserPassword(spec.eve.name, {
        userPoolId: emailPool.userPoolId,
        username: spec.eve.username,
        password: PASSWORDS.eve,
        endpoint,
      });
    }
    if (spec.aliases) {
      new UserPassword("by-email", {
        userPoolId: emailPool.userPoolId,
        username: EVE_EMAIL,
        password: PASSWORDS.byEmail,
        endpoint,
      });
      new UserPassword("by-id", {
        userPoolId: emailPool.userPoolId,
        username: eveId,
        password: PASSWORDS.byId,
        endpoint,
      });
    }
    return Promise.resolve();
  };
}

/** The outputs of the UserPassword `name` in the current state. */
async function userOutputs(name: string): Promise<Record<string, unknown>> {
  const resources = await exportedResources(stack);
  const found = resources.find((r) => r.type === USER_PASSWORD_TYPE && r.urn.endsWith(`::${name}`));
  if (!found?.outputs) throw new Error(`no UserPassword ${name} in the state`);
  return found.outputs;
}

/** The requests of `operation` that reached the proxy for `p`, oldest first. */
function requestsFor(p: Pool, operation: string): RecordedRequest[] {
  return h.proxy
    .requests(operation)
    .filter((r) => (JSON.parse(r.body) as { UserPoolId?: string }).UserPoolId === p.userPoolId);
}

/** The passwords of the AdminSetUserPassword requests that reached the emulator for `pool`. */
function setsFor(p: Pool): Array<{ username: string | undefined; password: string }> {
  return h.proxy
    .requests("AdminSetUserPassword")
    .map((r) => JSON.parse(r.body) as { UserPoolId: string; Username: string; Password: string })
    .filter((b) => b.UserPoolId === p.userPoolId)
    .map((b) => ({ username: b.Username, password: b.Password }));
}

beforeAll(async () => {
  otherPool = await createPool(h.emulator.endpoint);
  for (const name of ["shared", "solo"]) await createUser(h.pool, name);
  await createUser(otherPool, "shared");
  emailPool = await createPool(h.emulator.endpoint, { usernameAttributes: ["email"] });
  eveId = (await createUser(emailPool, EVE_EMAIL, { email: EVE_EMAIL })).cognitoUsername;
  expect(eveId).not.toBe(EVE_EMAIL);
  stack = await h.stack({ program: program() });
  const first = await stack.up({ onOutput });
  expect(first.summary.resourceChanges).toEqual({ create: 3 });
});

describe("two resources for one user are refused, not left to race", () => {
  it("same pool and username, known at preview: preview and up refuse the second declaration, naming the first", async () => {
    spec.shared = ["first", "second"];
    for (const op of ["preview", "up"] as const) {
      h.proxy.resetCounts();
      const output = await engineFailure(() =>
        op === "preview" ? stack.preview({ onOutput }) : stack.up({ onOutput }),
      );
      onOutput(output);
      const failures = checkFailures(output);
      expect(failures, output).toHaveLength(1);
      const [failure] = failures;
      // Whichever the engine checked second is refused, naming the other.
      const refused = failure?.resource as string;
      const other = refused === "second" ? "first" : "second";
      expect(["first", "second"]).toContain(refused);
      expect(failure?.property).toBe("username");
      expect(failure?.reason).toBe(
        `UserPassword "${refused}": user "shared" in user pool ${h.pool.userPoolId} is already managed by UserPassword "${other}" in this stack; two resources must not declare the same user's password`,
      );
      const sets = setsFor(h.pool);
      if (op === "preview") {
        expect(h.proxy.count("AdminSetUserPassword")).toBe(0);
        expect(h.proxy.count("AdminGetUser")).toBe(0);
      } else {
        // At up the engine may already be creating the one checked first; the refused one never sets.
        expect(sets.length).toBeLessThanOrEqual(1);
        const refusedPassword = refused === "first" ? PASSWORDS.first : PASSWORDS.second;
        expect(sets.filter((x) => x.password === refusedPassword)).toEqual([]);
      }
    }
    // Declaring the user once converges: the user ends with that declaration's password.
    spec.shared = ["first"];
    await stack.up({ onOutput });
    expect(await signIn(h.pool, "shared", PASSWORDS.first)).toBe("tokens");
    expect(await signIn(h.pool, "shared", PASSWORDS.second)).toBe("refused");
  });

  it("an email alias next to the real username (resolves only at run time): preview passes, up refuses the second set even with both in flight", async () => {
    spec.aliases = true;
    h.proxy.resetCounts();
    const preview = new EventLog();
    await stack.preview({ onOutput, onEvent: preview.onEvent });
    expect(changedSteps(preview)).toEqual(["create by-email", "create by-id"]);

    // Cognito slow to answer the sets: both creates are past their AdminGetUser before either set returns.
    const slow = h.proxy.delay("AdminSetUserPassword", 1_500);
    h.proxy.resetCounts();
    const log = new EventLog();
    const output = await engineFailure(() => stack.up({ onOutput, onEvent: log.onEvent, continueOnError: true }));
    onOutput(output);
    slow.remove();
    expect(h.proxy.count("AdminGetUser")).toBe(2);

    const sets = setsFor(emailPool);
    expect(
      sets.map((s) => s.username),
      "exactly one password set reached Cognito",
    ).toEqual([eveId]);
    const winner = sets[0]?.password === PASSWORDS.byEmail ? "by-email" : "by-id";
    const loser = winner === "by-email" ? "by-id" : "by-email";
    const loserUsername = loser === "by-email" ? EVE_EMAIL : eveId;
    const winnerUsername = winner === "by-email" ? EVE_EMAIL : eveId;

    // Both in flight, from the proxy's clock: each create is its AdminGetUser (then, at once, its
    // claim of the user) and, for the winner, its set. The winner's set was held ~1.5 s; both
    // look-ups arrived, and the loser's was answered (so it claimed), before that set was answered.
    const [set] = requestsFor(emailPool, "AdminSetUserPassword");
    const lookUps = requestsFor(emailPool, "AdminGetUser");
    const lookUpOf = (username: string) => lookUps.find((r) => usernameOf(r) === username);
    const winnerLookUp = lookUpOf(winnerUsername);
    const loserLookUp = lookUpOf(loserUsername);
    expect(lookUps.map((r) => usernameOf(r)).sort()).toEqual([EVE_EMAIL, eveId].sort());
    expect(set?.answeredAt, "the set was answered").toBeDefined();
    expect(loserLookUp?.answeredAt, "the loser's look-up was answered").toBeDefined();
    const setAnsweredAt = set?.answeredAt as number;
    expect(setAnsweredAt - (set?.at as number), "the set was held by the proxy's delay").toBeGreaterThanOrEqual(1_400);
    expect(winnerLookUp?.answeredAt as number, "the winner looked the user up before its set").toBeLessThanOrEqual(
      set?.at as number,
    );
    const timeline = `look-ups ${JSON.stringify(lookUps.map((r) => [usernameOf(r), r.at, r.answeredAt]))}, set [${set?.at}, ${setAnsweredAt}]`;
    expect(
      Math.max(...lookUps.map((r) => r.at)),
      `both look-ups arrived while the set was in flight: ${timeline}`,
    ).toBeLessThan(setAnsweredAt);
    expect(
      loserLookUp?.answeredAt as number,
      `the loser's look-up was answered while the set was in flight: ${timeline}`,
    ).toBeLessThan(setAnsweredAt);
    expect(output).toContain(
      `UserPassword "${loser}": user "${loserUsername}" in user pool ${emailPool.userPoolId} is already managed by UserPassword "${winner}" in this stack; ` +
        "two resources must not declare the same user's password",
    );
    expect(changedSteps(log)).toEqual([`create ${winner}`]);
    const winnerPassword = winner === "by-email" ? PASSWORDS.byEmail : PASSWORDS.byId;
    const loserPassword = winner === "by-email" ? PASSWORDS.byId : PASSWORDS.byEmail;
    expect(await signIn(emailPool, EVE_EMAIL, winnerPassword)).toBe("tokens");
    expect(await signIn(emailPool, EVE_EMAIL, loserPassword)).toBe("refused");
    // The losing password never left the provider.
    expect(
      describeLeaks(
        new SecretScanner([loserPassword]).scanTexts(
          h.proxy.requests().map((r) => ({ where: `request ${r.operation}`, text: r.body })),
        ),
      ),
    ).toBe("");

    // Declaring the user once converges.
    spec.aliases = false;
    const cleanup = await stack.up({ onOutput });
    expect(cleanup.summary.resourceChanges?.delete ?? 0).toBe(1);
  });

  it("a rename without an alias (create-new, delete-old on the same user) is not refused and does not scramble", async () => {
    const oldSetId = (await userOutputs("solo-a")).setId;
    expect(oldSetId).toMatch(/^[0-9a-f]{32}$/);
    h.proxy.resetCounts();
    spec.soloName = "solo-b";
    const log = new EventLog();
    const result = await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual(["create solo-b", "delete solo-a"]);
    expect(result.summary.resourceChanges).toMatchObject({ create: 1, delete: 1 });
    // One set (the new resource's), no scramble by the old one's delete.
    expect(setsFor(h.pool).map((s) => s.username)).toEqual(["solo"]);
    // The new set has its own random id.
    const newSetId = (await userOutputs("solo-b")).setId;
    expect(newSetId).toMatch(/^[0-9a-f]{32}$/);
    expect(newSetId).not.toBe(oldSetId);
    expect(await signIn(h.pool, "solo", PASSWORDS.solo)).toBe("tokens");
    expect(await signIn(otherPool, "shared", PASSWORDS.otherPool)).toBe("tokens");
    expect(log.resourceOps(USER_PASSWORD_TYPE).some((o) => o.name === "other-pool" && o.op === "same")).toBe(true);
  });

  it("a rename that also switches from the user's sub to her email alias: the old resource's setId is all that protects the new password", async () => {
    // The old resource names eve by her sub (her real username); the new one by her email.
    // The delete of the old one finds nobody declaring the sub in this deployment: only the
    // set recorded under her real username, with another setId than the old state's, says
    // that her password was just set by someone else.
    spec.eve = { name: "eve-a", username: eveId };
    await stack.up({ onOutput });
    const oldSetId = (await userOutputs("eve-a")).setId;
    expect(oldSetId).toMatch(/^[0-9a-f]{32}$/);

    h.proxy.resetCounts();
    spec.eve = { name: "eve-b", username: EVE_EMAIL };
    const log = new EventLog();
    await stack.up({ onOutput, onEvent: log.onEvent });
    expect(changedSteps(log)).toEqual(["create eve-b", "delete eve-a"]);
    // One set (the new resource's, under her real username), no scramble.
    expect(setsFor(emailPool)).toEqual([{ username: eveId, password: PASSWORDS.eve }]);
    expect(await signIn(emailPool, EVE_EMAIL, PASSWORDS.eve)).toBe("tokens");
    expect((await userOutputs("eve-b")).setId).not.toBe(oldSetId);
  });

  it("no password in anything the engine printed or wrote", () => {
    expect(h.leaks()).toBe("");
    // Positive control: the proxy's record of the requests does hold them.
    expect(
      scanner.scanTexts(h.proxy.requests().map((r) => ({ where: r.operation, text: r.body }))).length,
    ).toBeGreaterThan(0);
  });
});
