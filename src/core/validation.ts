/**
 * Input validation for `check`: shape rules only, no I/O. Unknown values (preview) pass
 * untouched: they are validated again once known, before anything changes.
 */
import { InvalidInputError } from "./errors";
import { DEFAULTS, isUnknown, type CheckFailure, type UserPasswordInputs } from "./types";

/** `<region>_<id>`; the region part also admits emulator prefixes such as `local`. */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Cognito's API pattern for usernames: printable, no separators or control characters. */
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const PASSWORD_MAX = 256;
const USERNAME_MAX = 128;
const ON_DELETE = ["scramble", "keep"] as const;

/** The region a pool id names, or undefined for emulator ids (`local_...`). */
export function regionOfUserPoolId(userPoolId: string): string | undefined {
  const prefix = userPoolId.split("_")[0] ?? "";
  return REGION.test(prefix) ? prefix : undefined;
}

type Rule = (value: unknown) => string | undefined;

const requiredString =
  (max: number, extra?: (s: string) => string | undefined): Rule =>
  (value) => {
    if (value === undefined || value === null) return "is required";
    if (typeof value !== "string") return `must be a string, got ${typeName(value)}`;
    if (value.length === 0) return "must not be empty";
    if (value.length > max) return `must be at most ${max} characters, got ${value.length}`;
    return extra?.(value);
  };

const optionalString =
  (extra?: (s: string) => string | undefined): Rule =>
  (value) => {
    if (value === undefined) return undefined;
    if (typeof value !== "string") return `must be a string, got ${typeName(value)}`;
    if (value.length === 0) return "must not be empty when given";
    return extra?.(value);
  };

const optionalBoolean: Rule = (value) =>
  value === undefined || typeof value === "boolean" ? undefined : `must be a boolean, got ${typeName(value)}`;

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const ASSUME_ROLE_STRINGS = ["sessionName", "externalId", "duration", "policy", "sourceIdentity"] as const;
const ASSUME_ROLE_LISTS = ["policyArns", "transitiveTagKeys"] as const;

/**
 * What is wrong with a role to assume in `@pulumi/aws`'s form (`{roleArn, sessionName?,
 * externalId?, duration?, policy?, policyArns?, sourceIdentity?, tags?, transitiveTagKeys?}`),
 * or undefined. Also used for the stack config `aws:assumeRoles` entries.
 */
export function assumeRoleProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return `must be an object with a roleArn, got ${typeName(value)}`;
  // Fields still unknown (preview: a role ARN from a resource not created yet) pass, as inputs do.
  const role = Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([, v]) => !isUnknown(v)),
  ) as Record<string, unknown>;
  if (isUnknown((value as Record<string, unknown>).roleArn)) return undefined;
  if (typeof role.roleArn !== "string" || !ROLE_ARN.test(role.roleArn))
    return `roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${typeof role.roleArn === "string" ? `"${role.roleArn}"` : typeName(role.roleArn)}`;
  for (const key of ASSUME_ROLE_STRINGS)
    if (role[key] !== undefined && typeof role[key] !== "string") return `${key} must be a string`;
  if (typeof role.duration === "string" && !GO_DURATION.test(role.duration))
    return `duration must be a duration such as "1h" or "15m", got "${role.duration}"`;
  for (const key of ASSUME_ROLE_LISTS) {
    const list = role[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((v) => typeof v === "string")))
      return `${key} must be a list of strings`;
  }
  const tags = role.tags;
  if (
    tags !== undefined &&
    (typeof tags !== "object" || tags === null || Object.values(tags).some((v) => typeof v !== "string"))
  )
    return "tags must map strings to strings";
  const known = new Set<string>(["roleArn", "tags", ...ASSUME_ROLE_STRINGS, ...ASSUME_ROLE_LISTS]);
  const unknown = Object.keys(role).filter((k) => !known.has(k));
  return unknown.length > 0 ? `has no field ${unknown.map((k) => `"${k}"`).join(", ")}` : undefined;
}

