/**
 * The provider plugin's archive as a user gets it (`npm run package:plugin`), for the tests
 * that install it: scripts/package-plugin.js caches it by its inputs' hash, so a rebuild
 * happens only when src/, the lockfile or the script changed (about 20 s; a copy otherwise).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./pulumi-engine";

/** The plugin's name, as `pulumi plugin install resource <name>` takes it. */
export const PLUGIN_NAME = "cognito-user-password";
/** The executable at the archive's root. */
export const PLUGIN_EXECUTABLE = `pulumi-resource-${PLUGIN_NAME}`;
/** The plugin's version: the package's. */
export const PLUGIN_VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string })
  .version;

let archive: string | undefined;

/** The archive's absolute path, built (or taken from the cache) on first use. */
export function pluginArchive(): string {
  archive ??= execFileSync(process.execPath, [path.join(ROOT, "scripts/package-plugin.js")], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  return archive;
}
