/**
 * The provider's methods: check, diff, create, read, update, delete. Pure rules live in
 * validation, diff, lifecycle and password-policy; this module sequences them with the
 * Cognito calls and keeps the per-process caches (clients, pool settings, ownership).
 */
import { randomBytes, randomInt } from "node:crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createCognitoClient, DEFAULT_TUNING, SdkCognitoGateway, type ClientTuning, type CognitoGateway, type Connection, type UserPoolSettings } from "./cognito";
import { isNotFound } from "./cognito-errors";
import { decideDiff, toDiffResult } from "./diff";
import {
  DuplicateUserError,
  FederatedUserError,
  InvalidInputError,
  PasswordPolicyError,
  RegionNotConfiguredError,
  UserPoolNotFoundError,
  type Target,
} from "./errors";
import { assessDrift } from "./lifecycle";
import { OwnershipRegistry } from "./ownership";
import { freshRevision, nextPasswordRevision } from "./password-change";
import { policyViolations } from "./password-policy";
import { DEFAULTS, isUnknown, type UserPasswordInputs, type UserPasswordOutputs } from "./types";
import { regionOfUserPoolId, validateInputs, withDefaults, type ValidationFailure } from "./validation";

export interface ProviderDependencies {
  /** Makes the gateway for a connection; called once per distinct connection. */
  gatewayFor?: (connection: Connection) => CognitoGateway;
  /** The clock, for temporary-password expiry. */
  now?: () => Date;
  /** Where AWS_REGION / AWS_DEFAULT_REGION are read from. */
  env?: NodeJS.ProcessEnv;
  tuning?: Partial<ClientTuning>;
}

/** The stack configuration the engine hands `configure`. */
export interface StackConfig {
  get(key: string): string | undefined;
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

/** A scrambled password: long, random, with every character class any pool policy may ask for. */
export function scramblePassword(length = 64): string {
  const classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "^$*.[]{}()?!@#%&/,><:;|_~=+-"];
  const all = classes.join("");
  const chars = classes.map((c) => c[randomInt(c.length)] as string);
  const bytes = randomBytes(length);
  for (let i = chars.length; i < length; i++) chars.push(all[(bytes[i] as number) % all.length] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}

const OUTPUT_KEYS: ReadonlyArray<keyof UserPasswordOutputs> = [
  "resourceName",
  "userPoolId",
  "username",
  "cognitoUsername",
  "permanent",
  "status",
  "setId",
  "passwordRevision",
  "passwordSetAt",
  "drift",
  "region",
  "endpoint",
  "profile",
  "onDelete",
  "reissueExpiredTemporaryPassword",
  "allowFederatedUser",
];

/**
 * Only the declared output properties of `props`. The engine may hand `read` the resource's
 * inputs instead of its outputs (an `import`), and inputs hold the password: never echo them.
 * Outputs of earlier versions that are no longer declared (`passwordFingerprint`) are dropped
 * by the next update or refresh.
 */
export function storedOutputs(props: UserPasswordOutputs | UserPasswordInputs): UserPasswordOutputs {
  const source = props as unknown as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const key of OUTPUT_KEYS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as unknown as UserPasswordOutputs;
}

export class UserPasswordProvider implements dynamic.ResourceProvider<UserPasswordInputs, UserPasswordOutputs> {
  private config: StackConfig | undefined;
  private readonly gateways = new Map<string, CognitoGateway>();
  private readonly poolSettings = new Map<string, Promise<UserPoolSettings>>();
  private readonly ownership = new OwnershipRegistry();
  private readonly now: () => Date;
  private readonly env: NodeJS.ProcessEnv;
  private readonly gatewayFor: (connection: Connection) => CognitoGateway;

  constructor(deps: ProviderDependencies = {}) {
    this.now = deps.now ?? (() => new Date());
    this.env = deps.env ?? process.env;
    const tuning: ClientTuning = { ...DEFAULT_TUNING, ...tuningFromEnv(this.env), ...deps.tuning };
    this.gatewayFor = deps.gatewayFor ?? ((c) => new SdkCognitoGateway(createCognitoClient(c, tuning)));
  }

  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    this.config = req.config;
  }

