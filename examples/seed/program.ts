/**
 * Seeds Cognito users with declared passwords: the program behind `npm run demo`.
 *
 * Two targets, chosen by the stack config `seed:target`:
 *  - `aws` (default): creates the user pool, an app client and the users with `@pulumi/aws`, and each
 *    password with `@pulumi/random`'s RandomPassword: what a pipeline runs.
 *  - `local`: the pool and users already exist in a local Cognito emulator (the demo
 *    creates them; `@pulumi/aws` cannot talk to an emulator), named by `seed:userPoolId` and
 *    `seed:endpoint`, and the passwords are secret stack config (`seed:passwords`).
 *
 * `seed:users` lists the users: `[{"username":"alice","permanent":true}, ...]`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { UserPassword } from "pulumi-cognito-user-password";

export interface SeedUser {
  username: string;
  /** Default true. */
  permanent?: boolean;
}

export const DEFAULT_USERS: SeedUser[] = [
  { username: "alice", permanent: true },
  { username: "bob", permanent: true },
  { username: "carol", permanent: false },
];

export interface SeededUser {
  username: pulumi.Output<string>;
  permanent: pulumi.Output<boolean>;
  status: pulumi.Output<string>;
}

export interface SeedOutputs {
  userPoolId: pulumi.Output<string>;
  /** Only when the program creates the pool (target aws). */
  appClientId?: pulumi.Output<string>;
  users: SeededUser[];
}

export function seedProgram(): SeedOutputs {
  const config = new pulumi.Config("seed");
  const target = config.get("target") ?? "aws";
  const users = config.getObject<SeedUser[]>("users") ?? DEFAULT_USERS;
  if (target !== "local" && target !== "aws") throw new Error(`seed:target must be "local" or "aws", got "${target}"`);
  return target === "aws" ? seedAws(users) : seedLocal(config, users);
}

function seedLocal(config: pulumi.Config, users: SeedUser[]): SeedOutputs {
  const userPoolId = config.require("userPoolId");
  const endpoint = config.require("endpoint");
  const passwords = config.requireSecretObject<Record<string, string>>("passwords");
  return {
    userPoolId: pulumi.output(userPoolId),
    users: users.map((u) => {
      const resource = new UserPassword(u.username, {
        userPoolId,
        username: u.username,
        password: passwords.apply((p) => {
          const password = p[u.username];
          if (!password) throw new Error(`seed:passwords has no password for "${u.username}"`);
          return password;
        }),
        permanent: u.permanent ?? true,
        endpoint,
      });
      return { username: resource.username, permanent: resource.permanent, status: resource.status };
    }),
  };
}

function seedAws(users: SeedUser[]): SeedOutputs {
  const pool = new aws.cognito.UserPool("seed", {
    passwordPolicy: {
      minimumLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    },
    adminCreateUserConfig: { allowAdminCreateUserOnly: true },
  });
  const client = new aws.cognito.UserPoolClient("seed", {
    userPoolId: pool.id,
    explicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return {
    userPoolId: pool.id,
    appClientId: client.id,
    users: users.map((u) => {
      const user = new aws.cognito.User(u.username, {
        userPoolId: pool.id,
        username: u.username,
        messageAction: "SUPPRESS",
      });
      const password = new random.RandomPassword(u.username, {
        length: 24,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
        minSpecial: 1,
        overrideSpecial: "!#%&*()-_=+[]{}<>:?",
      });
      const resource = new UserPassword(u.username, {
        userPoolId: pool.id,
        username: user.username,
        password: password.result,
        permanent: u.permanent ?? true,
      });
      return { username: resource.username, permanent: resource.permanent, status: resource.status };
    }),
  };
}
