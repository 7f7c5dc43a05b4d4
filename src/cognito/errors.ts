/**
 * Maps AWS SDK errors to this library's typed errors. Every mapped message names the
 * target and the Cognito error code; any text from the service is scrubbed of the secrets
 * of the call before it is quoted.
 */
import {
  AccessDeniedError,
  AssumeRoleError,
  CertificateNotTrustedError,
  CognitoRequestError,
  PasswordHistoryError,
  PasswordPolicyError,
  ProxyError,
  UserNotFoundError,
  UserPasswordError,
  UserPoolNotFoundError,
  type Target,
} from "../core/errors";
import { AssumeRoleFailure, ProxyFailure } from "./failures";
import type { CaBundle } from "./network";
import { redact } from "./redact";

/**
 * The TLS verification failures of Node (OpenSSL's codes, and Node's own for a name mismatch):
 * the certificate is not trusted, which no retry changes.
 */
const CERTIFICATE_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REVOKED",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** What the mapping knows of the connection: the CA bundle in use, for the advice it gives. */
export interface ErrorContext {
  caBundle?: CaBundle;
}

/** `err` or the first of its causes that `accept` selects. */
function inChain<T>(err: unknown, accept: (e: unknown) => e is T): T | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (accept(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

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
  context: ErrorContext = {},
): UserPasswordError {
  if (UserPasswordError.isInstance(err)) return err;
  const proxy = inChain(err, (e): e is ProxyFailure => e instanceof ProxyFailure);
  if (proxy) return new ProxyError(target, operation, proxy.proxy, proxy.message, proxy.code ?? errorName(proxy));
  const role = inChain(err, (e): e is AssumeRoleFailure => e instanceof AssumeRoleFailure);
  if (role)
    return new AssumeRoleError(target, operation, role.roleArn, role.code, redact(role.detail, secrets).slice(0, 300));
  const certificate = inChain(
    err,
    (e): e is { code: string } =>
      typeof (e as { code?: unknown }).code === "string" && CERTIFICATE_CODES.has((e as { code: string }).code),
  );
  if (certificate) return new CertificateNotTrustedError(target, operation, certificate.code, context.caBundle);
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
