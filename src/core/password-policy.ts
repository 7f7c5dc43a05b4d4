/**
 * The pool's password policy, evaluated locally so a bad password is refused by `check`
 * before anything changes (cognito-local does not enforce the policy at all, and AWS only
 * does so at the moment of the set), and the scramble password delete sets, which must
 * satisfy any policy a pool can have.
 */
import { randomBytes, randomInt } from "node:crypto";

export interface PasswordPolicy {
  minimumLength?: number;
  requireUppercase?: boolean;
  requireLowercase?: boolean;
  requireNumbers?: boolean;
  requireSymbols?: boolean;
}

/** Cognito's allowed symbol set (developer guide, "password requirements"), plus the space it excludes here. */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-".split(""));

/** Names of the rules the password breaks; empty when it satisfies the policy. Never echoes the password. */
export function policyViolations(password: string, policy: PasswordPolicy): string[] {
  const violations: string[] = [];
  const chars = [...password];
  if (policy.minimumLength !== undefined && chars.length < policy.minimumLength) {
    violations.push(`at least ${policy.minimumLength} characters required`);
  }
  if (policy.requireUppercase && !chars.some((c) => /\p{Lu}/u.test(c))) violations.push("an uppercase letter required");
  if (policy.requireLowercase && !chars.some((c) => /\p{Ll}/u.test(c))) violations.push("a lowercase letter required");
  if (policy.requireNumbers && !chars.some((c) => /[0-9]/.test(c))) violations.push("a number required");
  if (policy.requireSymbols && !chars.some((c) => SYMBOLS.has(c))) violations.push("a symbol required");
  return violations;
}

/** The longest minimum length a pool's policy can ask for. */
export const MAX_POLICY_MINIMUM_LENGTH = 99;

/**
 * A scrambled password: long, random, with every character class any pool policy may ask
 * for. 64 characters satisfy every policy up to that minimum length; a pool asking for more
 * gets `MAX_POLICY_MINIMUM_LENGTH`.
 */
export function scramblePassword(length = 64): string {
  const classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "^$*.[]{}()?!@#%&/,><:;|_~=+-"];
  const all = classes.join("");
  const chars = classes.map((c) => c[randomInt(c.length)] as string);
  const bytes = randomBytes(length);
  for (let i = chars.length; i < length; i++) chars.push(all[(bytes[i] as number) % all.length] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}
