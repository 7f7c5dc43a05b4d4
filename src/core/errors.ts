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
 * The brand every error of this library carries: the names of its class and of each class
 * above it up to `UserPasswordError`. A registered symbol, so that `isInstance` still answers
 * when two copies of this package are loaded (as `instanceof` does not), the way Pulumi's own
 * errors are checked.
 */
const KINDS = Symbol.for("pulumi-cognito-user-password.errorKinds");

type Branded = { readonly [KINDS]?: unknown };

/** Base class of every error this library raises. */
export abstract class UserPasswordError extends Error {
  /** The Cognito / AWS error name behind this error, when there is one. */
  readonly code: string | undefined;
  readonly target: Target | undefined;
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, target?: Target, code?: string) {
    super(code ? `${message} (${code})` : message);
    this.name = new.target.name;
    this.target = target;
    this.code = code;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      kinds.push((c as { name: string }).name);
    }
    Object.defineProperty(this, KINDS, { value: Object.freeze(kinds), enumerable: false });
  }

  /**
   * True when `value` is an error of this class (or a subclass), from any loaded copy of the
   * package: `UserNotFoundError.isInstance(err)`, `NotFoundError.isInstance(err)`.
   */
  static isInstance<T extends abstract new (...args: never[]) => UserPasswordError>(
    this: T,
    value: unknown,
  ): value is InstanceType<T> {
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as Branded)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }
}

/** The user or the user pool does not exist. */
export abstract class NotFoundError extends UserPasswordError {}

/** One or more inputs are invalid; nothing was changed. */
export class InvalidInputError extends UserPasswordError {
  readonly failures: ReadonlyArray<{ property: string; reason: string }>;
  constructor(failures: ReadonlyArray<{ property: string; reason: string }>, resourceName?: string) {
    const prefix = resourceName ? `UserPassword "${resourceName}": ` : "";
    super(`${prefix}invalid input: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    this.failures = failures;
  }
}

/** No region could be resolved from the input, the stack config, the environment or the pool id. */
export class RegionNotConfiguredError extends UserPasswordError {
  constructor(target: Target) {
    super(
      `${describe(target)}: no AWS region: set the "region" input, the stack config "aws:region", or AWS_REGION`,
      target,
    );
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(target: Target, code = "UserNotFoundException") {
    const resource = target.resourceName ? `UserPassword "${target.resourceName}": ` : "";
    super(`${resource}user "${target.username}" not found in user pool ${target.userPoolId}`, target, code);
  }
}

export class UserPoolNotFoundError extends NotFoundError {
  constructor(target: Target, code = "ResourceNotFoundException") {
    const resource = target.resourceName ? `UserPassword "${target.resourceName}": ` : "";
    super(`${resource}user pool ${target.userPoolId} not found (user "${target.username}")`, target, code);
  }
}

/** The password does not satisfy the pool's password policy (checked locally or by Cognito). */
export class PasswordPolicyError extends UserPasswordError {
  readonly violations: readonly string[];
  constructor(target: Target, violations: readonly string[], code?: string) {
    const detail = violations.length > 0 ? `: ${violations.join(", ")}` : "";
    super(`${describe(target)}: password does not satisfy the pool's password policy${detail}`, target, code);
    this.violations = violations;
  }
}

/** The pool's password history refuses a recently used password (Essentials tier and above). */
export class PasswordHistoryError extends UserPasswordError {
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
