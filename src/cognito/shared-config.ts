/**
 * The few settings of the AWS shared config file (`~/.aws/config`, or `AWS_CONFIG_FILE`) that
 * the AWS SDK for JavaScript does not apply itself but the AWS CLI does (`ca_bundle`), or that
 * decide whether our own defaults may apply (`max_attempts`, `retry_mode`). The SDK reads the
 * rest (credentials, `role_arn`, `region`) itself.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** The profile the AWS CLI and the SDK use: the given one, then `AWS_PROFILE`, then `default`. */
export function profileInUse(profile: string | undefined, env: NodeJS.ProcessEnv): string {
  return profile || env.AWS_PROFILE || "default";
}

/** The shared config file: `AWS_CONFIG_FILE`, else `~/.aws/config` (as the CLI and SDK resolve it). */
export function configFilePath(env: NodeJS.ProcessEnv): string {
  const file = env.AWS_CONFIG_FILE;
  if (file) return file.startsWith("~/") ? path.join(homedir(), file.slice(2)) : file;
  return path.join(homedir(), ".aws", "config");
}

/**
 * The settings of `profile` in the shared config file (`[default]`, `[profile <name>]`),
 * keys lower-cased; `{}` when the file or the profile does not exist. Only `key = value`
 * lines at the top level of a section (no nested sub-sections, which these keys never use).
 */
export function profileSettings(profile: string, env: NodeJS.ProcessEnv): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(configFilePath(env), "utf8");
  } catch {
    return {};
  }
  const wanted = profile === "default" ? ["default", "profile default"] : [`profile ${profile}`];
  const settings: Record<string, string> = {};
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, "");
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (section) {
      inProfile = wanted.includes((section[1] ?? "").replace(/\s+/g, " "));
      continue;
    }
    // A nested value (indented under `key =`) belongs to a sub-section: not one of ours.
    if (!inProfile || raw !== line) continue;
    const pair = /^([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair?.[1]) settings[pair[1].toLowerCase()] = pair[2] ?? "";
  }
  return settings;
}
