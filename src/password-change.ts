/**
 * Whether the declared password changed since the last deployment, decided in `check`,
 * which is the one place the provider sees both passwords: the engine hands `check` the
 * previous inputs (`olds`, the old password in plain text inside the provider process) and
 * the new ones. The decision travels to `diff` and `update` as the non-secret boolean input
 * `passwordChanged`; nothing derived from either password is kept, returned or logged (the
 * digests below live only in this function's memory).
 *
 * Counted as changed: no previous inputs (a create, an import, a replacement), no previous
 * password, and either password unknown (the engine's preview sentinel): the conservative
 * answer costs at most one set, never a missed change.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isUnknown } from "./types";

/** Constant-time equality of two strings: SHA-256 digests (same length whatever the inputs) compared with timingSafeEqual. */
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
