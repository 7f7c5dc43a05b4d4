/**
 * An HTTPS front for an emulator (moto serves Cognito and STS on one port): it serves a
 * certificate a test CA issued (harness/test-ca.ts), forwards every request to the upstream
 * over plain HTTP, and records for each request its operation (X-Amz-Target, or the query
 * protocol's `Action`) and the access key id that signed it (the `Credential=` of the SigV4
 * Authorization header: never the signature or a secret). It counts TLS handshakes that
 * completed and those the client broke off (an untrusted certificate), so a test sees how
 * many attempts a client made. Started and stopped by the test.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { operationOf } from "./fault-proxy";

export interface SignedRequest {
  operation: string;
  /** The access key id of the SigV4 credential scope; "(unsigned)" when none. */
  accessKeyId: string;
}

export interface TlsFront {
  /** https://localhost:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** Every request, oldest first (live). */
  readonly requests: readonly SignedRequest[];
  /** Handshakes completed / broken off by the client (live). */
  readonly handshakes: { completed: number; failed: number };
  /** The access keys that signed requests of `operation` (all when omitted), in order. */
  keysFor(operation?: string): string[];
  reset(): void;
  stop(): Promise<void>;
}

export function accessKeyOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? "";
  return /Credential=([^/,\s]+)\//.exec(auth)?.[1] ?? "(unsigned)";
}

export async function startTlsFront(upstream: string, tls: { cert: string; key: string }): Promise<TlsFront> {
  const target = new URL(upstream);
  const requests: SignedRequest[] = [];
  const handshakes = { completed: 0, failed: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ operation: operationOf(req.headers, body), accessKeyId: accessKeyOf(req) });
      const out = httpRequest(
        {
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host, "content-length": String(body.length) },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      out.on("error", () => res.destroy());
      out.end(body);
    });
  });
  server.on("secureConnection", () => handshakes.completed++);
  server.on("tlsClientError", () => handshakes.failed++);
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://localhost:${port}`,
    port,
    requests,
    handshakes,
    keysFor: (operation) => requests.filter((r) => !operation || r.operation === operation).map((r) => r.accessKeyId),
    reset: () => {
      requests.length = 0;
      handshakes.completed = 0;
      handshakes.failed = 0;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
