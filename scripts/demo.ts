/**
 * `npm run demo`: seeds users with declared passwords through the real Pulumi engine,
 * against an embedded local Cognito (cognito-local), then signs each user in and prints what
 * happened. State (the emulator's data, the Pulumi backend, the stack's encrypted config)
 * lives in .tmp/demo, so a second run reports no changes. scripts/demo.sh runs it with
 * Node >= 22 and scripts/ts-register.js.
 */
import { randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  AdminGetUserCommand,
  type AuthenticationResultType,
} from "@aws-sdk/client-cognito-identity-provider";
import { DEFAULT_USERS, seedProgram, type SeedUser } from "../examples/seed/program";
import { freePort, startCognitoLocal } from "../test/support/emulators";
import { createEngine } from "./engine";

const HELP = `Usage: npm run demo [-- options]

Seeds Cognito users with declared passwords: starts a local Cognito (cognito-local), creates
a user pool, an app client and users in it, runs \`pulumi up\` of examples/seed with live
progress, then signs each user in and prints the result. Run it again: no changes.

Options:
  --destroy   destroy the demo stack (scrambles the users' passwords), keep the emulator data
  --reset     forget everything in .tmp/demo first (emulator data, stack, passwords)
  --help      this text
`;

const ROOT = path.resolve(__dirname, "..");
// COGNITO_PW_DEMO_DIR lets the end-to-end test run the demo without touching a user's demo.
const DEMO_DIR = process.env.COGNITO_PW_DEMO_DIR ?? path.join(ROOT, ".tmp", "demo");
const FIXTURE_FILE = path.join(DEMO_DIR, "fixture.json");
const REGION = "us-east-1";
const STACK = "demo";

interface Fixture {
  /** cognito-local's port: resources keep the endpoint they were created with, so it stays fixed. */
  port: number;
  userPoolId: string;
  appClientId: string;
  users: SeedUser[];
}

function log(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

/** A password that satisfies the demo pool's policy (12+, all four classes). */
function strongPassword(): string {
  const sets = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%*+-=?@^_"];
  const chars = sets.map((s) => s[randomInt(s.length)]);
  const all = sets.join("");
  while (chars.length < 20) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/** The pool, app client and users, created once and found again on later runs. */
function recordedFixture(): Fixture | undefined {
  return existsSync(FIXTURE_FILE) ? (JSON.parse(readFileSync(FIXTURE_FILE, "utf8")) as Fixture) : undefined;
}

async function ensureFixture(client: CognitoIdentityProviderClient, port: number): Promise<Fixture> {
  const recorded = recordedFixture();
  if (recorded) {
    try {
      await client.send(new DescribeUserPoolCommand({ UserPoolId: recorded.userPoolId }));
      log(`user pool ${recorded.userPoolId} found (created by an earlier run)`);
      return recorded;
    } catch {
      log("the recorded user pool is gone: creating a new one");
    }
  }
  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: "seed-demo",
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error("CreateUserPool returned no pool id");
  const appClient = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "seed-demo",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  const appClientId = appClient.UserPoolClient?.ClientId;
  if (!appClientId) throw new Error("CreateUserPoolClient returned no client id");
  for (const user of DEFAULT_USERS) {
    await client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: user.username, MessageAction: "SUPPRESS" }));
  }
  log(`created user pool ${userPoolId}, app client and users ${DEFAULT_USERS.map((u) => u.username).join(", ")}`);
  const fixture: Fixture = { port, userPoolId, appClientId, users: DEFAULT_USERS };
  writeFileSync(FIXTURE_FILE, JSON.stringify(fixture, null, 2));
  return fixture;
}

type SignIn = "tokens" | "NEW_PASSWORD_REQUIRED" | `refused (${string})`;

