/**
 * Plain (resolved) shapes the provider works with. The engine hands the provider these
 * after resolving every `Input<T>`; during preview a value may still be the engine's
 * unknown sentinel (see `isUnknown`).
 */

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** The resource's module and type: its type token is `pulumi-nodejs:dynamic/cognito:UserPassword`. */
export const RESOURCE_MODULE = "cognito";
export const RESOURCE_TYPE = "UserPassword";
export const USER_PASSWORD_TYPE = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}` as const;

/** What happens to the declared password when the resource is deleted. */
export type OnDelete = "scramble" | "keep";

export interface UserPasswordInputs {
  /** Logical name of the resource; set by `UserPassword`, used only in messages. */
  resourceName?: string;
  userPoolId: string;
  username: string;
  password: string;
  permanent?: boolean;
  region?: string;
  endpoint?: string;
  profile?: string;
  onDelete?: OnDelete;
  reissueExpiredTemporaryPassword?: boolean;
  allowFederatedUser?: boolean;
  checkPasswordPolicy?: boolean;
  /**
   * Set by `check` only (any value given is overwritten): a random identifier of the declared
   * password's version, not derived from the password. Kept while the password stays the
   * same, a fresh one when `check` finds it changed (compared in constant time inside the
   * provider), the engine's unknown sentinel while the password is unknown, and `""` for a
   * password set before revisions were recorded. Not secret. Absent (a direct caller of
   * `diff` or `update` that skipped `check`) counts as changed.
   */
  passwordRevision?: string;
}

/** Why a refresh decided the declared password must be set again. */
export type DriftReason = "password-not-permanent" | "reset-required" | "unconfirmed" | "temporary-password-expired";

export interface UserPasswordOutputs {
  resourceName?: string;
  userPoolId: string;
  /** The username as declared (may be an alias or the `sub`). */
  username: string;
  /** The user's real Cognito username (`AdminGetUser.Username`). */
  cognitoUsername: string;
  permanent: boolean;
  /** Cognito `UserStatus` after the last set or refresh. */
  status: string;
  /**
   * Random per-set identifier (not derived from the password): a new one every time this
   * resource sets the password. Absent until this version set it (an import, or the state of
   * a version that kept a password fingerprint instead).
   */
  setId?: string;
  /**
   * The `passwordRevision` input of the last create or update (see `UserPasswordInputs`): the
   * declared password's version this state holds. Absent for a password set before revisions
   * were recorded (an import, or the state of an earlier version), which counts as `""`.
   */
  passwordRevision?: string;
  /** When this provider last set the password (ISO 8601). */
  passwordSetAt: string;
  /** Set by refresh when the user no longer holds the declared password state. */
  drift?: DriftReason;
  region: string;
  endpoint?: string;
  profile?: string;
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

/**
 * A dynamic provider for `UserPassword` with every method present (Pulumi's type makes them
 * optional). `check` takes no previous inputs for a first create (the engine passes `{}`).
 */
export type UserPasswordResourceProvider = Required<
  Omit<dynamic.ResourceProvider<UserPasswordInputs, UserPasswordOutputs>, "check">
> & {
  check(
    olds: Partial<UserPasswordInputs> | undefined,
    news: UserPasswordInputs,
  ): Promise<dynamic.CheckResult<UserPasswordInputs>>;
};
