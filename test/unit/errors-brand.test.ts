// Every public error class answers `isInstance` for its own errors and its subclasses', also
// when the error comes from another loaded copy of the package (two versions in one
// node_modules, or a provider process and a program that resolved different copies), where
// `instanceof` says no.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

type Errors = typeof import("../../src/core/errors");
const DIST = path.resolve(__dirname, "..", "..", "dist");
const copies: string[] = [];

/** A separate copy of the built package's dist, loaded by Node as its own module instances. */
function loadCopy(): Errors {
  const dir = mkdtempSync(path.join(tmpdir(), "cup-errors-copy-"));
  copies.push(dir);
  cpSync(DIST, dir, { recursive: true });
  return createRequire(path.join(dir, "index.js"))(path.join(dir, "core", "errors.js")) as Errors;
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

const target = { resourceName: "alice-pw", userPoolId: "us-east-1_AbC123", username: "alice" };

describe("error brands across two loaded copies", () => {
  const a = loadCopy();
  const b = loadCopy();

  it("the copies really are distinct classes", () => {
    expect(a.UserNotFoundError).not.toBe(b.UserNotFoundError);
    expect(new a.UserNotFoundError(target) instanceof b.UserNotFoundError).toBe(false);
  });

  const cases: Array<[string, (m: Errors) => Error, ReadonlyArray<keyof Errors>]> = [
    [
      "UserNotFoundError",
      (m) => new m.UserNotFoundError(target),
      ["UserNotFoundError", "NotFoundError", "UserPasswordError"],
    ],
    [
      "UserPoolNotFoundError",
      (m) => new m.UserPoolNotFoundError(target),
      ["UserPoolNotFoundError", "NotFoundError", "UserPasswordError"],
    ],
    [
      "InvalidInputError",
      (m) => new m.InvalidInputError([{ property: "password", reason: "must not be empty" }]),
      ["InvalidInputError", "UserPasswordError"],
    ],
    [
      "RegionNotConfiguredError",
      (m) => new m.RegionNotConfiguredError(target),
      ["RegionNotConfiguredError", "UserPasswordError"],
    ],
    [
      "PasswordPolicyError",
      (m) => new m.PasswordPolicyError(target, ["a number required"]),
      ["PasswordPolicyError", "UserPasswordError"],
    ],
    ["PasswordHistoryError", (m) => new m.PasswordHistoryError(target), ["PasswordHistoryError", "UserPasswordError"]],
    [
      "AccessDeniedError",
      (m) => new m.AccessDeniedError(target, "AdminSetUserPassword", "AccessDeniedException"),
      ["AccessDeniedError", "UserPasswordError"],
    ],
    ["FederatedUserError", (m) => new m.FederatedUserError(target), ["FederatedUserError", "UserPasswordError"]],
    [
      "DuplicateUserError",
      (m) => new m.DuplicateUserError(target, "alice-again"),
      ["DuplicateUserError", "UserPasswordError"],
    ],
    [
      "CognitoRequestError",
      (m) => new m.CognitoRequestError(target, "AdminGetUser", "InternalErrorException"),
      ["CognitoRequestError", "UserPasswordError"],
    ],
  ];
  const allClasses = [...new Set(cases.flatMap(([, , kinds]) => kinds))];

  it.each(cases)(
    "%s from one copy is recognised by the other copy's classes, and only by those it extends",
    (_name, make, kinds) => {
      const err = make(a);
      for (const cls of allClasses) {
        const check = (b[cls] as unknown as { isInstance(v: unknown): boolean }).isInstance(err);
        expect(check, `${cls}.isInstance`).toBe(kinds.includes(cls));
      }
    },
  );

  it("plain errors and lookalikes are not recognised", () => {
    expect(b.UserPasswordError.isInstance(new Error("x"))).toBe(false);
    expect(b.UserPasswordError.isInstance({ name: "UserNotFoundError", code: "UserNotFoundException" })).toBe(false);
    expect(b.UserPasswordError.isInstance(undefined)).toBe(false);
    expect(b.NotFoundError.isInstance("UserNotFoundError")).toBe(false);
  });
});
