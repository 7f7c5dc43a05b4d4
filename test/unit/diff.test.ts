import { describe, expect, it } from "vitest";
import { decideDiff } from "../../src/core/diff";
import { UNKNOWN, type UserPasswordInputs, type UserPasswordOutputs } from "../../src/core/types";
import { omit } from "../support/omit";

const PASSWORD = "Correct-Horse-9";
/** The revision the last set recorded (outputs) and check kept (inputs). */
const REVISION = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const ANOTHER_REVISION = "aaaabbbbccccddddeeeeffff00001111";

function stored(overrides: Partial<UserPasswordOutputs> = {}): Promise<UserPasswordOutputs> {
  return Promise.resolve({
    userPoolId: "us-east-1_AbC",
    username: "alice",
    cognitoUsername: "alice",
    permanent: true,
    status: "CONFIRMED",
    setId: "0123456789abcdef0123456789abcdef",
    passwordRevision: REVISION,
    passwordSetAt: "2026-11-01T00:00:00.000Z",
    region: "us-east-1",
    onDelete: "scramble",
    reissueExpiredTemporaryPassword: true,
    allowFederatedUser: false,
    ...overrides,
  });
}

const declared = (overrides: Partial<UserPasswordInputs> = {}): UserPasswordInputs => ({
  userPoolId: "us-east-1_AbC",
  username: "alice",
  password: PASSWORD,
  // As check returns it for an unchanged password: the previous revision.
  passwordRevision: REVISION,
  ...overrides,
});

