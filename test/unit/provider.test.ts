// The provider's sequencing, with a recording stand-in for Cognito (a mock: the same
// behaviours run against real emulators in test/integration). It covers what no emulator
// can produce: federated users, and the exact calls made per operation.
import { describe, expect, it } from "vitest";
import type { CognitoGateway, CognitoUser, UserPoolSettings } from "../../src/cognito";
import { PasswordPolicyError, UserNotFoundError, UserPoolNotFoundError, type Target } from "../../src/errors";
import { UserPasswordProvider, scramblePassword } from "../../src/provider";
import { policyViolations } from "../../src/password-policy";
import { UNKNOWN, type UserPasswordInputs, type UserPasswordOutputs } from "../../src/types";
import { expectedOutputs, FINGERPRINT_LIKE } from "../support/documented-outputs";

const PASSWORD = "Correct-Horse-9";

class RecordingGateway implements CognitoGateway {
  calls: string[] = [];
  passwords: string[] = [];
  users = new Map<string, CognitoUser>([["alice", { username: "alice", status: "CONFIRMED", enabled: true }]]);
  settings: UserPoolSettings = { passwordPolicy: { minimumLength: 8, requireNumbers: true }, temporaryPasswordValidityDays: 7 };
  poolExists = true;
  rejectShortPasswords = false;

  async getUser(t: Target): Promise<CognitoUser> {
    this.calls.push(`AdminGetUser ${t.username}`);
    if (!this.poolExists) throw new UserPoolNotFoundError(t);
    const user = this.users.get(t.username);
    if (!user) throw new UserNotFoundError(t);
    return user;
  }
  async setPassword(t: Target, password: string, permanent: boolean): Promise<void> {
    this.calls.push(`AdminSetUserPassword ${t.username} ${permanent}`);
    if (!this.poolExists) throw new UserPoolNotFoundError(t);
    if (!this.users.has(t.username)) throw new UserNotFoundError(t);
    if (this.rejectShortPasswords && password.length < 90) throw new PasswordPolicyError(t, ["too short"], "InvalidPasswordException");
    this.passwords.push(password);
    const user = this.users.get(t.username) as CognitoUser;
    this.users.set(t.username, { ...user, status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD" });
  }
  async describeUserPool(t: Target): Promise<UserPoolSettings> {
    this.calls.push(`DescribeUserPool ${t.userPoolId}`);
    if (!this.poolExists) throw new UserPoolNotFoundError(t);
    return this.settings;
  }
}

function setup() {
  const gateway = new RecordingGateway();
  const provider = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
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
    const bad = await provider.check(inputs(), inputs({ resourceName: "b", username: "bob", password: "NoDigits-here" }));
    expect(bad.failures).toEqual([{ property: "password", reason: "does not satisfy the password policy of user pool us-east-1_AbC: a number required" }]);
    expect(gateway.calls).toEqual(["DescribeUserPool us-east-1_AbC"]);
  });

  it("skips the policy when the password is unknown, or when turned off", async () => {
    const { gateway, provider } = setup();
    expect((await provider.check(inputs(), inputs({ password: UNKNOWN }))).inputs?.password).toBe(UNKNOWN);
    expect((await provider.check(inputs(), inputs({ password: "x", checkPasswordPolicy: false }))).failures).toBeUndefined();
    expect(gateway.calls).toEqual([]);
  });

  it("refuses a pool that does not exist", async () => {
    const { gateway, provider } = setup();
    gateway.poolExists = false;
    const result = await provider.check(inputs(), inputs());
    expect(result.failures).toEqual([{ property: "userPoolId", reason: "user pool us-east-1_AbC not found in us-east-1" }]);
  });

  it("refuses a missing region for an emulator pool id", async () => {
    const { provider } = setup();
    const result = await provider.check(inputs(), inputs({ userPoolId: "local_abc" }));
    expect(result.failures?.[0]?.property).toBe("region");
  });

