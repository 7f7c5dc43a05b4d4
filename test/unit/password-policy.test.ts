import { describe, expect, it } from "vitest";
import { policyViolations } from "../../src/core/password-policy";

const strict = {
  minimumLength: 12,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

describe("policyViolations", () => {
  it("accepts a password that meets every rule", () => {
    expect(policyViolations("Correct-Horse-9", strict)).toEqual([]);
  });

  it("names each broken rule and never the password", () => {
    const violations = policyViolations("short", strict);
    expect(violations).toEqual([
      "at least 12 characters required",
      "an uppercase letter required",
      "a number required",
      "a symbol required",
    ]);
    expect(violations.join(" ")).not.toContain("short");
  });

  it.each([
    ["requireUppercase", "correct-horse-9", "an uppercase letter required"],
    ["requireLowercase", "CORRECT-HORSE-9", "a lowercase letter required"],
    ["requireNumbers", "Correct-Horse-X", "a number required"],
    ["requireSymbols", "CorrectHorse99", "a symbol required"],
  ])("%s", (_rule, password, violation) => {
    expect(policyViolations(password, strict)).toEqual([violation]);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(policyViolations("😀😀😀😀😀", { minimumLength: 6 })).toEqual(["at least 6 characters required"]);
    expect(policyViolations("😀😀😀😀😀😀", { minimumLength: 6 })).toEqual([]);
  });

  it("accepts anything under an empty policy", () => {
    expect(policyViolations("x", {})).toEqual([]);
  });

  it.each([
    "^",
    "$",
    "*",
    ".",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "?",
    '"',
    "!",
    "@",
    "#",
    "%",
    "&",
    "/",
    "\\",
    ",",
    ">",
    "<",
    "'",
    ":",
    ";",
    "|",
    "_",
    "~",
    "`",
    "=",
    "+",
    "-",
  ])("counts %s as a symbol", (symbol) => {
    expect(
      policyViolations(`Abcdefgh1${symbol}`, strict.minimumLength ? { ...strict, minimumLength: 8 } : strict),
    ).toEqual([]);
  });
});
