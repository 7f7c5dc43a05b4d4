/**
 * The outputs users are told about: the core's (src/core/properties.ts, from which the README's
 * Outputs table is generated and held by test/unit/doc-tables.test.ts) and the dynamic
 * resource's own `resourceName`. Tests compare what the provider returns with these, not with a
 * second list that could drift from both.
 */
import { OUTPUTS, REQUIRED_OUTPUTS } from "../../src/core/properties";
import { DYNAMIC_ONLY_OUTPUTS } from "../../scripts/doc-tables";

type Output = keyof typeof OUTPUTS;
type ConditionalOutput = Exclude<Output, (typeof REQUIRED_OUTPUTS)[number]>;

/**
 * Outputs present only under the condition their description states (`endpoint`/`profile` when
 * set, `drift` after a refresh found it, `setId` and `passwordRevision` once set).
 */
export const CONDITIONAL_OUTPUTS = (Object.keys(OUTPUTS) as Output[]).filter(
  (name): name is ConditionalOutput => !(REQUIRED_OUTPUTS as readonly string[]).includes(name),
);

/** Every documented output name of the dynamic resource, sorted. */
export function documentedOutputs(): string[] {
  return [...Object.keys(OUTPUTS), ...Object.keys(DYNAMIC_ONLY_OUTPUTS)].sort();
}

/**
 * The outputs a resource must have: the documented ones, without the conditional ones that
 * do not apply (`present` names the conditional ones that do, e.g. ["setId", "passwordRevision", "endpoint"]).
 */
export function expectedOutputs(present: readonly ConditionalOutput[]): string[] {
  const conditional = new Set<string>(CONDITIONAL_OUTPUTS);
  return documentedOutputs().filter((name) => !conditional.has(name) || present.includes(name as ConditionalOutput));
}

/** Output (or input) names that look like a password fingerprint, hash, digest or HMAC. */
export const FINGERPRINT_LIKE = /fingerprint|hash|digest|hmac|mac$|salt|checksum/i;
