// The provider's sequencing, with a recording stand-in for Cognito (a mock: the same
// behaviours run against real emulators in test/integration). It covers what no emulator
// can produce: federated users, and the exact calls made per operation.
import { describe, expect, it } from "vitest";
import type { CognitoGateway, CognitoUser, UserPoolSettings } from "../../src/cognito/gateway";
import { PasswordPolicyError, UserNotFoundError, UserPoolNotFoundError, type Target } from "../../src/core/errors";
import { scramblePassword } from "../../src/core/password-policy";
import {
  createUserPasswordProvider,
  type DynamicInputs as UserPasswordInputs,
  type DynamicOutputs as UserPasswordOutputs,
  type UserPasswordProvider,
} from "../../src/dynamic/provider";
import { policyViolations } from "../../src/core/password-policy";
import { UNKNOWN } from "../../src/core/types";
import { expectedOutputs, FINGERPRINT_LIKE } from "../support/documented-outputs";
import { omit } from "../support/omit";

const PASSWORD = "Correct-Horse-9";
const HEX128 = /^[0-9a-f]{32}$/;

class RecordingGateway implements CognitoGateway {
  calls: string[] = [];
  passwords: string[] = [];
  users = new Map<string, CognitoUser>([["alice", { username: "alice", status: "CONFIRMED", enabled: true }]]);
  settings: UserPoolSettings = {
    passwordPolicy: { minimumLength: 8, requireNumbers: true },
    temporaryPasswordValidityDays: 7,
  };
  poolExists = true;
  rejectShortPasswords = false;

