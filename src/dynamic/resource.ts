/**
 * `UserPassword`: declares an AWS Cognito user's password. Create and update call
 * AdminSetUserPassword; refresh detects a user who no longer holds the declared password
 * state; delete makes the declared password unusable (unless `onDelete: "keep"`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { DriftReason, OnDelete } from "../core/types";
import type { UserPasswordProvider } from "./provider";
import * as providerModule from "./serialized-provider";

/** The resource's module and type: its type token is `pulumi-nodejs:dynamic/cognito:UserPassword`. */
export const RESOURCE_MODULE = "cognito";
export const RESOURCE_TYPE = "UserPassword";
export const USER_PASSWORD_TYPE = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_TYPE}` as const;

/**
 * The provider object, usable without the engine: `check`, `diff`, `create`, `read`,
 * `update`, `delete` on plain inputs, every one present. It is the `dynamic-provider` module
 * itself (see there), which is what Pulumi stores in the state.
 */
export const userPasswordProvider: UserPasswordProvider = providerModule;

export interface UserPasswordArgs {
  /** The user pool, e.g. `us-east-1_AbC123` (or `aws.cognito.UserPool.id`). Changing it replaces the resource. */
  userPoolId: pulumi.Input<string>;
  /** The username, an alias (email, phone) or the user's `sub`. Changing it replaces the resource. */
  username: pulumi.Input<string>;
  /** The password. Always stored as a secret, even when given as a plain string. */
  password: pulumi.Input<string>;
  /** `true` (default): the user signs in with it. `false`: the user must choose a new one at the next sign-in. */
  permanent?: pulumi.Input<boolean>;
  /**
   * AWS region; default: stack config `aws:region`, then `AWS_REGION`/`AWS_DEFAULT_REGION`, then
   * the pool id's region.
   */
  region?: pulumi.Input<string>;
  /**
   * Cognito endpoint URL (e.g. a local emulator); default: the SDK's
   * (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL`).
   */
  endpoint?: pulumi.Input<string>;
  /** AWS shared-config profile; default: stack config `aws:profile`, then the SDK's default chain. */
  profile?: pulumi.Input<string>;
  /**
   * `"scramble"` (default): delete sets a long random password so the declared one stops
   * working. `"keep"`: delete changes nothing.
   */
  onDelete?: pulumi.Input<OnDelete>;
  /** Temporary passwords only: re-issue the password when refresh finds it expired unused (default `true`). */
  reissueExpiredTemporaryPassword?: pulumi.Input<boolean>;
  /** Allow setting a password on a federated (EXTERNAL_PROVIDER) user; AWS advises against it (default `false`). */
  allowFederatedUser?: pulumi.Input<boolean>;
  /**
   * Check the password against the pool's password policy during preview (default `true`;
   * needs cognito-idp:DescribeUserPool).
   */
  checkPasswordPolicy?: pulumi.Input<boolean>;
}

export class UserPassword extends pulumi.dynamic.Resource {
  public static readonly __pulumiType = USER_PASSWORD_TYPE;

  declare public readonly userPoolId: pulumi.Output<string>;
  declare public readonly username: pulumi.Output<string>;
  /** The user's real Cognito username (differs from `username` for aliases and email-as-username pools). */
  declare public readonly cognitoUsername: pulumi.Output<string>;
  declare public readonly permanent: pulumi.Output<boolean>;
  /**
   * After a set, the status AdminSetUserPassword gives the user (`CONFIRMED` for a permanent
   * password, `FORCE_CHANGE_PASSWORD` for a temporary one); after a refresh, the `UserStatus`
   * Cognito reports.
   */
  declare public readonly status: pulumi.Output<string>;
  /** When the password was last set by this resource (ISO 8601). */
  declare public readonly passwordSetAt: pulumi.Output<string>;
  /** Why the last refresh found the user out of the declared state; the next `up` sets the password again. */
  declare public readonly drift: pulumi.Output<DriftReason | undefined>;
  /** Random identifier of the last set (not derived from the password); changes with every set. */
  declare public readonly setId: pulumi.Output<string | undefined>;
  /**
   * Random identifier of the declared password's version (not derived from the password): a
   * new one when a deployment finds the password changed; empty for a password set before
   * revisions were recorded.
   */
  declare public readonly passwordRevision: pulumi.Output<string | undefined>;
  declare public readonly onDelete: pulumi.Output<OnDelete>;

  constructor(name: string, args: UserPasswordArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, pulumi.Input<unknown>> = {
      ...args,
      resourceName: name,
      password: pulumi.secret(args.password),
      cognitoUsername: undefined,
      status: undefined,
      passwordSetAt: undefined,
      drift: undefined,
      setId: undefined,
      passwordRevision: undefined,
    };
    // No output is derived from the password, so none needs `additionalSecretOutputs`.
    super(userPasswordProvider, name, props, opts, RESOURCE_MODULE, RESOURCE_TYPE);
  }
}
