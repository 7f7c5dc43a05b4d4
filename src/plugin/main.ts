/**
 * The plugin's entry point: the executable `pulumi-resource-cognito-user-password` runs it
 * (see scripts/package-plugin.mjs). One core per plugin process, so its connection pool and
 * ownership registry span the whole deployment. The version is the package's: esbuild inlines
 * package.json into the executable.
 */
import { UserPasswordCore } from "../core/user-password";
import { pluginProviderOver } from "./provider";
import { packageSchema } from "./schema";
import { serve } from "./server";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- JSON, inlined by the bundler
const { version } = require("../../package.json") as { version: string };

const provider = pluginProviderOver(new UserPasswordCore(), version, JSON.stringify(packageSchema(version)));
serve(provider, process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
