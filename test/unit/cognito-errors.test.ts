import { describe, expect, it } from "vitest";
import { errorName, mapCognitoError } from "../../src/cognito/errors";
import { redact } from "../../src/cognito/redact";
import {
  AccessDeniedError,
  CognitoRequestError,
  PasswordHistoryError,
  PasswordPolicyError,
  UserNotFoundError,
  UserPasswordError,
  UserPoolNotFoundError,
} from "../../src/core/errors";

// The resource's name does not contain the username, so a message that drops the user is caught.
const target = { resourceName: "seed-admin", userPoolId: "us-east-1_AbC", username: "alice" };
const PASSWORD = "Sup3r-Secret!";

/** Shaped like the SDK's ServiceException: name, message, $metadata. */
function sdkError(name: string, message = "", httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

describe("mapCognitoError", () => {
  it.each([
    [
      "UserNotFoundException",
      UserNotFoundError,
      'UserPassword "seed-admin": user "alice" not found in user pool us-east-1_AbC (UserNotFoundException)',
    ],
    [
      "ResourceNotFoundException",
      UserPoolNotFoundError,
      'UserPassword "seed-admin": user pool us-east-1_AbC not found (user "alice") (ResourceNotFoundException)',
    ],
    ["PasswordHistoryPolicyViolationException", PasswordHistoryError, "password history"],
    ["NotAuthorizedException", AccessDeniedError, "not allowed to call AdminSetUserPassword"],
    ["AccessDeniedException", AccessDeniedError, "IAM permissions"],
    ["TooManyRequestsException", CognitoRequestError, "still throttled"],
    ["InternalErrorException", CognitoRequestError, "AdminSetUserPassword failed"],
  ])("maps %s to a typed error naming resource, pool and user", (name, type, text) => {
    const err = mapCognitoError(sdkError(name), target, "AdminSetUserPassword", [PASSWORD]);
    expect(err).toBeInstanceOf(type);
    expect(err).toBeInstanceOf(UserPasswordError);
    expect(err.code).toBe(name);
    expect(err.message).toContain(text);
    expect(err.message).toContain('UserPassword "seed-admin"');
    expect(err.message).toContain('user "alice"');
    expect(err.message).toContain("us-east-1_AbC");
    expect(err.message).toContain(`(${name})`);
  });

  it("keeps Cognito's reason for a policy refusal, scrubbed of the password", () => {
    const err = mapCognitoError(
      sdkError(
        "InvalidPasswordException",
        `Password ${PASSWORD} did not conform with policy: Password not long enough`,
      ),
      target,
      "AdminSetUserPassword",
      [PASSWORD],
    );
    expect(err).toBeInstanceOf(PasswordPolicyError);
    expect(err.message).toContain("Password not long enough");
    expect(err.message).not.toContain(PASSWORD);
  });

  it("scrubs the password from an unknown error's text in every encoding", () => {
    const encodings = [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(PASSWORD).toString("base64")];
    const err = mapCognitoError(
      sdkError("SomethingNew", `echo ${encodings.join(" ")}`, 500),
      target,
      "AdminSetUserPassword",
      [PASSWORD],
    );
    for (const form of encodings) expect(err.message).not.toContain(form);
    expect(err.message).toContain("HTTP 500");
  });

  it("passes its own errors through", () => {
    const own = new UserNotFoundError(target);
    expect(mapCognitoError(own, target, "AdminGetUser")).toBe(own);
  });

  it("names non-SDK failures (network) by their code", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const err = mapCognitoError(reset, target, "AdminGetUser");
    expect(err).toBeInstanceOf(CognitoRequestError);
    expect(err.message).toContain("(ECONNRESET)");
    expect(err.message).toContain("socket hang up");
  });
});

describe("errorName", () => {
  it("reads name, then code, else Error", () => {
    expect(errorName(sdkError("UserNotFoundException"))).toBe("UserNotFoundException");
    expect(errorName({ code: "ETIMEDOUT" })).toBe("ETIMEDOUT");
    expect(errorName("boom")).toBe("Error");
    expect(errorName(null)).toBe("Error");
  });
});

describe("redact", () => {
  const SECRET = 'Pw"1\\%+/=$x';

  it("replaces the plain and URL-encoded forms", () => {
    expect(redact(`a ${SECRET} b`, [SECRET])).toBe("a *** b");
    expect(redact(`q=${encodeURIComponent(SECRET)}`, [SECRET])).toBe("q=***");
    expect(redact("nothing here", [""])).toBe("nothing here");
  });

  it("replaces the JSON-escaped form (a request body quoted in an error)", () => {
    const body = JSON.stringify({ Password: SECRET, Username: "alice" });
    expect(body).not.toContain(SECRET); // the escaped form differs from the plain one
    const out = redact(`rejected ${body}`, [SECRET]);
    expect(out).toBe('rejected {"Password":"***","Username":"alice"}');
  });

  it.each([0, 1, 2, 3, 4, 5])("replaces base64 of a text holding the secret at byte offset %i", (offset) => {
    const blob = Buffer.concat([Buffer.from("x".repeat(offset)), Buffer.from(SECRET), Buffer.from(" tail")]).toString(
      "base64",
    );
    const out = redact(`payload ${blob}`, [SECRET]);
    expect(out).toContain("***");
    // No run of the secret's own base64 characters survives at any alignment.
    for (let k = 0; k < 3; k++) {
      const aligned = Buffer.concat([Buffer.alloc(k), Buffer.from(SECRET)]).toString("base64");
      expect(out).not.toContain(aligned.slice(4, 12));
    }
  });
});

describe("every error message names the resource, the pool and the user", () => {
  it.each([
    ["UserNotFoundError", new UserNotFoundError(target)],
    ["UserPoolNotFoundError", new UserPoolNotFoundError(target)],
    ["PasswordPolicyError", new PasswordPolicyError(target, ["a number required"])],
    ["PasswordHistoryError", new PasswordHistoryError(target)],
    ["AccessDeniedError", new AccessDeniedError(target, "AdminSetUserPassword", "AccessDeniedException")],
    ["CognitoRequestError", new CognitoRequestError(target, "AdminGetUser", "InternalErrorException")],
  ])("%s", (_name, err) => {
    expect(err.message).toContain('UserPassword "seed-admin"');
    expect(err.message).toContain('user "alice"');
    expect(err.message).toContain("us-east-1_AbC");
  });
});
