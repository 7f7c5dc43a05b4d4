/**
 * The library's modules exactly as the provider process loads them: from the copy that
 * `npm run build` installs into node_modules (never vitest-transformed sources), so the
 * benchmarks measure the published code and the bare-SDK side uses the very same client
 * factory and settings.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { INSTALLED_PACKAGE_DIR, ROOT, loadLibrary } from "../../test/harness/engine";

type CognitoModule = typeof import("../../src/cognito/gateway");
type PacerModule = typeof import("../../src/cognito/pacer");
type PasswordChangeModule = typeof import("../../src/core/password-change");

const fromRoot = createRequire(path.join(ROOT, "package.json"));

/**
 * An internal module of the installed copy, by file path: the package's `exports` map does not
 * expose `dist/*` (users never load these), and a file path is not subject to it.
 */
function installedInternal(name: string): unknown {
  return fromRoot(path.join(INSTALLED_PACKAGE_DIR, "dist", `${name}.js`));
}

export const library = loadLibrary;
// Paths of the layout under dist/ (src/cognito, src/core).
export const cognitoModule = (): CognitoModule => installedInternal("cognito/gateway") as CognitoModule;
export const pacerModule = (): PacerModule => installedInternal("cognito/pacer") as PacerModule;
export const passwordChangeModule = (): PasswordChangeModule =>
  installedInternal("core/password-change") as PasswordChangeModule;

/** A password every emulator and pool policy accepts, fixed per (run, index) so reruns change nothing. */
export function passwordFactory(): (index: number) => string {
  const salt = randomBytes(4).toString("hex");
  return (index: number) => `Bench#${index}-aZ9-${salt}`;
}

/** Dummy credentials and region: every call in the benchmarks goes to a local endpoint. */
export const AWS_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

export function applyAwsEnv(): void {
  Object.assign(process.env, AWS_ENV);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
