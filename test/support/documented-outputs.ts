/**
 * The outputs the README documents (its "## Outputs" table: every backticked name in the first
 * column), so the tests compare what the provider returns with what users are told, not
 * with a second list that could drift from both.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const README = path.resolve(__dirname, "../../README.md");

/**
 * Outputs present only under a condition the README states (`endpoint`/`profile` when set,
 * `drift` after a refresh found it, `setId` and `passwordRevision` once set).
 */
export const CONDITIONAL_OUTPUTS = ["endpoint", "profile", "drift", "setId", "passwordRevision"] as const;

/** Every output name the README's Outputs table documents, sorted. */
export function documentedOutputs(readme: string = readFileSync(README, "utf8")): string[] {
  const section = /^## Outputs\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (!section) throw new Error("README.md has no ## Outputs section");
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const firstColumn = line.split("|")[1] ?? "";
    for (const m of firstColumn.matchAll(/`([A-Za-z]+)`/g)) names.add(m[1] as string);
  }
  if (names.size === 0) throw new Error("README.md's Outputs table lists no output");
  return [...names].sort();
}

/**
 * The outputs a resource must have: the documented ones, without the conditional ones that
 * do not apply (`present` names the conditional ones that do, e.g. ["setId", "passwordRevision", "endpoint"]).
 */
export function expectedOutputs(present: ReadonlyArray<(typeof CONDITIONAL_OUTPUTS)[number]>): string[] {
  const conditional = new Set<string>(CONDITIONAL_OUTPUTS);
  return documentedOutputs().filter(
    (name) => !conditional.has(name) || present.includes(name as (typeof CONDITIONAL_OUTPUTS)[number]),
  );
}

/** Output (or input) names that look like a password fingerprint, hash, digest or HMAC. */
export const FINGERPRINT_LIKE = /fingerprint|hash|digest|hmac|mac$|salt|checksum/i;