  // Not async (nothing to await): each executor turns a throw into a rejection, as an async method would.
  getUser(t: Target): Promise<CognitoUser> {
    return new Promise((resolve) => {
      this.calls.push(`AdminGetUser ${t.username}`);
      if (!this.poolExists) throw new UserPoolNotFoundError(t);
      const user = this.users.get(t.username);
      if (!user) throw new UserNotFoundError(t);
      resolve(user);
    });
  }
  setPassword(t: Target, password: string, permanent: boolean): Promise<void> {
    return new Promise((resolve) => {
      this.calls.push(`AdminSetUserPassword ${t.username} ${permanent}`);
      if (!this.poolExists) throw new UserPoolNotFoundError(t);
      if (!this.users.has(t.username)) throw new UserNotFoundError(t);
      if (this.rejectShortPasswords && password.length < 90)
        throw new PasswordPolicyError(t, ["too short"], "InvalidPasswordException");
      this.passwords.push(password);
      const user = this.users.get(t.username) as CognitoUser;
      this.users.set(t.username, { ...user, status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD" });
      resolve();
    });
  }
  describeUserPool(t: Target): Promise<UserPoolSettings> {
    return new Promise((resolve) => {
      this.calls.push(`DescribeUserPool ${t.userPoolId}`);
      if (!this.poolExists) throw new UserPoolNotFoundError(t);
      resolve(this.settings);
    });
  }
}

function setup() {
  const gateway = new RecordingGateway();
  const provider = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
  return { gateway, provider };
}

const inputs = (o: Partial<UserPasswordInputs> = {}): UserPasswordInputs => ({
  resourceName: "alice-pw",
  userPoolId: "us-east-1_AbC",
  username: "alice",
  password: PASSWORD,
  ...o,
});

describe("check", () => {
  it("makes no call for bad input", async () => {
    const { gateway, provider } = setup();
    const result = await provider.check(inputs(), inputs({ password: "has space" }));
    expect(result.failures).toEqual([{ property: "password", reason: "must not contain whitespace" }]);
    expect(gateway.calls).toEqual([]);
  });

  it("validates a known password against the pool policy with one DescribeUserPool per pool", async () => {
    const { gateway, provider } = setup();
    expect((await provider.check(inputs(), inputs())).failures).toBeUndefined();
    const bad = await provider.check(
      inputs(),
      inputs({ resourceName: "b", username: "bob", password: "NoDigits-here" }),
    );
    expect(bad.failures).toEqual([
      {
        property: "password",
        reason:
          'UserPassword "b": user "bob" in user pool us-east-1_AbC: password does not satisfy the pool\'s password policy: a number required',
      },
    ]);
    expect(gateway.calls).toEqual(["DescribeUserPool us-east-1_AbC"]);
  });

  it("skips the policy when the password is unknown, or when turned off", async () => {
    const { gateway, provider } = setup();
    expect((await provider.check(inputs(), inputs({ password: UNKNOWN }))).inputs?.password).toBe(UNKNOWN);
    expect(
      (await provider.check(inputs(), inputs({ password: "x", checkPasswordPolicy: false }))).failures,
    ).toBeUndefined();
    expect(gateway.calls).toEqual([]);
  });

  it("refuses a pool that does not exist", async () => {
    const { gateway, provider } = setup();
    gateway.poolExists = false;
    const result = await provider.check(inputs(), inputs());
    expect(result.failures).toEqual([
      {
        property: "userPoolId",
        reason: 'UserPassword "alice-pw": user pool us-east-1_AbC not found (user "alice") (ResourceNotFoundException)',
      },
    ]);
  });

  it("refuses a missing region for an emulator pool id", async () => {
    const { provider } = setup();
    const result = await provider.check(inputs(), inputs({ userPoolId: "local_abc" }));
    expect(result.failures?.[0]?.property).toBe("region");
  });

  it("takes the region from the stack config, and refuses a pool of another region", async () => {
    const { provider } = setup();
    await provider.configure({
      config: { get: (k) => (k === "aws:region" ? "eu-west-1" : undefined), require: () => "" },
    });
    const result = await provider.check(inputs(), inputs());
    expect(result.failures).toEqual([
      { property: "userPoolId", reason: "names region us-east-1 but the region in use is eu-west-1" },
    ]);
  });

  it("refuses two resources that declare the same user", async () => {
    const { provider } = setup();
    expect((await provider.check(inputs(), inputs())).failures).toBeUndefined();
    const second = await provider.check(inputs(), inputs({ resourceName: "alice-again" }));
    expect(second.failures).toEqual([
      {
        property: "username",
        reason:
          'UserPassword "alice-again": user "alice" in user pool us-east-1_AbC is already managed by UserPassword "alice-pw" in this stack; two resources must not declare the same user\'s password',
      },
    ]);
  });
});

describe("create / update / delete", () => {
  it("create: one read (status, real username) and one set", async () => {
    const { gateway, provider } = setup();
    const { id, outs } = await provider.create(inputs({ permanent: false }));
    expect(id).toBe("us-east-1_AbC/alice");
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice false"]);
    expect(outs).toMatchObject({
      status: "FORCE_CHANGE_PASSWORD",
      permanent: false,
      cognitoUsername: "alice",
      onDelete: "scramble",
    });
    expect(JSON.stringify(outs)).not.toContain(PASSWORD);
  });

  it("refuses a federated user unless allowed", async () => {
    const { gateway, provider } = setup();
    gateway.users.set("Google_123", { username: "Google_123", status: "EXTERNAL_PROVIDER", enabled: true });
    await expect(provider.create(inputs({ username: "Google_123" }))).rejects.toThrow(
      /federated user \(EXTERNAL_PROVIDER\)/,
    );
    expect(gateway.calls).toEqual(["AdminGetUser Google_123"]);
    await provider.create(inputs({ username: "Google_123", allowFederatedUser: true }));
    expect(gateway.calls.at(-1)).toBe("AdminSetUserPassword Google_123 true");
  });

  it("create refuses unknown or bad input before any call (direct callers)", async () => {
    const { gateway, provider } = setup();
    await expect(provider.create(inputs({ password: UNKNOWN }))).rejects.toThrow(
      'UserPassword "alice-pw": invalid input: password: is not known yet',
    );
    await expect(provider.create(inputs({ username: "" }))).rejects.toThrow("username: must not be empty");
    expect(gateway.calls).toEqual([]);
  });

  it("update with only an option changed makes no call", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    const updated = await provider.update(
      "id",
      outs as never,
      inputs({ onDelete: "keep", passwordRevision: outs?.passwordRevision }),
    );
    expect(gateway.calls).toEqual([]);
    expect(updated.outs?.onDelete).toBe("keep");
    expect(updated.outs?.setId).toBe(outs?.setId);
    expect(updated.outs?.passwordRevision).toBe(outs?.passwordRevision);
  });

  it("create records the revision check issued; a direct caller that skipped check gets a fresh one", async () => {
    const { provider } = setup();
    const revision = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    expect((await provider.create(inputs({ passwordRevision: revision }))).outs?.passwordRevision).toBe(revision);
    const unchecked = (
      await createUserPasswordProvider({ gatewayFor: () => setup().gateway, env: {} }).create(inputs())
    ).outs;
    expect(unchecked?.passwordRevision).toMatch(HEX128);
    expect(unchecked?.passwordRevision).not.toBe(revision);
  });

  it("update with a new password sets it, with a new random setId, and records the new revision", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    const revision = "aaaabbbbccccddddeeeeffff00001111";
    const updated = await provider.update(
      "id",
      outs as never,
      inputs({ password: "Another-Horse-10", passwordRevision: revision }),
    );
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(updated.outs?.setId).toMatch(HEX128);
    expect(updated.outs?.setId).not.toBe(outs?.setId);
    expect(updated.outs?.passwordRevision).toBe(revision);
  });

  it("update follows check's revision: the recorded one and nothing else changed makes no call; none (no check) sets, with a fresh revision", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    await provider.update("id", outs as never, inputs({ passwordRevision: outs?.passwordRevision }));
    expect(gateway.calls).toEqual([]);
    const direct = await provider.update("id", outs as never, inputs());
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(direct.outs?.passwordRevision).toMatch(HEX128);
    expect(direct.outs?.passwordRevision).not.toBe(outs?.passwordRevision);
  });

