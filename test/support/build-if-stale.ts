/**
 * The unit layer's global setup: three unit files read the build rather than the sources
 * (`serialized-provider` and `readme-examples` load the copy `npm run build` installs into
 * node_modules, `errors-brand` copies `dist/`). So that `npm run test:unit` needs no setup
 * step, this builds once, before any test, when the installed copy is missing or older than
 * a source it is built from; otherwise it does nothing (as under `npm test`, whose setup has
 * just built).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const INSTALLED = path.join(ROOT, "node_modules", "pulumi-cognito-user-password", "package.json");
const INPUTS = ["src", "package.json", "tsconfig.json", "tsconfig.build.json", "scripts/install-self.js"];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

export default function setup(): void {
  const built = fs.existsSync(INSTALLED) ? fs.statSync(INSTALLED).mtimeMs : 0;
  const sources = Math.max(...INPUTS.map((entry) => newestMtime(path.join(ROOT, entry))));
  if (built >= sources) return;
  console.error("[unit] the build is missing or older than src/: running `npm run build`");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
}
