/**
 * The fault proxy itself, in front of a real cognito-local: what later fault and quota
 * tests rely on (counting, recording, injected errors, resets, delays, throttling) works
 * through the real AWS SDK.
 */
import { request } from "node:http";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REGION, uniqueName, useDummyAwsEnvironment } from "../support/cognito-fixtures";
import { startCognitoLocal, type Emulator } from "../harness/emulators";
import { ANY, startFaultProxy, type FaultProxy } from "../harness/fault-proxy";

useDummyAwsEnvironment();

function sdk(endpoint: string, maxAttempts = 1): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error("expected a failure, the call succeeded");
}

describe("fault proxy in front of cognito-local", () => {
  let emulator: Emulator;
  let proxy: FaultProxy;
  let poolId: string;

  beforeAll(async () => {
    emulator = await startCognitoLocal();
    proxy = await startFaultProxy(emulator.endpoint);
    const out = await sdk(emulator.endpoint).send(new CreateUserPoolCommand({ PoolName: uniqueName("proxy") }));
    poolId = out.UserPool?.Id ?? "";
    expect(poolId).toMatch(/^local_/);
  });
  afterAll(async () => {
    await proxy?.stop();
    await emulator?.stop();
  });
  afterEach(() => {
    proxy.clearRules();
    proxy.resetCounts();
  });

  const describePool = (client: CognitoIdentityProviderClient) =>
    client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));

  it("forwards requests and counts them per X-Amz-Target operation", async () => {
    const client = sdk(proxy.endpoint);
    const out = await describePool(client);
    expect(out.UserPool?.Id).toBe(poolId);
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(proxy.counts).toEqual({ DescribeUserPool: 1, ListUserPools: 2 });
    expect(proxy.forwarded).toEqual({ DescribeUserPool: 1, ListUserPools: 2 });
    expect(proxy.count()).toBe(3);
    expect(proxy.count("ListUserPools")).toBe(2);
    expect(proxy.count("AdminSetUserPassword")).toBe(0);
  });

  it("records request bodies, and counts requests without X-Amz-Target as (none)", async () => {
    await describePool(sdk(proxy.endpoint));
    const [recorded] = proxy.requests("DescribeUserPool");
    expect(JSON.parse(recorded?.body ?? "{}")).toEqual({ UserPoolId: poolId });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${proxy.endpoint}/health`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(proxy.counts["(none)"]).toBe(1);
    proxy.resetCounts();
    expect(proxy.count()).toBe(0);
    expect(proxy.requests()).toEqual([]);
  });

  it("answers an injected Cognito error N times, then forwards again", async () => {
    const rule = proxy.failWith("DescribeUserPool", {
      status: 400,
      type: "TooManyRequestsException",
      message: "slow down",
      times: 2,
    });
    const client = sdk(proxy.endpoint);
    for (let i = 0; i < 2; i++) {
      const err = await failure(describePool(client));
      expect(err.name).toBe("TooManyRequestsException");
      expect(err.message).toBe("slow down");
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
    expect((await describePool(client)).UserPool?.Id).toBe(poolId);
    expect(rule.hits).toBe(2);
    expect(rule.remaining).toBe(0);
    expect(proxy.count("DescribeUserPool")).toBe(3);
    expect(proxy.forwarded.DescribeUserPool).toBe(1);
  });

  it("answers an error always until the rule is removed; rules match one operation or all", async () => {
    const rule = proxy.failWith(ANY, { status: 500, type: "InternalErrorException" });
    const client = sdk(proxy.endpoint);
    const err = await failure(client.send(new ListUserPoolsCommand({ MaxResults: 1 })));
    expect(err.name).toBe("InternalErrorException");
    expect(err.$metadata?.httpStatusCode).toBe(500);
    expect((await failure(describePool(client))).name).toBe("InternalErrorException");
    rule.remove();
    expect((await describePool(client)).UserPool?.Id).toBe(poolId);

    proxy.failWith("ListUserPools", { status: 400, type: "NotAuthorizedException" });
    expect((await describePool(client)).UserPool?.Id).toBe(poolId);
    expect((await failure(client.send(new ListUserPoolsCommand({ MaxResults: 1 })))).name).toBe(
      "NotAuthorizedException",
    );
  });

  it("lets the SDK retry an injected 5xx (what the provider relies on)", async () => {
    proxy.failWith("DescribeUserPool", { status: 503, type: "InternalErrorException", times: 2 });
    const out = await describePool(sdk(proxy.endpoint, 3));
    expect(out.UserPool?.Id).toBe(poolId);
    expect(proxy.count("DescribeUserPool")).toBe(3);
  });

  it("resets the connection N times", async () => {
    const rule = proxy.resetConnection("DescribeUserPool", 1);
    const err = await failure(describePool(sdk(proxy.endpoint)));
    expect(err.name).not.toBe("DescribeUserPoolCommand");
    expect(`${err.name} ${err.message} ${String((err as { code?: unknown }).code)}`).toMatch(
      /ECONNRESET|socket hang up|aborted/i,
    );
    expect(rule.hits).toBe(1);
    // The SDK treats a reset as transient: with a retry the same call succeeds.
    proxy.resetConnection("DescribeUserPool", 1);
    expect((await describePool(sdk(proxy.endpoint, 2))).UserPool?.Id).toBe(poolId);
    expect(proxy.count("DescribeUserPool")).toBe(3);
    expect(proxy.forwarded.DescribeUserPool).toBe(1);
  });

  it("delays responses by D ms", async () => {
    proxy.delay("DescribeUserPool", 400, 1);
    const client = sdk(proxy.endpoint);
    await describePool(client); // warm the connection
    proxy.resetCounts();
    proxy.delay("DescribeUserPool", 400, 1);
    const started = Date.now();
    await describePool(client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const again = Date.now();
    await describePool(client);
    expect(Date.now() - again).toBeLessThan(390);
  });

  it("records when each answer was sent: two calls in flight at once have overlapping windows; an injected error is answered, a reset never", async () => {
    const client = sdk(proxy.endpoint);
    await describePool(client); // warm the connection
    proxy.resetCounts();
    proxy.delay("DescribeUserPool", 400, 2);
    await Promise.all([describePool(client), describePool(client)]);
    const [first, second] = proxy.requests("DescribeUserPool");
    expect(first?.answeredAt).toBeDefined();
    expect(second?.answeredAt).toBeDefined();
    for (const r of [first, second]) expect((r?.answeredAt as number) - (r?.at as number)).toBeGreaterThanOrEqual(390);
    // Both arrived before either was answered.
    expect(Math.max(first?.at as number, second?.at as number)).toBeLessThan(
      Math.min(first?.answeredAt as number, second?.answeredAt as number),
    );
    // One after the other: the second arrives after the first was answered.
    proxy.resetCounts();
    await describePool(client);
    await describePool(client);
    const [a, b] = proxy.requests("DescribeUserPool");
    expect(b?.at).toBeGreaterThanOrEqual(a?.answeredAt as number);

    proxy.resetCounts();
    proxy.failWith("DescribeUserPool", { status: 400, type: "TooManyRequestsException", times: 1 });
    await failure(describePool(client));
    expect(proxy.requests("DescribeUserPool")[0]?.answeredAt).toBeGreaterThanOrEqual(
      proxy.requests("DescribeUserPool")[0]?.at as number,
    );
    proxy.resetConnection("DescribeUserPool", 1);
    await failure(describePool(sdk(proxy.endpoint)));
    expect(proxy.requests("DescribeUserPool")[1]?.answeredAt).toBeUndefined();
  });

  it("throttles beyond R requests per second with TooManyRequestsException (HTTP 400), counting them", async () => {
    const rule = proxy.throttle("DescribeUserPool", { ratePerSecond: 5 });
    const client = sdk(proxy.endpoint);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => describePool(client)));
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.flatMap((r) =>
      r.status === "rejected" ? [r.reason as Error & { $metadata?: { httpStatusCode?: number } }] : [],
    );
    // A burst of 20 against a bucket of 5: 5 pass (plus at most one refilled token).
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(6);
    expect(refused.length).toBe(20 - ok);
    for (const err of refused) {
      expect(err.name).toBe("TooManyRequestsException");
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
    expect(proxy.throttledCount("DescribeUserPool")).toBe(refused.length);
    expect(proxy.throttled.DescribeUserPool).toBe(refused.length);
    expect(rule.hits).toBe(refused.length);
    expect(proxy.forwarded.DescribeUserPool).toBe(ok);

    // Tokens come back at R per second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await Promise.allSettled(Array.from({ length: 5 }, () => describePool(client)));
    expect(later.filter((r) => r.status === "fulfilled").length).toBe(5);
    // Other operations are not throttled by a rule for DescribeUserPool.
    const others = await Promise.allSettled(
      Array.from({ length: 10 }, () => client.send(new ListUserPoolsCommand({ MaxResults: 1 }))),
    );
    expect(others.every((r) => r.status === "fulfilled")).toBe(true);
  });
});