  it("takes the region from the stack config, and refuses a pool of another region", async () => {
    const { provider } = setup();
    await provider.configure({ config: { get: (k) => (k === "aws:region" ? "eu-west-1" : undefined), require: () => "" } });
    const result = await provider.check(inputs(), inputs());
    expect(result.failures).toEqual([{ property: "userPoolId", reason: "names region us-east-1 but the region in use is eu-west-1" }]);
  });

  it("refuses two resources that declare the same user", async () => {
    const { provider } = setup();
    expect((await provider.check(inputs(), inputs())).failures).toBeUndefined();
    const second = await provider.check(inputs(), inputs({ resourceName: "alice-again" }));
    expect(second.failures).toEqual([{ property: "username", reason: 'user "alice" in user pool us-east-1_AbC is already declared by UserPassword "alice-pw"' }]);
  });
});

describe("create / update / delete", () => {
  it("create: one read (status, real username) and one set", async () => {
    const { gateway, provider } = setup();
    const { id, outs } = await provider.create(inputs({ permanent: false }));
    expect(id).toBe("us-east-1_AbC/alice");
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice false"]);
    expect(outs).toMatchObject({ status: "FORCE_CHANGE_PASSWORD", permanent: false, cognitoUsername: "alice", onDelete: "scramble" });
    expect(JSON.stringify(outs)).not.toContain(PASSWORD);
  });

  it("refuses a federated user unless allowed", async () => {
    const { gateway, provider } = setup();
    gateway.users.set("Google_123", { username: "Google_123", status: "EXTERNAL_PROVIDER", enabled: true });
    await expect(provider.create(inputs({ username: "Google_123" }))).rejects.toThrow(/federated user \(EXTERNAL_PROVIDER\)/);
    expect(gateway.calls).toEqual(["AdminGetUser Google_123"]);
    await provider.create(inputs({ username: "Google_123", allowFederatedUser: true }));
    expect(gateway.calls.at(-1)).toBe("AdminSetUserPassword Google_123 true");
  });

  it("create refuses unknown or bad input before any call (direct callers)", async () => {
    const { gateway, provider } = setup();
    await expect(provider.create(inputs({ password: UNKNOWN }))).rejects.toThrow('UserPassword "alice-pw": invalid input: password: is not known yet');
    await expect(provider.create(inputs({ username: "" }))).rejects.toThrow("username: must not be empty");
    expect(gateway.calls).toEqual([]);
  });

  it("update with only an option changed makes no call", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    const updated = await provider.update("id", outs as never, inputs({ onDelete: "keep", passwordChanged: false }));
    expect(gateway.calls).toEqual([]);
    expect(updated.outs?.onDelete).toBe("keep");
    expect(updated.outs?.setId).toBe(outs?.setId);
  });

  it("update with a new password sets it, with a new random setId", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    const updated = await provider.update("id", outs as never, inputs({ password: "Another-Horse-10", passwordChanged: true }));
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(updated.outs?.setId).toMatch(/^[0-9a-f]{32}$/);
    expect(updated.outs?.setId).not.toBe(outs?.setId);
  });

  it("update follows check's verdict: passwordChanged false and nothing else changed makes no call; undefined (no check) sets", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    await provider.update("id", outs as never, inputs({ passwordChanged: false }));
    expect(gateway.calls).toEqual([]);
    await provider.update("id", outs as never, inputs());
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
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
    const next = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    await next.check({} as never, inputs({ resourceName: "new-name" }));
    gateway.calls = [];
    await next.delete("id", outs as never);
    expect(gateway.calls).toEqual([]);
    // Declared by nobody else: scrambled.
    const alone = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    await alone.check({} as never, inputs({ resourceName: "old-name" }));
    gateway.calls = [];
    await alone.delete("id", outs as never);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
  });

  it("delete scrambles with a strong random password, one call", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    await new UserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
    const scrambled = gateway.passwords.at(-1) as string;
    expect(scrambled).not.toBe(PASSWORD);
    expect(policyViolations(scrambled, { minimumLength: 64, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true })).toEqual([]);
  });

  it("delete retries with a 99-character password for pools whose minimum exceeds 64", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.rejectShortPasswords = true;
    await new UserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never);
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
    const fresh = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} }); // the next deployment's process
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
    const fresh = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    const news = (await fresh.check(undefined as never, inputs({ resourceName: "new", username: "alice@example.com" }))).inputs as UserPasswordInputs;
    await fresh.create(news);
    gateway.calls = [];
    await fresh.delete("id", old.outs as UserPasswordOutputs);
    expect(gateway.calls).toEqual([]);
    // Had the old state recorded the very set this process made, nothing would have superseded it: scrambled.
    const sameSet = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    const own = await sameSet.create(inputs({ resourceName: "solo" }));
    gateway.calls = [];
    await sameSet.delete("id", own.outs as UserPasswordOutputs);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
  });

  it("delete of a missing user or pool counts as deleted", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.users.clear();
    await expect(new UserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never)).resolves.toBeUndefined();
    gateway.poolExists = false;
    await expect(new UserPasswordProvider({ gatewayFor: () => gateway, env: {} }).delete("id", outs as never)).resolves.toBeUndefined();
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
    const provider = new UserPasswordProvider({ gatewayFor: () => gateway, env: {}, now: () => now });
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
      expect(policyViolations(p, { requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true })).toEqual([]);
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
    const updated = await provider.update("id", { ...outs, password: PASSWORD, extra: 1 } as never, inputs({ onDelete: "keep", passwordChanged: false }));
    expect(JSON.stringify(updated)).not.toContain(PASSWORD);
    expect(updated.outs).not.toHaveProperty("extra");
  });
});

