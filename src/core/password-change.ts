/**
 * Whether the declared password changed since the last deployment, decided in `check`,
 * which is the one place the provider sees both passwords: the engine hands `check` the
 * previous inputs (`olds`, the old password in plain text inside the provider process) and
 * the new ones. The decision travels to `diff` and `update` as the non-secret input
 * `passwordRevision`: an identifier of the declared password's version, kept while the
 * password stays the same and replaced by the next one when it changes. `create` and `update`
 * record it as an output, so `diff` compares the revision in the inputs with the one in the
 * outputs; a refresh (which diffs the refreshed outputs against the stored inputs) finds
 * them equal.
 *
 * The next revision is derived from the previous revision only, never from either password:
 * the same previous inputs give the same next revision whatever the new password is. That is
 * what update plans need: `pulumi preview --save-plan` and `pulumi up --plan` (and the two
 * phases of `pulumi up --strict`) each run `check` on the same previous inputs and the same
 * program, and the engine refuses an `up` whose checked inputs differ from the plan's. A
 * random revision, made afresh in each `check`, differed between the two (the dynamic
 * provider cannot tell a preview's `check` from an update's: the engine sends the same
 * request, and Pulumi's dynamic-provider host passes neither a preview flag nor the plan's
 * random seed to `check`). Nothing derived from either password is kept, returned or logged
 * (the digests in `constantTimeEqual` live only in its memory).
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

/** A fresh revision: 128 random bits, hex (for a caller of create or update that skipped check). */
export function freshRevision(): string {
  return randomBytes(16).toString("hex");
}

/** Keeps the revision chain apart from any other use of SHA-256. */
const REVISION_DOMAIN = "pulumi-cognito-user-password/passwordRevision/v1\0";

/**
 * The revision after `previous` (`NO_REVISION` when there is none): 128 bits of
 * SHA-256(domain, previous), hex. A function of the previous revision alone, so every
 * `check` of one change agrees (see above), and successive changes never repeat a revision.
 */
export function revisionAfter(previous: string): string {
  return createHash("sha256")
    .update(REVISION_DOMAIN + previous, "utf8")
    .digest("hex")
    .slice(0, 32);
}

/**
 * The `passwordRevision` check returns for `newPassword`, given the previous inputs:
 *  - the new password unknown (preview): the unknown sentinel, so diff counts a change (an
 *    update plan records it as unknown, which admits the revision the `up` then decides);
 *  - the password changed (see `passwordChanged`): the revision after the previous inputs'
 *    (`revisionAfter`; after `NO_REVISION` when they have none, e.g. a create);
 *  - unchanged: the previous inputs' revision, or `NO_REVISION` when they have none (set
 *    before revisions were recorded).
 * A previous revision that is not a known string cannot come from check, and nothing tells
 * which revision the outputs hold: it counts as changed, with a fresh random revision (the
 * conservative side; no plan is kept over such a state).
 */
export function nextPasswordRevision(
  olds: { password?: unknown; passwordRevision?: unknown } | undefined,
  newPassword: unknown,
): string {
  if (isUnknown(newPassword)) return UNKNOWN;
  const previous = olds?.passwordRevision;
  if (previous === undefined)
    return passwordChanged(olds?.password, newPassword) ? revisionAfter(NO_REVISION) : NO_REVISION;
  if (typeof previous !== "string" || isUnknown(previous)) return freshRevision();
  return passwordChanged(olds?.password, newPassword) ? revisionAfter(previous) : previous;
}
