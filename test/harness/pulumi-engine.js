// The real Pulumi engine, offline, for the end-to-end tests and the benchmarks (plain CommonJS so
// the harness can load it from plain Node as well as from vitest).
//
// What it sets up (see docs/pulumi-offline.md):
//  - a Pulumi CLI (scripts/ensure-pulumi.sh) and Node >= 22 (scripts/ensure-node.sh) first on
//    PATH, then the package root of @pulumi/pulumi, which holds the dynamic provider plugin
//    `pulumi-resource-pulumi-nodejs`;
//  - a throwaway PULUMI_HOME and a `file://` backend in a temporary folder, a passphrase
//    secrets provider, no update check, no plugin downloads;
//  - stacks whose program is an inline function (Automation API): no language host needed.
//
// The working directory of a stack must lie inside the repository: the engine starts the
// dynamic provider process there, and that process resolves `@pulumi/pulumi` and the
// serialized provider's `require("pulumi-cognito-user-password/dist/provider-runtime")` from it
// (`npm run build` installs a copy of the package there: scripts/install-self.js).
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync, execFile } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Finds (or builds) the toolchain: `{ nodeBin, pulumiPath }`. Progress of the ensure scripts
 * goes to this process's stderr. `PULUMI_CLI` in the environment wins, as in ensure-pulumi.sh.
 */
function ensureToolchain(options = {}) {
  const root = options.root || ROOT;
  const run = (script) =>
    execFileSync("bash", [path.join(root, "scripts", script)], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 20,
    }).trim();
  const nodeBin = run("ensure-node.sh");
  const pulumiPath = run("ensure-pulumi.sh");
  // Places the language host and the dynamic provider plugin beside the CLI, where the engine
  // looks first (as in an official install).
  execFileSync("bash", [path.join(root, "scripts", "ensure-language-host.sh"), pulumiPath], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH || ""}` },
  });
  return { nodeBin, pulumiPath };
}

/** The folder that holds `pulumi-resource-pulumi-nodejs` (the @pulumi/pulumi package root). */
function dynamicProviderPluginDir(root = ROOT) {
  const pkg = require.resolve("@pulumi/pulumi/package.json", { paths: [root] });
  return path.dirname(pkg);
}

/**
 * Creates an isolated engine environment: in `options.dir` when given (kept between runs),
 * else in a new temporary folder under `<root>/.tmp/`. Must lie inside the repository (see
 * above) when stacks use the default working directory. Returns an object with
 *  - `env`: the environment variables every engine command needs (merged over process.env
 *    by the Automation API and by `cli`),
 *  - `dir`, `pulumiHome`, `backendDir`, `backendUrl`, `passphrase`, `pulumiPath`,
 *  - `workDir(name)`: a fresh working directory for a stack (inside the repository),
 *  - `stack({ projectName, stackName, program, workDir?, config? })`: an inline-program
 *    Automation API stack (created or selected),
 *  - `cli(args, { cwd, stack })`: runs the pulumi CLI with this environment; resolves
 *    `{ stdout, stderr, code }`,
 *  - `cleanup()`: removes the folder (temporary or not).
 * `extraEnv` is added to `env` (e.g. AWS_* for the provider process).
 */
async function createEngine(options = {}) {
  const root = options.root || ROOT;
  const toolchain = options.toolchain || ensureToolchain({ root });
  let dir;
  if (options.dir) {
    // A kept folder (the demo's): the stack's state survives from one run to the next.
    dir = path.resolve(options.dir);
    fs.mkdirSync(dir, { recursive: true });
  } else {
    const tmpBase = path.join(root, ".tmp");
    fs.mkdirSync(tmpBase, { recursive: true });
    dir = fs.mkdtempSync(path.join(tmpBase, `${options.prefix || "engine"}-`));
  }
  const pulumiHome = path.join(dir, "pulumi-home");
  const backendDir = path.join(dir, "state");
  fs.mkdirSync(pulumiHome, { recursive: true });
  fs.mkdirSync(backendDir, { recursive: true });
  const backendUrl = `file://${backendDir}`;
  const passphrase = options.passphrase || "cognito-user-password-e2e-passphrase";

  // The plugin sits beside the CLI (ensureToolchain); the @pulumi/pulumi folder stays on PATH
  // only as a fallback for a CLI found elsewhere.
  const pathParts = [
    toolchain.nodeBin,
    path.dirname(toolchain.pulumiPath),
    process.env.PATH || "",
    dynamicProviderPluginDir(root),
  ];
  const env = {
    PULUMI_HOME: pulumiHome,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
    PATH: pathParts.filter(Boolean).join(path.delimiter),
    ...(options.extraEnv || {}),
  };

  // The Automation API is loaded from the repository's @pulumi/pulumi, the same instance the
  // inline program's resources register with.
  const automation = require(require.resolve("@pulumi/pulumi/automation", { paths: [root] }));
  isolateInlineProgramChannels(root);
  // PulumiCommand.get({ root }) expects <root>/bin/pulumi; the ensure script gives the binary.
  const cliRoot = path.dirname(path.dirname(toolchain.pulumiPath));
  const pulumiCommand =
    path.basename(path.dirname(toolchain.pulumiPath)) === "bin"
      ? await automation.PulumiCommand.get({ root: cliRoot, skipVersionCheck: true })
      : undefined;
  if (!pulumiCommand) {
    throw new Error(
      `pulumi CLI at ${toolchain.pulumiPath} is not in a bin/ folder; set PULUMI_CLI to <root>/bin/pulumi`,
    );
  }

  let workDirs = 0;
  const engine = {
    dir,
    pulumiHome,
    backendDir,
    backendUrl,
    passphrase,
    pulumiPath: toolchain.pulumiPath,
    nodeBin: toolchain.nodeBin,
    env,
    automation,
    pulumiCommand,

    workDir(name = "work") {
      const wd = path.join(dir, `${name}-${++workDirs}`);
      fs.mkdirSync(wd, { recursive: true });
      return wd;
    },

    async stack({ projectName, stackName, program, workDir, config }) {
      const wd = workDir || engine.workDir(projectName);
      fs.mkdirSync(wd, { recursive: true });
      const stack = await automation.LocalWorkspace.createOrSelectStack(
        { projectName, stackName, program },
        {
          workDir: wd,
          pulumiHome,
          pulumiCommand,
          envVars: env,
          secretsProvider: "passphrase",
          projectSettings: { name: projectName, runtime: "nodejs", backend: { url: backendUrl } },
        },
      );
      if (config) await stack.setAllConfig(config);
      retryTransportFlake(stack);
      return stack;
    },

    /** Runs `pulumi <args>` with this engine's environment (never interactive). */
    cli(args, opts = {}) {
      const fullArgs = [...args];
      if (opts.stack) fullArgs.push("--stack", opts.stack);
      if (!fullArgs.includes("--non-interactive")) fullArgs.push("--non-interactive");
      return new Promise((resolve, reject) => {
        execFile(
          toolchain.pulumiPath,
          fullArgs,
          { cwd: opts.cwd || dir, env: { ...process.env, ...env, ...(opts.env || {}) }, maxBuffer: 256 << 20 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            if (err && !opts.allowFailure) {
              reject(new Error(`pulumi ${fullArgs.join(" ")} failed (${code}): ${stderr || err.message}`));
            } else {
              resolve({ stdout, stderr, code });
            }
          },
        );
      });
    },

    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return engine;
}