  async check(olds: UserPasswordInputs | undefined, news: UserPasswordInputs): Promise<dynamic.CheckResult<UserPasswordInputs>> {
    const raw = news as unknown as Record<string, unknown>;
    const failures = validateInputs(raw, this.configuredRegion());
    if (failures.length > 0) return { failures };
    // The previous inputs (the old password included) are only here: decide now whether the
    // password changed, and hand diff and update a revision that says so (kept while the
    // password stays the same, a fresh random one when it changes), never anything derived
    // from either password. Whatever `passwordRevision` the engine handed back in `news` is
    // overwritten, never trusted; a `passwordChanged` (the boolean verdict of unreleased
    // versions before revisions, still found in some states' inputs) is accepted by
    // validation and dropped here.
    const { passwordChanged: _legacyVerdict, ...given } = news as UserPasswordInputs & { passwordChanged?: unknown };
    const inputs: UserPasswordInputs = { ...withDefaults(given), passwordRevision: nextPasswordRevision(olds, news.password) };

    const poolKnown = !isUnknown(inputs.userPoolId);
    const userKnown = poolKnown && !isUnknown(inputs.username);
    if (userKnown && inputs.resourceName && !isUnknown(inputs.resourceName)) {
      const other = this.ownership.declare(OwnershipRegistry.key(inputs.userPoolId, inputs.username), inputs.resourceName);
      if (other) {
        return { failures: [{ property: "username", reason: `user "${inputs.username}" in user pool ${inputs.userPoolId} is already declared by UserPassword "${other}"` }] };
      }
    }
    if (poolKnown && !isUnknown(inputs.region) && !isUnknown(inputs.endpoint) && !isUnknown(inputs.profile)) {
      const connection = this.tryConnection(inputs);
      if (!connection) {
        return { failures: [{ property: "region", reason: "no AWS region: set the region input, the stack config aws:region, or AWS_REGION" }] };
      }
      const policyFailure = await this.checkAgainstPool(inputs, connection);
      if (policyFailure) return { failures: [policyFailure] };
    }
    return { inputs };
  }

  async diff(_id: string, olds: UserPasswordOutputs, news: UserPasswordInputs): Promise<dynamic.DiffResult> {
    return toDiffResult(decideDiff(olds, news));
  }

  async create(news: UserPasswordInputs): Promise<dynamic.CreateResult<UserPasswordOutputs>> {
    const inputs = this.validated(news);
    const outs = await this.setDeclaredPassword(inputs);
    return { id: `${inputs.userPoolId}/${inputs.username}`, outs };
  }

  async update(_id: string, olds: UserPasswordOutputs, news: UserPasswordInputs): Promise<dynamic.UpdateResult<UserPasswordOutputs>> {
    const inputs = this.validated(news);
    const decision = decideDiff(olds, inputs);
    if (decision.sets.length === 0 && decision.replaces.length === 0) {
      // Only options changed: nothing to tell Cognito.
      return { outs: { ...storedOutputs(olds), ...this.optionOutputs(inputs), ...this.labelOutputs(inputs) } };
    }
    return { outs: await this.setDeclaredPassword(inputs) };
  }

