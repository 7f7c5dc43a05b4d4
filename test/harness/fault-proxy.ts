/**
 * A small loopback HTTP proxy in front of an emulator endpoint, for fault and quota tests.
 * It sees every AWS JSON-protocol request the SDK sends (operation = the part of the
 * `X-Amz-Target` header after the dot, e.g. `AdminSetUserPassword`) and can:
 *  - count requests per operation (all that arrived, and those forwarded upstream);
 *  - record request bodies (to prove a request never arrived, or what it carried), with when
 *    each request arrived and when its answer was sent (to prove two calls overlapped);
 *  - answer with an HTTP status and a Cognito-style JSON error, N times or always;
 *  - reset the connection (socket.destroy) N times or always;
 *  - delay responses by D ms (after the upstream answered, before the client sees it);
 *  - throttle with a token bucket: R requests per second admitted, the rest answered with
 *    TooManyRequestsException (HTTP 400), counted.
 * Rules apply to one operation or to all ("*"), optionally only to requests a `when`
 * predicate selects (e.g. one user's). `setUpstream` re-points the proxy (an emulator
 * restarted on another port). Requests of the AWS query protocol (STS) carry their operation
 * in the form body (`Action=AssumeRole`), which counts as the operation.
 *
 * It is also a CONNECT proxy (what HTTPS_PROXY points at): each tunnel is logged (target,
 * whether it carried Proxy-Authorization, the answer), can be refused with a status (407,
 * 403) N times or always, and can demand credentials (`requireProxyAuth`). What flows
 * through a tunnel is TLS: its requests are seen by whatever the tunnel reaches (a TLS
 * front, test/harness/tls-front.ts), not here.
 * Other protocols name their requests and errors through `operationsOf` and `errorBody`
 * (test/support/pipeline-aws.ts: S3, by IAM action). Node's http only: no extra dependencies.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { connect as netConnect, type AddressInfo, type Socket } from "node:net";

/** Any operation. */
export const ANY = "*";

export interface RecordedRequest {
  operation: string;
  /** Every name of the request (`operationsOf`); `operation` is the first. */
  operations: string[];
  /** The request's path and query, e.g. `/bucket/key?x-id=PutObject`. */
  path: string;
  /** The body; "" when the proxy records no bodies. */
  body: string;
  /** When the request arrived: ms since the proxy started. */
  at: number;
  /**
   * When the proxy finished sending its answer (the upstream's, or an injected error), in ms
   * since the proxy started; set once sent (the record is live), never for a reset connection.
   * [at, answeredAt] is the window in which the caller was waiting for this call.
   */
  answeredAt?: number;
}

/** What a `when` predicate and a message function see of a request. */
export interface RequestInfo {
  operation: string;
  /** The raw request body (AWS JSON). */
  body: string;
}

/** Selects the requests a rule applies to, on top of the operation (default: all of them). */
export type RequestFilter = (request: RequestInfo) => boolean;

export interface ErrorReply {
  /** HTTP status, e.g. 400 for client errors and throttling, 500 / 503 for service faults. */
  status: number;
  /** Cognito error type, e.g. `TooManyRequestsException`, `InternalErrorException`. */
  type: string;
  /** The error message; a function builds it from the request (e.g. to echo what it carried). */
  message?: string | ((request: RequestInfo) => string);
  /** How many matching requests get this answer; default: always. */
  times?: number;
  /** Only requests this selects (e.g. one user's); default: every request of the operation. */
  when?: RequestFilter;
}

export interface RuleOptions {
  /** Only requests this selects; default: every request of the operation. */
  when?: RequestFilter;
}

/** The `Username` of an AWS JSON request body, or undefined. */
export function usernameOf(request: RequestInfo): string | undefined {
  try {
    const parsed = JSON.parse(request.body) as { Username?: unknown };
    return typeof parsed.Username === "string" ? parsed.Username : undefined;
  } catch {
    return undefined;
  }
}

/** A filter for the requests about one user (by the `Username` the request carries). */
export function forUser(...usernames: string[]): RequestFilter {
  return (request) => {
    const name = usernameOf(request);
    return name !== undefined && usernames.includes(name);
  };
}

