/**
 * The core of `UserPassword`: check, diff, create, read, update and delete, as a sequence of
 * the pure rules (validation, password-change, diff, lifecycle, password-policy, outputs) and
 * the Cognito calls (through `Connections`). Its requests and results are its own types; each
 * face (the dynamic provider, the provider plugin) is a thin adapter that translates its
 * engine's calls into them. One instance serves a whole deployment in the provider process, so
 * its connection pool and ownership registry span every resource of it.
 */
import { randomBytes } from "node:crypto";
import { Connections } from "../cognito/connections";
import type { ClientTuning, CognitoGateway, CognitoUser, Connection } from "../cognito/gateway";
import { decideDiff } from "./diff";
import {
  DuplicateUserError,
  FederatedUserError,
  NotFoundError,
  PasswordPolicyError,
  RegionNotConfiguredError,
  UserPoolNotFoundError,
  targetOf,
  type Target,
  type UserPasswordError,
} from "./errors";
import { assessDrift } from "./lifecycle";
import { optionOutputs, outputsFromId, storedOutputs } from "./outputs";
import { OwnershipRegistry } from "./ownership";
import { freshRevision, nextPasswordRevision } from "./password-change";
import { MAX_POLICY_MINIMUM_LENGTH, policyViolations, scramblePassword } from "./password-policy";
import { formatResourceId } from "./resource-id";
import {
  DEFAULTS,
  isUnknown,
  UNKNOWN,
  type CheckFailure,
  type CheckRequest,
  type CheckResult,
  type CreateRequest,
  type CreateResult,
  type DeleteRequest,
  type DiffRequest,
  type DiffResult,
  type ReadRequest,
  type ReadResult,
  type StackConfig,
  type UpdateRequest,
  type UpdateResult,
  type UserPasswordInputs,
  type UserPasswordOutputs,
} from "./types";
import { validateInputs, validateKnownInputs, withDefaults } from "./validation";

/** What the core can be given instead of the real world (tests, benchmarks). */
export interface CoreDependencies {
  /** Makes the gateway for a connection; called once per distinct connection. */
  gatewayFor?: (connection: Connection) => CognitoGateway;
  /** The clock, for temporary-password expiry. */
  now?: () => Date;
  /** Where AWS_REGION / AWS_DEFAULT_REGION and the tuning variables are read from. */
  env?: NodeJS.ProcessEnv;
  /** The Cognito client's attempts and request timeout; overrides the defaults and `COGNITO_PW_*`. */
  tuning?: Partial<ClientTuning>;
}

/** A check failure told by the same error class the methods throw for it. */
function failure(property: string, error: UserPasswordError): CheckFailure {
  return { property, reason: error.message };
}

export class UserPasswordCore {
  private readonly connections: Connections;
  private readonly ownership = new OwnershipRegistry();
  private readonly now: () => Date;

  constructor(deps: CoreDependencies = {}) {
    this.now = deps.now ?? (() => new Date());
    this.connections = new Connections({
      env: deps.env ?? process.env,
      ...(deps.gatewayFor ? { gatewayFor: deps.gatewayFor } : {}),
      ...(deps.tuning ? { tuning: deps.tuning } : {}),
    });
  }

  configure(config: StackConfig): void {
    this.connections.configure(config);
  }

