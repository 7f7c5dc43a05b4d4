/**
 * Typed errors. Every message names the resource (when known), the user pool and the
 * username, and the Cognito error code; none ever contains a password.
 */

/** Who an operation was about: enough to find the user, nothing secret. */
export interface Target {
  resourceName?: string;
  userPoolId: string;
  username: string;
}

/** The target of an operation of the resource `name` on `username` (the declared or the real one). */
export function targetOf(name: string | undefined, userPoolId: string, username: string): Target {
  return { ...(name ? { resourceName: name } : {}), userPoolId, username };
}

function describe(target: Target): string {
  const resource = target.resourceName ? `UserPassword "${target.resourceName}": ` : "";
  return `${resource}user "${target.username}" in user pool ${target.userPoolId}`;
}

/**
 * True when `value` carries the brand `field`. Every class below declares one brand field of
 * its own, set to `true` on every instance (subclasses inherit their parents' fields), and a
 * static `isInstance` that checks it: unlike `instanceof`, this still answers when two copies
 * of this package are loaded (two versions in one node_modules, or a provider process and a
 * program that resolved different copies). Pulumi's Node.js SDK checks its errors the same way.
 */
function hasBrand(value: unknown, field: string): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[field] === true;
}

/** Base class of every error this library raises. */
export abstract class UserPasswordError extends Error {
  /** Brand for {@link UserPasswordError.isInstance}. */
  readonly __cognitoUserPasswordError = true;
  /** The Cognito / AWS error name behind this error, when there is one. */
  readonly code: string | undefined;
  /** The resource, pool and user the failed operation was about, when known. */
  readonly target: Target | undefined;

  constructor(message: string, target?: Target, code?: string) {
    super(code ? `${message} (${code})` : message);
    this.name = new.target.name;
    this.target = target;
    this.code = code;
  }

  /** True when `value` is a `UserPasswordError` (of any subclass) from any loaded copy of the package. */
  static isInstance(value: unknown): value is UserPasswordError {
    return hasBrand(value, "__cognitoUserPasswordError");
  }
}

/** The user or the user pool does not exist. */
export abstract class NotFoundError extends UserPasswordError {
  /** Brand for {@link NotFoundError.isInstance}. */
  readonly __cognitoNotFoundError = true;

  /** True when `value` is a `NotFoundError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is NotFoundError {
    return hasBrand(value, "__cognitoNotFoundError");
  }
}

/** One or more inputs are invalid; nothing was changed. */
export class InvalidInputError extends UserPasswordError {
  /** Brand for {@link InvalidInputError.isInstance}. */
  readonly __cognitoInvalidInputError = true;

  /** True when `value` is an `InvalidInputError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is InvalidInputError {
    return hasBrand(value, "__cognitoInvalidInputError");
  }

  readonly failures: ReadonlyArray<{ property: string; reason: string }>;
  constructor(failures: ReadonlyArray<{ property: string; reason: string }>, resourceName?: string) {
    const prefix = resourceName ? `UserPassword "${resourceName}": ` : "";
    super(`${prefix}invalid input: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    this.failures = failures;
  }
}

/** No region could be resolved from the input, the stack config, the environment or the pool id. */
export class RegionNotConfiguredError extends UserPasswordError {
  /** Brand for {@link RegionNotConfiguredError.isInstance}. */
  readonly __cognitoRegionNotConfiguredError = true;

  /** True when `value` is a `RegionNotConfiguredError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is RegionNotConfiguredError {
    return hasBrand(value, "__cognitoRegionNotConfiguredError");
  }

  constructor(target: Target) {
    super(
      `${describe(target)}: no AWS region: set the "region" input, the stack config "aws:region", or AWS_REGION`,
      target,
    );
  }
}

/** The user does not exist in the pool (or the pool has no such alias or `sub`). */
export class UserNotFoundError extends NotFoundError {
  /** Brand for {@link UserNotFoundError.isInstance}. */
  readonly __cognitoUserNotFoundError = true;

  /** True when `value` is a `UserNotFoundError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is UserNotFoundError {
    return hasBrand(value, "__cognitoUserNotFoundError");
  }

  constructor(target: Target, code = "UserNotFoundException") {
    const resource = target.resourceName ? `UserPassword "${target.resourceName}": ` : "";
    super(`${resource}user "${target.username}" not found in user pool ${target.userPoolId}`, target, code);
  }
}

/** The user pool does not exist (in the region and account in use). */
export class UserPoolNotFoundError extends NotFoundError {
  /** Brand for {@link UserPoolNotFoundError.isInstance}. */
  readonly __cognitoUserPoolNotFoundError = true;

  /** True when `value` is a `UserPoolNotFoundError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is UserPoolNotFoundError {
    return hasBrand(value, "__cognitoUserPoolNotFoundError");
  }

  constructor(target: Target, code = "ResourceNotFoundException") {
    const resource = target.resourceName ? `UserPassword "${target.resourceName}": ` : "";
    super(`${resource}user pool ${target.userPoolId} not found (user "${target.username}")`, target, code);
  }
}

/** The password does not satisfy the pool's password policy (checked locally or by Cognito). */
export class PasswordPolicyError extends UserPasswordError {
  /** Brand for {@link PasswordPolicyError.isInstance}. */
  readonly __cognitoPasswordPolicyError = true;

