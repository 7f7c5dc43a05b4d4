/**
 * Assumed roles, as `@pulumi/aws` configures them (`aws:assumeRoles`, a chain assumed in order;
 * the older single `aws:assumeRole`) and as the `assumeRole` input names one: credentials from
 * the AWS SDK's own `fromTemporaryCredentials` (STS AssumeRole at STS's standard endpoint, or
 * `AWS_ENDPOINT_URL_STS`), each role's STS client starting from the one before (the first from
 * the SDK's default chain: environment, profile, web identity, ...). The SDK client that uses
 * them caches the credentials and refreshes them five minutes before they expire, so one
 * deployment assumes each role once per connection, however many users it sets.
 */
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AssumeRole } from "../core/types";
import { errorName } from "./errors";
import { AssumeRoleFailure } from "./failures";

type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration as `@pulumi/aws` takes it (`"1h"`, `"15m"`, `"1h30m"`); undefined when not one. */
export function durationSeconds(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] ?? "s"] ?? 1), 0));
}

/** The credentials after assuming `roles` in order, or undefined (the SDK's default chain) when there are none. */
export function assumedRoleCredentials(roles: readonly AssumeRole[]): CredentialProvider | undefined {
  let credentials: CredentialProvider | undefined;
  for (const role of roles) {
    const duration = role.duration === undefined ? undefined : durationSeconds(role.duration);
    const provider = fromTemporaryCredentials({
      ...(credentials ? { masterCredentials: credentials } : {}),
      params: {
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName ?? "pulumi-cognito-user-password",
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
        ...(duration ? { DurationSeconds: duration } : {}),
        ...(role.policy ? { Policy: role.policy } : {}),
        ...(role.policyArns ? { PolicyArns: role.policyArns.map((arn) => ({ arn })) } : {}),
        ...(role.sourceIdentity ? { SourceIdentity: role.sourceIdentity } : {}),
        ...(role.tags ? { Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
        ...(role.transitiveTagKeys ? { TransitiveTagKeys: role.transitiveTagKeys } : {}),
      },
    });
    credentials = async (properties) => {
      try {
        return await provider(properties);
      } catch (err) {
        // A role earlier in the chain failed: that one is the one to name.
        if (err instanceof AssumeRoleFailure) throw err;
        const message = typeof (err as { message?: unknown })?.message === "string" ? (err as Error).message : "";
        throw new AssumeRoleFailure(role.roleArn, errorName(err), message, err);
      }
    };
  }
  return credentials;
}
