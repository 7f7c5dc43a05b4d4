/**
 * Maps AWS SDK errors to this library's typed errors. Every mapped message names the
 * target and the Cognito error code; any text from the service is scrubbed of the secrets
 * of the call before it is quoted.
 */
import {
  AccessDeniedError,
  CognitoRequestError,
  PasswordHistoryError,
  PasswordPolicyError,
  UserNotFoundError,
  UserPasswordError,
  UserPoolNotFoundError,
  type Target,
} from "../core/errors";
import { redact } from "./redact";

/** The fields of an SDK v3 service or client error this mapping reads. */
interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function errorName(err: unknown): string {
  if (typeof err !== "object" || err === null) return "Error";
  const e = err as SdkErrorLike;
  if (typeof e.name === "string" && e.name !== "Error") return e.name;
  if (typeof e.code === "string") return e.code;
  return "Error";
}

/**
 * Turns whatever the SDK threw for `operation` into a typed error. `secrets` are the
 * values the call carried that must never appear in a message.
 */
export function mapCognitoError(
  err: unknown,
  target: Target,
  operation: string,
  secrets: readonly string[] = [],
): UserPasswordError {
  if (UserPasswordError.isInstance(err)) return err;
  const name = errorName(err);
  const raw =
    typeof (err as SdkErrorLike | null)?.message === "string" ? ((err as SdkErrorLike).message as string) : "";
  const detail = redact(raw, secrets).slice(0, 300);
  switch (name) {
    case "UserNotFoundException":
      return new UserNotFoundError(target, name);
    case "ResourceNotFoundException":
      return new UserPoolNotFoundError(target, name);
    case "InvalidPasswordException":
      return new PasswordPolicyError(target, detail ? [detail] : [], name);
    case "PasswordHistoryPolicyViolationException":
      return new PasswordHistoryError(target, name);
    case "NotAuthorizedException":
    case "AccessDeniedException":
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
      return new AccessDeniedError(target, operation, name);
    case "TooManyRequestsException":
    case "ThrottlingException":
      return new CognitoRequestError(
        target,
        operation,
        name,
        "still throttled after the SDK's retries; lower the deployment's --parallel or raise the quota",
      );
    default: {
      const status = (err as SdkErrorLike | null)?.$metadata?.httpStatusCode;
      const where = status ? `HTTP ${status}` : "";
      return new CognitoRequestError(target, operation, name, [where, detail].filter(Boolean).join(": "));
    }
  }
}
