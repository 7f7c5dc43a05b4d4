import { describe, expect, it } from "vitest";
import { errorName, mapCognitoError, redact } from "../../src/cognito-errors";
import {
  AccessDeniedError,
  CognitoRequestError,
  PasswordHistoryError,
  PasswordPolicyError,
  UserNotFoundError,
  UserPasswordError,
  UserPoolNotFoundError,
} from "../../src/errors";

const target = { resourceName: "alice-pw", userPoolId: "us-east-1_AbC", username: "alice" };
const PASSWORD = "Sup3r-Secret!";

/** Shaped like the SDK's ServiceException: name, message, $metadata. */
function sdkError(name: string, message = "", httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

describe("mapCognitoError", () => {
  it.each([
    ["UserNotFoundException", UserNotFoundError, 'UserPassword "alice-pw": user "alice" not found in user pool us-east-1_AbC (UserNotFoundException)'],
    ["ResourceNotFoundException", UserPoolNotFoundError, 'UserPassword "alice-pw": user pool us-east-1_AbC not found (user "alice") (ResourceNotFoundException)'],
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
    expect(err.message).toContain("alice");
    expect(err.message).toContain("us-east-1_AbC");
    expect(err.message).toContain(`(${name})`);
  });

  it("keeps Cognito's reason for a policy refusal, scrubbed of the password", () => {
    const err = mapCognitoError(
      sdkError("InvalidPasswordException", `Password ${PASSWORD} did not conform with policy: Password not long enough`),
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
    const err = mapCognitoError(sdkError("SomethingNew", `echo ${encodings.join(" ")}`, 500), target, "AdminSetUserPassword", [PASSWORD]);
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
  it("replaces every form of every secret", () => {
    expect(redact('a "p@ss/w" b', ["p@ss/w"])).toBe('a "***" b');
    expect(redact("p%40ss%2Fw", ["p@ss/w"])).toBe("***");
    expect(redact("nothing here", [""])).toBe("nothing here");
  });
});
