/**
 * How the SDK's HTTP handler reaches AWS, read as the AWS CLI reads it (the SDK for JavaScript
 * reads none of these itself):
 *  - a proxy: `HTTPS_PROXY` for https endpoints, `HTTP_PROXY` for http ones (each also lower
 *    case), except for hosts `NO_PROXY` names (see `bypassesProxy`);
 *  - a company CA: `AWS_CA_BUNDLE`, else the profile's `ca_bundle`, a PEM file whose
 *    certificates are ADDED to Node's default roots (a bundle that replaced them would cut off
 *    every public endpoint). `NODE_EXTRA_CA_CERTS` needs nothing from us: Node reads it at start
 *    into its default roots, which we keep.
 * The tunnels themselves come from `https-proxy-agent` / `http-proxy-agent` (TooTallNate's,
 * the agents most of npm's HTTP clients use; version 7, the last that loads with `require` on
 * every Node this package supports). This module only decides, per connection, whether to go
 * through the proxy or direct, and turns a proxy's refusal into an error that names it.
 */
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type * as net from "node:net";
import * as tls from "node:tls";
import { Agent as RoutingBase, type AgentConnectOpts } from "agent-base";
import { HttpProxyAgent } from "http-proxy-agent";
import { HttpsProxyAgent } from "https-proxy-agent";
import { ProxyFailure } from "./failures";
import { profileInUse, profileSettings } from "./shared-config";

/** A PEM bundle and the setting that named it (for messages). */
export interface CaBundle {
  /** `AWS_CA_BUNDLE`, or `ca_bundle (profile "<name>")`. */
  setting: string;
  path: string;
}

export interface NetworkSettings {
  httpsProxy?: string;
  httpProxy?: string;
  /** The `NO_PROXY` entries, lower-cased, empty ones dropped. */
  noProxy: string[];
  caBundle?: CaBundle;
}

