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
} from "./errors";

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
 * The base64 characters that encode `secret` wherever it sits in a larger encoded text: at byte
 * offset 0, 1 or 2 of a 3-byte group the secret's bytes give different characters, and the ones
 * at either end also depend on the neighbouring bytes, so only the middle ("core") is certain.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    // Too short a core would redact innocent text; a secret that short has no core worth keeping.
    if (end - first >= 4) cores.push(encoded.slice(first, end));
  }
  return cores;
}

/**
 * Removes every occurrence of each secret from `text`: plain, URL-encoded, JSON-escaped, and in
 * base64 at any byte alignment.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret, "utf8").toString("base64"),
      ...base64Cores(secret),
    ]);
    // Longest first, so a form that contains another is removed whole.
    for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join("***");
  }
  return out;
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
