import { describe, expect, it } from "vitest";
import { decideDiff, toDiffResult } from "../../src/diff";
import { fingerprintPassword } from "../../src/fingerprint";
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
    passwordFingerprint: await fingerprintPassword(PASSWORD),
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
  ...overrides,
});

describe("decideDiff", () => {
  it("finds no change when nothing changed", async () => {
    const result = toDiffResult(await decideDiff(await stored(), declared()));
    expect(result).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["userPoolId", "us-east-1_Other"],
    ["username", "bob"],
  ] as const)("replaces when %s changes, creating the new one first", async (property, value) => {
    const result = toDiffResult(await decideDiff(await stored(), declared({ [property]: value })));
    expect(result.changes).toBe(true);
    expect(result.replaces).toEqual([property]);
    expect(result.deleteBeforeReplace).toBe(false);
  });

  it("replaces when the pool is unknown at preview", async () => {
    expect((await decideDiff(await stored(), declared({ userPoolId: UNKNOWN }))).replaces).toEqual(["userPoolId"]);
  });

  it("updates when the password changes", async () => {
    const decision = await decideDiff(await stored(), declared({ password: "Another-Horse-10" }));
    expect(decision).toEqual({ replaces: [], sets: ["password"], options: [] });
  });

  it("updates when the password is unknown (a RandomPassword not created yet)", async () => {
    expect((await decideDiff(await stored(), declared({ password: UNKNOWN }))).sets).toEqual(["password"]);
  });

  it("updates when there is no fingerprint to compare with (imported resource)", async () => {
    expect((await decideDiff(await stored({ passwordFingerprint: "" }), declared())).sets).toEqual(["password"]);
  });

  it("updates when the permanence changes, either way", async () => {
    expect((await decideDiff(await stored(), declared({ permanent: false }))).sets).toEqual(["permanent"]);
    expect((await decideDiff(await stored({ permanent: false }), declared({ permanent: true }))).sets).toEqual(["permanent"]);
    expect((await decideDiff(await stored({ permanent: false }), declared())).sets).toEqual(["permanent"]);
  });

  it("updates when refresh found drift, even with the same password", async () => {
    for (const drift of ["password-not-permanent", "reset-required", "temporary-password-expired"] as const) {
      expect((await decideDiff(await stored({ drift }), declared())).sets).toEqual(["password"]);
    }
  });

  it.each([
    ["region", "eu-west-1"],
    ["endpoint", "http://127.0.0.1:9229"],
    ["profile", "other"],
    ["resourceName", "renamed"],
    ["checkPasswordPolicy", false],
  ] as const)("ignores a change of %s alone", async (property, value) => {
    expect(toDiffResult(await decideDiff(await stored(), declared({ [property]: value }))).changes).toBe(false);
  });

  it.each([
    ["onDelete", "keep"],
    ["allowFederatedUser", true],
    ["reissueExpiredTemporaryPassword", false],
  ] as const)("reports an option change of %s without asking for a set", async (property, value) => {
    const decision = await decideDiff(await stored(), declared({ [property]: value }));
    expect(decision).toEqual({ replaces: [], sets: [], options: [property] });
    expect(toDiffResult(decision).changes).toBe(true);
  });

  it("treats an option given as its default as unchanged", async () => {
    const decision = await decideDiff(await stored(), declared({ onDelete: "scramble", allowFederatedUser: false }));
    expect(toDiffResult(decision).changes).toBe(false);
  });
});