export interface Throttle {
  /** Requests per second admitted (token refill rate). */
  ratePerSecond: number;
  /** Bucket size; default `ratePerSecond` (one second's worth of burst). */
  burst?: number;
  /** Only requests this selects are subject to (and take tokens from) this bucket; default: all. */
  when?: RequestFilter;
}

/** A rule, as registered; `remaining` counts down for rules with `times`. */
export interface RuleHandle {
  readonly id: number;
  readonly operation: string;
  /** How many requests this rule acted on so far. */
  readonly hits: number;
  /** Left before the rule expires (Infinity for "always"). */
  readonly remaining: number;
  /** Removes the rule. */
  remove(): void;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port>: give this to the client instead of the emulator's endpoint. */
  readonly endpoint: string;
  /** Where requests are forwarded (changed by `setUpstream`). */
  readonly upstream: string;
  /** Forwards from now on to `upstream` (e.g. an emulator restarted on another port). */
  setUpstream(upstream: string): void;
  /** Requests that arrived, per operation (live). Requests without X-Amz-Target count as "(none)". */
  readonly counts: Readonly<Record<string, number>>;
  /** Requests passed on to the upstream, per operation (live). */
  readonly forwarded: Readonly<Record<string, number>>;
  /** Requests answered TooManyRequestsException by a throttle rule, per operation (live). */
  readonly throttled: Readonly<Record<string, number>>;
  /** Requests of `operation` that arrived (all operations when omitted). */
  count(operation?: string): number;
  /** Total requests refused by throttle rules (of `operation`, or all). */
  throttledCount(operation?: string): number;
  /** Recorded requests, oldest first (of `operation`, or all); without bodies when recordBodies is off. */
  requests(operation?: string): RecordedRequest[];
  failWith(operation: string, reply: ErrorReply): RuleHandle;
  resetConnection(operation: string, times?: number, options?: RuleOptions): RuleHandle;
  delay(operation: string, ms: number, times?: number, options?: RuleOptions): RuleHandle;
  throttle(operation: string, throttle: Throttle): RuleHandle;
  /** Removes every rule. */
  clearRules(): void;
  /** Every CONNECT received, oldest first (live). */
  readonly tunnels: readonly TunnelRecord[];
  /** Answers CONNECTs with `status` instead of opening the tunnel. */
  refuseTunnels(refusal: TunnelRefusal): RuleHandle;
  /** CONNECTs without `Proxy-Authorization: Basic base64(user:password)` get 407 (undefined: none demanded). */
  requireProxyAuth(credentials: { user: string; password: string } | undefined): void;
  /** Zeroes the counters and forgets recorded requests. */
  resetCounts(): void;
  stop(): Promise<void>;
}

/** One CONNECT request the proxy received. */
export interface TunnelRecord {
  /** `host:port` the client asked for. */
  target: string;
  /** Whether the request carried a Proxy-Authorization header (its value is never kept). */
  authorized: boolean;
  /** What the proxy answered: 200 (tunnel opened), the refusal's status, or 502 (target unreachable). */
  status: number;
}

export interface TunnelRefusal {
  /** 407 (proxy authentication required), 403 (forbidden), ... */
  status: number;
  /** How many CONNECTs get it; default: always. */
  times?: number;
}

export interface FaultProxyOptions {
  /** Keep request bodies (they may hold passwords: memory only, never written out). Default true. */
  recordBodies?: boolean;
  /** The names a request counts under and rules match (default: its X-Amz-Target operation). */
  operationsOf?: (request: IncomingMessage) => string[];
  /** An injected error's answer body (default: AWS JSON `{__type, message}`). */
  errorBody?: (type: string, message: string) => { contentType: string; body: string };
}

const jsonError = (type: string, message: string) => ({
  contentType: "application/x-amz-json-1.1",
  body: JSON.stringify({ __type: type, message }),
});

type Action =
  | { kind: "error"; reply: ErrorReply }
  | { kind: "reset" }
  | { kind: "delay"; ms: number }
  | { kind: "throttle"; ratePerSecond: number; burst: number; tokens: number; refilledAt: number };