describe("check decides whether the password changed (the engine hands it the previous inputs)", () => {
  const checked = async (provider: UserPasswordProvider, olds: Partial<UserPasswordInputs> | undefined, news: UserPasswordInputs) => {
    const result = await provider.check(olds as UserPasswordInputs, news);
    expect(result.failures ?? []).toEqual([]);
    return result.inputs as UserPasswordInputs;
  };

  it("first create (no previous inputs, or none with a password): changed", async () => {
    const { provider } = setup();
    expect((await checked(provider, undefined, inputs())).passwordChanged).toBe(true);
    expect((await checked(provider, {}, inputs())).passwordChanged).toBe(true);
    expect((await checked(provider, { userPoolId: "us-east-1_AbC", username: "alice" }, inputs())).passwordChanged).toBe(true);
  });

  it("the same password: unchanged; another: changed", async () => {
    const { provider } = setup();
    expect((await checked(provider, inputs(), inputs())).passwordChanged).toBe(false);
    expect((await checked(provider, inputs(), inputs({ password: "Another-Horse-10" }))).passwordChanged).toBe(true);
  });

  it("an unknown previous or new password (preview): changed", async () => {
    const { provider } = setup();
    expect((await checked(provider, inputs({ password: UNKNOWN }), inputs())).passwordChanged).toBe(true);
    expect((await checked(provider, inputs(), inputs({ password: UNKNOWN }))).passwordChanged).toBe(true);
  });

  it("overwrites a stale passwordChanged the engine hands back, either way", async () => {
    const { provider } = setup();
    // The previous state's inputs carry the previous verdict; the engine passes them back in news at times.
    expect((await checked(provider, inputs({ passwordChanged: true }), inputs({ passwordChanged: true }))).passwordChanged).toBe(false);
    expect((await checked(provider, inputs({ passwordChanged: false }), inputs({ password: "Another-Horse-10", passwordChanged: false }))).passwordChanged).toBe(true);
  });

  it("previous inputs written by the fingerprint version (no passwordChanged) compare as any others", async () => {
    const { provider } = setup();
    const legacy = inputs({ permanent: true, onDelete: "scramble", allowFederatedUser: false, checkPasswordPolicy: true });
    expect(legacy).not.toHaveProperty("passwordChanged");
    expect((await checked(provider, legacy, inputs())).passwordChanged).toBe(false);
    expect((await checked(provider, legacy, inputs({ password: "Another-Horse-10" }))).passwordChanged).toBe(true);
  });

  it("ignoreChanges on password (the engine puts the old value in news): unchanged", async () => {
    const { provider } = setup();
    const olds = inputs();
    const declaredNew = inputs({ password: "Another-Horse-10" });
    expect((await checked(provider, olds, { ...declaredNew, password: olds.password })).passwordChanged).toBe(false);
  });

  it("returns the inputs as given, defaults filled in, plus the boolean verdict: nothing else, nothing derived from the password", async () => {
    const { provider } = setup();
    const result = await checked(provider, inputs(), inputs());
    expect(Object.keys(result).sort()).toEqual(
      ["allowFederatedUser", "checkPasswordPolicy", "onDelete", "password", "passwordChanged", "permanent", "resourceName", "userPoolId", "username"].sort(),
    );
    expect(typeof result.passwordChanged).toBe("boolean");
    const { password, ...others } = result;
    expect(password).toBe(PASSWORD);
    const text = JSON.stringify(others);
    const { createHash } = await import("node:crypto");
    const sha = createHash("sha256").update(PASSWORD).digest();
    for (const form of [PASSWORD, sha.toString("hex"), sha.toString("base64"), Buffer.from(PASSWORD).toString("base64")]) expect(text).not.toContain(form);
  });

  it("the engine's sequence: check, diff and create/update over several deployments", async () => {
    const { gateway, provider } = setup();
    // Deployment 1: create.
    const in1 = await checked(provider, undefined, inputs());
    expect(in1.passwordChanged).toBe(true);
    const { outs: out1 } = await provider.create(in1);
    // Deployment 2: nothing changed (the engine stores checked inputs and hands them back as olds).
    const in2 = await checked(provider, in1, inputs());
    expect(await provider.diff("id", out1 as UserPasswordOutputs, in2)).toMatchObject({ changes: false });
    // Deployment 3: a new password.
    const in3 = await checked(provider, in2, inputs({ password: "Another-Horse-10" }));
    expect(await provider.diff("id", out1 as UserPasswordOutputs, in3)).toMatchObject({ changes: true, replaces: [] });
    gateway.calls = [];
    const { outs: out3 } = await provider.update("id", out1 as UserPasswordOutputs, in3);
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    // Deployment 4: the same new password again: no change.
    const in4 = await checked(provider, in3, inputs({ password: "Another-Horse-10" }));
    expect(await provider.diff("id", out3 as UserPasswordOutputs, in4)).toMatchObject({ changes: false });
    expect(gateway.passwords).toEqual([PASSWORD, "Another-Horse-10"]);
  });
});

