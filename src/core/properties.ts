/**
 * Every input and output of `UserPassword`, described once: the plugin's schema is built from
 * these, the README's tables are generated from them (scripts/doc-tables.ts), and the dynamic
 * resource's TSDoc is tested against them.
 */
import { DEFAULTS, type UserPasswordInputs, type UserPasswordOutputs } from "./types";

export type PropertyType = "string" | "boolean" | "object";

export interface PropertySpec {
  type: PropertyType;
  description: string;
  secret?: true;
  /** The allowed values, when the input is one of a few strings. */
  enum?: readonly string[];
  /** For an `object`: the name of its type in the schema (e.g. `AssumeRole`, see `OBJECT_TYPES`). */
  objectType?: keyof typeof OBJECT_TYPES;
  /** What an omitted optional input means (documentation only: the core fills it in). */
  default?: string | boolean;
  /**
   * false: the default holds only when another input allows it, so the plugin's schema carries
   * none. The generated SDKs send a schema default as if the program had declared it, and the
   * core refuses this input given explicitly where it does not apply.
   */
  schemaDefault?: false;
}

/** The object types properties refer to, field by field (`@pulumi/aws`'s `ProviderAssumeRole`). */
export const OBJECT_TYPES = {
  AssumeRole: {
    description: "A role to assume, in the form of `@pulumi/aws`'s `assumeRoles` entries.",
    required: ["roleArn"],
    properties: {
      roleArn: { type: "string", description: "The ARN of the IAM role to assume." },
      sessionName: { type: "string", description: "The role session's name (default `pulumi-cognito-user-password`)." },
      externalId: { type: "string", description: "The external id the role's trust policy may require." },
      duration: { type: "string", description: 'How long the session lasts, e.g. `"1h"` (default: STS\'s, one hour).' },
      policy: { type: "string", description: "An IAM policy (JSON) further restricting the session." },
      policyArns: {
        type: "array",
        items: { type: "string" },
        description: "ARNs of IAM policies further restricting the session.",
      },
      sourceIdentity: { type: "string", description: "The source identity of the session." },
      tags: { type: "object", additionalProperties: { type: "string" }, description: "Session tags." },
      transitiveTagKeys: {
        type: "array",
        items: { type: "string" },
        description: "Session tag keys passed on to later sessions.",
      },
    },
  },
} as const;

/** The inputs a program declares (`passwordRevision` is the core's own: check sets it). */
export type DeclaredInput = Exclude<keyof UserPasswordInputs, "passwordRevision">;

export const INPUTS = {
  userPoolId: {
    type: "string",
    description: "The user pool, `<region>_<id>` (e.g. `us-east-1_AbC123`). Changing it replaces the resource.",
  },
  username: {
    type: "string",
    description:
      "The username, an alias (email, phone) or the user's `sub`, 1-128 characters. Changing it replaces the resource.",
  },
  password: {
    type: "string",
    secret: true,
    description:
      "The password: 1-256 characters, no whitespace or control characters, and the pool's policy. Always secret.",
  },
  permanent: {
    type: "boolean",
    default: DEFAULTS.permanent,
    description:
      "`true` (default): the user signs in with it. `false`: temporary; the user must choose a new password at the next sign-in.",
  },
  region: {
    type: "string",
    description:
      "AWS region; default: the configured region (`aws:region`, or the provider's `region`), then `AWS_REGION` / `AWS_DEFAULT_REGION`, then the pool id's region.",
  },
  endpoint: {
    type: "string",
    description:
      "Cognito endpoint URL, e.g. a local emulator; default: the AWS SDK's (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL`).",
  },
  profile: {
    type: "string",
    description:
      "AWS shared-config profile; default: the configured profile (`aws:profile`, or the provider's `profile`), then the AWS SDK's default chain.",
  },
  assumeRole: {
    type: "object",
    objectType: "AssumeRole",
    description:
      "A role to assume for this resource's calls (`@pulumi/aws`'s `assumeRoles` entry form: `roleArn`, `sessionName`, `externalId`, `duration`, ...), from the default credentials; default: the stack config `aws:assumeRoles` (a chain) or `aws:assumeRole`, else none.",
  },
  onDelete: {
    type: "string",
    enum: ["scramble", "keep"],
    default: DEFAULTS.onDelete,
    description:
      'What delete does: `"scramble"` (default) sets a long random password so the declared one stops working; `"keep"` changes nothing.',
  },
  reissueExpiredTemporaryPassword: {
    type: "boolean",
    default: DEFAULTS.reissueExpiredTemporaryPassword,
    // Given with a permanent password it is refused, which a Python or Go SDK filling it in would do.
    schemaDefault: false,
    description:
      "Temporary passwords only: set the password again when refresh finds it expired unused (default `true`).",
  },
  allowFederatedUser: {
    type: "boolean",
    default: DEFAULTS.allowFederatedUser,
    description:
      "Allow setting a password on a federated (`EXTERNAL_PROVIDER`) user; AWS advises against it (default `false`).",
  },
  checkPasswordPolicy: {
    type: "boolean",
    default: DEFAULTS.checkPasswordPolicy,
    description:
      "Check the password against the pool's password policy during preview (default `true`; needs `cognito-idp:DescribeUserPool`).",
  },
} as const satisfies Record<DeclaredInput, PropertySpec>;