/**
 * Inline programs run in this process, one engine after another, and each engine listens on a
 * port the OS picks, so ports come round again. @grpc/grpc-js shares subchannels process-wide
 * by address: a subchannel left in connection back-off by a finished run (a late call to an
 * engine that had already exited, as after a failed check) was reused by a later run that got
 * the same port, whose first call then failed at once with "14 UNAVAILABLE: No connection
 * established" — unhandled inside @pulumi/pulumi, so the program registered nothing and the
 * operation looked successful. Each Pulumi client gets a subchannel pool of its own instead,
 * through the client options the SDK exports for this process. Users' programs (one per
 * process, through the CLI) never meet this.
 */
function isolateInlineProgramChannels(root) {
  const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [root] }));
  if (settings.grpcClientOptions && typeof settings.grpcClientOptions === "object") {
    settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
  }
}

/**
 * Inline programs talk to the CLI over gRPC from this process. Rarely (once in many runs) an
 * operation failed with `14 UNAVAILABLE: No connection established` before the engine had
 * started any step: a transport hiccup, not a result. That one error, at that one moment, is
 * retried once, and the retry is logged; any failure after a step began is the test's to see.
 */
const TRANSPORT_FLAKE = /\b14 UNAVAILABLE\b/;
function retryTransportFlake(stack) {
  for (const op of ["up", "preview", "refresh", "destroy"]) {
    const original = stack[op].bind(stack);
    stack[op] = async (opts = {}) => {
      let stepStarted = false;
      const onEvent = (event) => {
        if (event.resourcePreEvent || event.resOutputsEvent || event.resOpFailedEvent) stepStarted = true;
        if (opts.onEvent) opts.onEvent(event);
      };
      try {
        return await original({ ...opts, onEvent });
      } catch (err) {
        const message = err && err.message ? err.message : String(err);
        if (stepStarted || !TRANSPORT_FLAKE.test(message)) throw err;
        process.stderr.write(
          `[engine] ${op} of stack ${stack.name} failed with gRPC "14 UNAVAILABLE" before any step started; retrying once\n`,
        );
        return original(opts);
      }
    };
  }
}

module.exports = { ROOT, ensureToolchain, dynamicProviderPluginDir, createEngine, retryTransportFlake };
