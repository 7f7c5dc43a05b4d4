/**
 * The pool's password policy, evaluated locally so a bad password is refused by `check`
 * before anything changes. cognito-local does not enforce the policy at all, and AWS only
 * does so at the moment of the set; this is the early, provider-side check.
 */

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
