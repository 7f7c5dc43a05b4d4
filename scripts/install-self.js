// Installs this checkout's build into its own node_modules as a real copy of exactly the files
// `npm pack` ships (package.json's `files`), as `npm install` does in a user's project.
// In-repository programs, tests and the demo load the package from there, so they run what
// users run: Pulumi's serializer captures the provider by reference only for modules under
// node_modules (a symlink resolves to the checkout and would be captured by value). Run after
// every build (`npm run build` does). The consumer tests (test/consumer) go further: they
// install the packed tarball into fresh projects outside the repository.
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const pkg = require(path.join(root, "package.json"));
const nodeModules = path.join(root, "node_modules");
if (!fs.existsSync(nodeModules)) process.exit(0);
// `npm pack --dry-run --json` lists what the tarball would hold, without writing it.
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const [packed] = JSON.parse(execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
const dest = path.join(nodeModules, pkg.name);
const staging = `${dest}.staging-${process.pid}`;
fs.rmSync(staging, { recursive: true, force: true });
for (const { path: file } of packed.files) {
  fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
  fs.copyFileSync(path.join(root, file), path.join(staging, file));
}
fs.rmSync(dest, { recursive: true, force: true });
fs.renameSync(staging, dest);
