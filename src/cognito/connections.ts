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
  type RetryMode,
  type CognitoGateway,
  type Connection,
  type UserPoolSettings,
} from "./gateway";
import { networkSettings } from "./network";
import { pace, pacingRatesFrom, type PacingRates } from "./pacer";
import { profileInUse, profileSettings } from "./shared-config";
import { InvalidInputError, RegionNotConfiguredError, type Target } from "../core/errors";
import type { AssumeRole, StackConfig } from "../core/types";
import { assumeRoleProblem, regionOfUserPoolId } from "../core/validation";

/**
 * The configuration keys a connection's defaults are read from. The dynamic face hands the
 * stack configuration as it is; the plugin maps its provider configuration onto these keys.
 */
export const CONNECTION_CONFIG_KEYS = {
  region: "aws:region",
  profile: "aws:profile",
  endpoint: "cognito-user-password:endpoint",
  /** The single role (the older `@pulumi/aws` key); `aws:assumeRoles`, the chain, comes first. */
  assumeRole: "aws:assumeRole",
} as const;

/** What a connection is resolved from: a resource's inputs or stored outputs. */
export interface ConnectionSource {
  userPoolId: string;
  region?: string;
  endpoint?: string;
  profile?: string;
  assumeRole?: AssumeRole;
}

/**
 * The roles the stack config names, in `@pulumi/aws`'s keys: `aws:assumeRoles` (a list, assumed
 * in order), else the older single `aws:assumeRole` (whose `durationSeconds`, a number in
 * older @pulumi/aws releases, is taken as `duration`). Throws `InvalidInputError` naming the key.
 */
export function configuredRoles(config: StackConfig | undefined): AssumeRole[] {
  const parse = (key: string): unknown => {
    // The engine may hand a structured value as JSON text or already parsed.
    const text: unknown = config?.get(key);
    if (text === undefined || text === null || text === "") return undefined;
    if (typeof text !== "string") return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new InvalidInputError([{ property: key, reason: "must be an object (or, for aws:assumeRoles, a list)" }]);
    }
  };
  const check = (key: string, role: unknown): AssumeRole => {
    let value = role;
    if (typeof role === "object" && role !== null && "durationSeconds" in role) {
      const { durationSeconds, ...rest } = role as Record<string, unknown>;
      value = typeof durationSeconds === "number" ? { ...rest, duration: `${durationSeconds}s` } : role;
    }
    const problem = assumeRoleProblem(value);
    if (problem) throw new InvalidInputError([{ property: key, reason: problem }]);
    return value as AssumeRole;
  };
  const list = parse("aws:assumeRoles");
  if (list !== undefined) {
    const roles = Array.isArray(list) ? list : [list];
    return roles.map((r, i) => check(`aws:assumeRoles[${i}]`, r));
  }
  const single = parse(CONNECTION_CONFIG_KEYS.assumeRole);
  return single === undefined ? [] : [check(CONNECTION_CONFIG_KEYS.assumeRole, single)];
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

const RETRY_MODES: readonly RetryMode[] = ["standard", "adaptive", "legacy"];

/**
 * The standard AWS retry settings, which every AWS tool honours and which therefore win over
 * our defaults and COGNITO_PW_MAX_ATTEMPTS: AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, else the
 * profile's max_attempts / retry_mode. Values that are not valid are ignored.
 */
export function awsRetrySettings(env: NodeJS.ProcessEnv, profile: string | undefined): Partial<ClientTuning> {
  const settings = profileSettings(profileInUse(profile, env), env);
  const attempts = [env.AWS_MAX_ATTEMPTS, settings.max_attempts]
    .map((v) => (v === undefined || v.trim() === "" ? NaN : Number(v)))
    .find((n) => Number.isInteger(n) && n > 0);
  const mode = [env.AWS_RETRY_MODE, settings.retry_mode]
    .map((v) => v?.trim().toLowerCase())
    .find((v): v is RetryMode => RETRY_MODES.includes(v as RetryMode));
  return { ...(attempts !== undefined ? { maxAttempts: attempts } : {}), ...(mode ? { retryMode: mode } : {}) };
}

/** The one key for everything cached per connection. */
export function connectionKey(connection: Connection): string {
  const roles = connection.assumeRoles?.length ? JSON.stringify(connection.assumeRoles) : "";
  return `${connection.region}|${connection.endpoint ?? ""}|${connection.profile ?? ""}|${roles}`;
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
    // Ours (defaults, COGNITO_PW_*), then AWS's standard settings per connection (see
    // awsRetrySettings), then what the code that made this instance says.
    const ours: ClientTuning = { ...DEFAULT_TUNING, ...tuningFromEnv(this.env) };
    this.gatewayFor =
      options.gatewayFor ??
      ((c) => {
        // Proxy, NO_PROXY and CA bundle as the AWS CLI reads them, for this connection's profile.
        const network = networkSettings(this.env, c.profile);
        const client = createCognitoClient(
          c,
          { ...ours, ...awsRetrySettings(this.env, c.profile), ...options.tuning },
          network,
        );
        // Every attempt waits for its quota category's pace (see pacer).
        return new SdkCognitoGateway(
          pace(client, c, () => this.rates),
          network.caBundle ? { caBundle: network.caBundle } : {},
        );
      });
  }

  configure(config: StackConfig): void {
    this.rates = pacingRatesFrom(config, this.env);
    this.config = config;
  }

  /** The region the stack uses when an input names none. */
  configuredRegion(): string | undefined {
    return (
      this.config?.get(CONNECTION_CONFIG_KEYS.region) || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || undefined
    );
  }

  /**
   * Region: input, stack config, environment, then the pool id's own region; undefined when
   * none. Profile and endpoint: input, then stack config (then the AWS SDK's own defaults).
   */
  resolve(source: ConnectionSource): Connection | undefined {
    const region = source.region || this.configuredRegion() || regionOfUserPoolId(source.userPoolId);
    if (!region) return undefined;
    const profile = source.profile || this.config?.get(CONNECTION_CONFIG_KEYS.profile) || undefined;
    const endpoint = source.endpoint || this.config?.get(CONNECTION_CONFIG_KEYS.endpoint) || undefined;
    // The input's role replaces the stack's chain, as the region input replaces aws:region.
    const assumeRoles = source.assumeRole ? [source.assumeRole] : configuredRoles(this.config);
    return {
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(profile ? { profile } : {}),
      ...(assumeRoles.length > 0 ? { assumeRoles } : {}),
    };
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