describe("decideDiff", () => {
  it("finds no change when nothing changed", async () => {
    const result = decideDiff(await stored(), declared());
    expect(result).toEqual({ changes: false, replaces: [], sets: [], options: [], deleteBeforeReplace: false });
  });

  it.each([
    ["userPoolId", "us-east-1_Other"],
    ["username", "bob"],
  ] as const)("replaces when %s changes, creating the new one first", async (property, value) => {
    const result = decideDiff(await stored(), declared({ [property]: value }));
    expect(result.changes).toBe(true);
    expect(result.replaces).toEqual([property]);
    expect(result.deleteBeforeReplace).toBe(false);
  });

  it("replaces when the pool is unknown at preview", async () => {
    expect(decideDiff(await stored(), declared({ userPoolId: UNKNOWN })).replaces).toEqual(["userPoolId"]);
  });

  it("updates when check found the password changed (a fresh revision)", async () => {
    const decision = decideDiff(
      await stored(),
      declared({ password: "Another-Horse-10", passwordRevision: ANOTHER_REVISION }),
    );
    expect(decision).toEqual({
      changes: true,
      replaces: [],
      sets: ["password"],
      options: [],
      deleteBeforeReplace: false,
    });
  });

  it("never compares the password itself: only the revisions count", async () => {
    // Same password, but check issued a new revision (e.g. the previous password was unknown): update.
    expect(decideDiff(await stored(), declared({ passwordRevision: ANOTHER_REVISION })).sets).toEqual(["password"]);
    // A different password that check kept the revision of cannot happen through the engine; diff takes check's word.
    expect(
      decideDiff(await stored(), declared({ password: "Another-Horse-10", passwordRevision: REVISION })).sets,
    ).toEqual([]);
  });

  it("refresh: the refreshed outputs against the stored inputs (the same revision) is no change, also right after a password change", async () => {
    // The engine's refresh calls diff(olds = refreshed outputs, news = stored inputs); after
    // an up that changed the password, both hold the revision check issued for it.
    const afterChange = await stored({ passwordRevision: ANOTHER_REVISION, status: "CONFIRMED" });
    const storedInputs = declared({
      password: "Another-Horse-10",
      passwordRevision: ANOTHER_REVISION,
      permanent: true,
      onDelete: "scramble",
      allowFederatedUser: false,
      checkPasswordPolicy: true,
    });
    expect(decideDiff(afterChange, storedInputs)).toEqual({
      changes: false,
      replaces: [],
      sets: [],
      options: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates when passwordRevision is missing (a direct caller that skipped check), unknown (preview) or not a string", async () => {
    const unchecked = omit(declared(), "passwordRevision");
    expect(decideDiff(await stored(), unchecked).sets).toEqual(["password"]);
    expect(decideDiff(await stored(), declared({ passwordRevision: UNKNOWN })).sets).toEqual(["password"]);
    expect(
      decideDiff(await stored({ passwordRevision: UNKNOWN }), declared({ passwordRevision: UNKNOWN })).sets,
    ).toEqual(["password"]);
    expect(decideDiff(await stored(), declared({ passwordRevision: 42 as unknown as string })).sets).toEqual([
      "password",
    ]);
  });

  it("updates when the password is unknown (a RandomPassword not created yet), whatever the revision says", async () => {
    expect(decideDiff(await stored(), declared({ password: UNKNOWN, passwordRevision: UNKNOWN })).sets).toEqual([
      "password",
    ]);
    expect(decideDiff(await stored(), declared({ password: UNKNOWN, passwordRevision: REVISION })).sets).toEqual([
      "password",
    ]);
  });

  it("the unknown password alone causes the set: the outputs' own revision, nothing else changed; known, the same inputs are no change", async () => {
    const olds = await stored();
    const unknownPassword = declared({ password: UNKNOWN, passwordRevision: REVISION });
    // Control: the same inputs with the password known are no change, so only the unknown-ness can cause the set.
    expect(decideDiff(olds, { ...unknownPassword, password: PASSWORD })).toEqual({
      changes: false,
      replaces: [],
      sets: [],
      options: [],
      deleteBeforeReplace: false,
    });
    expect(decideDiff(olds, unknownPassword)).toEqual({
      changes: true,
      replaces: [],
      sets: ["password"],
      options: [],
      deleteBeforeReplace: false,
    });
    expect(decideDiff(olds, unknownPassword)).toEqual({
      changes: true,
      replaces: [],
      sets: ["password"],
      options: [],
      deleteBeforeReplace: false,
    });
  });

  it("an unknown revision alone causes the set, even against outputs holding the same sentinel: nothing else changed", async () => {
    const olds = await stored({ passwordRevision: UNKNOWN });
    // Control: with a known revision equal on both sides the same inputs are no change.
    expect(decideDiff(await stored({ passwordRevision: REVISION }), declared({ passwordRevision: REVISION }))).toEqual({
      changes: false,
      replaces: [],
      sets: [],
      options: [],
      deleteBeforeReplace: false,
    });
    expect(decideDiff(olds, declared({ passwordRevision: UNKNOWN }))).toEqual({
      changes: true,
      replaces: [],
      sets: ["password"],
      options: [],
      deleteBeforeReplace: false,
    });
    expect(decideDiff(olds, declared({ passwordRevision: UNKNOWN })).changes).toBe(true);
  });

  it('a password set before revisions were recorded: outputs without one and check\'s "" are the same revision; any other is a change', async () => {
    const before = omit(await stored(), "passwordRevision");
    expect(decideDiff(before, declared({ passwordRevision: "" })).changes).toBe(false);
    expect(decideDiff(await stored({ passwordRevision: "" }), declared({ passwordRevision: "" })).changes).toBe(false);
    expect(decideDiff(before, declared({ passwordRevision: ANOTHER_REVISION })).sets).toEqual(["password"]);
    // Outputs with a revision against inputs that say "before revisions": a change.
    expect(decideDiff(await stored(), declared({ passwordRevision: "" })).sets).toEqual(["password"]);
  });

  it("handles outputs written by the fingerprint version (passwordFingerprint, no setId, no revision): no change when nothing changed", async () => {
    const rest = omit(await stored(), "setId", "passwordRevision");
    const legacy = {
      ...rest,
      passwordFingerprint: "hmac-sha256$c2FsdHNhbHRzYWx0c2FsdA==$bWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWE=",
    } as UserPasswordOutputs;
    expect(decideDiff(legacy, declared({ passwordRevision: "" })).changes).toBe(false);
    expect(decideDiff(legacy, declared({ passwordRevision: ANOTHER_REVISION })).sets).toEqual(["password"]);
  });

  it("updates when the permanence changes, either way", async () => {
    expect(decideDiff(await stored(), declared({ permanent: false })).sets).toEqual(["permanent"]);
    expect(decideDiff(await stored({ permanent: false }), declared({ permanent: true })).sets).toEqual(["permanent"]);
    expect(decideDiff(await stored({ permanent: false }), declared()).sets).toEqual(["permanent"]);
  });

  it("updates when refresh found drift, even with the same password and revision", async () => {
    for (const drift of ["password-not-permanent", "reset-required", "temporary-password-expired"] as const) {
      expect(decideDiff(await stored({ drift }), declared()).sets).toEqual(["password"]);
    }
  });

  it.each([
    ["region", "eu-west-1"],
    ["endpoint", "http://127.0.0.1:9229"],
    ["profile", "other"],
    ["checkPasswordPolicy", false],
  ] as const)("ignores a change of %s alone", async (property, value) => {
    expect(decideDiff(await stored(), declared({ [property]: value })).changes).toBe(false);
  });

  it.each([
    ["onDelete", "keep"],
    ["allowFederatedUser", true],
    ["reissueExpiredTemporaryPassword", false],
  ] as const)("reports an option change of %s without asking for a set", async (property, value) => {
    const decision = decideDiff(await stored(), declared({ [property]: value }));
    expect(decision).toEqual({
      changes: true,
      replaces: [],
      sets: [],
      options: [property],
      deleteBeforeReplace: false,
    });
    expect(decision.changes).toBe(true);
  });

  it("treats an option given as its default as unchanged", async () => {
    const decision = decideDiff(await stored(), declared({ onDelete: "scramble", allowFederatedUser: false }));
    expect(decision.changes).toBe(false);
  });
});
