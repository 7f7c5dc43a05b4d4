// Installs this checkout's build into its own node_modules as a real copy, as `npm install`
// does in a user's project. Programs, tests and the demo load the package from there, so
// they run what users run: Pulumi's serializer captures the provider by reference only for
// modules under node_modules (a symlink resolves to the checkout and would be captured by
// value). Run after every build (`npm run build` does).
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const pkg = require(path.join(root, "package.json"));
const nodeModules = path.join(root, "node_modules");
if (!fs.existsSync(nodeModules)) process.exit(0);
const dest = path.join(nodeModules, pkg.name);
const staging = `${dest}.staging-${process.pid}`;
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(staging);
fs.copyFileSync(path.join(root, "package.json"), path.join(staging, "package.json"));
fs.cpSync(path.join(root, "dist"), path.join(staging, "dist"), { recursive: true });
fs.rmSync(dest, { recursive: true, force: true });
fs.renameSync(staging, dest);