describe("outputs", () => {
  it("are exactly the documented ones (README's Outputs table), none named like a fingerprint", async () => {
    const { provider } = setup();
    const { outs } = await provider.create(inputs({ permanent: false, reissueExpiredTemporaryPassword: true }));
    expect(Object.keys(outs as object).sort()).toEqual(expectedOutputs(["setId"]));
    expect(Object.keys(outs as object).filter((k) => FINGERPRINT_LIKE.test(k))).toEqual([]);
  });

  it("do not change when only the password changes, but for passwordSetAt and setId", async () => {
    const gateway = new RecordingGateway();
    let tick = 0;
    const make = () => new UserPasswordProvider({ gatewayFor: () => gateway, env: {}, now: () => new Date(Date.UTC(2026, 10, 1, 0, 0, tick++)) });
    const first = (await make().create(inputs({ password: "First-Horse-10" }))).outs as UserPasswordOutputs;
    const second = (await make().create(inputs({ password: "Second-Horse-11" }))).outs as UserPasswordOutputs;
    const updatingProvider = make();
    const updated = (await updatingProvider.update("id", first, inputs({ password: "Third-Horse-12", passwordChanged: true }))).outs as UserPasswordOutputs;
    const strip = ({ passwordSetAt: _t, setId: _n, ...rest }: UserPasswordOutputs) => rest;
    expect(strip(second)).toEqual(strip(first));
    expect(strip(updated)).toEqual(strip(first));
    // The two left out do differ (so leaving them out hides nothing else).
    expect(second.setId).not.toBe(first.setId);
    expect(second.passwordSetAt).not.toBe(first.passwordSetAt);
    expect(gateway.passwords).toEqual(["First-Horse-10", "Second-Horse-11", "Third-Horse-12"]);
  });
});

