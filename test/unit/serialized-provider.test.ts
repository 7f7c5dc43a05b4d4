import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";

// What the engine stores in every resource's state as `__provider` (twice: inputs and outputs).
// Both cases load the compiled package (`npm run build` first), as Pulumi programs do.
const load = createRequire(__filename);
const CANARY = "canary-secret-key-7f3a";

async function serialize(provider: unknown) {
  process.env.AWS_SECRET_ACCESS_KEY = CANARY;
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

describe("the serialized provider", () => {
  it("from the installed package (as users have it) is a one-line require of the package", async () => {
    // By path: inside the repository the bare name resolves to the checkout (self-reference).
    const { userPasswordProvider } = load(
      path.join(__dirname, "../../node_modules/pulumi-cognito-user-password"),
    ) as typeof import("../../src");
    const { text, containsSecrets } = await serialize(userPasswordProvider);
    expect(containsSecrets).toBe(false);
    expect(text).toContain('require("pulumi-cognito-user-password/dist/dynamic/serialized-provider.js")');
    expect(text).not.toContain(CANARY);
    console.log(`serialized provider (installed package): ${text.length} bytes`);
    expect(text.length).toBeLessThan(400);
  });

  it("copied by value (a checkout linked outside node_modules) still only loads the package at run time", async () => {
    const provider = load(path.join(__dirname, "../../dist/dynamic/serialized-provider.js")) as object;
    const { text, containsSecrets } = await serialize(provider);
    expect(containsSecrets).toBe(false);
    expect(text).not.toContain(CANARY);
    expect(text).toContain('require("pulumi-cognito-user-password/dist/provider-runtime").provider');
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      expect(text).toContain(`__provider.${method} = __f`);
    }
    expect(text).not.toMatch(/CognitoIdentityProvider|AdminSetUserPassword|__awaiter|class /);
    console.log(`serialized provider (by value): ${text.length} bytes`);
    expect(text.length).toBeLessThan(4000);
  });

  it("the paths older states load stay: dist/dynamic-provider.js has every method, dist/provider-runtime the provider", () => {
    const stable = load(
      path.join(__dirname, "../../node_modules/pulumi-cognito-user-password/dist/dynamic-provider.js"),
    ) as Record<string, unknown>;
    const runtime = load(
      path.join(__dirname, "../../node_modules/pulumi-cognito-user-password/dist/provider-runtime.js"),
    ) as {
      provider: Record<string, unknown>;
    };
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      expect(typeof stable[method]).toBe("function");
      expect(typeof runtime.provider[method]).toBe("function");
    }
  });
});
