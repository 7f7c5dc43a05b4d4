import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  freshRevision,
  nextPasswordRevision,
  NO_REVISION,
  passwordChanged,
  revisionAfter,
} from "../../src/core/password-change";
import { UNKNOWN } from "../../src/core/types";

const PASSWORD = "Correct-Horse-9";

describe("passwordChanged", () => {
  it("is false only for two known, equal passwords", () => {
    expect(passwordChanged(PASSWORD, PASSWORD)).toBe(false);
    expect(passwordChanged(PASSWORD, `${PASSWORD}x`)).toBe(true);
    expect(passwordChanged(PASSWORD, "correct-Horse-9")).toBe(true);
  });

  it.each([
    ["no previous password (first create, import)", undefined, PASSWORD],
    ["a previous password that is not a string", 42, PASSWORD],
    ["an unknown previous password", UNKNOWN, PASSWORD],
    ["an unknown new password (preview)", PASSWORD, UNKNOWN],
    ["both unknown", UNKNOWN, UNKNOWN],
  ])("counts %s as changed", (_label, oldPassword, newPassword) => {
    expect(passwordChanged(oldPassword, newPassword)).toBe(true);
  });

  it("compares unicode and long passwords exactly", () => {
    expect(passwordChanged("Pässwörd-9", "Pässwörd-9")).toBe(false);
    expect(passwordChanged("Pässwörd-9", "Passwörd-9")).toBe(true);
    const long = "A1!".repeat(85);
    expect(passwordChanged(long, long)).toBe(false);
    expect(passwordChanged(long, `${long.slice(0, -1)}?`)).toBe(true);
  });
});

describe("constantTimeEqual", () => {
  it("compares strings of different lengths without throwing (digests have one length)", () => {
    expect(constantTimeEqual("a", "a")).toBe(true);
    expect(constantTimeEqual("a", "ab")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});

describe("nextPasswordRevision", () => {
  const R = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  const HEX128 = /^[0-9a-f]{32}$/;

  it("unchanged: keeps the previous revision", () => {
    expect(nextPasswordRevision({ password: PASSWORD, passwordRevision: R }, PASSWORD)).toBe(R);
  });

  it("unchanged, previous inputs without a revision (set before revisions were recorded): empty", () => {
    expect(NO_REVISION).toBe("");
    expect(nextPasswordRevision({ password: PASSWORD }, PASSWORD)).toBe("");
    expect(nextPasswordRevision({ password: PASSWORD, passwordRevision: "" }, PASSWORD)).toBe("");
  });

  it("changed (another password, no previous inputs or password): the revision after the previous one", () => {
    for (const [olds, previous] of [
      [{ password: "Another-Horse-10", passwordRevision: R }, R],
      [{ password: "Another-Horse-10" }, NO_REVISION],
      [undefined, NO_REVISION],
      [{}, NO_REVISION],
      [{ password: UNKNOWN, passwordRevision: R }, R],
    ] as const) {
      const revision = nextPasswordRevision(olds, PASSWORD);
      expect(revision, JSON.stringify(olds)).toMatch(HEX128);
      expect(revision).not.toBe(R);
      expect(revision).toBe(revisionAfter(previous));
    }
  });

  it("an unknown new password (preview): the unknown sentinel", () => {
    expect(nextPasswordRevision({ password: PASSWORD, passwordRevision: R }, UNKNOWN)).toBe(UNKNOWN);
    expect(nextPasswordRevision(undefined, UNKNOWN)).toBe(UNKNOWN);
  });

  it("a previous revision check cannot have made (unknown, not a string): counted as changed, a fresh random one", () => {
    for (const passwordRevision of [UNKNOWN, 42, null]) {
      const revision = nextPasswordRevision({ password: PASSWORD, passwordRevision }, PASSWORD);
      expect(revision).toMatch(HEX128);
      expect(revision).not.toBe(revisionAfter(NO_REVISION));
    }
    expect(freshRevision()).not.toBe(freshRevision());
  });

  it("two checks of one change agree (a preview's and the up's of one update plan)", () => {
    const olds = { password: "Old-Horse-8", passwordRevision: R };
    expect(nextPasswordRevision(olds, PASSWORD)).toBe(nextPasswordRevision(olds, PASSWORD));
    expect(nextPasswordRevision(undefined, PASSWORD)).toBe(nextPasswordRevision(undefined, PASSWORD));
  });

  it("is not derived from the password: any new password gives the same revision, and one password gives another revision after another previous one", () => {
    const olds = { password: "Old-Horse-8", passwordRevision: R };
    const revisions = new Set(
      [PASSWORD, "Another-Horse-10", "Pässwörd-9", "A1!".repeat(85)].map((p) => nextPasswordRevision(olds, p)),
    );
    expect([...revisions]).toEqual([revisionAfter(R)]);
    expect(nextPasswordRevision({ password: "Old-Horse-8", passwordRevision: revisionAfter(R) }, PASSWORD)).not.toBe(
      revisionAfter(R),
    );
  });

  it("successive changes never repeat a revision", () => {
    const seen = new Set<string>([NO_REVISION]);
    let revision = NO_REVISION;
    for (let i = 0; i < 1000; i++) {
      revision = nextPasswordRevision({ password: `Old-${i}`, passwordRevision: revision }, `New-${i}`);
      expect(revision).toMatch(HEX128);
      seen.add(revision);
    }
    expect(seen.size).toBe(1001);
  });
});