  async check({ name, olds, news }: CheckRequest): Promise<CheckResult> {
    const failures = validateInputs(news, this.connections.configuredRegion());
    if (failures.length > 0) return { failures };
    // Validated: every rule passed, so the shape is UserPasswordInputs (unknowns aside).
    const declared = news as unknown as UserPasswordInputs;
    // The previous inputs (the old password included) are only here: decide now whether the
    // password changed, and hand diff and update a revision that says so (see password-change).
    // A revision the engine handed back in `news` is overwritten, never trusted.
    const inputs: UserPasswordInputs = {
      ...withDefaults(declared),
      passwordRevision: nextPasswordRevision(olds, declared.password),
    };

    const poolKnown = !isUnknown(inputs.userPoolId);
    const target = targetOf(name, inputs.userPoolId, isUnknown(inputs.username) ? "(unknown)" : inputs.username);
    if (poolKnown && !isUnknown(inputs.username) && name) {
      const other = this.ownership.declare(formatResourceId(inputs.userPoolId, inputs.username), name);
      if (other) return { failures: [failure("username", new DuplicateUserError(target, other))] };
    }
    const connectionKnown = [inputs.region, inputs.endpoint, inputs.profile].every((v) => !isUnknown(v));
    // An unknown anywhere in the role (a role ARN from a resource not created yet).
    const roleKnown = inputs.assumeRole === undefined || !JSON.stringify(inputs.assumeRole).includes(UNKNOWN);
    if (poolKnown && connectionKnown && roleKnown) {
      const connection = this.connections.resolve(inputs);
      if (!connection) return { failures: [failure("region", new RegionNotConfiguredError(target))] };
      const poolFailure = await this.checkAgainstPool(inputs, target, connection);
      if (poolFailure) return { failures: [poolFailure] };
    }
    return { inputs };
  }

  diff({ olds, news }: DiffRequest): DiffResult {
    return decideDiff(olds, news);
  }

  async create({ name, inputs: news }: CreateRequest): Promise<CreateResult> {
    const inputs = validateKnownInputs(news, name, this.connections.configuredRegion());
    const outputs = await this.setDeclaredPassword(name, inputs);
    return { id: formatResourceId(inputs.userPoolId, inputs.username), outputs };
  }

  async update({ name, olds, news }: UpdateRequest): Promise<UpdateResult> {
    const inputs = validateKnownInputs(news, name, this.connections.configuredRegion());
    const decision = decideDiff(olds, inputs);
    if (decision.sets.length === 0 && decision.replaces.length === 0) {
      // Only options changed: nothing to tell Cognito.
      return { outputs: { ...storedOutputs(olds), ...optionOutputs(inputs) } };
    }
    return { outputs: await this.setDeclaredPassword(name, inputs) };
  }

  async read({ name, id, outputs }: ReadRequest): Promise<ReadResult> {
    const current = outputs?.userPoolId ? storedOutputs(outputs) : outputsFromId(id);
    const target = targetOf(name, current.userPoolId, current.cognitoUsername || current.username);
    const connection = this.connections.resolveOrThrow(current, target);
    let user: CognitoUser;
    try {
      user = await this.connections.gateway(connection).getUser(target);
    } catch (err) {
      if (NotFoundError.isInstance(err)) return {};
      throw err;
    }
    const permanent = current.permanent ?? DEFAULTS.permanent;
    const reissue = current.reissueExpiredTemporaryPassword ?? DEFAULTS.reissueExpiredTemporaryPassword;
    // The pool's validity period matters only for a temporary password still unused.
    const validityDays =
      !permanent && reissue && user.status === "FORCE_CHANGE_PASSWORD"
        ? (await this.connections.settingsOf(connection, target).catch(() => undefined))?.temporaryPasswordValidityDays
        : undefined;
    const setAt = current.passwordSetAt ? { passwordSetAt: new Date(current.passwordSetAt) } : {};
    const drift = assessDrift(
      user,
      { permanent, reissueExpiredTemporaryPassword: reissue, ...setAt },
      this.now(),
      validityDays,
    );
    // A drift the last refresh found is replaced by what this one finds.
    const next: UserPasswordOutputs = { ...current, cognitoUsername: user.username, status: user.status };
    if (drift) next.drift = drift;
    else delete next.drift;
    return { id, outputs: next };
  }