export const REQUIRED_INPUTS = ["userPoolId", "username", "password"] as const satisfies readonly DeclaredInput[];

export const OUTPUTS = {
  userPoolId: { type: "string", description: "The user pool, as declared." },
  username: { type: "string", description: "The username as declared (may be an alias or the `sub`)." },
  cognitoUsername: {
    type: "string",
    description: "The user's real Cognito username (differs from `username` for aliases and email-as-username pools).",
  },
  permanent: { type: "boolean", description: "Whether the declared password is permanent, as declared." },
  status: {
    type: "string",
    description:
      "After a set: the status AdminSetUserPassword gives the user (`CONFIRMED` for a permanent password, `FORCE_CHANGE_PASSWORD` for a temporary one); after a refresh: the `UserStatus` Cognito reports.",
  },
  setId: {
    type: "string",
    description:
      "A random identifier (128 bits, hex) made at every set, not derived from the password; absent after an import until the first set.",
  },
  passwordRevision: {
    type: "string",
    description:
      "An identifier (128 bits, hex) of the declared password's version: the next one is derived from the previous one when the password changes (so an update plan's preview and `up` agree), never from the password; absent after an import until the first set.",
  },
  passwordSetAt: { type: "string", description: "When this resource last set the password (ISO 8601)." },
  drift: {
    type: "string",
    enum: ["password-not-permanent", "reset-required", "unconfirmed", "temporary-password-expired"],
    description: "Only when refresh found the user out of the declared state; the next `up` sets the password again.",
  },
  region: { type: "string", description: "The region in use at the last set; refresh and destroy use it." },
  endpoint: {
    type: "string",
    description: "The endpoint in use at the last set, when one was given; refresh and destroy use it.",
  },
  profile: {
    type: "string",
    description: "The profile in use at the last set, when one was given; refresh and destroy use it.",
  },
  assumeRole: {
    type: "object",
    objectType: "AssumeRole",
    description: "The role assumed at the last set, when the input named one; refresh and destroy use it.",
  },
  onDelete: { type: "string", enum: ["scramble", "keep"], description: "What delete does, as declared." },
  reissueExpiredTemporaryPassword: {
    type: "boolean",
    description: "Whether an expired temporary password is set again, as declared.",
  },
  allowFederatedUser: {
    type: "boolean",
    description: "Whether a federated user may be given a password, as declared.",
  },
} as const satisfies Record<keyof UserPasswordOutputs, PropertySpec>;

/** Outputs every resource has; the others appear only under the condition their description states. */
export const REQUIRED_OUTPUTS = [
  "userPoolId",
  "username",
  "cognitoUsername",
  "permanent",
  "status",
  "passwordSetAt",
  "region",
  "onDelete",
  "reissueExpiredTemporaryPassword",
  "allowFederatedUser",
] as const satisfies ReadonlyArray<keyof UserPasswordOutputs>;

/** The provider's own configuration (`cognito-user-password:region`, ...): defaults for every resource. */
export const PROVIDER_CONFIG = {
  region: { type: "string", description: "The AWS region for resources that name none." },
  endpoint: { type: "string", description: "The Cognito endpoint URL for resources that name none." },
  profile: { type: "string", description: "The AWS shared-config profile for resources that name none." },
  assumeRole: {
    type: "object",
    objectType: "AssumeRole",
    description:
      "A role to assume, from the default credentials, for resources that name none (the `assumeRole` input's form); a resource's own `assumeRole` replaces it.",
  },
} as const satisfies Record<"region" | "endpoint" | "profile" | "assumeRole", PropertySpec>;
