import { describe, expect, it } from "vitest";
import { constantTimeEqual, passwordChanged } from "../../src/password-change";
import { UNKNOWN } from "../../src/types";

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
