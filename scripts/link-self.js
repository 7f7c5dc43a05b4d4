// Makes `require("pulumi-cognito-user-password/...")` resolve to this checkout, as it does
// in a user's project where the package is installed. The serialized provider loads its
// implementation that way (src/dynamic-provider.ts), so the repository's own programs,
// tests and demo need the link. Idempotent; does nothing outside a checkout with node_modules.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const name = require(path.join(root, "package.json")).name;
const nodeModules = path.join(root, "node_modules");
const link = path.join(nodeModules, name);
if (fs.existsSync(nodeModules)) {
  let current;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== "..") {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync("..", link, "dir");
  }
}