interface Rule {
  id: number;
  operation: string;
  action: Action;
  remaining: number;
  hits: number;
  when: RequestFilter | undefined;
}

export function operationOf(headers: IncomingHttpHeaders, body?: Buffer): string {
  const target = headers["x-amz-target"];
  const value = Array.isArray(target) ? target[0] : target;
  if (!value) {
    // The AWS query protocol (STS): `Action=<operation>&...` in a form body.
    const action = body ? new URLSearchParams(body.toString("utf8")).get("Action") : null;
    return action ?? "(none)";
  }
  const dot = value.lastIndexOf(".");
  return dot >= 0 ? value.slice(dot + 1) : value;
}

/** Starts a proxy on a free 127.0.0.1 port in front of `upstream` (e.g. an emulator's endpoint). */
export function startFaultProxy(upstream: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  return FaultProxyServer.start(upstream, options);
}

const sum = (table: Record<string, number>, op?: string): number =>
  op === undefined || op === ANY ? Object.values(table).reduce((a, b) => a + b, 0) : (table[op] ?? 0);

const bump = (table: Record<string, number>, op: string): void => {
  table[op] = (table[op] ?? 0) + 1;
};

/** The proxy: its counters, recorded requests and rules are fields; `handle` applies the rules. */
class FaultProxyServer implements FaultProxy {
  readonly endpoint: string;
  counts: Record<string, number> = {};
  forwarded: Record<string, number> = {};
  throttled: Record<string, number> = {};
  private recorded: RecordedRequest[] = [];
  readonly tunnels: TunnelRecord[] = [];
  private refusals: Array<{ status: number; remaining: number; hits: number }> = [];
  private proxyAuth: string | undefined;
  private readonly tunnelSockets = new Set<Socket>();
  private rules: Rule[] = [];
  private nextRuleId = 1;
  private requestSeq = 0;
  private upstreamUrl: URL;
  private agent = new Agent({ keepAlive: true });
  private readonly startedAt = Date.now();

  private constructor(
    private readonly server: Server,
    port: number,
    private upstreamText: string,
    private readonly options: FaultProxyOptions,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
    this.upstreamUrl = new URL(upstreamText);
  }

