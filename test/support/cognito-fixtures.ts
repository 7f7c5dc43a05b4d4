/**
 * What the integration tests add to the harness's Cognito fixtures (test/harness/cognito.ts, which
 * this module re-exports): the password-leak assertions every test applies to outputs and
 * errors, and the provider wrapped so that every call is checked. Each test makes its own pool
 * (random names), so tests never share state.
 */
import { createHash } from "node:crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { DynamicInputs, DynamicOutputs } from "pulumi-cognito-user-password";
import { expect } from "vitest";
import { REGION } from "../harness/cognito";
import { describeLeaks, SecretScanner } from "../harness/secret-scanner";

export * from "../harness/cognito";

/** Every form of a secret the scanner looks for (plain, URL, JSON, base64 at each offset, hex). */
export { secretForms } from "../harness/secret-scanner";

/**
 * Fails when any of `secrets` appears, in any form the scanner knows, in what `value` exposes:
 * strings, objects and arrays (keys too), errors (name, message, stack, own properties, cause).
 * The failure names the secret by position and length, the form and where it was found, never the value.
 */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const leaks = new SecretScanner(secrets).scanValue(value, "value");
  expect(leaks, `secret leaked:\n${describeLeaks(leaks)}`).toEqual([]);
}

/** Awaits `promise`, expecting it to reject; returns the error after checking it leaks none of `secrets`. */
export async function expectRejection(promise: Promise<unknown>, secrets: readonly string[]): Promise<Error> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error, "expected the call to fail").toBeInstanceOf(Error);
  expectNoSecret(error, secrets);
  return error as Error;
}

// ---- driving the provider ----

/** The provider's methods, all present (the exported object has every one). */
export type Provider = Required<Omit<dynamic.ResourceProvider<DynamicInputs, DynamicOutputs>, "configure">>;

/**
 * Wraps a provider so every result and every error is checked for the secrets in `secrets`
 * (a live list: push each password a test uses). `check` legitimately returns the inputs,
 * password included, for the engine: its failures and every other input it returns are checked.
 */
export function leakChecked(
  provider: dynamic.ResourceProvider<DynamicInputs, DynamicOutputs>,
  secrets: readonly string[],
): Provider {
  const method = <K extends keyof Provider>(name: K): Provider[K] => {
    const fn = provider[name];
    if (typeof fn !== "function") throw new Error(`the provider has no ${name} method`);
    // Bound: class instances (createUserPasswordProvider()) need their `this`.
    return (fn as (...args: unknown[]) => unknown).bind(provider) as Provider[K];
  };
  const guard = async <T>(call: () => Promise<T>, inspect: (result: T) => unknown): Promise<T> => {
    let result: T;
    try {
      result = await call();
    } catch (err) {
      expectNoSecret(err, secrets);
      throw err;
    }
    expectNoSecret(inspect(result), secrets);
    return result;
  };
  const check = method("check"),
    diff = method("diff"),
    create = method("create");
  const read = method("read"),
    update = method("update"),
    remove = method("delete");
  return {
    check: (olds, news) =>
      guard(
        () => check(olds, news),
        (r) => {
          const others: Partial<DynamicInputs> = { ...r.inputs };
          delete others.password;
          return { failures: r.failures ?? [], inputs: others };
        },
      ),
    diff: (id, olds, news) =>
      guard(
        () => diff(id, olds, news),
        (r) => r,
      ),
    create: (inputs) =>
      guard(
        () => create(inputs),
        (r) => r,
      ),
    read: (id, props) =>
      guard(
        () => read(id, props),
        (r) => r,
      ),
    update: (id, olds, news) =>
      guard(
        () => update(id, olds, news),
        (r) => r,
      ),
    delete: (id, props) =>
      guard(
        () => remove(id, props),
        () => undefined,
      ),
  };
}

/**
 * Inputs for one resource against an emulator endpoint (region us-east-1). The resource
 * name defaults to one derived from pool and username, so repeated calls for the same user
 * describe the same resource (the provider refuses two resources declaring one user).
 */
export function declaredInputs(
  endpoint: string,
  userPoolId: string,
  username: string,
  password: string,
  extra: Partial<DynamicInputs> = {},
): DynamicInputs {
  const name = `res-${createHash("sha256").update(`${userPoolId}/${username}`).digest("hex").slice(0, 8)}`;
  return { resourceName: name, userPoolId, username, password, permanent: true, region: REGION, endpoint, ...extra };
}

/** The outputs of a create (fails the test when there are none). */
export function outputsOf(result: { outs?: DynamicOutputs }): DynamicOutputs {
  if (!result.outs) throw new Error("the provider returned no outputs");
  return result.outs;
}
