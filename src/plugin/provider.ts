/**
 * The plugin face's adapter: the `Provider` that `@pulumi/pulumi/provider` serves over gRPC,
 * over the core. It translates the engine's calls (the resource's name comes from its URN;
 * secret inputs arrive secret-marked) into the core's requests and back:
 *  - secret marks come off on the way in and go back on the way out, on whatever arrived
 *    secret and on the password always;
 *  - the password is never among the outputs (the core whitelists them) and never among what
 *    `read` returns, so `pulumi import` cannot write it into generated code;
 *  - the provider configuration (`region`, `endpoint`, `profile`) reaches the core as the
 *    stack configuration the dynamic face would hand it (see `config`).
 */
import type * as provider from "@pulumi/pulumi/provider";
import { INPUTS } from "../core/properties";
import type { UserPasswordInputs, UserPasswordOutputs } from "../core/types";
import type { UserPasswordCore } from "../core/user-password";
import { stackConfigOf, type ProviderConfig } from "./config";
import { RESOURCE_TOKEN } from "./schema";
import { markSecrets, unwrapSecrets } from "./secrets";

/** Inputs that are secret whatever the program passed (the schema marks them so). */
const SECRET_INPUTS: ReadonlySet<string> = new Set(
  Object.entries(INPUTS)
    .filter(([, spec]) => "secret" in spec && spec.secret)
    .map(([name]) => name),
);

/** A diff as the engine's DiffResponse has it: the SDK's result plus the changed properties. */
export interface PluginDiffResult extends provider.DiffResult {
  /** Every property whose change the diff reports (replaces, sets, options). */
  readonly diffs: string[];
}

/** What `create` returns: the id and the outputs (the password never among them). */
export interface PluginCreateResult extends provider.CreateResult {
  readonly outs: Record<string, unknown>;
}

/** What `update` returns: the outputs (the password never among them). */
export interface PluginUpdateResult extends provider.UpdateResult {
  readonly outs: Record<string, unknown>;
}

/** What `read` returns: the refreshed outputs, and for an import the inputs to declare. */
export interface PluginReadResult extends provider.ReadResult {
  readonly inputs?: Pick<UserPasswordInputs, "userPoolId" | "username">;
}

/** The provider the plugin serves: every method present, configuration taken by `configure`. */
export interface UserPasswordPluginProvider extends provider.Provider {
  readonly version: string;
  readonly schema: string;
  configure(config: ProviderConfig): void;
  check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.CheckResult>;
  diff(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<PluginDiffResult>;
  create(urn: string, inputs: Record<string, unknown>): Promise<PluginCreateResult>;
  read(id: string, urn: string, props?: Record<string, unknown>): Promise<PluginReadResult>;
  update(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<PluginUpdateResult>;
  delete(id: string, urn: string, props: Record<string, unknown>): Promise<void>;
}

/** Thrown for a call about a type this provider does not serve. */
export class UnknownResourceTypeError extends Error {
  constructor(readonly urn: string) {
    super(`cognito-user-password serves only ${RESOURCE_TOKEN}, not the resource ${urn}`);
    this.name = "UnknownResourceTypeError";
  }
}

/**
 * The resource's name, the last part of `urn:pulumi:<stack>::<project>::<type>::<name>`
 * (a name may hold `::`, a type never does).
 */
export function resourceNameOf(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4) throw new UnknownResourceTypeError(urn);
  return parts.slice(3).join("::");
}

/** The type part of the URN (after any parent types, which `$` separates). */
function typeOf(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

function assertServed(urn: string): string {
  if (typeOf(urn) !== RESOURCE_TOKEN) throw new UnknownResourceTypeError(urn);
  return resourceNameOf(urn);
}

/** The plugin's provider over `core`, answering with `schema` and `version`. */
export function pluginProviderOver(
  core: UserPasswordCore,
  version: string,
  schema: string,
): UserPasswordPluginProvider {
  return {
    version,
    schema,
    configure(config) {
      core.configure(stackConfigOf(config));
    },
    async check(urn, olds, news) {
      const name = assertServed(urn);
      const previous = unwrapSecrets(olds);
      const declared = unwrapSecrets(news);
      const result = await core.check({
        name,
        olds: previous.plain,
        news: declared.plain,
      });
      if (result.failures) return { failures: result.failures };
      return { inputs: markSecrets(result.inputs, [...declared.secretKeys, ...SECRET_INPUTS]) };
    },
    diff(id, urn, olds, news) {
      const name = assertServed(urn);
      const { changes, replaces, sets, options, deleteBeforeReplace } = core.diff({
        name,
        id,
        olds: unwrapSecrets(olds).plain,
        news: unwrapSecrets(news).plain as unknown as UserPasswordInputs,
      });
      return Promise.resolve({ changes, replaces, deleteBeforeReplace, diffs: [...replaces, ...sets, ...options] });
    },
    async create(urn, inputs) {
      const name = assertServed(urn);
      const declared = unwrapSecrets(inputs);
      const { id, outputs } = await core.create({ name, inputs: declared.plain as unknown as UserPasswordInputs });
      return { id, outs: markSecrets(outputs, declared.secretKeys) };
    },
    async read(id, urn, props) {
      const name = assertServed(urn);
      const stored = unwrapSecrets(props);
      // No stored outputs: an import (`pulumi import`, or the `import` resource option).
      const importing = typeof stored.plain.userPoolId !== "string";
      const result = await core.read({
        name,
        id,
        outputs: importing ? undefined : stored.plain,
      });
      if (result.id === undefined) return {};
      const outs = markSecrets(result.outputs, stored.secretKeys);
      if (!importing) return { id: result.id, props: outs };
      // The inputs a program declares for it, never the password (which Cognito cannot
      // tell): the engine writes them into generated code. The next `up` sets the declared one.
      const inputs = { userPoolId: result.outputs.userPoolId, username: result.outputs.username };
      return { id: result.id, props: outs, inputs };
    },
    async update(id, urn, olds, news) {
      const name = assertServed(urn);
      const declared = unwrapSecrets(news);
      const { outputs } = await core.update({
        name,
        id,
        olds: unwrapSecrets(olds).plain as unknown as UserPasswordOutputs,
        news: declared.plain as unknown as UserPasswordInputs,
      });
      return { outs: markSecrets(outputs, declared.secretKeys) };
    },
    delete(id, urn, props) {
      const name = assertServed(urn);
      return core.delete({ name, id, outputs: unwrapSecrets(props).plain as unknown as UserPasswordOutputs });
    },
  };
}