/** One rule per input; the compiler checks it against `UserPasswordInputs`. */
const RULES = {
  userPoolId: requiredString(55, (s) =>
    USER_POOL_ID.test(s) ? undefined : `must look like <region>_<id> (e.g. us-east-1_AbC123), got "${s}"`,
  ),
  username: requiredString(USERNAME_MAX, (s) =>
    USERNAME.test(s) ? undefined : "must not contain whitespace or control characters",
  ),
  // Never echo the password, not even in part.
  password: (value) => {
    if (value === undefined || value === null) return "is required";
    if (typeof value !== "string") return `must be a string, got ${typeName(value)}`;
    if (value.length === 0) return "must not be empty";
    if (value.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters, got ${value.length}`;
    if (/\s/u.test(value)) return "must not contain whitespace";
    if (/\p{Cc}/u.test(value)) return "must not contain control characters";
    return undefined;
  },
  permanent: optionalBoolean,
  region: optionalString((s) => (REGION.test(s) ? undefined : `must be an AWS region such as us-east-1, got "${s}"`)),
  endpoint: optionalString((s) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      return `must be an http(s) URL, got "${s}"`;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? undefined : `must be an http(s) URL, got "${s}"`;
  }),
  profile: optionalString((s) => (/^\S+$/.test(s) ? undefined : "must not contain whitespace")),
  assumeRole: (value) => (value === undefined ? undefined : assumeRoleProblem(value)),
  onDelete: (value) =>
    value === undefined || (typeof value === "string" && (ON_DELETE as readonly string[]).includes(value))
      ? undefined
      : `must be one of ${ON_DELETE.map((v) => `"${v}"`).join(", ")}`,
  reissueExpiredTemporaryPassword: optionalBoolean,
  allowFederatedUser: optionalBoolean,
  checkPasswordPolicy: optionalBoolean,
  // Check's own revision of the password (see password-change), handed back by the engine
  // in the inputs at times: accepted here (empty means "set before revisions were
  // recorded"), and always overwritten by check, never trusted.
  passwordRevision: (value) =>
    value === undefined || typeof value === "string" ? undefined : `must be a string, got ${typeName(value)}`,
} satisfies Record<keyof UserPasswordInputs, Rule>;

/** Every input has a rule; anything else is refused (a face strips its own engine's properties first). */
const KNOWN_PROPERTIES = new Set<string>(Object.keys(RULES));

/**
 * Validates the shape of every known input. `configuredRegion` is the region the stack
 * would use when the input names none; a pool id of another region is refused.
 */
export function validateInputs(news: Record<string, unknown>, configuredRegion?: string): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [property, rule] of Object.entries(RULES)) {
    const value = news[property];
    if (isUnknown(value)) continue;
    const reason = rule(value);
    if (reason) failures.push({ property, reason });
  }
  for (const property of Object.keys(news)) {
    if (!KNOWN_PROPERTIES.has(property)) failures.push({ property, reason: "is not a UserPassword input" });
  }
  const failed = new Set(failures.map((f) => f.property));

  // Cross-property rules, only on values that are known and individually valid.
  const known = (p: string) => !failed.has(p) && news[p] !== undefined && !isUnknown(news[p]);
  if (known("userPoolId")) {
    const poolRegion = regionOfUserPoolId(news.userPoolId as string);
    const region = known("region") ? (news.region as string) : isUnknown(news.region) ? undefined : configuredRegion;
    if (poolRegion && region && poolRegion !== region) {
      failures.push({
        property: "userPoolId",
        reason: `names region ${poolRegion} but the region in use is ${region}`,
      });
    }
  }
  // permanent defaults to true: an omitted permanent conflicts as an explicit one does (check
  // returns the inputs with the default filled in, and create validates those again).
  if (known("reissueExpiredTemporaryPassword") && (news.permanent === true || news.permanent === undefined)) {
    failures.push({
      property: "reissueExpiredTemporaryPassword",
      reason: "applies only to temporary passwords (permanent: false)",
    });
  }
  return failures;
}

/**
 * The same rules for inputs that must be fully known (create and update): a direct caller gets
 * what check would have said, and a value still unknown is refused. Returns the inputs with
 * defaults filled in; throws `InvalidInputError` naming every failure.
 */
export function validateKnownInputs(
  news: UserPasswordInputs,
  resourceName: string | undefined,
  configuredRegion?: string,
): UserPasswordInputs {
  const failures = validateInputs(news as unknown as Record<string, unknown>, configuredRegion);
  for (const [property, value] of Object.entries(news)) {
    if (isUnknown(value)) failures.push({ property, reason: "is not known yet" });
  }
  if (failures.length > 0) throw new InvalidInputError(failures, resourceName);
  return withDefaults(news);
}

/**
 * Fills in defaults on validated inputs; unknown values stay as they are.
 * `reissueExpiredTemporaryPassword` stays unset so a re-check does not trip the conflict rule.
 */
export function withDefaults(news: UserPasswordInputs): UserPasswordInputs {
  return {
    ...news,
    permanent: news.permanent ?? DEFAULTS.permanent,
    onDelete: news.onDelete ?? DEFAULTS.onDelete,
    allowFederatedUser: news.allowFederatedUser ?? DEFAULTS.allowFederatedUser,
    checkPasswordPolicy: news.checkPasswordPolicy ?? DEFAULTS.checkPasswordPolicy,
  };
}
