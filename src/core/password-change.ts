/**
 * Whether the declared password changed since the last deployment, decided in `check`,
 * which is the one place the provider sees both passwords: the engine hands `check` the
 * previous inputs (`olds`, the old password in plain text inside the provider process) and
 * the new ones. The decision travels to `diff` and `update` as the non-secret input
 * `passwordRevision`: a random identifier of the declared password's version, kept while the
 * password stays the same and replaced by a fresh one when it changes. `create` and `update`
 * record it as an output, so `diff` compares the revision in the inputs with the one in the
 * outputs; a refresh (which diffs the refreshed outputs against the stored inputs) finds
 * them equal. Nothing derived from either password is kept, returned or logged (the digests
 * below live only in this function's memory), and the revision is random, not derived from
 * the password.
 *
 * Counted as changed: no previous inputs (a create, an import, a replacement), no previous
 * password, and either password unknown (the engine's preview sentinel): the conservative
 * answer costs at most one set, never a missed change.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isUnknown, UNKNOWN } from "./types";

/**
 * Constant-time equality of two strings: their SHA-256 digests (the same length whatever the
 * inputs) compared with timingSafeEqual.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** True unless both passwords are known strings and equal. */
export function passwordChanged(oldPassword: unknown, newPassword: unknown): boolean {
  if (typeof oldPassword !== "string" || typeof newPassword !== "string") return true;
  if (isUnknown(oldPassword) || isUnknown(newPassword)) return true;
  return !constantTimeEqual(oldPassword, newPassword);
}

/**
 * The revision of a password set before revisions were recorded (a state of release 0.1.0,
 * or of any version before revisions): previous inputs without one, outputs without one.
 */
export const NO_REVISION = "";

/** A fresh revision: 128 random bits, hex. Random, never derived from the password. */
export function freshRevision(): string {
  return randomBytes(16).toString("hex");
}

/**
 * The `passwordRevision` check returns for `newPassword`, given the previous inputs:
 *  - the new password unknown (preview): the unknown sentinel, so diff counts a change;
 *  - the password changed (see `passwordChanged`): a fresh random revision;
 *  - unchanged: the previous inputs' revision, or `NO_REVISION` when they have none (set
 *    before revisions were recorded). A previous revision that is not a known string cannot
 *    come from check; it counts as changed (a fresh revision), the conservative side.
 */
export function nextPasswordRevision(
  olds: { password?: unknown; passwordRevision?: unknown } | undefined,
  newPassword: unknown,
): string {
  if (isUnknown(newPassword)) return UNKNOWN;
  if (passwordChanged(olds?.password, newPassword)) return freshRevision();
  const previous = olds?.passwordRevision;
  if (previous === undefined) return NO_REVISION;
  return typeof previous === "string" && !isUnknown(previous) ? previous : freshRevision();
}