  it("an update for drift or permanence sets the password again and keeps the revision (the declared password is the same)", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs({ passwordRevision: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" }));
    gateway.calls = [];
    const drifted = await provider.update(
      "id",
      { ...outs, drift: "reset-required" } as never,
      inputs({ passwordRevision: outs?.passwordRevision }),
    );
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(drifted.outs?.passwordRevision).toBe(outs?.passwordRevision);
    const temporary = await provider.update(
      "id",
      drifted.outs as never,
      inputs({ permanent: false, passwordRevision: outs?.passwordRevision }),
    );
    expect(temporary.outs?.passwordRevision).toBe(outs?.passwordRevision);
    expect(temporary.outs?.status).toBe("FORCE_CHANGE_PASSWORD");
  });

  it("two resources setting the same user at run time (aliases) are refused", async () => {
    const { gateway, provider } = setup();
    await provider.create(inputs());
    gateway.users.set("alice@example.com", { username: "alice", status: "CONFIRMED", enabled: true });
    await expect(provider.create(inputs({ resourceName: "other", username: "alice@example.com" }))).rejects.toThrow(
      /already managed by UserPassword "alice-pw"/,
    );
  });

  it("two resources resolving to the same user with both sets in flight at once: only one set happens", async () => {
    const { gateway, provider } = setup();
    gateway.users.set("alice@example.com", { username: "alice", status: "CONFIRMED", enabled: true });
    // Cognito slow to answer the set: the second create looks the user up while the first set is in flight.
    const setPassword = gateway.setPassword.bind(gateway);
    gateway.setPassword = async (t, p, permanent) => {
      await new Promise((r) => setTimeout(r, 20));
      return setPassword(t, p, permanent);
    };
    const results = await Promise.allSettled([
      provider.create(inputs()),
      provider.create(inputs({ resourceName: "other", username: "alice@example.com", password: "Other-Horse-11" })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/already managed by UserPassword "alice-pw"/);
    expect(gateway.passwords).toEqual([PASSWORD]);
  });

  it("delete does not scramble a user another resource of the deployment declares (a rename finished in a later run)", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs({ resourceName: "old-name" }));
    // The next deployment's process: the new resource is only checked (it was set earlier), the old one deleted.
    const next = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    await next.check({}, inputs({ resourceName: "new-name" }));
    gateway.calls = [];
    await next.delete("id", outs as never);
    expect(gateway.calls).toEqual([]);
    // Declared by nobody else: scrambled.
    const alone = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    await alone.check({}, inputs({ resourceName: "old-name" }));
    gateway.calls = [];
    await alone.delete("id", outs as never);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
  });

  it("delete scrambles with a strong random password, one call", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    await createUserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
    const scrambled = gateway.passwords.at(-1) as string;
    expect(scrambled).not.toBe(PASSWORD);
    expect(
      policyViolations(scrambled, {
        minimumLength: 64,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
      }),
    ).toEqual([]);
  });

