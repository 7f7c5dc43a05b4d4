import { describe, expect, it } from "vitest";
import { decideDiff, toDiffResult } from "../../src/diff";
import { UNKNOWN, type UserPasswordInputs, type UserPasswordOutputs } from "../../src/types";

const PASSWORD = "Correct-Horse-9";

async function stored(overrides: Partial<UserPasswordOutputs> = {}): Promise<UserPasswordOutputs> {
  return {
    resourceName: "alice-pw",
    userPoolId: "us-east-1_AbC",
    username: "alice",
    cognitoUsername: "alice",
    permanent: true,
    status: "CONFIRMED",
    setId: "0123456789abcdef0123456789abcdef",
    passwordSetAt: "2026-11-01T00:00:00.000Z",
    region: "us-east-1",
    onDelete: "scramble",
    reissueExpiredTemporaryPassword: true,
    allowFederatedUser: false,
    ...overrides,
  };
}

const declared = (overrides: Partial<UserPasswordInputs> = {}): UserPasswordInputs => ({
  resourceName: "alice-pw",
  userPoolId: "us-east-1_AbC",
  username: "alice",
  password: PASSWORD,
  // As check returns it for an unchanged password.
  passwordChanged: false,
  ...overrides,
});

describe("decideDiff", () => {
  it("finds no change when nothing changed", async () => {
    const result = toDiffResult(decideDiff(await stored(), declared()));
    expect(result).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["userPoolId", "us-east-1_Other"],
    ["username", "bob"],
  ] as const)("replaces when %s changes, creating the new one first", async (property, value) => {
    const result = toDiffResult(decideDiff(await stored(), declared({ [property]: value })));
    expect(result.changes).toBe(true);
    expect(result.replaces).toEqual([property]);
    expect(result.deleteBeforeReplace).toBe(false);
  });

  it("replaces when the pool is unknown at preview", async () => {
    expect((decideDiff(await stored(), declared({ userPoolId: UNKNOWN }))).replaces).toEqual(["userPoolId"]);
  });

  it("updates when check found the password changed", async () => {
    const decision = decideDiff(await stored(), declared({ password: "Another-Horse-10", passwordChanged: true }));
    expect(decision).toEqual({ replaces: [], sets: ["password"], options: [] });
  });

  it("never compares the password itself: only check's verdict counts", async () => {
    // Same password, but check said changed (e.g. the previous password was unknown): update.
    expect(decideDiff(await stored(), declared({ passwordChanged: true })).sets).toEqual(["password"]);
    // A different password that check said unchanged cannot happen through the engine; diff takes check's word.
    expect(decideDiff(await stored(), declared({ password: "Another-Horse-10", passwordChanged: false })).sets).toEqual([]);
  });

  it("updates when passwordChanged is missing (a direct caller that skipped check) or not a boolean", async () => {
    const { passwordChanged: _omitted, ...unchecked } = declared();
    expect(decideDiff(await stored(), unchecked).sets).toEqual(["password"]);
    expect(decideDiff(await stored(), declared({ passwordChanged: UNKNOWN as unknown as boolean })).sets).toEqual(["password"]);
    expect(decideDiff(await stored(), declared({ passwordChanged: "false" as unknown as boolean })).sets).toEqual(["password"]);
  });

  it("updates when the password is unknown (a RandomPassword not created yet), whatever passwordChanged says", async () => {
    expect(decideDiff(await stored(), declared({ password: UNKNOWN, passwordChanged: true })).sets).toEqual(["password"]);
    expect(decideDiff(await stored(), declared({ password: UNKNOWN, passwordChanged: false })).sets).toEqual(["password"]);
  });

  it("passwordChanged is a verdict, never a change: a stale value in the old outputs or inputs changes nothing", async () => {
    const olds = { ...(await stored()), passwordChanged: true } as unknown as UserPasswordOutputs;
    expect(toDiffResult(decideDiff(olds, declared())).changes).toBe(false);
  });

  it("handles outputs written by the fingerprint version (passwordFingerprint, no setId): no change when nothing changed", async () => {
    const { setId: _none, ...rest } = await stored();
    const legacy = { ...rest, passwordFingerprint: "hmac-sha256$c2FsdHNhbHRzYWx0c2FsdA==$bWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWE=" } as UserPasswordOutputs;
    expect(toDiffResult(decideDiff(legacy, declared())).changes).toBe(false);
    expect(decideDiff(legacy, declared({ passwordChanged: true })).sets).toEqual(["password"]);
  });

  it("updates when the permanence changes, either way", async () => {
    expect((decideDiff(await stored(), declared({ permanent: false }))).sets).toEqual(["permanent"]);
    expect((decideDiff(await stored({ permanent: false }), declared({ permanent: true }))).sets).toEqual(["permanent"]);
    expect((decideDiff(await stored({ permanent: false }), declared())).sets).toEqual(["permanent"]);
  });

  it("updates when refresh found drift, even with the same password", async () => {
    for (const drift of ["password-not-permanent", "reset-required", "temporary-password-expired"] as const) {
      expect((decideDiff(await stored({ drift }), declared())).sets).toEqual(["password"]);
    }
  });

  it.each([
    ["region", "eu-west-1"],
    ["endpoint", "http://127.0.0.1:9229"],
    ["profile", "other"],
    ["resourceName", "renamed"],
    ["checkPasswordPolicy", false],
  ] as const)("ignores a change of %s alone", async (property, value) => {
    expect(toDiffResult(decideDiff(await stored(), declared({ [property]: value }))).changes).toBe(false);
  });

  it.each([
    ["onDelete", "keep"],
    ["allowFederatedUser", true],
    ["reissueExpiredTemporaryPassword", false],
  ] as const)("reports an option change of %s without asking for a set", async (property, value) => {
    const decision = decideDiff(await stored(), declared({ [property]: value }));
    expect(decision).toEqual({ replaces: [], sets: [], options: [property] });
    expect(toDiffResult(decision).changes).toBe(true);
  });

  it("treats an option given as its default as unchanged", async () => {
    const decision = decideDiff(await stored(), declared({ onDelete: "scramble", allowFederatedUser: false }));
    expect(toDiffResult(decision).changes).toBe(false);
  });
});
