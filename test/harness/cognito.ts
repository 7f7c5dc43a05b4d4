/**
 * Cognito fixtures for tests and benchmarks, against an emulator endpoint: clients with dummy
 * credentials, pools with an app client, users, admin calls, and signing in as an app does.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AttributeType,
  type PasswordPolicyType,
  type UsernameAttributeType,
} from "@aws-sdk/client-cognito-identity-provider";

export const REGION = "us-east-1";

/**
 * Dummy credentials and region for every SDK client in this process, the provider's
 * included (it uses the SDK's default chain). Tests never talk to AWS: every call has an
 * explicit emulator endpoint, and these keys are worthless anyway.
 */
export function useDummyAwsEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = "testing";
  process.env.AWS_SECRET_ACCESS_KEY = "testing";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = REGION;
  process.env.AWS_EC2_METADATA_DISABLED = "true";
}

export function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    // cognito-local answers unsupported operations with HTTP 500, which the SDK would retry.
    maxAttempts: 1,
  });
}

/** A short random suffix for names. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/**
 * Symbols every test password carries: each one changes the password's JSON-escaped (`"` `\`),
 * URL- or form-encoded (all of them) or shell-expanded (`$`) form, so the secret scanner's
 * escaped and encoded forms, and the provider's redaction of them, are exercised by every
 * test, not only by the scanner's own. Cognito accepts them all (its symbol set).
 */
export const AWKWARD_SYMBOLS = `"\\%+/=$`;

/**
 * A password that satisfies every policy class (and moto's strict default policy), 27
 * characters (moto refuses 99 and more), with every one of `AWKWARD_SYMBOLS`.
 */
export function strongPassword(): string {
  const random = randomBytes(9).toString("base64url").replace(/[-_]/g, "x");
  return `Pw1!${random.slice(0, 6)}${AWKWARD_SYMBOLS}${random.slice(6)}aZ9#`;
}

/** A policy stricter than the default: 16 characters and every character class. */
export const STRICT_PASSWORD_POLICY: PasswordPolicyType = {
  MinimumLength: 16,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

export interface PoolOptions {
  passwordPolicy?: PasswordPolicyType;
  usernameAttributes?: UsernameAttributeType[];
}

export interface Pool {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
  /** An app client allowing admin and user password sign-in and refresh. */
  clientId: string;
}

/** Creates a pool with its own app client. The default policy accepts `strongPassword()`. */
export async function createPool(endpoint: string, options: PoolOptions = {}): Promise<Pool> {
  const client = cognitoClient(endpoint);
  const out = await client.send(
    new CreateUserPoolCommand({
      PoolName: uniqueName("pool"),
      ...(options.passwordPolicy ? { Policies: { PasswordPolicy: options.passwordPolicy } } : {}),
      ...(options.usernameAttributes ? { UsernameAttributes: options.usernameAttributes } : {}),
    }),
  );
  const userPoolId = out.UserPool?.Id;
  if (!userPoolId) throw new Error("CreateUserPool returned no pool id");
  const clientId = await createAppClient(client, userPoolId);
  return { client, userPoolId, clientId };
}

export async function createAppClient(client: CognitoIdentityProviderClient, userPoolId: string): Promise<string> {
  const out = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: uniqueName("client"),
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  const clientId = out.UserPoolClient?.ClientId;
  if (!clientId) throw new Error("CreateUserPoolClient returned no client id");
  return clientId;
}

export async function deletePool(pool: Pool): Promise<void> {
  await pool.client.send(new DeleteUserPoolCommand({ UserPoolId: pool.userPoolId }));
}

export interface CreatedUser {
  /** The username given to AdminCreateUser (an email in email-as-username pools). */
  username: string;
  /** The user's real username as AdminGetUser reports it. */
  cognitoUsername: string;
  sub: string | undefined;
}

/** AdminCreateUser without any message; the user starts in FORCE_CHANGE_PASSWORD. */
export async function createUser(
  pool: Pool,
  username: string = uniqueName("user"),
  attributes: Record<string, string> = {},
): Promise<CreatedUser> {
  const userAttributes: AttributeType[] = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
  const out = await pool.client.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.userPoolId,
      Username: username,
      MessageAction: "SUPPRESS",
      TemporaryPassword: strongPassword(),
      ...(userAttributes.length > 0 ? { UserAttributes: userAttributes } : {}),
    }),
  );
  const cognitoUsername = out.User?.Username ?? username;
  const sub = out.User?.Attributes?.find((a) => a.Name === "sub")?.Value;
  return { username, cognitoUsername, sub };
}