  it("delete retries with a 99-character password for pools whose minimum exceeds 64", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.rejectShortPasswords = true;
    await createUserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never);
    expect(gateway.passwords.at(-1)).toHaveLength(99);
  });

  it("delete with onDelete keep makes no call", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs({ onDelete: "keep" }));
    gateway.calls = [];
    await provider.delete("id", outs as never);
    expect(gateway.calls).toEqual([]);
  });

  it("delete of a renamed resource does not clobber the password the new one just set", async () => {
    const { gateway, provider } = setup();
    const old = await provider.create(inputs({ resourceName: "old" }));
    const fresh = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} }); // the next deployment's process
    await fresh.create(inputs({ resourceName: "new" }));
    gateway.calls = [];
    await fresh.delete("id", old.outs as never);
    expect(gateway.calls).toEqual([]);
  });

  it("a rename that switches from the real username to an alias: only the old state's setId tells that a newer set superseded it", async () => {
    const { gateway, provider } = setup();
    gateway.users.set("alice@example.com", { username: "alice", status: "CONFIRMED", enabled: true });
    const old = await provider.create(inputs({ resourceName: "old" }));
    // The next deployment's process: the new resource declares the alias, nobody the real username.
    const fresh = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    const news = (await fresh.check(undefined, inputs({ resourceName: "new", username: "alice@example.com" })))
      .inputs as UserPasswordInputs;
    await fresh.create(news);
    gateway.calls = [];
    await fresh.delete("id", old.outs as UserPasswordOutputs);
    expect(gateway.calls).toEqual([]);
    // Had the old state recorded the very set this process made, nothing would have superseded it: scrambled.
    const sameSet = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    const own = await sameSet.create(inputs({ resourceName: "solo" }));
    gateway.calls = [];
    await sameSet.delete("id", own.outs as UserPasswordOutputs);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
  });

  it("delete of a missing user or pool counts as deleted", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.users.clear();
    await expect(
      createUserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never),
    ).resolves.toBeUndefined();
    gateway.poolExists = false;
    await expect(
      createUserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never),
    ).resolves.toBeUndefined();
  });
});

describe("read", () => {
  it("reports the resource gone when the user is gone", async () => {
    const { gateway, provider } = setup();
    const { id, outs } = await provider.create(inputs());
    gateway.users.clear();
    expect(await provider.read(id, outs)).toEqual({});
  });

  it("supports import from the id alone", async () => {
    const { provider } = setup();
    const result = await provider.read("us-east-1_AbC/alice");
    expect(result.props).toMatchObject({ userPoolId: "us-east-1_AbC", username: "alice", status: "CONFIRMED" });
    expect(result.props).not.toHaveProperty("setId");
    await expect(provider.read("no-slash")).rejects.toThrow("must be <userPoolId>/<username>");
  });

  it("flags an expired temporary password, consulting the pool's validity once", async () => {
    const { gateway } = setup();
    let now = new Date("2026-11-01T00:00:00Z");
    const provider = createUserPasswordProvider({ gatewayFor: () => gateway, env: {}, now: () => now });
    const { id, outs } = await provider.create(inputs({ permanent: false }));
    expect((await provider.read(id, outs)).props?.drift).toBeUndefined();
    now = new Date("2026-11-08T00:00:01Z");
    expect((await provider.read(id, outs)).props?.drift).toBe("temporary-password-expired");
    expect(gateway.calls.filter((c) => c.startsWith("DescribeUserPool"))).toHaveLength(1);
  });
});

describe("scramblePassword", () => {
  it("has every character class and the requested length", () => {
    for (let i = 0; i < 50; i++) {
      const p = scramblePassword(64);
      expect(p).toHaveLength(64);
      expect(/\s/.test(p)).toBe(false);
      expect(
        policyViolations(p, {
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
        }),
      ).toEqual([]);
    }
  });
});

describe("outputs never echo inputs", () => {
  it("read given the inputs (an import passes them instead of outputs) returns no password", async () => {
    const { provider } = setup();
    const result = await provider.read("us-east-1_AbC/alice", { ...inputs(), __provider: "x" } as never);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(result.props).not.toHaveProperty("password");
    expect(result.props).not.toHaveProperty("__provider");
    expect(result.props).toMatchObject({ userPoolId: "us-east-1_AbC", username: "alice", status: "CONFIRMED" });
  });

  it("an option-only update keeps exactly the output properties", async () => {
    const { provider } = setup();
    const { outs } = await provider.create(inputs());
    const updated = await provider.update(
      "id",
      { ...outs, password: PASSWORD, extra: 1 } as never,
      inputs({ onDelete: "keep", passwordRevision: outs?.passwordRevision }),
    );
    expect(JSON.stringify(updated)).not.toContain(PASSWORD);
    expect(updated.outs).not.toHaveProperty("extra");
  });
});