  async delete({ name, outputs: props }: DeleteRequest): Promise<void> {
    if (props.onDelete === "keep") return;
    const username = props.cognitoUsername || props.username;
    // A rename without an alias creates the new resource (setting the password) before
    // deleting the old one: do not clobber what was just set.
    if (this.ownership.supersededSince(formatResourceId(props.userPoolId, username), props.setId)) return;
    // The same when the new resource was set in an earlier run (a targeted or interrupted
    // rename): it is declared in this deployment (check ran for it), so its password stands.
    for (const declared of new Set([username, props.username])) {
      const declaredBy = this.ownership.declaredBy(formatResourceId(props.userPoolId, declared));
      if (declaredBy !== undefined && declaredBy !== name) return;
    }
    const target = targetOf(name, props.userPoolId, username);
    const gateway = this.connections.gateway(this.connections.resolveOrThrow(props, target));
    try {
      try {
        await gateway.setPassword(target, scramblePassword(64), true);
      } catch (err) {
        // A pool whose minimum length exceeds 64.
        if (PasswordPolicyError.isInstance(err))
          await gateway.setPassword(target, scramblePassword(MAX_POLICY_MINIMUM_LENGTH), true);
        else throw err;
      }
    } catch (err) {
      if (NotFoundError.isInstance(err)) return;
      throw err;
    }
  }

  /**
   * Sets the declared password. The outputs record `inputs.passwordRevision` (a fresh one for
   * a caller that skipped check).
   */
  private async setDeclaredPassword(
    name: string | undefined,
    inputs: UserPasswordInputs,
  ): Promise<UserPasswordOutputs> {
    const declaredTarget = targetOf(name, inputs.userPoolId, inputs.username);
    const connection = this.connections.resolveOrThrow(inputs, declaredTarget);
    const gateway = this.connections.gateway(connection);
    const user = await gateway.getUser(declaredTarget);
    const target: Target = { ...declaredTarget, username: user.username };
    if (user.status === "EXTERNAL_PROVIDER" && !inputs.allowFederatedUser) throw new FederatedUserError(declaredTarget);
    const key = formatResourceId(inputs.userPoolId, user.username);
    // Claimed before the set, with no await in between: a second resource resolving to the
    // same user while this set is in flight is refused, not left to race.
    const other = this.ownership.claim(key, name);
    if (other) throw new DuplicateUserError(declaredTarget, other);

    const permanent = inputs.permanent ?? DEFAULTS.permanent;
    await gateway.setPassword(target, inputs.password, permanent);
    // Random, not derived from the password: tells this set apart from any other (rename protection).
    const setId = randomBytes(16).toString("hex");
    this.ownership.recordSet(key, { resourceName: name, setId });
    return {
      userPoolId: inputs.userPoolId,
      username: inputs.username,
      cognitoUsername: user.username,
      permanent,
      // What AdminSetUserPassword makes of the user; refresh reads the status Cognito reports.
      status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
      setId,
      passwordRevision: inputs.passwordRevision ?? freshRevision(),
      passwordSetAt: this.now().toISOString(),
      region: connection.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.profile ? { profile: connection.profile } : {}),
      ...(inputs.assumeRole ? { assumeRole: inputs.assumeRole } : {}),
      ...optionOutputs(inputs),
    };
  }

  /** A check failure when the known password breaks the pool's policy or the pool does not exist. */
  private async checkAgainstPool(
    inputs: UserPasswordInputs,
    target: Target,
    connection: Connection,
  ): Promise<CheckFailure | undefined> {
    if (inputs.checkPasswordPolicy === false || isUnknown(inputs.password)) return undefined;
    let settings;
    try {
      settings = await this.connections.settingsOf(connection, target);
    } catch (err) {
      if (UserPoolNotFoundError.isInstance(err)) return failure("userPoolId", err);
      // No permission to describe the pool, or a transient fault: the set itself will tell.
      return undefined;
    }
    if (!settings.passwordPolicy) return undefined;
    const violations = policyViolations(inputs.password, settings.passwordPolicy);
    return violations.length > 0 ? failure("password", new PasswordPolicyError(target, violations)) : undefined;
  }
}