  static async start(upstream: string, options: FaultProxyOptions): Promise<FaultProxyServer> {
    // Set once the server listens; no request can be handled before that.
    let proxy: FaultProxyServer | undefined = undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        proxy?.handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
          if (res.headersSent || res.destroyed) {
            res.destroy();
            return;
          }
          proxy?.sendError(res, {
            status: 502,
            type: "FaultProxyUpstreamError",
            message: err instanceof Error ? err.message : String(err),
          });
        });
      });
      req.on("error", () => res.destroy());
    });
    server.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => proxy?.tunnel(req, socket, head));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxyServer(server, port, upstream, options);
    return proxy;
  }

  get upstream(): string {
    return this.upstreamText;
  }

  setUpstream(next: string): void {
    this.upstreamUrl = new URL(next);
    this.upstreamText = next;
    // Pooled connections point at the old upstream.
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true });
  }

  count(op?: string): number {
    return sum(this.counts, op);
  }

  throttledCount(op?: string): number {
    return sum(this.throttled, op);
  }

  requests(op?: string): RecordedRequest[] {
    return this.recorded.filter((r) => op === undefined || op === ANY || r.operations.includes(op));
  }

  failWith(operation: string, reply: ErrorReply): RuleHandle {
    return this.addRule(operation, { kind: "error", reply }, reply.times, reply.when);
  }

  resetConnection(operation: string, times?: number, options?: RuleOptions): RuleHandle {
    return this.addRule(operation, { kind: "reset" }, times, options?.when);
  }

  delay(operation: string, ms: number, times?: number, options?: RuleOptions): RuleHandle {
    return this.addRule(operation, { kind: "delay", ms }, times, options?.when);
  }

  throttle(operation: string, t: Throttle): RuleHandle {
    if (!(t.ratePerSecond > 0)) throw new Error(`ratePerSecond must be > 0, got ${t.ratePerSecond}`);
    const burst = t.burst ?? t.ratePerSecond;
    const action: Action = {
      kind: "throttle",
      ratePerSecond: t.ratePerSecond,
      burst,
      tokens: burst,
      refilledAt: Date.now(),
    };
    return this.addRule(operation, action, undefined, t.when);
  }

  clearRules(): void {
    this.rules = [];
    this.refusals = [];
  }

  refuseTunnels(refusal: TunnelRefusal): RuleHandle {
    const rule = { status: refusal.status, remaining: refusal.times ?? Infinity, hits: 0 };
    this.refusals.push(rule);
    return {
      id: this.nextRuleId++,
      operation: "CONNECT",
      get hits() {
        return rule.hits;
      },
      get remaining() {
        return rule.remaining;
      },
      remove: () => {
        this.refusals = this.refusals.filter((r) => r !== rule);
      },
    };
  }

  requireProxyAuth(credentials: { user: string; password: string } | undefined): void {
    this.proxyAuth = credentials
      ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`
      : undefined;
  }

  /** A CONNECT: refused, or a byte pipe to the target (which must be on loopback). */
  tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    const target = req.url ?? "";
    const authorization = req.headers["proxy-authorization"];
    const record: TunnelRecord = { target, authorized: authorization !== undefined, status: 0 };
    this.tunnels.push(record);
    client.on("error", () => client.destroy());
    const refuse = (status: number, reason: string, headers: string[] = []) => {
      record.status = status;
      client.end([`HTTP/1.1 ${status} ${reason}`, ...headers, "Content-Length: 0", "", ""].join("\r\n"));
    };
    const refusal = this.refusals.find((r) => r.remaining > 0);
    if (refusal) {
      refusal.remaining--;
      refusal.hits++;
      refuse(refusal.status, refusal.status === 407 ? "Proxy Authentication Required" : "Refused by the fault proxy");
      return;
    }
    if (this.proxyAuth !== undefined && authorization !== this.proxyAuth) {
      refuse(407, "Proxy Authentication Required", ['Proxy-Authenticate: Basic realm="fault-proxy"']);
      return;
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
    if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
      refuse(403, "Only loopback targets");
      return;
    }
    const upstream = netConnect(port, host === "[::1]" ? "::1" : host, () => {
      record.status = 200;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.tunnelSockets.add(client).add(upstream);
    const forget = () => {
      this.tunnelSockets.delete(client);
      this.tunnelSockets.delete(upstream);
    };
    client.once("close", forget);
    upstream.once("error", () => {
      if (record.status === 0) refuse(502, "Bad Gateway");
      else client.destroy();
    });
    upstream.once("close", () => client.destroy());
  }

  resetCounts(): void {
    this.counts = {};
    this.forwarded = {};
    this.throttled = {};
    this.recorded = [];
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    for (const socket of this.tunnelSockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private addRule(operation: string, action: Action, times: number | undefined, when?: RequestFilter): RuleHandle {
    if (times !== undefined && (!Number.isInteger(times) || times < 1))
      throw new Error(`times must be a positive integer, got ${times}`);
    const rule: Rule = { id: this.nextRuleId++, operation, action, remaining: times ?? Infinity, hits: 0, when };
    this.rules.push(rule);
    return {
      id: rule.id,
      operation,
      get hits() {
        return rule.hits;
      },
      get remaining() {
        return rule.remaining;
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  private matching(ops: readonly string[], request?: RequestInfo): Rule[] {
    return this.rules.filter(
      (r) =>
        r.remaining > 0 &&
        (r.operation === ANY || ops.includes(r.operation)) &&
        (!r.when || (request !== undefined && r.when(request))),
    );
  }

  /** Takes a token from the first matching throttle rule that has none left: returns that rule. */
  private throttledBy(ops: readonly string[], request: RequestInfo): Rule | undefined {
    const now = Date.now();
    for (const rule of this.matching(ops, request)) {
      if (rule.action.kind !== "throttle") continue;
      const a = rule.action;
      a.tokens = Math.min(a.burst, a.tokens + ((now - a.refilledAt) / 1000) * a.ratePerSecond);
      a.refilledAt = now;
      if (a.tokens >= 1) {
        a.tokens -= 1;
      } else {
        rule.hits++;
        return rule;
      }
    }
    return undefined;
  }

  sendError(res: ServerResponse, reply: ErrorReply, request?: RequestInfo, queryProtocol = false): void {
    const message =
      typeof reply.message === "function"
        ? reply.message(request ?? { operation: "(none)", body: "" })
        : (reply.message ?? `${reply.type} injected by the fault proxy`);
    // The query protocol (STS) answers errors in XML; the JSON protocols (Cognito) in JSON;
    // other protocols bring their own (`errorBody`).
    const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const { contentType, body } = queryProtocol
      ? {
          contentType: "text/xml",
          body: `<ErrorResponse><Error><Type>Sender</Type><Code>${escape(reply.type)}</Code><Message>${escape(message)}</Message></Error><RequestId>fault-proxy-${this.requestSeq + 1}</RequestId></ErrorResponse>`,
        }
      : (this.options.errorBody ?? jsonError)(reply.type, message);
    res.writeHead(reply.status, {
      "content-type": contentType,
      "content-length": Buffer.byteLength(body),
      "x-amzn-errortype": reply.type,
      "x-amzn-requestid": `fault-proxy-${++this.requestSeq}`,
    });
    res.end(body);
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const ops = this.options.operationsOf?.(req) ?? [operationOf(req.headers, body)];
    const op = ops[0] ?? "(none)";
    const info: RequestInfo = { operation: op, body: body.toString("utf8") };
    for (const name of ops) bump(this.counts, name);
    const record: RecordedRequest = {
      operation: op,
      operations: ops,
      path: req.url ?? "/",
      body: (this.options.recordBodies ?? true) ? info.body : "",
      at: Date.now() - this.startedAt,
    };
    this.recorded.push(record);
    // "finish": the whole answer was handed to the connection (not emitted when it is reset).
    res.once("finish", () => {
      record.answeredAt = Date.now() - this.startedAt;
    });

    if (this.throttledBy(ops, info)) {
      for (const name of ops) bump(this.throttled, name);
      this.sendError(res, { status: 400, type: "TooManyRequestsException", message: "Rate exceeded" });
      return;
    }
    let delayMs = 0;
    for (const rule of this.matching(ops, info)) {
      if (rule.action.kind === "delay") {
        delayMs += rule.action.ms;
        rule.hits++;
        rule.remaining--;
      }
    }
    const fault = this.matching(ops, info).find((r) => r.action.kind === "error" || r.action.kind === "reset");
    if (fault) {
      fault.hits++;
      fault.remaining--;
      if (delayMs > 0) await sleep(delayMs);
      if (fault.action.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.action.kind === "error")
        this.sendError(res, fault.action.reply, info, req.headers["x-amz-target"] === undefined && op !== "(none)");
      return;
    }

    for (const name of ops) bump(this.forwarded, name);
    const upstreamRes = await this.forward(req, body);
    const chunks: Buffer[] = [];
    for await (const chunk of upstreamRes) chunks.push(chunk as Buffer);
    if (delayMs > 0) await sleep(delayMs);
    if (res.destroyed) return;
    const headers = { ...upstreamRes.headers };
    delete headers["transfer-encoding"];
    const payload = Buffer.concat(chunks);
    // A HEAD answer's content-length is the resource's (S3 objects), not this empty payload's.
    const head = req.method === "HEAD";
    if (!head) headers["content-length"] = String(payload.length);
    res.writeHead(upstreamRes.statusCode ?? 502, headers);
    res.end(head ? undefined : payload);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const headers = { ...req.headers, "content-length": String(body.length) };
      delete headers["transfer-encoding"];
      const out = httpRequest(
        {
          agent: this.agent,
          protocol: this.upstreamUrl.protocol,
          hostname: this.upstreamUrl.hostname,
          port: this.upstreamUrl.port,
          method: req.method,
          path: req.url,
          headers,
        },
        resolve,
      );
      out.on("error", reject);
      out.end(body);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
