/**
 * Secret-marked values on the plugin's wire. The provider reports acceptSecrets, so the engine
 * hands a secret input to check, diff, create, update, read and delete as an object
 * `{[specialSigKey]: specialSecretSig, value}` rather than as the value itself. The core works
 * on plain values: the adapter unwraps on the way in and marks secret again on the way out
 * whatever arrived secret (and the password, always).
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/** A value as the engine marks a secret. */
export interface SecretValue {
  [specialSigKey]: typeof specialSecretSig;
  value: unknown;
}

export function isSecretValue(value: unknown): value is SecretValue {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[specialSigKey] === specialSecretSig
  );
}

export function secretValue(value: unknown): SecretValue {
  return { [specialSigKey]: specialSecretSig, value };
}

/** The properties with their secret marks taken off, and the names of those that had one. */
export interface Unwrapped {
  plain: Record<string, unknown>;
  secretKeys: Set<string>;
}

/** Takes the secret marks off the top-level properties (every property of UserPassword is a scalar). */
export function unwrapSecrets(props: Record<string, unknown> | undefined): Unwrapped {
  const plain: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(props ?? {})) {
    if (isSecretValue(value)) {
      secretKeys.add(key);
      plain[key] = value.value;
    } else {
      plain[key] = value;
    }
  }
  return { plain, secretKeys };
}

/** `props` with each of `secretKeys` that it holds marked secret; absent properties stay absent. */
export function markSecrets<T extends object>(props: T, secretKeys: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(props as Record<string, unknown>) };
  for (const key of secretKeys) {
    if (out[key] !== undefined && !isSecretValue(out[key])) out[key] = secretValue(out[key]);
  }
  return out;
}
