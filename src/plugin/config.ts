/**
 * The provider configuration: `cognito-user-password:region`, `:endpoint`, `:profile` and
 * `:assumeRole` in the stack (or the arguments of an explicit provider), the defaults for every
 * resource that names none. The engine hands them to Configure as `<package>:config:<key>`
 * variables (an object as JSON text); the core reads them through the keys `Connections`
 * defaults a connection from, so the precedence is the dynamic resource's: resource input,
 * provider configuration, environment, pool id region. `assumeRole` becomes the stack's role
 * chain (`aws:assumeRole`, one role), which a resource's own `assumeRole` replaces.
 */
import { CONNECTION_CONFIG_KEYS } from "../cognito/connections";
import type { PROVIDER_CONFIG } from "../core/properties";
import type { StackConfig } from "../core/types";
import { PACKAGE_NAME } from "./schema";

export type ProviderConfigKey = keyof typeof PROVIDER_CONFIG;
/** Each key's value as Configure's variables carry it: text (`assumeRole` as JSON). */
export type ProviderConfig = Partial<Record<ProviderConfigKey, string>>;

const KEYS: readonly ProviderConfigKey[] = ["region", "endpoint", "profile", "assumeRole"] satisfies Array<
  keyof typeof CONNECTION_CONFIG_KEYS
>;

/**
 * The configuration in Configure's variables. The engine keys them `<package>:config:<key>`;
 * `<package>:<key>` (the stack configuration's own spelling) is read too. Empty means unset.
 */
export function providerConfigFromVariables(variables: Iterable<readonly [string, string]>): ProviderConfig {
  const given = new Map(variables);
  const config: ProviderConfig = {};
  for (const key of KEYS) {
    const value = given.get(`${PACKAGE_NAME}:config:${key}`) ?? given.get(`${PACKAGE_NAME}:${key}`);
    if (value) config[key] = value;
  }
  return config;
}

/** The provider configuration as the stack configuration the core reads it from. */
export function stackConfigOf(config: ProviderConfig): StackConfig {
  const byKey = new Map<string, string | undefined>(KEYS.map((key) => [CONNECTION_CONFIG_KEYS[key], config[key]]));
  return { get: (key) => byKey.get(key) || undefined };
}
