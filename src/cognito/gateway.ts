/**
 * The Cognito calls this library makes, behind a small interface so the provider logic can
 * be driven against any endpoint. One SDK client per (region, endpoint, profile) per
 * process. The SDK's standard retry strategy retries throttled and failed attempts; when the
 * attempts start is the pacer's decision (./pacer.ts), not the SDK's: its adaptive mode cuts its
 * own rate to 0.7x at every throttle and climbs back over seconds, under the quota.
 */
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Target } from "../core/errors";
import type { AssumeRole } from "../core/types";
import { assumedRoleCredentials } from "./credentials";
import type { PasswordPolicy } from "../core/password-policy";
import { mapCognitoError, type ErrorContext } from "./errors";
import { agentsFor, type NetworkSettings } from "./network";

export interface Connection {
  region: string;
  endpoint?: string;
  profile?: string;
  /** Roles assumed in order, the first from the default credentials (see credentials.ts). */
  assumeRoles?: readonly AssumeRole[];
}

export interface CognitoUser {
  /** The real username (for email-as-username pools, the generated id). */
  username: string;
  status: string;
  enabled: boolean;
  lastModified?: Date;
}

export interface UserPoolSettings {
  /** Undefined when the pool reports no password policy (some emulators). */
  passwordPolicy?: PasswordPolicy;
  /** Days a temporary password stays valid; Cognito's default is 7. */
  temporaryPasswordValidityDays: number;
}

/** The three calls the provider needs. Errors are always `UserPasswordError`s. */
export interface CognitoGateway {
  getUser(target: Target): Promise<CognitoUser>;
  setPassword(target: Target, password: string, permanent: boolean): Promise<void>;
  describeUserPool(target: Target): Promise<UserPoolSettings>;
}

/** The SDK's retry modes (AWS_RETRY_MODE, a profile's retry_mode). */
export type RetryMode = "standard" | "adaptive" | "legacy";

export interface ClientTuning {
  /** Attempts per call, including the first (SDK retry strategy). */
  maxAttempts: number;
  /** The SDK's retry strategy; ours is standard (when attempts start is the pacer's decision). */
  retryMode?: RetryMode;
  /** Milliseconds to wait for a response before the attempt fails and is retried. */
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
}

export const DEFAULT_TUNING: ClientTuning = { maxAttempts: 8, requestTimeoutMs: 15_000, connectionTimeoutMs: 5_000 };

const DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS = 7;

/**
 * The SDK client for `connection`. `network` (see network.ts: proxy, NO_PROXY, CA bundle) gives
 * the HTTP handler its agents; without it the SDK's own agents are used.
 */
export function createCognitoClient(
  connection: Connection,
  tuning: ClientTuning = DEFAULT_TUNING,
  network?: NetworkSettings,
): CognitoIdentityProviderClient {
  const credentials = assumedRoleCredentials(connection.assumeRoles ?? []);
  return new CognitoIdentityProviderClient({
    region: connection.region,
    ...(credentials ? { credentials } : {}),
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.profile ? { profile: connection.profile } : {}),
    maxAttempts: tuning.maxAttempts,
    // Standard by default: adaptive mode's own client-side limiter cut the rate under the quota and
    // fought the pacer; AWS_RETRY_MODE or a profile's retry_mode still wins (awsRetrySettings).
    retryMode: tuning.retryMode ?? "standard",
    requestHandler: {
      requestTimeout: tuning.requestTimeoutMs,
      // Without it the SDK's handler (@smithy/node-http-handler 4.x) only logs a warning when
      // the request timeout passes and keeps waiting: a hung Cognito would hang the deployment.
      throwOnRequestTimeout: true,
      connectionTimeout: tuning.connectionTimeoutMs,
      ...(network ? agentsFor(network) : {}),
    },
  });
}

export class SdkCognitoGateway implements CognitoGateway {
  /** `context`: what error messages may say of the connection (the CA bundle in use). */
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly context: ErrorContext = {},
  ) {}

  async getUser(target: Target): Promise<CognitoUser> {
    try {
      const out = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: target.username }),
      );
      return {
        username: out.Username ?? target.username,
        status: out.UserStatus ?? "UNKNOWN",
        enabled: out.Enabled ?? true,
        ...(out.UserLastModifiedDate ? { lastModified: out.UserLastModifiedDate } : {}),
      };
    } catch (err) {
      throw mapCognitoError(err, target, "AdminGetUser", [], this.context);
    }
  }

  async setPassword(target: Target, password: string, permanent: boolean): Promise<void> {
    try {
      await this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: target.userPoolId,
          Username: target.username,
          Password: password,
          Permanent: permanent,
        }),
      );
    } catch (err) {
      throw mapCognitoError(err, target, "AdminSetUserPassword", [password], this.context);
    }
  }

  async describeUserPool(target: Target): Promise<UserPoolSettings> {
    try {
      const out = await this.client.send(new DescribeUserPoolCommand({ UserPoolId: target.userPoolId }));
      const p = out.UserPool?.Policies?.PasswordPolicy;
      return {
        ...(p
          ? {
              passwordPolicy: {
                ...(p.MinimumLength !== undefined ? { minimumLength: p.MinimumLength } : {}),
                ...(p.RequireUppercase !== undefined ? { requireUppercase: p.RequireUppercase } : {}),
                ...(p.RequireLowercase !== undefined ? { requireLowercase: p.RequireLowercase } : {}),
                ...(p.RequireNumbers !== undefined ? { requireNumbers: p.RequireNumbers } : {}),
                ...(p.RequireSymbols !== undefined ? { requireSymbols: p.RequireSymbols } : {}),
              },
            }
          : {}),
        temporaryPasswordValidityDays: p?.TemporaryPasswordValidityDays ?? DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS,
      };
    } catch (err) {
      throw mapCognitoError(err, target, "DescribeUserPool", [], this.context);
    }
  }
}