function firstSet(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The settings for a client of `profile` (the connection's, or the SDK's default) from `env` and the shared config. */
export function networkSettings(env: NodeJS.ProcessEnv, profile: string | undefined): NetworkSettings {
  const httpsProxy = firstSet(env, "HTTPS_PROXY", "https_proxy");
  const httpProxy = firstSet(env, "HTTP_PROXY", "http_proxy");
  const noProxy = (firstSet(env, "NO_PROXY", "no_proxy") ?? "")
    .split(/[,\s]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const fromEnv = firstSet(env, "AWS_CA_BUNDLE");
  const name = profileInUse(profile, env);
  const fromProfile = fromEnv ? undefined : profileSettings(name, env).ca_bundle?.trim();
  const caBundle: CaBundle | undefined = fromEnv
    ? { setting: "AWS_CA_BUNDLE", path: fromEnv }
    : fromProfile
      ? { setting: `ca_bundle (profile "${name}")`, path: fromProfile }
      : undefined;
  return {
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(httpProxy ? { httpProxy } : {}),
    noProxy,
    ...(caBundle ? { caBundle } : {}),
  };
}

/**
 * True when `NO_PROXY` exempts `host:port`, with the rules of the AWS CLI (Python's
 * `proxy_bypass_environment`) and curl: `*` exempts every host; an entry exempts that host and
 * every host under it (`example.com` and `.example.com` both exempt `api.example.com`; a
 * leading `*.` is read as `.`); `host:port` only that port; IP addresses match exactly.
 */
export function bypassesProxy(host: string, port: number, noProxy: readonly string[]): boolean {
  const hostname = host.toLowerCase().replace(/^\[|\]$/g, "");
  for (const entry of noProxy) {
    if (entry === "*") return true;
    const withPort = /^(.*):(\d+)$/.exec(entry);
    const name = (withPort ? (withPort[1] ?? "") : entry).replace(/^\*?\.+/, "").replace(/^\[|\]$/g, "");
    if (withPort && Number(withPort[2]) !== port) continue;
    if (!name) continue;
    if (hostname === name || hostname.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** A proxy URL as users write it (`proxy:3128` means `http://proxy:3128`). */
function proxyUrl(value: string): URL {
  return new URL(value.includes("://") ? value : `http://${value}`);
}

/** A proxy URL without its credentials, for messages. */
export function describeProxy(value: string): string {
  try {
    const url = proxyUrl(value);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(an unparsable proxy URL)";
  }
}

/** Reads the bundle and adds it to Node's default roots (bundled, NODE_EXTRA_CA_CERTS, and the system's when Node uses them). */
export function trustedRoots(bundle: CaBundle | undefined): string[] | undefined {
  if (!bundle) return undefined;
  let pem: string;
  try {
    pem = readFileSync(bundle.path, "utf8");
  } catch (err) {
    throw new Error(`${bundle.setting} names ${bundle.path}, which cannot be read: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const defaults =
    typeof tls.getCACertificates === "function" ? tls.getCACertificates("default") : [...tls.rootCertificates];
  return [...defaults, pem];
}

/** The CONNECT tunnel of https-proxy-agent, with its failures told as the proxy's. */
class TunnelAgent extends HttpsProxyAgent<string> {
  /** `targetTls`: the TLS options of the tunnelled connection to the endpoint (the trusted roots). */
  constructor(
    private readonly label: string,
    proxy: URL,
    private readonly targetTls: https.AgentOptions,
  ) {
    super(proxy, { keepAlive: true });
  }

  override async connect(req: http.ClientRequest, options: AgentConnectOpts): Promise<net.Socket> {
    let status: { statusCode: number; statusText?: string } | undefined;
    req.once("proxyConnect", (connect: { statusCode: number; statusText?: string }) => {
      status = connect;
    });
    let socket: net.Socket;
    try {
      socket = await super.connect(req, { ...options, ...this.targetTls });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new ProxyFailure(
        this.label,
        `could not be reached (${typeof code === "string" ? code : (err as Error).message})`,
        {
          ...(typeof code === "string" ? { code } : {}),
          cause: err,
        },
      );
    }
    if (status && status.statusCode !== 200) {
      // Refused (407, 403, ...): fail with it, rather than let the SDK read the proxy's answer
      // as the service's (which is what https-proxy-agent hands back).
      socket.destroy();
      throw new ProxyFailure(
        this.label,
        `refused the tunnel: HTTP ${status.statusCode} ${status.statusText ?? ""}`.trim(),
        {
          statusCode: status.statusCode,
        },
      );
    }
    return socket;
  }
}

/** An agent that sends each connection through the proxy, or direct when there is none or NO_PROXY exempts the host. */
class RoutingAgent extends RoutingBase {
  private proxyAgent: http.Agent | undefined;

  constructor(
    private readonly secure: boolean,
    private readonly proxy: string | undefined,
    private readonly noProxy: readonly string[],
    private readonly direct: http.Agent,
    private readonly tlsOptions: https.AgentOptions,
  ) {
    super({ keepAlive: true });
  }

  connect(_req: http.ClientRequest, options: AgentConnectOpts): http.Agent {
    const port = options.port ?? (this.secure ? 443 : 80);
    if (!this.proxy || bypassesProxy(options.host ?? "", port, this.noProxy)) return this.direct;
    this.proxyAgent ??= this.secure
      ? new TunnelAgent(describeProxy(this.proxy), proxyUrl(this.proxy), this.tlsOptions)
      : new HttpProxyAgent(proxyUrl(this.proxy), { keepAlive: true });
    return this.proxyAgent;
  }
}

/** What the SDK's NodeHttpHandler is given: the two agents. */
export interface Agents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/** The agents for `settings`: through the proxies the environment names, trusting the CA bundle too. */
export function agentsFor(settings: NetworkSettings): Agents {
  const ca = trustedRoots(settings.caBundle);
  const tlsOptions: https.AgentOptions = ca ? { ca } : {};
  const httpsDirect = new https.Agent({ keepAlive: true, ...tlsOptions });
  const httpDirect = new http.Agent({ keepAlive: true });
  return {
    httpsAgent: new RoutingAgent(true, settings.httpsProxy, settings.noProxy, httpsDirect, tlsOptions),
    httpAgent: new RoutingAgent(false, settings.httpProxy, settings.noProxy, httpDirect, {}),
  };
}
