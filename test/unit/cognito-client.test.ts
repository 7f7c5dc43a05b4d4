// The SDK client the provider builds enforces its request timeout: a Cognito that accepts the
// connection and never answers fails the call with a TimeoutError (then retried by the SDK),
// instead of hanging the deployment. (@smithy/node-http-handler 4.x only warns unless told to
// throw.) A local server that never answers stands in for the hung service.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCognitoClient } from "../../src/cognito/gateway";

let server: Server;
let endpoint: string;
let received = 0;

beforeAll(async () => {
  server = createServer(() => {
    received++; // never answers
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createCognitoClient", () => {
  it("fails a call that gets no answer within the request timeout, once per attempt", async () => {
    const client = createCognitoClient(
      { region: "us-east-1", endpoint },
      { maxAttempts: 2, requestTimeoutMs: 300, connectionTimeoutMs: 1_000 },
    );
    const previous = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = "testing";
    process.env.AWS_SECRET_ACCESS_KEY = "testing";
    const started = Date.now();
    try {
      const err = await client.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_Abc", Username: "alice" })).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.name).toBe("TimeoutError");
      expect(received).toBe(2);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      if (previous.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = previous.id;
      if (previous.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = previous.secret;
      client.destroy();
    }
  });
});