  /** True when `value` is a `PasswordPolicyError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is PasswordPolicyError {
    return hasBrand(value, "__cognitoPasswordPolicyError");
  }

  readonly violations: readonly string[];
  constructor(target: Target, violations: readonly string[], code?: string) {
    const detail = violations.length > 0 ? `: ${violations.join(", ")}` : "";
    super(`${describe(target)}: password does not satisfy the pool's password policy${detail}`, target, code);
    this.violations = violations;
  }
}

/** The pool's password history refuses a recently used password (Essentials tier and above). */
export class PasswordHistoryError extends UserPasswordError {
  /** Brand for {@link PasswordHistoryError.isInstance}. */
  readonly __cognitoPasswordHistoryError = true;

  /** True when `value` is a `PasswordHistoryError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is PasswordHistoryError {
    return hasBrand(value, "__cognitoPasswordHistoryError");
  }

  constructor(target: Target, code = "PasswordHistoryPolicyViolationException") {
    super(
      `${describe(target)}: the pool's password history refuses this password because the user used it recently; ` +
        `rotate the password (e.g. change the RandomPassword's keepers) and run again`,
      target,
      code,
    );
  }
}

/** The caller may not perform the call (IAM) or Cognito refused it. */
export class AccessDeniedError extends UserPasswordError {
  /** Brand for {@link AccessDeniedError.isInstance}. */
  readonly __cognitoAccessDeniedError = true;

  /** True when `value` is an `AccessDeniedError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is AccessDeniedError {
    return hasBrand(value, "__cognitoAccessDeniedError");
  }

  constructor(target: Target, operation: string, code: string) {
    super(
      `${describe(target)}: not allowed to call ${operation}; check the IAM permissions of the credentials`,
      target,
      code,
    );
  }
}

/** Refused on purpose: the user signs in through an external identity provider. */
export class FederatedUserError extends UserPasswordError {
  /** Brand for {@link FederatedUserError.isInstance}. */
  readonly __cognitoFederatedUserError = true;

  /** True when `value` is a `FederatedUserError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is FederatedUserError {
    return hasBrand(value, "__cognitoFederatedUserError");
  }

  constructor(target: Target) {
    super(
      `${describe(target)} is a federated user (EXTERNAL_PROVIDER); setting a password converts it to a native user, ` +
        `which AWS advises against; set allowFederatedUser: true to do it anyway`,
      target,
    );
  }
}

/** Two resources in one deployment declare a password for the same Cognito user. */
export class DuplicateUserError extends UserPasswordError {
  /** Brand for {@link DuplicateUserError.isInstance}. */
  readonly __cognitoDuplicateUserError = true;

  /** True when `value` is a `DuplicateUserError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is DuplicateUserError {
    return hasBrand(value, "__cognitoDuplicateUserError");
  }

  constructor(target: Target, otherResourceName: string) {
    super(
      `${describe(target)} is already managed by UserPassword "${otherResourceName}" in this stack; ` +
        `two resources must not declare the same user's password`,
      target,
    );
  }
}

/** Any other failure from Cognito, after the SDK's retries. */
export class CognitoRequestError extends UserPasswordError {
  /** Brand for {@link CognitoRequestError.isInstance}. */
  readonly __cognitoCognitoRequestError = true;

  /** True when `value` is a `CognitoRequestError` from any loaded copy of the package. */
  static override isInstance(value: unknown): value is CognitoRequestError {
    return hasBrand(value, "__cognitoCognitoRequestError");
  }

  constructor(target: Target, operation: string, code: string, detail?: string) {
    super(`${describe(target)}: ${operation} failed${detail ? `: ${detail}` : ""}`, target, code);
  }
}

/** The proxy in use refused the connection to AWS or could not be reached; nothing was changed. */
export class ProxyError extends UserPasswordError {
  /** The proxy, without its credentials. */
  readonly proxy: string;
  constructor(target: Target, operation: string, proxy: string, detail: string, code?: string) {
    super(
      `${describe(target)}: ${operation} failed: ${detail}; nothing was changed. ` +
        `The proxy comes from HTTPS_PROXY (HTTP_PROXY for http endpoints); NO_PROXY lists the hosts reached directly`,
      target,
      code,
    );
    this.proxy = proxy;
  }
}

/**
 * The endpoint's TLS certificate does not verify against the trusted roots (a company CA that
 * intercepts TLS, a local endpoint's own CA); nothing was changed.
 */
export class CertificateNotTrustedError extends UserPasswordError {
  constructor(target: Target, operation: string, code: string, caBundle?: { setting: string; path: string }) {
    const advice = caBundle
      ? `the CA bundle of ${caBundle.setting} (${caBundle.path}) is trusted in addition to Node's roots, and does not make it valid either`
      : `if a company or private CA signs it, set AWS_CA_BUNDLE (or ca_bundle in the AWS profile) to a PEM file holding that CA`;
    super(
      `${describe(target)}: ${operation} failed: the endpoint's TLS certificate does not verify; ${advice}; nothing was changed`,
      target,
      code,
    );
  }
}

/** STS refused to let the credentials in use assume a role; nothing was changed. */
export class AssumeRoleError extends UserPasswordError {
  readonly roleArn: string;
  constructor(target: Target, operation: string, roleArn: string, code: string, detail?: string) {
    super(
      `${describe(target)}: ${operation} not attempted: assuming the role ${roleArn} failed${detail ? `: ${detail}` : ""}; nothing was changed`,
      target,
      code,
    );
    this.roleArn = roleArn;
  }
}
