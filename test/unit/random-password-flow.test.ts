/**
 * A real `@pulumi/random` `RandomPassword` feeding `UserPassword`, under Pulumi's mocks (the
 * random provider's Go plugin is not obtainable here, so the end-to-end tests use the
 * test-only TestRandomPassword instead; these tests prove that the real one flows in the same
 * way): its `result` reaches UserPassword's `password` input as a secret, in an update and in
 * a preview where the result is still unknown.
 *
 * Pulumi's mock monitor does not apply `additionalSecretOutputs` (the engine does): the mocks
 * below apply the list each resource really declared, read with a transformation, as the
 * engine would. The end-to-end tests show the engine doing it for the same mechanism.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { isUnknown } from "@pulumi/pulumi/output";
import { isRpcSecret, unknownValue, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../src/cognito/gateway";
import { createUserPasswordProvider, type DynamicInputs as UserPasswordInputs } from "../../src/dynamic/provider";
import { UserPassword } from "../../src/dynamic/resource";
import { UNKNOWN } from "../../src/core/types";
import { omit } from "../support/omit";

const GENERATED = "Gen3rated!Random#Pw";
const USER_PASSWORD_TYPE = "pulumi-nodejs:dynamic/cognito:UserPassword";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * Sets mocks that generate `GENERATED` for RandomPassword (not during preview), record every
 * registration, and mark as secret the outputs named in `secretOutputs[name]`, as the engine
 * does with a resource's `additionalSecretOutputs`.
 */
function mockEngine(preview: boolean, secretOutputs: Record<string, string[] | undefined> = {}): Registered[] {
  const registered: Registered[] = [];
  const engineSecrets = (name: string, state: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...state };
    for (const key of secretOutputs[name] ?? [])
      if (key in out && out[key] !== undefined) out[key] = pulumi.secret(out[key]);
    return out;
  };
  // async in signature only: its body runs synchronously, so the mocks are in place when it returns.
  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, inputs });
        if (args.type === "random:index/randomPassword:RandomPassword") {
          // Like the real provider: the result exists only once the resource is created.
          const state = preview ? { ...inputs } : { ...inputs, result: GENERATED };
          return { id: `${args.name}-id`, state: engineSecrets(args.name, state) };
        }
        const rest = omit(inputs, "password");
        const outs = { ...rest, status: "CONFIRMED", setId: "0123456789abcdef0123456789abcdef" };
        return { id: `${args.name}-id`, state: engineSecrets(args.name, outs) };
      },
      call() {
        return {};
      },
    },
    "project",
    "stack",
    preview,
  );
  return registered;
}

