/**
 * Failures on the way to Cognito rather than in it (the proxy, STS), raised inside the SDK's
 * call (by our agent or credential provider) and turned into typed errors, with the resource
 * named, by `mapCognitoError`.
 */

/**
 * Marks a failure of the path to AWS (not of the service): the proxy refused or could not be
 * reached. `code` keeps the socket's error code, so the SDK still retries what is transient
 * (an unreachable proxy: ECONNREFUSED); a refusal has none and fails at once.
 */
export class ProxyFailure extends Error {
  readonly proxy: string;
  readonly code: string | undefined;
  readonly statusCode: number | undefined;
  constructor(proxy: string, detail: string, options: { code?: string; statusCode?: number; cause?: unknown } = {}) {
    super(`the proxy ${proxy} ${detail}`, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "ProxyFailure";
    this.proxy = proxy;
    this.code = options.code;
    this.statusCode = options.statusCode;
  }
}

/** STS refused a role: the role and STS's error code, for the mapped error. */
export class AssumeRoleFailure extends Error {
  constructor(
    readonly roleArn: string,
    readonly code: string,
    readonly detail: string,
    cause: unknown,
  ) {
    super(`assuming the role ${roleArn} failed (${code})`, { cause });
    this.name = "AssumeRoleFailure";
  }
}
