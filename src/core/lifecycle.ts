/**
 * What a refresh concludes from the user's Cognito status: whether the declared password
 * state still holds, or the next `pulumi up` must set it again. Pure; no I/O.
 */
import type { DriftReason } from "./types";

export interface ObservedUser {
  status: string;
  /** Cognito's `UserLastModifiedDate`. */
  lastModified?: Date;
}

export interface Declared {
  permanent: boolean;
  reissueExpiredTemporaryPassword: boolean;
  /** When this provider last set the password (its own clock). */
  passwordSetAt?: Date;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When a temporary password set at `setAt` stops working. Cognito gives no expiry flag;
 * it follows from the pool's TemporaryPasswordValidityDays.
 */
export function temporaryPasswordExpiresAt(setAt: Date, validityDays: number): Date {
  return new Date(setAt.getTime() + validityDays * DAY_MS);
}

/**
 * The drift, if any. `validityDays` is needed only for temporary passwords still in
 * FORCE_CHANGE_PASSWORD; pass undefined when it is not known (no expiry is then assumed).
 */
export function assessDrift(
  user: ObservedUser,
  declared: Declared,
  now: Date,
  validityDays: number | undefined,
): DriftReason | undefined {
  switch (user.status) {
    case "RESET_REQUIRED":
      return "reset-required";
    case "UNCONFIRMED":
      return "unconfirmed";
    case "FORCE_CHANGE_PASSWORD": {
      if (declared.permanent) return "password-not-permanent";
      if (!declared.reissueExpiredTemporaryPassword || validityDays === undefined) return undefined;
      // Some emulators never move UserLastModifiedDate on a set; our own record is then later.
      const setAt = latest(user.lastModified, declared.passwordSetAt);
      if (!setAt) return undefined;
      return now.getTime() >= temporaryPasswordExpiresAt(setAt, validityDays).getTime()
        ? "temporary-password-expired"
        : undefined;
    }
    default:
      // CONFIRMED: with a permanent password that is the goal; with a temporary one the user
      // has chosen their own password, which is the intended life cycle. Other statuses
      // (EXTERNAL_PROVIDER, ARCHIVED, UNKNOWN) are not ours to repair.
      return undefined;
  }
}

function latest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