describe("check decides whether the password changed (the engine hands it the previous inputs) and says so in passwordRevision", () => {
  const checked = async (
    provider: UserPasswordProvider,
    olds: Partial<UserPasswordInputs> | undefined,
    news: UserPasswordInputs,
  ) => {
    const result = await provider.check(olds, news);
    expect(result.failures ?? []).toEqual([]);
    return result.inputs as UserPasswordInputs;
  };
  const R = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

  it("first create (no previous inputs, or none with a password): a fresh random revision", async () => {
    const { provider } = setup();
    for (const olds of [undefined, {}, { userPoolId: "us-east-1_AbC", username: "alice" }]) {
      expect((await checked(provider, olds, inputs())).passwordRevision, JSON.stringify(olds)).toMatch(HEX128);
    }
  });

  it("the same password: the previous revision, kept across any number of checks; another: a fresh one", async () => {
    const { provider } = setup();
    let previous = inputs({ passwordRevision: R });
    for (let i = 0; i < 3; i++) {
      previous = await checked(provider, previous, inputs());
      expect(previous.passwordRevision).toBe(R);
    }
    const changed = await checked(provider, previous, inputs({ password: "Another-Horse-10" }));
    expect(changed.passwordRevision).toMatch(HEX128);
    expect(changed.passwordRevision).not.toBe(R);
    // ...which the next deployments keep.
    expect((await checked(provider, changed, inputs({ password: "Another-Horse-10" }))).passwordRevision).toBe(
      changed.passwordRevision,
    );
  });

  it('previous inputs without a revision (release 0.1.0, any version before revisions): "" when unchanged, a fresh one when changed', async () => {
    const { provider } = setup();
    const before = inputs({
      permanent: true,
      onDelete: "scramble",
      allowFederatedUser: false,
      checkPasswordPolicy: true,
    });
    expect(before).not.toHaveProperty("passwordRevision");
    expect((await checked(provider, before, inputs())).passwordRevision).toBe("");
    expect((await checked(provider, before, inputs({ password: "Another-Horse-10" }))).passwordRevision).toMatch(
      HEX128,
    );
    // A revision kept as "" stays "" while the password stays the same.
    expect((await checked(provider, { ...before, passwordRevision: "" }, inputs())).passwordRevision).toBe("");
  });

  it("an unknown new password (preview): the unknown revision, and diff reports a change; an unknown previous password: a fresh revision", async () => {
    const { provider } = setup();
    const { outs } = await provider.create(inputs({ passwordRevision: R }));
    const unknown = await checked(provider, inputs({ passwordRevision: R }), inputs({ password: UNKNOWN }));
    expect(unknown.passwordRevision).toBe(UNKNOWN);
    expect(await provider.diff("id", outs as UserPasswordOutputs, unknown)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const fromUnknown = await checked(provider, inputs({ password: UNKNOWN, passwordRevision: R }), inputs());
    expect(fromUnknown.passwordRevision).toMatch(HEX128);
    expect(fromUnknown.passwordRevision).not.toBe(R);
  });

  it("overwrites whatever passwordRevision the engine hands back in news, either way", async () => {
    const { provider } = setup();
    // The previous revision handed back with a changed password: a fresh one all the same.
    const changed = await checked(
      provider,
      inputs({ passwordRevision: R }),
      inputs({ password: "Another-Horse-10", passwordRevision: R }),
    );
    expect(changed.passwordRevision).toMatch(HEX128);
    expect(changed.passwordRevision).not.toBe(R);
    // Any other value with the same password: the previous revision.
    expect(
      (await checked(provider, inputs({ passwordRevision: R }), inputs({ passwordRevision: "forged" })))
        .passwordRevision,
    ).toBe(R);
    expect(
      (await checked(provider, inputs({ passwordRevision: R }), inputs({ passwordRevision: UNKNOWN })))
        .passwordRevision,
    ).toBe(R);
  });

  it("validation refuses a passwordRevision that is not a string (it may be empty)", async () => {
    const { provider } = setup();
    expect((await provider.check(inputs(), inputs({ passwordRevision: 1 as unknown as string }))).failures).toEqual([
      { property: "passwordRevision", reason: "must be a string, got number" },
    ]);
    expect((await provider.check(inputs(), inputs({ passwordRevision: "" }))).failures).toBeUndefined();
  });

  it("ignoreChanges on password (the engine puts the old value in news): the same revision", async () => {
    const { provider } = setup();
    const olds = inputs({ passwordRevision: R });
    const declaredNew = inputs({ password: "Another-Horse-10" });
    expect((await checked(provider, olds, { ...declaredNew, password: olds.password })).passwordRevision).toBe(R);
  });

  it("the revision is not derived from the password: two checks of one change agree (an update plan's preview and up), another password gives the same revision, two resources' equal passwords give unrelated ones", async () => {
    const { gateway, provider } = setup();
    gateway.users.set("bob", { username: "bob", status: "CONFIRMED", enabled: true });
    const olds = inputs({ password: "Old-Horse-8", passwordRevision: R });
    const first = (await checked(provider, olds, inputs())).passwordRevision;
    const second = (await checked(provider, olds, inputs())).passwordRevision;
    const another = (await checked(provider, olds, inputs({ password: "Another-Horse-10" }))).passwordRevision;
    expect(first).toMatch(HEX128);
    expect(first).not.toBe(R);
    expect(second).toBe(first);
    expect(another).toBe(first);
    const bobOlds = inputs({
      resourceName: "bob-pw",
      username: "bob",
      password: "Old-Horse-8",
      passwordRevision: first,
    });
    const alice = await checked(provider, olds, inputs());
    const bob = await checked(provider, bobOlds, inputs({ resourceName: "bob-pw", username: "bob" }));
    expect(bob.password).toBe(alice.password);
    expect(bob.passwordRevision).toMatch(HEX128);
    expect(bob.passwordRevision).not.toBe(alice.passwordRevision);
    // And the outputs of their creates tell nothing either: they record the revisions as checked.
    const aliceOuts = (await provider.create(alice)).outs as UserPasswordOutputs;
    const bobOuts = (await provider.create(bob)).outs as UserPasswordOutputs;
    expect(aliceOuts.passwordRevision).toBe(alice.passwordRevision);
    expect(bobOuts.passwordRevision).toBe(bob.passwordRevision);
  });

  it("returns the inputs as given, defaults filled in, plus the revision: nothing else, nothing derived from the password", async () => {
    const { provider } = setup();
    for (const olds of [undefined, inputs(), inputs({ password: "Old-Horse-8", passwordRevision: R })]) {
      const result = await checked(provider, olds, inputs());
      expect(Object.keys(result).sort()).toEqual(
        [
          "allowFederatedUser",
          "checkPasswordPolicy",
          "onDelete",
          "password",
          "passwordRevision",
          "permanent",
          "resourceName",
          "userPoolId",
          "username",
        ].sort(),
      );
      expect(typeof result.passwordRevision).toBe("string");
      const { password, ...others } = result;
      expect(password).toBe(PASSWORD);
      const text = JSON.stringify(others);
      const { createHash } = await import("node:crypto");
      const sha = createHash("sha256").update(PASSWORD).digest();
      for (const form of [
        PASSWORD,
        sha.toString("hex"),
        sha.toString("hex").slice(0, 32),
        sha.toString("base64"),
        Buffer.from(PASSWORD).toString("base64"),
      ])
        expect(text).not.toContain(form);
    }
  });

  it("the engine's sequence: check, diff and create/update over several deployments, with refreshes in between", async () => {
    const { gateway, provider } = setup();
    // The engine's refresh: read, then diff(olds = the refreshed outputs, news = the stored inputs).
    const refreshDiff = async (outs: UserPasswordOutputs, storedInputs: UserPasswordInputs) => {
      const { props } = await provider.read("us-east-1_AbC/alice", outs);
      expect(props?.passwordRevision).toBe(outs.passwordRevision);
      return provider.diff("us-east-1_AbC/alice", props as UserPasswordOutputs, storedInputs);
    };
    // Deployment 1: create.
    const in1 = await checked(provider, undefined, inputs());
    expect(in1.passwordRevision).toMatch(HEX128);
    const { outs: out1 } = await provider.create(in1);
    expect(out1?.passwordRevision).toBe(in1.passwordRevision);
    expect(await refreshDiff(out1 as UserPasswordOutputs, in1)).toMatchObject({ changes: false });
    // Deployment 2: nothing changed (the engine stores checked inputs and hands them back as olds).
    const in2 = await checked(provider, in1, inputs());
    expect(in2).toEqual(in1);
    expect(await provider.diff("id", out1 as UserPasswordOutputs, in2)).toMatchObject({ changes: false });
    // Deployment 3: a new password.
    const in3 = await checked(provider, in2, inputs({ password: "Another-Horse-10" }));
    expect(in3.passwordRevision).not.toBe(in2.passwordRevision);
    expect(await provider.diff("id", out1 as UserPasswordOutputs, in3)).toMatchObject({ changes: true, replaces: [] });
    gateway.calls = [];
    const { outs: out3 } = await provider.update("id", out1 as UserPasswordOutputs, in3);
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(out3?.passwordRevision).toBe(in3.passwordRevision);
    // A refresh right after the change: no change (the case the boolean verdict got wrong).
    gateway.calls = [];
    expect(await refreshDiff(out3 as UserPasswordOutputs, in3)).toMatchObject({ changes: false });
    expect(gateway.calls).toEqual(["AdminGetUser alice"]);
    // Deployment 4: the same new password again: no change, and the stored inputs stay as they were (no churn).
    const in4 = await checked(provider, in3, inputs({ password: "Another-Horse-10" }));
    expect(in4).toEqual(in3);
    expect(await provider.diff("id", out3 as UserPasswordOutputs, in4)).toMatchObject({ changes: false });
    expect(await refreshDiff(out3 as UserPasswordOutputs, in4)).toMatchObject({ changes: false });
    expect(gateway.passwords).toEqual([PASSWORD, "Another-Horse-10"]);
  });

  it("the dynamic resource's own name (resourceName) is a label: a rename alone is no change, and it comes back on the outputs", async () => {
    const { provider } = setup();
    const in1 = await checked(provider, undefined, inputs());
    expect(in1.resourceName).toBe("alice-pw");
    const { outs } = await provider.create(in1);
    expect(outs?.resourceName).toBe("alice-pw");
    // The next deployment (a new provider process) renames the resource.
    const next = setup().provider;
    const renamed = await checked(next, in1, inputs({ resourceName: "alice-renamed" }));
    expect(await next.diff("id", outs as UserPasswordOutputs, renamed)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // The engine's own property is the adapter's to drop: the core would refuse it as an unknown input.
    const withEngineProperty = { ...inputs(), __provider: "serialized" } as UserPasswordInputs;
    expect((await setup().provider.check(undefined, withEngineProperty)).failures).toBeUndefined();
  });
});

describe("outputs", () => {
  it("are exactly the documented ones (README's Outputs table), none named like a fingerprint", async () => {
    const { provider } = setup();
    const { outs } = await provider.create(inputs({ permanent: false, reissueExpiredTemporaryPassword: true }));
    expect(Object.keys(outs as object).sort()).toEqual(expectedOutputs(["setId", "passwordRevision"]));
    expect(Object.keys(outs as object).filter((k) => FINGERPRINT_LIKE.test(k))).toEqual([]);
  });

  it("do not change when only the password changes, but for passwordSetAt and the random setId and passwordRevision", async () => {
    const gateway = new RecordingGateway();
    let tick = 0;
    const make = () =>
      createUserPasswordProvider({
        gatewayFor: () => gateway,
        env: {},
        now: () => new Date(Date.UTC(2026, 10, 1, 0, 0, tick++)),
      });
    const first = (await make().create(inputs({ password: "First-Horse-10" }))).outs as UserPasswordOutputs;
    const second = (await make().create(inputs({ password: "Second-Horse-11" }))).outs as UserPasswordOutputs;
    const updatingProvider = make();
    const updated = (
      await updatingProvider.update(
        "id",
        first,
        inputs({ password: "Third-Horse-12", passwordRevision: "aaaabbbbccccddddeeeeffff00001111" }),
      )
    ).outs as UserPasswordOutputs;
    const strip = (outs: UserPasswordOutputs) => omit(outs, "passwordSetAt", "setId", "passwordRevision");
    expect(strip(second)).toEqual(strip(first));
    expect(strip(updated)).toEqual(strip(first));
    // The two left out do differ (so leaving them out hides nothing else).
    expect(second.setId).not.toBe(first.setId);
    expect(second.passwordRevision).not.toBe(first.passwordRevision);
    expect(second.passwordSetAt).not.toBe(first.passwordSetAt);
    expect(gateway.passwords).toEqual(["First-Horse-10", "Second-Horse-11", "Third-Horse-12"]);
  });
});

describe("state written by the fingerprint version, release 0.1.0 (outputs with passwordFingerprint, no setId, no passwordRevision; inputs without passwordRevision)", () => {
  const LEGACY_FINGERPRINT = "hmac-sha256$c2FsdHNhbHRzYWx0c2FsdA==$bWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWE=";

  async function legacyState() {
    const { gateway, provider } = setup();
    const oldInputs = (await provider.check(undefined, inputs())).inputs as UserPasswordInputs;
    const legacyInputs = omit(oldInputs, "passwordRevision");
    const { outs } = await provider.create(oldInputs);
    const rest = omit(outs as UserPasswordOutputs, "setId", "passwordRevision");
    const legacyOutputs = { ...rest, passwordFingerprint: LEGACY_FINGERPRINT } as UserPasswordOutputs;
    // The upgraded deployment runs in a new provider process.
    const upgraded = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    gateway.calls = [];
    return { gateway, upgraded, legacyInputs: legacyInputs as UserPasswordInputs, legacyOutputs };
  }

  it("nothing changed: check and diff find no change, no call", async () => {
    const { gateway, upgraded, legacyInputs, legacyOutputs } = await legacyState();
    const news = (await upgraded.check(legacyInputs, inputs())).inputs as UserPasswordInputs;
    expect(news.passwordRevision).toBe("");
    expect(await upgraded.diff("id", legacyOutputs, news)).toMatchObject({ changes: false });
    expect(gateway.calls).toEqual(["DescribeUserPool us-east-1_AbC"]);
    // A refresh of that state (diff of the refreshed outputs against the stored inputs, either the old ones or the next up's): no change.
    const { props } = await upgraded.read("us-east-1_AbC/alice", legacyOutputs);
    expect(props).not.toHaveProperty("passwordRevision");
    expect(await upgraded.diff("id", props as UserPasswordOutputs, news)).toMatchObject({ changes: false });
    expect(
      await upgraded.diff("id", props as UserPasswordOutputs, { ...legacyInputs, passwordRevision: "" }),
    ).toMatchObject({ changes: false });
  });

  it("an option-only update makes no call and drops passwordFingerprint", async () => {
    const { gateway, upgraded, legacyInputs, legacyOutputs } = await legacyState();
    const news = (await upgraded.check(legacyInputs, inputs({ onDelete: "keep" }))).inputs as UserPasswordInputs;
    expect(await upgraded.diff("id", legacyOutputs, news)).toMatchObject({ changes: true });
    gateway.calls = [];
    const { outs } = await upgraded.update("id", legacyOutputs, news);
    expect(gateway.calls).toEqual([]);
    expect(outs).not.toHaveProperty("passwordFingerprint");
    expect(outs).not.toHaveProperty("passwordRevision");
    expect(outs?.onDelete).toBe("keep");
    // The next deployment (check keeps "") still finds no password change.
    const next = (await upgraded.check(news, inputs({ onDelete: "keep" }))).inputs as UserPasswordInputs;
    expect(next.passwordRevision).toBe("");
    expect(await upgraded.diff("id", outs as UserPasswordOutputs, next)).toMatchObject({ changes: false });
  });

  it("a password update sets it and replaces passwordFingerprint with a setId and the new passwordRevision", async () => {
    const { gateway, upgraded, legacyInputs, legacyOutputs } = await legacyState();
    const news = (await upgraded.check(legacyInputs, inputs({ password: "Another-Horse-10" })))
      .inputs as UserPasswordInputs;
    expect(news.passwordRevision).toMatch(HEX128);
    gateway.calls = [];
    const { outs } = await upgraded.update("id", legacyOutputs, news);
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(outs).not.toHaveProperty("passwordFingerprint");
    expect(Object.keys(outs as object).sort()).toEqual(expectedOutputs(["setId", "passwordRevision"]));
    expect(outs?.passwordRevision).toBe(news.passwordRevision);
  });

  it("refresh (read) drops passwordFingerprint and keeps everything else", async () => {
    const { upgraded, legacyOutputs } = await legacyState();
    const { props } = await upgraded.read("us-east-1_AbC/alice", legacyOutputs);
    expect(props).not.toHaveProperty("passwordFingerprint");
    const expected = omit(
      legacyOutputs as UserPasswordOutputs & { passwordFingerprint: string },
      "passwordFingerprint",
    );
    expect(props).toEqual(expected);
  });

  it("delete scrambles, unless a rename set the user in this deployment or another resource declares it", async () => {
    const { gateway, upgraded, legacyOutputs } = await legacyState();
    await upgraded.delete("id", legacyOutputs);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
    // A rename: the new resource is created (set) in this deployment, then the old one deleted.
    const renaming = createUserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    await renaming.create(inputs({ resourceName: "alice-renamed" }));
    gateway.calls = [];
    await renaming.delete("id", legacyOutputs);
    expect(gateway.calls).toEqual([]);
  });
});