describe("state written by the fingerprint version (outputs with passwordFingerprint, no setId; inputs without passwordChanged)", () => {
  const LEGACY_FINGERPRINT = "hmac-sha256$c2FsdHNhbHRzYWx0c2FsdA==$bWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWE=";

  async function legacyState() {
    const { gateway, provider } = setup();
    const oldInputs = (await provider.check(undefined as never, inputs())).inputs as UserPasswordInputs;
    const { passwordChanged: _absent, ...legacyInputs } = oldInputs;
    const { outs } = await provider.create(oldInputs);
    const { setId: _none, ...rest } = outs as UserPasswordOutputs;
    const legacyOutputs = { ...rest, passwordFingerprint: LEGACY_FINGERPRINT } as UserPasswordOutputs;
    // The upgraded deployment runs in a new provider process.
    const upgraded = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    gateway.calls = [];
    return { gateway, upgraded, legacyInputs: legacyInputs as UserPasswordInputs, legacyOutputs };
  }

  it("nothing changed: check and diff find no change, no call", async () => {
    const { gateway, upgraded, legacyInputs, legacyOutputs } = await legacyState();
    const news = (await upgraded.check(legacyInputs, inputs())).inputs as UserPasswordInputs;
    expect(news.passwordChanged).toBe(false);
    expect(await upgraded.diff("id", legacyOutputs, news)).toMatchObject({ changes: false });
    expect(gateway.calls).toEqual(["DescribeUserPool us-east-1_AbC"]);
  });

  it("an option-only update makes no call and drops passwordFingerprint", async () => {
    const { gateway, upgraded, legacyInputs, legacyOutputs } = await legacyState();
    const news = (await upgraded.check(legacyInputs, inputs({ onDelete: "keep" }))).inputs as UserPasswordInputs;
    expect(await upgraded.diff("id", legacyOutputs, news)).toMatchObject({ changes: true });
    gateway.calls = [];
    const { outs } = await upgraded.update("id", legacyOutputs, news);
    expect(gateway.calls).toEqual([]);
    expect(outs).not.toHaveProperty("passwordFingerprint");
    expect(outs?.onDelete).toBe("keep");
  });

  it("a password update sets it and replaces passwordFingerprint with a setId", async () => {
    const { gateway, upgraded, legacyInputs, legacyOutputs } = await legacyState();
    const news = (await upgraded.check(legacyInputs, inputs({ password: "Another-Horse-10" }))).inputs as UserPasswordInputs;
    expect(news.passwordChanged).toBe(true);
    gateway.calls = [];
    const { outs } = await upgraded.update("id", legacyOutputs, news);
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(outs).not.toHaveProperty("passwordFingerprint");
    expect(Object.keys(outs as object).sort()).toEqual(expectedOutputs(["setId"]));
  });

  it("refresh (read) drops passwordFingerprint and keeps everything else", async () => {
    const { upgraded, legacyOutputs } = await legacyState();
    const { props } = await upgraded.read("us-east-1_AbC/alice", legacyOutputs);
    expect(props).not.toHaveProperty("passwordFingerprint");
    const { passwordFingerprint: _fp, ...expected } = legacyOutputs as UserPasswordOutputs & { passwordFingerprint: string };
    expect(props).toEqual(expected);
  });

  it("delete scrambles, unless a rename set the user in this deployment or another resource declares it", async () => {
    const { gateway, upgraded, legacyOutputs } = await legacyState();
    await upgraded.delete("id", legacyOutputs);
    expect(gateway.calls).toEqual(["AdminSetUserPassword alice true"]);
    // A rename: the new resource is created (set) in this deployment, then the old one deleted.
    const renaming = new UserPasswordProvider({ gatewayFor: () => gateway, env: {} });
    await renaming.create(inputs({ resourceName: "alice-renamed" }));
    gateway.calls = [];
    await renaming.delete("id", legacyOutputs);
    expect(gateway.calls).toEqual([]);
  });
});
