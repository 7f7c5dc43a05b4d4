/**
 * `UserPassword`: declares an AWS Cognito user's password. Create and update call
 * AdminSetUserPassword; refresh detects a user who no longer holds the declared password
 * state; delete makes the declared password unusable (unless `onDelete: "keep"`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AssumeRole, DriftReason, OnDelete } from "../core/types";
import { OUTPUTS } from "../core/properties";
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

/** A role to assume, in `@pulumi/aws`'s form (its provider's `assumeRoles` entries); each field may be an Output. */
export type AssumeRoleArgs = { [K in keyof AssumeRole]: pulumi.Input<AssumeRole[K]> };

/**
 * The inputs of a {@link UserPassword}. Each is described once, in `src/core/properties.ts`;
 * `test/unit/properties.test.ts` holds these comments against it.
 */
export interface UserPasswordArgs {
  /** The user pool, `<region>_<id>` (e.g. `us-east-1_AbC123`). Changing it replaces the resource. */
  userPoolId: pulumi.Input<string>;
  /** The username, an alias (email, phone) or the user's `sub`, 1-128 characters. Changing it replaces the resource. */
  username: pulumi.Input<string>;
  /** The password: 1-256 characters, no whitespace or control characters, and the pool's policy. Always secret. */
  password: pulumi.Input<string>;
  /**
   * `true` (default): the user signs in with it. `false`: temporary; the user must choose a new
   * password at the next sign-in.
   */
  permanent?: pulumi.Input<boolean>;
  /**
   * AWS region; default: the configured region (`aws:region`, or the provider's `region`), then
   * `AWS_REGION` / `AWS_DEFAULT_REGION`, then the pool id's region.
   */
  region?: pulumi.Input<string>;
  /**
   * Cognito endpoint URL, e.g. a local emulator; default: the AWS SDK's
   * (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL`).
   */
  endpoint?: pulumi.Input<string>;
  /**
   * AWS shared-config profile; default: the configured profile (`aws:profile`, or the provider's
   * `profile`), then the AWS SDK's default chain.
   */
  profile?: pulumi.Input<string>;
  /**
   * A role to assume for this resource's calls (`@pulumi/aws`'s `assumeRoles` entry form:
   * `roleArn`, `sessionName`, `externalId`, `duration`, ...), from the default credentials;
   * default: the stack config `aws:assumeRoles` (a chain) or `aws:assumeRole`, else none.
   */
  assumeRole?: pulumi.Input<AssumeRoleArgs>;
  /**
   * What delete does: `"scramble"` (default) sets a long random password so the declared one stops
   * working; `"keep"` changes nothing.
   */
  onDelete?: pulumi.Input<OnDelete>;
  /** Temporary passwords only: set the password again when refresh finds it expired unused (default `true`). */
  reissueExpiredTemporaryPassword?: pulumi.Input<boolean>;
  /** Allow setting a password on a federated (`EXTERNAL_PROVIDER`) user; AWS advises against it (default `false`). */
  allowFederatedUser?: pulumi.Input<boolean>;
  /**
   * Check the password against the pool's password policy during preview (default `true`; needs
   * `cognito-idp:DescribeUserPool`).
   */
  checkPasswordPolicy?: pulumi.Input<boolean>;
}

/**
 * An AWS Cognito user's password, declared: create and update set it with
 * AdminSetUserPassword (permanent or temporary), refresh finds a user who no longer holds it,
 * delete scrambles it (unless `onDelete: "keep"`). The password is always a secret input;
 * no output is derived from it.
 *
 * ```ts
 * new UserPassword("alice", { userPoolId: pool.id, username: "alice", password: alicePassword.result });
 * ```
 */
export class UserPassword extends pulumi.dynamic.Resource {
  /** The resource's type token, `pulumi-nodejs:dynamic/cognito:UserPassword`. */
  public static readonly __pulumiType = USER_PASSWORD_TYPE;

  /** The user pool, as declared. */
  declare public readonly userPoolId: pulumi.Output<string>;
  /** The username as declared (may be an alias or the `sub`). */
  declare public readonly username: pulumi.Output<string>;
  /** The user's real Cognito username (differs from `username` for aliases and email-as-username pools). */
  declare public readonly cognitoUsername: pulumi.Output<string>;
  /** Whether the declared password is permanent, as declared. */
  declare public readonly permanent: pulumi.Output<boolean>;
  /**
   * After a set: the status AdminSetUserPassword gives the user (`CONFIRMED` for a permanent password,
   * `FORCE_CHANGE_PASSWORD` for a temporary one); after a refresh: the `UserStatus` Cognito reports.
   */
  declare public readonly status: pulumi.Output<string>;
  /**
   * A random identifier (128 bits, hex) made at every set, not derived from the password; absent after
   * an import until the first set.
   */
  declare public readonly setId: pulumi.Output<string | undefined>;
  /**
   * An identifier (128 bits, hex) of the declared password's version: the next one is derived from
   * the previous one when the password changes (so an update plan's preview and `up` agree), never
   * from the password; absent after an import until the first set.
   */
  declare public readonly passwordRevision: pulumi.Output<string | undefined>;
  /** When this resource last set the password (ISO 8601). */
  declare public readonly passwordSetAt: pulumi.Output<string>;
  /** Only when refresh found the user out of the declared state; the next `up` sets the password again. */
  declare public readonly drift: pulumi.Output<DriftReason | undefined>;
  /** The region in use at the last set; refresh and destroy use it. */
  declare public readonly region: pulumi.Output<string>;
  /** The endpoint in use at the last set, when one was given; refresh and destroy use it. */
  declare public readonly endpoint: pulumi.Output<string | undefined>;
  /** The profile in use at the last set, when one was given; refresh and destroy use it. */
  declare public readonly profile: pulumi.Output<string | undefined>;
  /** The role assumed at the last set, when the input named one; refresh and destroy use it. */
  declare public readonly assumeRole: pulumi.Output<AssumeRole | undefined>;
  /** What delete does, as declared. */
  declare public readonly onDelete: pulumi.Output<OnDelete>;
  /** Whether an expired temporary password is set again, as declared. */
  declare public readonly reissueExpiredTemporaryPassword: pulumi.Output<boolean>;
  /** Whether a federated user may be given a password, as declared. */
  declare public readonly allowFederatedUser: pulumi.Output<boolean>;

  /**
   * @param name The resource's logical name; it is also kept as the output `resourceName`
   *   and named in every error message.
   * @param args The declared password and user; see {@link UserPasswordArgs}.
   * @param opts Pulumi's resource options (`aliases`, `ignoreChanges`, `dependsOn`, ...).
   */
  constructor(name: string, args: UserPasswordArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output is registered (undefined until the provider answers), then the declared inputs.
    const outputs = Object.fromEntries(Object.keys(OUTPUTS).map((key) => [key, undefined]));
    const props: Record<string, pulumi.Input<unknown>> = {
      ...outputs,
      ...args,
      resourceName: name,
      password: pulumi.secret(args.password),
    };
    // No output is derived from the password, so none needs `additionalSecretOutputs`.
    super(userPasswordProvider, name, props, opts, RESOURCE_MODULE, RESOURCE_TYPE);
  }
}
