/**
 * The inline Pulumi programs the engine benchmarks run: N `UserPassword`s (the library as a
 * user installs it, loaded from node_modules), N no-op dynamic resources with the same inputs
 * (the engine's own floor), and N resources of a naive provider that captures an AWS SDK
 * client (the state-size comparison), plus the probe provider that records its calls, and N of
 * the provider plugin's UserPasswords (the plugin face, served over gRPC, no code in the state). Those
 * providers are plain CommonJS files next to this one, loaded with Node's own require so that
 * Pulumi serializes their real text (the no-op one from a copy installed into node_modules).
 */
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";
import { loadLibrary, ROOT } from "../../test/harness/engine";
import { PLUGIN_VERSION } from "../../test/harness/plugin-archive";
import { RESOURCE_TOKEN } from "../../src/plugin/schema";

const localRequire = createRequire(__filename);
const { naiveProvider } = localRequire("./naive-provider.js") as {
  naiveProvider: (options: { region: string; endpoint: string }) => pulumi.dynamic.ResourceProvider;
};
const { probeProvider } = localRequire("./probe-provider.js") as {
  probeProvider: (logFile: string) => pulumi.dynamic.ResourceProvider;
};

export const USER_PASSWORD_TYPE = "pulumi-nodejs:dynamic/cognito:UserPassword";
export const NOOP_TYPE = "pulumi-nodejs:dynamic/bench:NoopUser";
export const NAIVE_TYPE = "pulumi-nodejs:dynamic/bench:NaiveUser";
export const PROBE_TYPE = "pulumi-nodejs:dynamic/bench:ProbeUser";
/** The provider plugin's UserPassword (installed into the engine's PULUMI_HOME from its archive). */
export const PLUGIN_TYPE = RESOURCE_TOKEN;

/** The package name the no-op provider is installed under (node_modules, like the library). */
export const NOOP_PACKAGE = "pulumi-cognito-user-password-bench-noop";

/**
 * Installs noop-provider.js as a package into the repository's node_modules (a copy, as
 * scripts/install-self.js does for the library) and loads it by name, so Pulumi serializes it
 * by reference like the library's provider. Idempotent; safe against concurrent runs.
 */
function loadNoopProvider(): pulumi.dynamic.ResourceProvider {
  const dest = path.join(ROOT, "node_modules", NOOP_PACKAGE);
  const staging = `${dest}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    path.join(staging, "package.json"),
    `${JSON.stringify({ name: NOOP_PACKAGE, version: "0.0.0", private: true, main: "index.js" }, null, 2)}\n`,
  );
  copyFileSync(path.join(__dirname, "noop-provider.js"), path.join(staging, "index.js"));
  rmSync(dest, { recursive: true, force: true });
  renameSync(staging, dest);
  return createRequire(path.join(ROOT, "package.json"))(NOOP_PACKAGE) as pulumi.dynamic.ResourceProvider;
}

let noopProvider: pulumi.dynamic.ResourceProvider | undefined;

/** The users a program declares: `usernames[i]` gets `password(i)`. */
export interface Seed {
  userPoolId: string;
  endpoint: string;
  region: string;
  usernames: readonly string[];
  password(index: number): string;
  /** For the probe program: the file its provider appends method names to. */
  probeLog?: string;
}

interface UserProps {
  userPoolId: pulumi.Input<string>;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
}

/** Same inputs as a UserPassword (password secret, endpoint, resource name), no work. */
class NoopUser extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    provider: pulumi.dynamic.ResourceProvider,
    props: UserProps & { endpoint: string },
    opts?: pulumi.CustomResourceOptions,
  ) {
    const inputs = { ...props, resourceName: name, password: pulumi.secret(props.password), status: undefined };
    super(provider, name, inputs, opts, "bench", "NoopUser");
  }
}

/** A resource of the naive or the probe provider (the type name tells them apart). */
class OtherUser extends pulumi.dynamic.Resource {
  constructor(
    type: "NaiveUser" | "ProbeUser",
    name: string,
    provider: pulumi.dynamic.ResourceProvider,
    props: UserProps,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(provider, name, { ...props, password: pulumi.secret(props.password) }, opts, "bench", type);
  }
}

/** The provider plugin's UserPassword, as a YAML, Python or Go program declares it (same inputs). */
class PluginUser extends pulumi.CustomResource {
  constructor(name: string, props: UserProps & { endpoint: string }) {
    super(
      PLUGIN_TYPE,
      name,
      { ...props, password: pulumi.secret(props.password), status: undefined },
      {
        version: PLUGIN_VERSION,
      },
    );
  }
}

export type ProgramKind = "userPassword" | "noop" | "naive" | "probe" | "plugin";

/** The program declaring `count` resources of `kind` for the first `count` users of `seed`. */
export function program(kind: ProgramKind, seed: Seed, count: number = seed.usernames.length): automation.PulumiFn {
  if (count > seed.usernames.length)
    throw new Error(`program of ${count} resources, but the seed has ${seed.usernames.length} users`);
  const { UserPassword } = loadLibrary();
  const noop = kind === "noop" ? (noopProvider ??= loadNoopProvider()) : undefined;
  return () => {
    const other =
      kind === "naive"
        ? naiveProvider({ region: seed.region, endpoint: seed.endpoint })
        : kind === "probe"
          ? probeProvider(seed.probeLog ?? "/dev/null")
          : undefined;
    for (let i = 0; i < count; i++) {
      const name = `u${i}`;
      const props = { userPoolId: seed.userPoolId, username: seed.usernames[i] as string, password: seed.password(i) };
      if (kind === "userPassword") new UserPassword(name, { ...props, endpoint: seed.endpoint });
      else if (kind === "plugin") new PluginUser(name, { ...props, endpoint: seed.endpoint });
      else if (kind === "noop")
        new NoopUser(name, noop as pulumi.dynamic.ResourceProvider, { ...props, endpoint: seed.endpoint });
      else
        new OtherUser(
          kind === "naive" ? "NaiveUser" : "ProbeUser",
          name,
          other as pulumi.dynamic.ResourceProvider,
          props,
        );
    }
    return Promise.resolve({});
  };
}
