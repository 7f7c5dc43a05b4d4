/**
 * Where and how to reach Cognito. Precedence (input, stack config, environment, then the pool
 * id's own region), client tuning from the environment, and one pool of gateways (one SDK
 * client per connection per process, paced at the stack's quota: ./pacer.ts) with the pools'
 * settings cached under the same key.
 */
import {
  createCognitoClient,
  DEFAULT_TUNING,
  SdkCognitoGateway,
  type ClientTuning,
  type CognitoGateway,
  type Connection,
  type UserPoolSettings,
} from "./gateway";
import { pace, pacingRatesFrom, type PacingRates } from "./pacer";
import { RegionNotConfiguredError, type Target } from "../core/errors";
import type { StackConfig } from "../core/types";
import { regionOfUserPoolId } from "../core/validation";

/** What a connection is resolved from: a resource's inputs or stored outputs. */
export interface ConnectionSource {
  userPoolId: string;
  region?: string;
  endpoint?: string;
  profile?: string;
}

/** Builds the default tuning, letting the environment override it (pipelines, fault tests). */
export function tuningFromEnv(env: NodeJS.ProcessEnv): Partial<ClientTuning> {
  const num = (name: string) => {
    const v = env[name];
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const t: Partial<ClientTuning> = {};
  const attempts = num("COGNITO_PW_MAX_ATTEMPTS");
  const timeout = num("COGNITO_PW_REQUEST_TIMEOUT_MS");
  if (attempts !== undefined) t.maxAttempts = attempts;
  if (timeout !== undefined) t.requestTimeoutMs = timeout;
  return t;
}

/** The one key for everything cached per connection. */
export function connectionKey(connection: Connection): string {
  return `${connection.region}|${connection.endpoint ?? ""}|${connection.profile ?? ""}`;
}

export interface ConnectionsOptions {
  /** Where AWS_REGION / AWS_DEFAULT_REGION and the tuning variables are read from. */
  env: NodeJS.ProcessEnv;
  /** Makes the gateway for a connection; called once per distinct connection. */
  gatewayFor?: (connection: Connection) => CognitoGateway;
  tuning?: Partial<ClientTuning>;
}

export class Connections {
  private config: StackConfig | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly gatewayFor: (connection: Connection) => CognitoGateway;
  private readonly gateways = new Map<string, CognitoGateway>();
  private readonly poolSettings = new Map<string, Promise<UserPoolSettings>>();
  /** The paces of the quota categories: `setsPerSecond` from the stack config or the environment. */
  private rates: PacingRates;

  constructor(options: ConnectionsOptions) {
    this.env = options.env;
    this.rates = pacingRatesFrom(undefined, this.env);
    const tuning: ClientTuning = { ...DEFAULT_TUNING, ...tuningFromEnv(this.env), ...options.tuning };
    this.gatewayFor =
      options.gatewayFor ?? ((c) => new SdkCognitoGateway(pace(createCognitoClient(c, tuning), c, () => this.rates)));
  }

  configure(config: StackConfig): void {
    this.rates = pacingRatesFrom(config, this.env);
    this.config = config;
  }

  /** The region the stack uses when an input names none. */
  configuredRegion(): string | undefined {
    return this.config?.get("aws:region") || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || undefined;
  }

  /** Region: input, stack config, environment, then the pool id's own region; undefined when none. */
  resolve(source: ConnectionSource): Connection | undefined {
    const region = source.region || this.configuredRegion() || regionOfUserPoolId(source.userPoolId);
    if (!region) return undefined;
    const profile = source.profile || this.config?.get("aws:profile") || undefined;
    return { region, ...(source.endpoint ? { endpoint: source.endpoint } : {}), ...(profile ? { profile } : {}) };
  }

  resolveOrThrow(source: ConnectionSource, target: Target): Connection {
    const connection = this.resolve(source);
    if (!connection) throw new RegionNotConfiguredError(target);
    return connection;
  }

  gateway(connection: Connection): CognitoGateway {
    const key = connectionKey(connection);
    let gateway = this.gateways.get(key);
    if (!gateway) {
      gateway = this.gatewayFor(connection);
      this.gateways.set(key, gateway);
    }
    return gateway;
  }

  /** One DescribeUserPool per pool per connection per process; a failed look-up is not cached. */
  settingsOf(connection: Connection, target: Target): Promise<UserPoolSettings> {
    const key = `${connectionKey(connection)}|${target.userPoolId}`;
    let pending = this.poolSettings.get(key);
    if (!pending) {
      pending = this.gateway(connection).describeUserPool(target);
      this.poolSettings.set(key, pending);
      pending.catch(() => this.poolSettings.delete(key));
    }
    return pending;
  }
}
