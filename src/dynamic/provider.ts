/**
 * The dynamic face's adapter: Pulumi's `dynamic.ResourceProvider` methods over the core. The
 * dynamic resource carries its own logical name as the input `resourceName` (the class sets
 * it; the engine gives a dynamic provider no URN), and the engine adds `__provider` (the
 * serialized provider) to inputs and outputs: both are taken off before the core sees the
 * inputs, and `resourceName` is put back on the outputs, where the states of every release
 * keep it.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { UserPasswordCore, type CoreDependencies } from "../core/user-password";
import type { UserPasswordInputs, UserPasswordOutputs } from "../core/types";

/** The inputs the dynamic resource sends: the core's, plus its own logical name. */
export type DynamicInputs = UserPasswordInputs & { resourceName?: string };
/** The outputs the dynamic resource keeps: the core's, plus its own logical name. */
export type DynamicOutputs = UserPasswordOutputs & { resourceName?: string };

/**
 * The dynamic provider, with every method present (Pulumi's type makes them optional).
 * `check` takes no previous inputs for a first create (the engine passes `{}`).
 */
export type UserPasswordProvider = Required<Omit<dynamic.ResourceProvider<DynamicInputs, DynamicOutputs>, "check">> & {
  check(olds: Partial<DynamicInputs> | undefined, news: DynamicInputs): Promise<dynamic.CheckResult<DynamicInputs>>;
};

/** The engine's own property: the serialized provider, in every dynamic resource's inputs and outputs. */
const PROVIDER_KEY = "__provider";

/** The core's view of a dynamic resource's properties, and the resource's logical name. */
function split<T extends { resourceName?: string }>(
  props: T | undefined,
): { name: string | undefined; rest: Omit<T, "resourceName"> } {
  const { resourceName, ...rest } = props ?? ({} as T);
  delete (rest as Record<string, unknown>)[PROVIDER_KEY];
  return { name: typeof resourceName === "string" && resourceName ? resourceName : undefined, rest };
}

function named<T extends object>(name: string | undefined, props: T): T & { resourceName?: string } {
  return name ? { resourceName: name, ...props } : props;
}

/** The dynamic provider over `core`. */
export function dynamicProviderOver(core: UserPasswordCore): UserPasswordProvider {
  return {
    configure(req) {
      core.configure(req.config);
      return Promise.resolve();
    },
    async check(olds, news) {
      const previous = split(olds);
      const { name, rest } = split(news);
      const result = await core.check({
        name,
        olds: previous.rest,
        news: rest,
      });
      return result.failures ? { failures: result.failures } : { inputs: named(name, result.inputs) };
    },
    diff(id, olds, news) {
      const { name, rest } = split(news);
      const { changes, replaces, deleteBeforeReplace } = core.diff({
        name,
        id,
        olds: split(olds).rest,
        news: rest,
      });
      return Promise.resolve({ changes, replaces, deleteBeforeReplace });
    },
    async create(inputs) {
      const { name, rest } = split(inputs);
      const { id, outputs } = await core.create({ name, inputs: rest });
      return { id, outs: named(name, outputs) };
    },
    async read(id, props) {
      const { name, rest } = split(props);
      const result = await core.read({ name, id, outputs: rest });
      return result.id === undefined ? {} : { id: result.id, props: named(name, result.outputs) };
    },
    async update(id, olds, news) {
      const { name, rest } = split(news);
      const { outputs } = await core.update({
        name,
        id,
        olds: split(olds).rest,
        news: rest,
      });
      return { outs: named(name, outputs) };
    },
    delete(id, props) {
      const { name, rest } = split(props);
      return core.delete({ name, id, outputs: rest });
    },
  };
}

/**
 * A dynamic provider over a core of its own, with injected dependencies (a gateway per
 * connection, a clock, an environment): for tests and for programs that drive the provider
 * directly. The engine runs `userPasswordProvider`, which loads the installed package's.
 */
export function createUserPasswordProvider(deps: CoreDependencies = {}): UserPasswordProvider {
  return dynamicProviderOver(new UserPasswordCore(deps));
}
