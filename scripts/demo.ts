/**
 * `npm run demo`: seeds users with declared passwords by a plain `pulumi up` of the
 * repository's Pulumi project (Pulumi.yaml at the root, program examples/seed) through the
 * Pulumi CLI and its Node.js language host, against an embedded local Cognito
 * (cognito-local); then signs each user in and prints what happened. State (the emulator's
 * data, the Pulumi backend, the stack's encrypted config file) lives in .tmp/demo, so a second
 * run reports no changes. scripts/demo.sh runs it with Node >= 22 and scripts/ts-register.js,
 * after scripts/setup.sh has put the CLI, the language host and the plugin in place.
 */
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
import { DEFAULT_USERS, type SeedUser } from "../examples/seed/program";
import { freePort, startCognitoLocal } from "../test/harness/emulators";

const HELP = `Usage: npm run demo [-- options]

Seeds Cognito users with declared passwords: starts a local Cognito (cognito-local), creates
a user pool, an app client and users in it, runs a plain \`pulumi up\` of this repository's
Pulumi project (program examples/seed, stack "demo", passwords as secret stack config), then
signs each user in and prints the result. Run it again: no changes.

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
/** The stack's config file, kept with the demo's state instead of beside Pulumi.yaml. */
const CONFIG_FILE = path.join(DEMO_DIR, `Pulumi.${STACK}.yaml`);
const PROJECT = "cognito-user-password-seed";

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
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: user.username, MessageAction: "SUPPRESS" }),
    );
  }
  log(`created user pool ${userPoolId}, app client and users ${DEFAULT_USERS.map((u) => u.username).join(", ")}`);
  const fixture: Fixture = { port, userPoolId, appClientId, users: DEFAULT_USERS };
  writeFileSync(FIXTURE_FILE, JSON.stringify(fixture, null, 2));
  return fixture;
}

type SignIn = "tokens" | "NEW_PASSWORD_REQUIRED" | `refused (${string})`;

/** USER_PASSWORD_AUTH, as an app signs in (cognito-local's AdminInitiateAuth skips the challenge). */
async function signIn(
  client: CognitoIdentityProviderClient,
  fixture: Fixture,
  username: string,
  password: string,
): Promise<SignIn> {
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

    const cli = pulumiCli(awsEnv);
    if (!existsSync(path.join(DEMO_DIR, "state", ".pulumi", "stacks", PROJECT, `${STACK}.json`))) {
      await cli.run(["stack", "init", STACK]);
      // `stack init` writes the stack's file beside Pulumi.yaml; the demo keeps it in .tmp/demo.
      const beside = path.join(ROOT, `Pulumi.${STACK}.yaml`);
      if (existsSync(beside)) renameSync(beside, CONFIG_FILE);
    }
    // Passwords are generated once and kept as secret stack config (encrypted in the config file).
    const stored = existsSync(CONFIG_FILE)
      ? (await cli.run(["config", "get", "seed:passwords", ...cli.stack], { allowFailure: true })).stdout.trim()
      : "";
    const passwords: Record<string, string> = stored ? (JSON.parse(stored) as Record<string, string>) : {};
    for (const user of fixture.users) passwords[user.username] ??= strongPassword();
    const config: Array<[string, string, boolean]> = [
      ["seed:target", "local", false],
      ["seed:userPoolId", fixture.userPoolId, false],
      ["seed:endpoint", cognito.endpoint, false],
      ["seed:users", JSON.stringify(fixture.users), false],
      ["seed:passwords", JSON.stringify(passwords), true],
      ["aws:region", REGION, false],
    ];
    for (const [key, value, secret] of config) {
      await cli.run(["config", "set", ...(secret ? ["--secret"] : []), ...cli.stack, key, "--", value]);
    }

    if (values.destroy) {
      log(`pulumi destroy --stack ${STACK}`);
      await cli.run(["destroy", "--yes", ...cli.stack], { show: true });
      let stillWorking = 0;
      for (const user of fixture.users.filter((u) => u.permanent ?? true)) {
        const outcome = await signIn(client, fixture, user.username, passwords[user.username] as string);
        log(
          `${user.username}: the old password is now ${outcome.startsWith("refused") ? "refused" : `NOT refused (${outcome})`}`,
        );
        if (!outcome.startsWith("refused")) stillWorking++;
      }
      log(
        stillWorking === 0
          ? "destroyed: the declared passwords were scrambled"
          : `${stillWorking} declared password(s) still work`,
      );
      return stillWorking === 0 ? 0 : 1;
    }

    log(`pulumi up --stack ${STACK} (the repository's Pulumi.yaml, program examples/seed)`);
    await cli.run(["up", "--yes", ...cli.stack], { show: true });

    log("signing each user in with the declared password");
    const rows: string[][] = [["user", "password", "Cognito status", "sign-in", "wrong password", "verified"]];
    let failures = 0;
    for (const user of fixture.users) {
      const permanent = user.permanent ?? true;
      const status =
        (await client.send(new AdminGetUserCommand({ UserPoolId: fixture.userPoolId, Username: user.username })))
          .UserStatus ?? "?";
      const outcome = await signIn(client, fixture, user.username, passwords[user.username] as string);
      const expected = permanent ? "tokens" : "NEW_PASSWORD_REQUIRED";
      // A wrong password must be refused, or the sign-in above proves nothing. cognito-local
      // answers NEW_PASSWORD_REQUIRED to any password of a temporary user, so that check is
      // only made for permanent ones (moto and AWS check both: see the tests).
      const wrong = permanent
        ? await signIn(client, fixture, user.username, `${passwords[user.username]}x`)
        : "n/a (cognito-local)";
      const ok = outcome === expected && (!permanent || wrong.startsWith("refused"));
      if (!ok) failures++;
      rows.push([
        user.username,
        permanent ? "permanent" : "temporary",
        status,
        outcome,
        wrong,
        ok ? "yes" : `NO (expected ${expected})`,
      ]);
    }
    printTable(rows);
    if (failures > 0) {
      log(`${failures} user(s) not verified`);
      return 1;
    }
    log(
      `all ${fixture.users.length} users verified. Run again: no changes. \`npm run demo -- --destroy\` destroys the stack.`,
    );
    return 0;
  } finally {
    await cognito.stop();
  }
}