/** USER_PASSWORD_AUTH, as an app signs in (cognito-local's AdminInitiateAuth skips the challenge). */
async function signIn(client: CognitoIdentityProviderClient, fixture: Fixture, username: string, password: string): Promise<SignIn> {
  try {
    const out = await client.send(
      new InitiateAuthCommand({
        ClientId: fixture.appClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    if (out.ChallengeName === "NEW_PASSWORD_REQUIRED") return "NEW_PASSWORD_REQUIRED";
    const result: AuthenticationResultType | undefined = out.AuthenticationResult;
    return result?.AccessToken ? "tokens" : `refused (${out.ChallengeName ?? "no tokens"})`;
  } catch (err) {
    return `refused (${(err as Error).name})`;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { destroy: { type: "boolean" }, reset: { type: "boolean" }, help: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.reset) {
    rmSync(DEMO_DIR, { recursive: true, force: true });
    log("forgot .tmp/demo");
  }
  mkdirSync(DEMO_DIR, { recursive: true });
  // Emulators accept any credentials; the provider process inherits these.
  const awsEnv = { AWS_ACCESS_KEY_ID: "demo", AWS_SECRET_ACCESS_KEY: "demo", AWS_REGION: REGION };
  Object.assign(process.env, awsEnv);

  log("starting cognito-local (embedded; no AWS account needed)");
  const port = recordedFixture()?.port ?? (await freePort());
  const cognito = await startCognitoLocal({ dataDir: path.join(DEMO_DIR, "cognito"), port });
  try {
    const client = new CognitoIdentityProviderClient({ region: REGION, endpoint: cognito.endpoint });
    const fixture = await ensureFixture(client, port);

    log("preparing the Pulumi engine (first run: may build the CLI; see scripts/ensure-pulumi.sh)");
    const engine = await createEngine({ dir: path.join(DEMO_DIR, "engine"), extraEnv: awsEnv });
    const stack = await engine.stack({
      projectName: "cognito-user-password-seed",
      stackName: STACK,
      program: async () => seedProgram(),
      workDir: path.join(DEMO_DIR, "work"),
    });
    // Passwords are generated once and kept as secret stack config (encrypted in Pulumi.demo.yaml).
    const existing = await stack.getAllConfig();
    const passwords: Record<string, string> = existing["seed:passwords"]
      ? (JSON.parse(existing["seed:passwords"].value) as Record<string, string>)
      : {};
    for (const user of fixture.users) passwords[user.username] ??= strongPassword();
    await stack.setAllConfig({
      "seed:target": { value: "local" },
      "seed:userPoolId": { value: fixture.userPoolId },
      "seed:endpoint": { value: cognito.endpoint },
      "seed:users": { value: JSON.stringify(fixture.users) },
      "seed:passwords": { value: JSON.stringify(passwords), secret: true },
      "aws:region": { value: REGION },
    });

    if (values.destroy) {
      log("pulumi destroy");
      await stack.destroy({ onOutput: (out) => process.stdout.write(out) });
      let stillWorking = 0;
      for (const user of fixture.users.filter((u) => u.permanent ?? true)) {
        const outcome = await signIn(client, fixture, user.username, passwords[user.username] as string);
        log(`${user.username}: the old password is now ${outcome.startsWith("refused") ? "refused" : `NOT refused (${outcome})`}`);
        if (!outcome.startsWith("refused")) stillWorking++;
      }
      log(stillWorking === 0 ? "destroyed: the declared passwords were scrambled" : `${stillWorking} declared password(s) still work`);
      return stillWorking === 0 ? 0 : 1;
    }

    log("pulumi up");
    const result = await stack.up({ onOutput: (out) => process.stdout.write(out) });
    const changes = result.summary.resourceChanges ?? {};
    const changed = Object.entries(changes).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);
    log(changed.length === 0 ? "no changes" : `changes: ${changed.map(([op, n]) => `${op} ${n}`).join(", ")}`);

    log("signing each user in with the declared password");
    const rows: string[][] = [["user", "password", "Cognito status", "sign-in", "wrong password", "verified"]];
    let failures = 0;
    for (const user of fixture.users) {
      const permanent = user.permanent ?? true;
      const status = (await client.send(new AdminGetUserCommand({ UserPoolId: fixture.userPoolId, Username: user.username }))).UserStatus ?? "?";
      const outcome = await signIn(client, fixture, user.username, passwords[user.username] as string);
      const expected = permanent ? "tokens" : "NEW_PASSWORD_REQUIRED";
      // A wrong password must be refused, or the sign-in above proves nothing. cognito-local
      // answers NEW_PASSWORD_REQUIRED to any password of a temporary user, so that check is
      // only made for permanent ones (moto and AWS check both: see the tests).
      const wrong = permanent ? await signIn(client, fixture, user.username, `${passwords[user.username]}x`) : "n/a (cognito-local)";
      const ok = outcome === expected && (!permanent || wrong.startsWith("refused"));
      if (!ok) failures++;
      rows.push([user.username, permanent ? "permanent" : "temporary", status, outcome, wrong, ok ? "yes" : `NO (expected ${expected})`]);
    }
    printTable(rows);
    if (failures > 0) {
      log(`${failures} user(s) not verified`);
      return 1;
    }
    log(`all ${fixture.users.length} users verified. Run again: no changes. \`npm run demo -- --destroy\` destroys the stack.`);
    return 0;
  } finally {
    await cognito.stop();
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  process.stdout.write(`\n${line(rows[0]!)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);
  process.stdout.write("\n");
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[demo] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
