/**
 * The core's own vocabulary: the resource's inputs and outputs as plain (resolved) values, the
 * defaults, the engine's unknown sentinel, and the request and result of each operation. Both
 * faces (the dynamic resource and the provider plugin) translate their engine's calls into
 * these; nothing here knows which face called.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** What happens to the declared password when the resource is deleted. */
export type OnDelete = "scramble" | "keep";

/** Why a refresh decided the declared password must be set again. */
export type DriftReason = "password-not-permanent" | "reset-required" | "unconfirmed" | "temporary-password-expired";

/**
 * A `UserPassword`'s inputs after the engine resolved them. During preview any value may
 * still be the engine's unknown sentinel (see `isUnknown`). Each is described in `properties`.
 */
export interface UserPasswordInputs {
  userPoolId: string;
  username: string;
  password: string;
  permanent?: boolean;
  region?: string;
  endpoint?: string;
  profile?: string;
  assumeRole?: AssumeRole;
  onDelete?: OnDelete;
  reissueExpiredTemporaryPassword?: boolean;
  allowFederatedUser?: boolean;
  checkPasswordPolicy?: boolean;
  /**
   * Set by `check` only (any value given is overwritten): an identifier of the declared
   * password's version, never derived from the password. Kept while the password stays the
   * same, the next one (derived from the previous one alone, see password-change) when
   * `check` finds it changed (compared in constant time inside the provider), the engine's
   * unknown sentinel while the password is unknown, and `""` for a password set before
   * revisions were recorded. Not secret. Absent (a direct caller of `diff` or `update` that
   * skipped `check`) counts as changed.
   */
  passwordRevision?: string;
}

/**
 * A role to assume, in `@pulumi/aws`'s form (its provider's `assumeRoles` entries): STS
 * AssumeRole's parameters; `duration` is a Go duration (`"1h"`, `"15m"`).
 */
export interface AssumeRole {
  roleArn: string;
  sessionName?: string;
  externalId?: string;
  duration?: string;
  policy?: string;
  policyArns?: string[];
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
}

/** A `UserPassword`'s outputs; each is described in `properties`. */
export interface UserPasswordOutputs {
  userPoolId: string;
  username: string;
  cognitoUsername: string;
  permanent: boolean;
  status: string;
  setId?: string;
  passwordRevision?: string;
  passwordSetAt: string;
  drift?: DriftReason;
  region: string;
  endpoint?: string;
  profile?: string;
  assumeRole?: AssumeRole;
  onDelete: OnDelete;
  reissueExpiredTemporaryPassword: boolean;
  allowFederatedUser: boolean;
}

/** What an omitted optional input means; the one place these defaults are stated. */
export const DEFAULTS = {
  permanent: true,
  onDelete: "scramble",
  reissueExpiredTemporaryPassword: true,
  allowFederatedUser: false,
  checkPasswordPolicy: true,
} as const satisfies Required<
  Pick<
    UserPasswordInputs,
    "permanent" | "onDelete" | "reissueExpiredTemporaryPassword" | "allowFederatedUser" | "checkPasswordPolicy"
  >
>;

/** The engine's placeholder for a value that is not known yet (preview), as Pulumi's SDK defines it. */
export const UNKNOWN: string = unknownValue;

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** One refused input: the property and why, never the value of a secret. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * Every request names the resource as the face knows it (the dynamic resource's logical
 * name, the plugin's URN name), for messages and for telling two resources of one deployment
 * apart; `undefined` when a direct caller gave none.
 */
interface Named {
  name: string | undefined;
}

export interface CheckRequest extends Named {
  /** The previous inputs; `undefined` or `{}` for a first create. */
  olds: Partial<UserPasswordInputs> | undefined;
  /** The new inputs, not yet validated: any property may be missing, mistyped or unknown. */
  news: Record<string, unknown>;
}

/** Either the checked inputs (defaults filled in, `passwordRevision` decided) or why they are refused. */
export type CheckResult =
  { inputs: UserPasswordInputs; failures?: undefined } | { failures: CheckFailure[]; inputs?: undefined };

export interface DiffRequest extends Named {
  id: string;
  /** The stored outputs (after any refresh). */
  olds: Partial<UserPasswordOutputs>;
  /** The checked inputs, or, in a refresh, the stored inputs. */
  news: UserPasswordInputs;
}

export interface DiffResult {
  changes: boolean;
  /** Inputs whose change replaces the resource. */
  replaces: string[];
  /** Inputs whose change sets the password again (`password`, `permanent`). */
  sets: string[];
  /** Options that changed; applied without a Cognito call. */
  options: string[];
  /** Always false: the new user's password is set before the old one is scrambled. */
  deleteBeforeReplace: boolean;
}

export interface CreateRequest extends Named {
  inputs: UserPasswordInputs;
}

export interface CreateResult {
  /** `<userPoolId>/<username>`. */
  id: string;
  outputs: UserPasswordOutputs;
}

export interface ReadRequest extends Named {
  id: string;
  /**
   * The stored outputs; absent or empty when the engine knows only the id (an import). May be
   * a resource's inputs instead (the engine hands those at times): only declared outputs are read.
   */
  outputs: Partial<UserPasswordOutputs> | undefined;
}

/** The user's current state, or `{}` when the user or the pool is gone. */
export type ReadResult = { id: string; outputs: UserPasswordOutputs } | { id?: undefined; outputs?: undefined };

export interface UpdateRequest extends Named {
  id: string;
  olds: UserPasswordOutputs;
  news: UserPasswordInputs;
}

export interface UpdateResult {
  outputs: UserPasswordOutputs;
}

export interface DeleteRequest extends Named {
  id: string;
  outputs: UserPasswordOutputs;
}

/** The stack configuration a face hands the core (`aws:region`, `aws:profile`, ...). */
export interface StackConfig {
  get(key: string): string | undefined;
}
