// `npm run package:plugin`: writes
//   dist/plugin/pulumi-resource-cognito-user-password-v<version>-linux-amd64.tar.gz
// whose root holds one self-contained executable, pulumi-resource-cognito-user-password (the
// engine's name for the plugin), which runs with no Node.js on the machine:
//   1. esbuild bundles src/plugin/main.ts with @pulumi/pulumi and the Cognito client into one
//      CommonJS file (a single-executable application can require built-in modules only);
//   2. Node.js 24 (scripts/ensure-node.sh 24) makes a single-executable-application blob of it
//      (`--experimental-sea-config`; Node 24 has no `--build-sea`), with V8's code cache;
//   3. a stripped copy of that same node binary gets the blob injected (postject, with Node's
//      SEA fuse); the result needs glibc, like the official Linux builds of Node.js.
// The archive's files sit at its root: `pulumi plugin install resource ... -f` installs an
// archive with a top-level folder without complaint, and the plugin is unusable afterwards.
//
// The executable and its archive are cached outside the repository, keyed by a hash of every
// input (src/, package.json, package-lock.json, this script, the Node.js version), so a run
// whose inputs did not change copies the archive (about a second) instead of building it.
// Progress and timings go to stderr; the archive's path goes to stdout.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const crypto = require("node:crypto");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const pkg = require(path.join(root, "package.json"));
const PLUGIN = "pulumi-resource-cognito-user-password";
const PLATFORM = "linux-amd64";
const ARCHIVE = `${PLUGIN}-v${pkg.version}-${PLATFORM}.tar.gz`;
// Node's single-executable-application fuse (the same in every release that has SEA).
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const cacheRoot =
  process.env.COGNITO_PW_CACHE ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "cognito-user-password");
/** Cache entries kept (each about 155 MB: the executable and its archive). */
const KEEP_ENTRIES = 3;

const log = (message) => process.stderr.write(`[package-plugin] ${message}\n`);

function filesUnder(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The cache key: every input's path and content, and the Node.js that makes the executable. */
function inputsHash(nodeVersion) {
  const hash = crypto.createHash("sha256");
  const inputs = [...filesUnder(path.join(root, "src")), "package.json", "package-lock.json", __filename]
    .map((f) => path.relative(root, path.resolve(root, f)))
    .sort();
  for (const file of inputs) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  hash.update(`node ${nodeVersion} ${PLATFORM}`);
  return hash.digest("hex").slice(0, 20);
}

async function build(work, node) {
  const bundle = path.join(work, "bundle.js");
  const blob = path.join(work, "sea.blob");
  const exe = path.join(work, PLUGIN);
  let t = Date.now();
  const result = await require("esbuild").build({
    entryPoints: [path.join(root, "src/plugin/main.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    legalComments: "none",
    logLevel: "warning",
  });
  if (result.warnings.length > 0) throw new Error(`esbuild: ${result.warnings.length} warning(s), see above`);
  log(`bundled in ${Date.now() - t} ms: ${(fs.statSync(bundle).size / 1e6).toFixed(1)} MB`);

  t = Date.now();
  const seaConfig = path.join(work, "sea-config.json");
  fs.writeFileSync(
    seaConfig,
    JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
  );
  // Its "Wrote ... blob" line goes to stderr: stdout carries only the archive path.
  execFileSync(node, ["--experimental-sea-config", seaConfig], { stdio: ["ignore", process.stderr, "inherit"] });
  fs.copyFileSync(node, exe);
  fs.chmodSync(exe, 0o755);
  execFileSync("strip", [exe]);
  const { inject } = require("postject");
  // postject warns about the ".note.100" section of a stripped binary: harmless.
  await inject(exe, "NODE_SEA_BLOB", fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
  log(`executable in ${Date.now() - t} ms: ${(fs.statSync(exe).size / 1e6).toFixed(1)} MB`);

  t = Date.now();
  // Reproducible: fixed owner and time, gzip without a name or time stamp.
  const tarball = path.join(work, ARCHIVE);
  execFileSync("sh", [
    "-c",
    'tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - "$2" | gzip -n -6 > "$3"',
    "sh",
    work,
    PLUGIN,
    tarball,
  ]);
  log(`archived in ${Date.now() - t} ms: ${(fs.statSync(tarball).size / 1e6).toFixed(1)} MB`);
  for (const f of [bundle, blob, seaConfig]) fs.rmSync(f);
}

/** Keeps the `KEEP_ENTRIES` most recently used entries. */
function prune(dir) {
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.includes(".partial"))
    .map((e) => ({ dir: path.join(dir, e.name), used: fs.statSync(path.join(dir, e.name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const old of entries.slice(KEEP_ENTRIES)) fs.rmSync(old.dir, { recursive: true, force: true });
}

async function main() {
  if (`${process.platform}-${process.arch}` !== "linux-x64") {
    throw new Error(`the plugin is packaged for ${PLATFORM} only, not ${process.platform}-${process.arch}`);
  }
  const nodeBin = execFileSync("bash", [path.join(root, "scripts/ensure-node.sh"), "24"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  const node = path.join(nodeBin, "node");
  const nodeVersion = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  const cacheDir = path.join(cacheRoot, "plugin");
  const key = inputsHash(nodeVersion);
  const entry = path.join(cacheDir, key);
  if (fs.existsSync(path.join(entry, ARCHIVE))) {
    log(`cached: ${entry}`);
    const now = new Date();
    fs.utimesSync(entry, now, now);
  } else {
    log(`building with node ${nodeVersion} (inputs ${key})`);
    const start = Date.now();
    const work = `${entry}.partial.${process.pid}`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    try {
      await build(work, node);
      fs.rmSync(entry, { recursive: true, force: true });
      fs.renameSync(work, entry); // atomic: a killed build leaves no half entry
    } catch (err) {
      fs.rmSync(work, { recursive: true, force: true });
      throw err;
    }
    log(`built in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    prune(cacheDir);
  }
  const outDir = path.join(root, "dist/plugin");
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, ARCHIVE);
  fs.copyFileSync(path.join(entry, ARCHIVE), out);
  log(`${path.relative(root, out)}: ${(fs.statSync(out).size / 1e6).toFixed(1)} MB`);
  process.stdout.write(`${out}\n`);
}

main().catch((err) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
