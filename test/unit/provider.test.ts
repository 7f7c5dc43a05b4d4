// The provider's sequencing, with a recording stand-in for Cognito (a mock: the same
// behaviours run against real emulators in test/integration). It covers what no emulator
// can produce: federated users, and the exact calls made per operation.
import { describe, expect, it } from "vitest";
import type { CognitoGateway, CognitoUser, UserPoolSettings } from "../../src/cognito";
import { PasswordPolicyError, UserNotFoundError, UserPoolNotFoundError, type Target } from "../../src/errors";
import { UserPasswordProvider, scramblePassword } from "../../src/provider";
import { policyViolations } from "../../src/password-policy";
import { UNKNOWN, type UserPasswordInputs } from "../../src/types";

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
    const updated = await provider.update("id", outs as never, inputs({ onDelete: "keep" }));
    expect(gateway.calls).toEqual([]);
    expect(updated.outs?.onDelete).toBe("keep");
    expect(updated.outs?.passwordFingerprint).toBe(outs?.passwordFingerprint);
  });

  it("update with a new password sets it", async () => {
    const { gateway, provider } = setup();
    const { outs } = await provider.create(inputs());
    gateway.calls = [];
    const updated = await provider.update("id", outs as never, inputs({ password: "Another-Horse-10" }));
    expect(gateway.calls).toEqual(["AdminGetUser alice", "AdminSetUserPassword alice true"]);
    expect(updated.outs?.passwordFingerprint).not.toBe(outs?.passwordFingerprint);
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
    expect(result.props).toMatchObject({ userPoolId: "us-east-1_AbC", username: "alice", status: "CONFIRMED", passwordFingerprint: "" });
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
    const updated = await provider.update("id", { ...outs, password: PASSWORD, extra: 1 } as never, inputs({ onDelete: "keep" }));
    expect(JSON.stringify(updated)).not.toContain(PASSWORD);
    expect(updated.outs).not.toHaveProperty("extra");
  });
});
