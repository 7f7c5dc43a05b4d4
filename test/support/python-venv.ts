/**
 * The virtualenv a Python user's project runs in: the `pulumi` SDK from PyPI at
 * PYTHON_PULUMI_VERSION (the newest PyPI serves; the CLI here is v3.274.1) and the generated
 * SDK from the repository's sdk/python, as `pip install <checkout>/sdk/python` installs it.
 * Cached under the project's tool cache (as scripts/ensure-*.sh cache theirs), keyed by the
 * SDK's files, the pulumi version and the Python version: the first run builds it (pip from
 * PyPI, about a minute), later ones reuse it. Built under a temporary name and renamed, so a
 * killed build leaves nothing half-made in place.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { folderFiles, ROOT, toolCache } from "./consumer";

export const PYTHON_PULUMI_VERSION = "3.272.0";

const SDK = path.join(ROOT, "sdk", "python");
/** What a local `pip install` leaves in the SDK (ignored by git, left out of the key). */
const LEFTOVERS = /(^|\/)(__pycache__|build|dist|[^/]*\.egg-info)(\/|$)/;

function run(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

/** The venv's folder (its `bin/python` is what PULUMI_PYTHON_CMD names), built on first use. */
export function pythonVenv(python = "python3"): string {
  const hash = createHash("sha256");
  hash.update(`pulumi==${PYTHON_PULUMI_VERSION}\n${run(python, ["--version"])}\n`);
  for (const [file, text] of Object.entries(folderFiles(SDK)).sort(([a], [b]) => a.localeCompare(b))) {
    if (!LEFTOVERS.test(file)) hash.update(`${file}\n${text}\n`);
  }
  const venv = path.join(toolCache(), "python-venv", hash.digest("hex").slice(0, 20));
  if (existsSync(path.join(venv, "bin", "python"))) return venv;
  mkdirSync(path.dirname(venv), { recursive: true });
  const partial = `${venv}.partial.${process.pid}`;
  // pip builds a local folder in place: build from a copy, so the checkout gets no build/ or egg-info.
  const sdkCopy = mkdtempSync(path.join(tmpdir(), "cup-sdk-python-"));
  try {
    cpSync(SDK, sdkCopy, { recursive: true, filter: (src) => !LEFTOVERS.test(path.relative(SDK, src)) });
    run(python, ["-m", "venv", partial]);
    const pip = path.join(partial, "bin", "python");
    run(pip, [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      `pulumi==${PYTHON_PULUMI_VERSION}`,
      sdkCopy,
    ]);
    try {
      renameSync(partial, venv);
    } catch (err) {
      // Another run finished the same venv first: use that one.
      if (!existsSync(path.join(venv, "bin", "python"))) throw err;
    }
  } finally {
    rmSync(sdkCopy, { recursive: true, force: true });
    rmSync(partial, { recursive: true, force: true });
  }
  return venv;
}