export async function deleteUser(pool: Pool, username: string): Promise<void> {
  await pool.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
}

export interface UserState {
  username: string;
  status: string;
  lastModified: Date | undefined;
}

export async function getUser(pool: Pool, username: string): Promise<UserState> {
  const out = await pool.client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
  return {
    username: out.Username ?? username,
    status: out.UserStatus ?? "UNKNOWN",
    lastModified: out.UserLastModifiedDate,
  };
}

export async function getUserStatus(pool: Pool, username: string): Promise<string> {
  return (await getUser(pool, username)).status;
}

/** An out-of-band AdminSetUserPassword, as an administrator outside the stack would do. */
export async function adminSetPassword(
  pool: Pool,
  username: string,
  password: string,
  permanent: boolean,
): Promise<void> {
  await pool.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.userPoolId,
      Username: username,
      Password: password,
      Permanent: permanent,
    }),
  );
}

/** AdminResetUserPassword: the user goes to RESET_REQUIRED (needs a verified email or phone on moto). */
export async function adminResetPassword(pool: Pool, username: string): Promise<void> {
  await pool.client.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: username }));
}

export type SignInOutcome = "tokens" | "NEW_PASSWORD_REQUIRED" | "refused";

/** Errors that mean "these credentials do not sign in" (cognito-local says InvalidPassword). */
const REFUSALS = new Set([
  "NotAuthorizedException",
  "InvalidPasswordException",
  "PasswordResetRequiredException",
  "UserNotConfirmedException",
  "UserNotFoundException",
]);

/** AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH. Any other failure is thrown. */
export async function signIn(pool: Pool, username: string, password: string): Promise<SignInOutcome> {
  try {
    const out = await pool.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId,
        ClientId: pool.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    if (out.AuthenticationResult?.AccessToken) return "tokens";
    if (out.ChallengeName === "NEW_PASSWORD_REQUIRED") return "NEW_PASSWORD_REQUIRED";
    throw new Error(
      `AdminInitiateAuth answered neither tokens nor NEW_PASSWORD_REQUIRED: ${out.ChallengeName ?? "(nothing)"}`,
    );
  } catch (err) {
    if (err instanceof Error && REFUSALS.has(err.name)) return "refused";
    throw err;
  }
}

/**
 * The user's side of a temporary password: sign in with it (InitiateAuth, USER_PASSWORD_AUTH),
 * get NEW_PASSWORD_REQUIRED, answer it with `newPassword` (RespondToAuthChallenge).
 * Returns true when tokens were issued.
 */
export async function answerNewPasswordRequired(
  pool: Pool,
  username: string,
  temporaryPassword: string,
  newPassword: string,
): Promise<boolean> {
  const start = await pool.client.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: temporaryPassword },
    }),
  );
  if (start.ChallengeName !== "NEW_PASSWORD_REQUIRED" || !start.Session) {
    throw new Error(
      `expected NEW_PASSWORD_REQUIRED, got ${start.ChallengeName ?? (start.AuthenticationResult ? "tokens" : "nothing")}`,
    );
  }
  const out = await pool.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: pool.clientId,
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: start.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    }),
  );
  return Boolean(out.AuthenticationResult?.AccessToken);
}

/** A fresh id for a resource name, so messages can be checked for it. */
export function resourceName(prefix = "res"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

// ---- password leak checks (the encodings live in ./secret-scanner, the one scanner of all tests) ----