/** A transformation that records the `additionalSecretOutputs` a resource registers with. */
function recordSecretOutputs(into: Record<string, string[] | undefined>): pulumi.ResourceTransformation {
  return (args) => {
    into[args.name] = (args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs;
    return undefined;
  };
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Waits until the mock monitor has seen a registration of `type`. */
async function registrationOf(registered: Registered[], type: string): Promise<Registered> {
  for (let i = 0; i < 200; i++) {
    const found = registered.find((r) => r.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${type} was registered`);
}

const noCognito: CognitoGateway = {
  getUser: () => Promise.reject(new Error("no Cognito call expected")),
  setPassword: () => Promise.reject(new Error("no Cognito call expected")),
  describeUserPool: () => Promise.reject(new Error("no Cognito call expected")),
};

describe("a @pulumi/random RandomPassword feeding UserPassword (mocks)", () => {
  it("marks RandomPassword.result secret, and UserPassword receives it as a secret input", async () => {
    const secretOutputs: Record<string, string[] | undefined> = {};
    const registered = mockEngine(false, secretOutputs);
    const pw = new random.RandomPassword(
      "pw",
      { length: 20, special: true },
      { transformations: [recordSecretOutputs(secretOutputs)] },
    );
    const user = new UserPassword(
      "alice",
      { userPoolId: "us-east-1_Abc123", username: "alice", password: pw.result },
      { transformations: [recordSecretOutputs(secretOutputs)] },
    );

    // What each resource asks the engine to keep secret.
    expect(secretOutputs.pw).toContain("result");
    // UserPassword has no output derived from the password, so it declares no secret output.
    expect(secretOutputs.alice ?? []).toEqual([]);
    expect(await pulumi.isSecret(pw.result)).toBe(true);
    expect(await valueOf(pw.result)).toBe(GENERATED);
    await valueOf(user.status);

    const reg = await registrationOf(registered, USER_PASSWORD_TYPE);
    // On the wire to the engine, the password is wrapped as a secret, holding the generated value.
    expect(isRpcSecret(reg.inputs.password)).toBe(true);
    expect(unwrapRpcSecret(reg.inputs.password)).toBe(GENERATED);
    // Nothing else carries it.
    const others = omit(reg.inputs, "password");
    expect(JSON.stringify(others)).not.toContain(GENERATED);
    expect(JSON.stringify(others)).not.toContain(Buffer.from(GENERATED).toString("base64"));
    // Its outputs are plain: nothing in them is derived from the password.
    expect(await pulumi.isSecret(user.setId)).toBe(false);
    expect(await valueOf(user.setId)).toBe("0123456789abcdef0123456789abcdef");
  });

  it("wraps even a plain-string password as a secret", async () => {
    const registered = mockEngine(false);
    const user = new UserPassword("bob", {
      userPoolId: "us-east-1_Abc123",
      username: "bob",
      password: "Plain!Passw0rd",
    });
    await valueOf(user.status);
    const reg = await registrationOf(registered, USER_PASSWORD_TYPE);
    expect(isRpcSecret(reg.inputs.password)).toBe(true);
    expect(unwrapRpcSecret(reg.inputs.password)).toBe("Plain!Passw0rd");
  });

  it("in a preview, the not-yet-generated result arrives as a secret unknown, which check lets through without calling Cognito", async () => {
    const secretOutputs: Record<string, string[] | undefined> = {};
    const registered = mockEngine(true, secretOutputs);
    const pw = new random.RandomPassword(
      "pw",
      { length: 20 },
      { transformations: [recordSecretOutputs(secretOutputs)] },
    );
    const user = new UserPassword("carol", { userPoolId: "us-east-1_Abc123", username: "carol", password: pw.result });
    await valueOf(user.status);

    const reg = await registrationOf(registered, USER_PASSWORD_TYPE);
    expect(isRpcSecret(reg.inputs.password)).toBe(true);
    expect(isUnknown(unwrapRpcSecret(reg.inputs.password))).toBe(true);

    // On the wire an unknown is this sentinel string, and that is what the dynamic provider's
    // check receives (the provider host hands it the raw struct).
    expect(unknownValue).toBe(UNKNOWN);
    const provider = createUserPasswordProvider({ gatewayFor: () => noCognito, env: {} });
    const news: UserPasswordInputs = {
      resourceName: "carol",
      userPoolId: "us-east-1_Abc123",
      username: "carol",
      password: UNKNOWN,
    };
    const result = await provider.check({}, news);
    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs?.password).toBe(UNKNOWN);
    // An unknown password counts as changed (an unknown revision), even against previous inputs holding a password and a revision.
    expect(result.inputs?.passwordRevision).toBe(UNKNOWN);
    const previous = { ...news, password: "Old!Passw0rd", passwordRevision: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" };
    expect((await provider.check(previous, news)).inputs?.passwordRevision).toBe(UNKNOWN);
    // And diff reports a change for it rather than comparing it as a password.
    const diff = await provider.diff(
      "us-east-1_Abc123/carol",
      {
        userPoolId: "us-east-1_Abc123",
        username: "carol",
        permanent: true,
        passwordRevision: previous.passwordRevision,
      } as never,
      result.inputs!,
    );
    expect(diff.changes).toBe(true);
  });
});