  async read(id: string, props?: UserPasswordOutputs): Promise<dynamic.ReadResult<UserPasswordOutputs>> {
    const current = props?.userPoolId ? props : this.fromId(id);
    const target = this.target(current, current.cognitoUsername || current.username);
    const gateway = this.gateway(this.connectionOrThrow(current, target));
    let user;
    try {
      user = await gateway.getUser(target);
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
    let validityDays: number | undefined;
    const declaredPermanent = current.permanent ?? DEFAULTS.permanent;
    const reissue = current.reissueExpiredTemporaryPassword ?? DEFAULTS.reissueExpiredTemporaryPassword;
    if (!declaredPermanent && reissue && user.status === "FORCE_CHANGE_PASSWORD") {
      validityDays = (await this.settingsOf(target, this.connectionOrThrow(current, target)).catch(() => undefined))
        ?.temporaryPasswordValidityDays;
    }
    const drift = assessDrift(
      user,
      {
        permanent: declaredPermanent,
        reissueExpiredTemporaryPassword: reissue,
        ...(current.passwordSetAt ? { passwordSetAt: new Date(current.passwordSetAt) } : {}),
      },
      this.now(),
      validityDays,
    );
    const { drift: _previous, ...rest } = storedOutputs(current);
    const next: UserPasswordOutputs = { ...rest, cognitoUsername: user.username, status: user.status, ...(drift ? { drift } : {}) };
    return { id, props: next };
  }

  async delete(_id: string, props: UserPasswordOutputs): Promise<void> {
    if (props.onDelete === "keep") return;
    const username = props.cognitoUsername || props.username;
    const target = this.target(props, username);
    // A rename without an alias creates the new resource (setting the password) before
    // deleting the old one: do not clobber what was just set.
    if (this.ownership.supersededSince(OwnershipRegistry.key(props.userPoolId, username), props.setId)) return;
    // The same when the new resource was set in an earlier run (a targeted or interrupted
    // rename): it is declared in this deployment (check ran for it), so its password stands.
    for (const name of new Set([username, props.username])) {
      const declaredBy = this.ownership.declaredBy(OwnershipRegistry.key(props.userPoolId, name));
      if (declaredBy !== undefined && declaredBy !== props.resourceName) return;
    }
    const gateway = this.gateway(this.connectionOrThrow(props, target));
    try {
      try {
        await gateway.setPassword(target, scramblePassword(64), true);
      } catch (err) {
        // A pool whose minimum length exceeds 64 (the policy allows up to 99).
        if (err instanceof PasswordPolicyError) await gateway.setPassword(target, scramblePassword(99), true);
        else throw err;
      }
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  // ---- helpers ----

  /** Sets the declared password; the outputs record `inputs.passwordRevision` (a fresh one for a caller that skipped check). */
  private async setDeclaredPassword(inputs: UserPasswordInputs): Promise<UserPasswordOutputs> {
    const declaredTarget = this.target(inputs, inputs.username);
    const connection = this.connectionOrThrow(inputs, declaredTarget);
    const gateway = this.gateway(connection);
    const user = await gateway.getUser(declaredTarget);
    const target: Target = { ...declaredTarget, username: user.username };
    if (user.status === "EXTERNAL_PROVIDER" && !inputs.allowFederatedUser) throw new FederatedUserError(declaredTarget);
    const key = OwnershipRegistry.key(inputs.userPoolId, user.username);
    // Claimed before the set, with no await in between: a second resource resolving to the
    // same user while this set is in flight is refused, not left to race.
    const other = this.ownership.claim(key, inputs.resourceName);
    if (other) throw new DuplicateUserError(declaredTarget, other);

    const permanent = inputs.permanent ?? DEFAULTS.permanent;
    await gateway.setPassword(target, inputs.password, permanent);
    // Random, not derived from the password: tells this set apart from any other (rename protection).
    const setId = randomBytes(16).toString("hex");
    this.ownership.recordSet(key, { resourceName: inputs.resourceName, setId });
    return {
      ...this.labelOutputs(inputs),
      userPoolId: inputs.userPoolId,
      username: inputs.username,
      cognitoUsername: user.username,
      permanent,
      status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
      setId,
      passwordRevision: inputs.passwordRevision ?? freshRevision(),
      passwordSetAt: this.now().toISOString(),
      region: connection.region,
      ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}),
      ...(connection.profile ? { profile: connection.profile } : {}),
      ...this.optionOutputs(inputs),
    };
  }

  private labelOutputs(inputs: UserPasswordInputs): Pick<UserPasswordOutputs, "resourceName"> {
    return inputs.resourceName ? { resourceName: inputs.resourceName } : {};
  }

  private optionOutputs(inputs: UserPasswordInputs): Pick<UserPasswordOutputs, "onDelete" | "reissueExpiredTemporaryPassword" | "allowFederatedUser"> {
    return {
      onDelete: inputs.onDelete ?? DEFAULTS.onDelete,
      reissueExpiredTemporaryPassword: inputs.reissueExpiredTemporaryPassword ?? DEFAULTS.reissueExpiredTemporaryPassword,
      allowFederatedUser: inputs.allowFederatedUser ?? DEFAULTS.allowFederatedUser,
    };
  }

  /** Validates inputs that must be fully known (create, update): a direct caller gets the same rules as check. */
  private validated(news: UserPasswordInputs): UserPasswordInputs {
    const failures: ValidationFailure[] = validateInputs(news as unknown as Record<string, unknown>, this.configuredRegion());
    for (const [property, value] of Object.entries(news)) {
      if (isUnknown(value)) failures.push({ property, reason: "is not known yet" });
    }
    if (failures.length > 0) throw new InvalidInputError(failures, news.resourceName);
    return withDefaults(news);
  }

  /** Returns a failure when the known password breaks the pool's policy or the pool does not exist. */
  private async checkAgainstPool(inputs: UserPasswordInputs, connection: Connection): Promise<ValidationFailure | undefined> {
    if (inputs.checkPasswordPolicy === false || isUnknown(inputs.password)) return undefined;
    const target = this.target(inputs, isUnknown(inputs.username) ? "(unknown)" : inputs.username);
    let settings: UserPoolSettings;
    try {
      settings = await this.settingsOf(target, connection);
    } catch (err) {
      if (err instanceof UserPoolNotFoundError) return { property: "userPoolId", reason: `user pool ${inputs.userPoolId} not found in ${connection.region}` };
      // No permission to describe the pool, or a transient fault: the set itself will tell.
      return undefined;
    }
    if (!settings.passwordPolicy) return undefined;
    const violations = policyViolations(inputs.password, settings.passwordPolicy);
    return violations.length > 0
      ? { property: "password", reason: `does not satisfy the password policy of user pool ${inputs.userPoolId}: ${violations.join(", ")}` }
      : undefined;
  }

  /** One DescribeUserPool per pool per process; a failed look-up is not cached. */
  private settingsOf(target: Target, connection: Connection): Promise<UserPoolSettings> {
    const key = `${connection.endpoint ?? ""}|${connection.region}|${target.userPoolId}`;
    let pending = this.poolSettings.get(key);
    if (!pending) {
      pending = this.gateway(connection).describeUserPool(target);
      this.poolSettings.set(key, pending);
      pending.catch(() => this.poolSettings.delete(key));
    }
    return pending;
  }

  private gateway(connection: Connection): CognitoGateway {
    const key = `${connection.region}|${connection.endpoint ?? ""}|${connection.profile ?? ""}`;
    let gateway = this.gateways.get(key);
    if (!gateway) {
      gateway = this.gatewayFor(connection);
      this.gateways.set(key, gateway);
    }
    return gateway;
  }

  private configuredRegion(): string | undefined {
    return this.config?.get("aws:region") || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || undefined;
  }

  /** Region: input, stack config, environment, then the pool id's own region. */
  private tryConnection(source: { userPoolId: string; region?: string; endpoint?: string; profile?: string }): Connection | undefined {
    const region = source.region || this.configuredRegion() || regionOfUserPoolId(source.userPoolId);
    if (!region) return undefined;
    const profile = source.profile || this.config?.get("aws:profile") || undefined;
    return { region, ...(source.endpoint ? { endpoint: source.endpoint } : {}), ...(profile ? { profile } : {}) };
  }

  private connectionOrThrow(source: { userPoolId: string; region?: string; endpoint?: string; profile?: string }, target: Target): Connection {
    const connection = this.tryConnection(source);
    if (!connection) throw new RegionNotConfiguredError(target);
    return connection;
  }

  private target(source: { resourceName?: string; userPoolId: string }, username: string): Target {
    return { ...(source.resourceName ? { resourceName: source.resourceName } : {}), userPoolId: source.userPoolId, username };
  }

  /** Outputs for `pulumi import`: only the id is known. */
  private fromId(id: string): UserPasswordOutputs {
    const slash = id.indexOf("/");
    if (slash <= 0 || slash === id.length - 1) {
      throw new InvalidInputError([{ property: "id", reason: `must be <userPoolId>/<username>, got "${id}"` }]);
    }
    return {
      userPoolId: id.slice(0, slash),
      username: id.slice(slash + 1),
      cognitoUsername: id.slice(slash + 1),
      permanent: DEFAULTS.permanent,
      status: "UNKNOWN",
      passwordSetAt: "",
      region: "",
      onDelete: DEFAULTS.onDelete,
      reissueExpiredTemporaryPassword: DEFAULTS.reissueExpiredTemporaryPassword,
      allowFederatedUser: DEFAULTS.allowFederatedUser,
    };
  }
}