interface CliRun {
  code: number;
  stdout: string;
}

/**
 * The Pulumi CLI as a user runs it, in the repository root, with the demo's own PULUMI_HOME,
 * `file://` backend and passphrase under .tmp/demo. `show` streams the CLI's own output.
 */
function pulumiCli(awsEnv: Record<string, string>) {
  const cliPath = process.env.PULUMI_CLI;
  if (!cliPath) throw new Error("PULUMI_CLI is not set: run the demo with `npm run demo` (scripts/setup.sh sets it)");
  mkdirSync(path.join(DEMO_DIR, "state"), { recursive: true });
  mkdirSync(path.join(DEMO_DIR, "pulumi-home"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...awsEnv,
    PULUMI_HOME: path.join(DEMO_DIR, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(DEMO_DIR, "state")}`,
    // A demo against an emulator: the passphrase only guards the demo's generated passwords.
    PULUMI_CONFIG_PASSPHRASE: "cognito-user-password-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
  const stack = ["--stack", STACK, "--config-file", CONFIG_FILE];
  const run = (args: string[], options: { show?: boolean; allowFailure?: boolean } = {}): Promise<CliRun> => {
    // Before any `--`, after which every word is a value.
    const dashes = args.indexOf("--");
    const full =
      dashes < 0
        ? [...args, "--non-interactive"]
        : [...args.slice(0, dashes), "--non-interactive", ...args.slice(dashes)];
    return new Promise((resolve, reject) => {
      const child = spawn(cliPath, full, {
        cwd: ROOT,
        env,
        stdio: ["ignore", options.show ? "inherit" : "pipe", options.show ? "inherit" : "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0 && !options.allowFailure) {
          // Never echo the command line: `config set --secret` carries a password.
          reject(
            new Error(
              `pulumi ${args[0]} ${args[1] && !args[1].startsWith("-") ? args[1] : ""} failed (${code})${stderr ? `: ${stderr.trim()}` : ""}`,
            ),
          );
        } else resolve({ code: code ?? 1, stdout });
      });
    });
  };
  return { run, stack };
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
