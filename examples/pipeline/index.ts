// Declared passwords for existing users of an existing pool, as a pipeline deploys them.
// Everything comes from the stack's config file (Pulumi.<stack>.yaml, committed):
//
//   pulumi config set userPoolId us-east-1_AbC123
//   pulumi config set --path users.alice.permanent true
//   pulumi config set --path users.bob.permanent false            # bob must choose a new one
//   pulumi config set --secret --path passwords.alice '<password>'
//   pulumi config set --secret --path passwords.bob '<password>'
//
// A new user is a new entry in `users` and `passwords`; a new password, a new `passwords` value.
// `endpoint` (optional) points at a local Cognito emulator; leave it unset on AWS.
import * as pulumi from "@pulumi/pulumi";
import { UserPassword } from "pulumi-cognito-user-password";

interface UserSettings {
  /** false: a temporary password, which the user must change at the first sign-in. */
  permanent?: boolean;
}

const config = new pulumi.Config();
const userPoolId = config.require("userPoolId");
const endpoint = config.get("endpoint");
const users = config.requireObject<Record<string, UserSettings>>("users");
const passwords = config.requireSecretObject<Record<string, string>>("passwords");

const statuses: Record<string, pulumi.Output<string>> = {};
for (const [username, settings] of Object.entries(users)) {
  const password = passwords.apply((all) => {
    const value = all[username];
    if (value === undefined)
      throw new Error(`no password for user ${username}: pulumi config set --secret --path passwords.${username} ...`);
    return value;
  });
  const user = new UserPassword(username, {
    userPoolId,
    username,
    password,
    permanent: settings.permanent ?? true,
    endpoint,
  });
  statuses[username] = user.status;
}

export const userStatuses = statuses;

// The seeded users' passwords, for the pipeline's own tests (sign-in, smoke tests):
//   pulumi stack output seededPasswords --show-secrets --json
// A secret output: encrypted in the state like the config it comes from, printed as
// [secret] unless --show-secrets is given.
export const seededPasswords = pulumi.secret(
  passwords.apply((all) => Object.fromEntries(Object.keys(users).map((username) => [username, all[username] ?? ""]))),
);
