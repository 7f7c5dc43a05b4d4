/**
 * The diff rules: which input changes replace the resource, which update it, and which are
 * ignored. The password itself is never compared here: `check` compared the old and new
 * passwords and handed the answer over as the input `passwordRevision` (see password-change),
 * which diff compares with the revision the outputs recorded at the last set.
 */
import { NO_REVISION } from "./password-change";
import { DEFAULTS, isUnknown, type DiffResult, type UserPasswordInputs, type UserPasswordOutputs } from "./types";

/**
 * What a change of each input means; the compiler checks that every input has a group.
 *  - replace: a different pool or user is a different resource;
 *  - set: the password must be set again (`passwordRevision` is how `password` is compared);
 *  - option: changes how later operations behave; applied without an API call;
 *  - ignored: where and how to connect: never a change on their own.
 */
export const DIFF_GROUPS = {
  userPoolId: "replace",
  username: "replace",
  password: "set",
  passwordRevision: "set",
  permanent: "set",
  onDelete: "option",
  reissueExpiredTemporaryPassword: "option",
  allowFederatedUser: "option",
  region: "ignored",
  endpoint: "ignored",
  profile: "ignored",
  assumeRole: "ignored",
  checkPasswordPolicy: "ignored",
} as const satisfies Record<keyof UserPasswordInputs, "replace" | "set" | "option" | "ignored">;

type Group = (typeof DIFF_GROUPS)[keyof typeof DIFF_GROUPS];
type InGroup<G extends Group> = {
  [K in keyof typeof DIFF_GROUPS]: (typeof DIFF_GROUPS)[K] extends G ? K : never;
}[keyof typeof DIFF_GROUPS];

function inGroup<G extends Group>(group: G): Array<InGroup<G>> {
  return (Object.keys(DIFF_GROUPS) as Array<keyof typeof DIFF_GROUPS>).filter(
    (p): p is InGroup<G> => DIFF_GROUPS[p] === group,
  );
}

const REPLACE_PROPERTIES = inGroup("replace");
const OPTION_PROPERTIES = inGroup("option");

/**
 * Decides the diff. `olds` are the stored outputs (after any refresh); `news` the inputs as
 * `check` returned them, or, in a refresh, the stored inputs. The password needs a set when
 * `news.passwordRevision` differs from the revision the outputs recorded (`""` when they
 * recorded none: set before revisions were recorded), is unknown (preview), or is missing (a
 * caller that skipped check: counted as changed), or when refresh found drift.
 */
export function decideDiff(olds: Partial<UserPasswordOutputs>, news: UserPasswordInputs): DiffResult {
  const replaces = REPLACE_PROPERTIES.filter((p) => isUnknown(news[p]) || news[p] !== olds[p]);

  const sets: string[] = [];
  const revision = news.passwordRevision;
  if (
    revision === undefined ||
    isUnknown(revision) ||
    isUnknown(news.password) ||
    revision !== (olds.passwordRevision ?? NO_REVISION)
  ) {
    sets.push("password");
  } else if (olds.drift) {
    // Refresh found the user no longer in the declared state: set the same password again.
    sets.push("password");
  }
  const permanent = news.permanent ?? DEFAULTS.permanent;
  if (isUnknown(permanent) || permanent !== olds.permanent) sets.push("permanent");

  const options = OPTION_PROPERTIES.filter((p) => {
    const value = news[p];
    if (isUnknown(value)) return true;
    return (value ?? DEFAULTS[p]) !== (olds[p] ?? DEFAULTS[p]);
  });
  const changed = replaces.length + sets.length + options.length;
  // Create the new user's password before scrambling the old one's.
  return { changes: changed > 0, replaces: [...replaces], sets, options: [...options], deleteBeforeReplace: false };
}
