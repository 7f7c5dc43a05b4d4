/**
 * Pacing at Cognito's request-rate quotas. Cognito meters requests per category for a whole
 * account and region (AdminSetUserPassword: UserUpdate, 25 per second by default; AdminGetUser:
 * UserRead, 120; DescribeUserPool: UserPoolRead, 15) and answers TooManyRequestsException
 * beyond. A client that waits for the throttle (the SDK's adaptive retry) keeps cutting its own
 * rate and climbing back; one that starts requests at the quota's pace is never refused.
 *
 * So every attempt the SDK makes (its retries included) waits for a slot of a per-process pacer
 * shared by every client of the same account and region. On a throttle the pace gives way
 * (multiplicative decrease) and climbs back linearly up to the configured rate (additive
 * increase): two processes sharing one quota settle on shares of it instead of refusing each
 * other without end. The SDK's standard retry strategy retries the refused attempt (its back-off
 * spreads the retries of a far lower quota over time, so that few attempts are spent); the
 * pacer only decides when an attempt may start.
 *
 * Why not a library: the rate limiters on npm (bottleneck, p-throttle, limiter) start jobs at a
 * fixed rate; none gives way on a throttle and climbs back, which is the part that matters here,
 * and wrapping one to change its rate would be longer than this pacer (bottleneck's last release
 * is from 2019; p-throttle is ESM-only and this package is CommonJS).
 */
import { createHash } from "node:crypto";
import type {
  CognitoIdentityProviderClient,
  ServiceInputTypes,
  ServiceOutputTypes,
} from "@aws-sdk/client-cognito-identity-provider";
import type { FinalizeRequestMiddleware } from "@smithy/types";
import { UserPasswordError } from "../core/errors";
import type { StackConfig } from "../core/types";
import { errorName } from "./errors";

/** Cognito's quota categories of the calls this library makes. */
export type QuotaCategory = "UserUpdate" | "UserRead" | "UserPoolRead";

/** Requests per second per category, for the whole account and region. */
export type PacingRates = Readonly<Record<QuotaCategory, number>>;

/** Cognito's default quotas (developer guide, "Quotas in Amazon Cognito"). */
export const DEFAULT_RATES: PacingRates = { UserUpdate: 25, UserRead: 120, UserPoolRead: 15 };

/** The category each command this library sends counts against. */
const CATEGORY_OF_COMMAND: Readonly<Record<string, QuotaCategory>> = {
  AdminSetUserPasswordCommand: "UserUpdate",
  AdminGetUserCommand: "UserRead",
  DescribeUserPoolCommand: "UserPoolRead",
};

/** The stack config key and the environment variable that set the UserUpdate pace. */
export const SETS_PER_SECOND_KEY = "cognito-user-password:setsPerSecond";
export const SETS_PER_SECOND_ENV = "COGNITO_PW_SETS_PER_SECOND";

/** `setsPerSecond` is not a positive number. */
export class InvalidPacingError extends UserPasswordError {
  constructor(source: string, value: string) {
    super(
      `${source} must be a positive number of AdminSetUserPassword calls per second (the account's UserUpdate quota), got "${value}"`,
    );
  }
}

/** The rates for a stack: `setsPerSecond` from the stack config, else the environment, else 25. */
export function pacingRatesFrom(config: StackConfig | undefined, env: NodeJS.ProcessEnv): PacingRates {
  const parse = (source: string, value: string | undefined): number | undefined => {
    if (value === undefined || value.trim() === "") return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidPacingError(source, value);
    return n;
  };
  const sets =
    parse(`the stack config "${SETS_PER_SECOND_KEY}"`, config?.get(SETS_PER_SECOND_KEY)) ??
    parse(SETS_PER_SECOND_ENV, env[SETS_PER_SECOND_ENV]);
  return sets === undefined ? DEFAULT_RATES : { ...DEFAULT_RATES, UserUpdate: sets };
}

/** Time, so that tests can run the pacer on a fake clock. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PacerOptions {
  /** The configured rate: the pace never exceeds it. */
  ratePerSecond: number;
  clock?: Clock;
}

/** Factor applied on a throttle to the lower of the current rate and the rate requests got through at. */
const DECREASE = 0.75;
/** Additive increase per second, as a share of the configured rate: from the floor back in 10 s. */
const INCREASE_SHARE_PER_SECOND = 0.1;
/** The pace never drops below this share of the configured rate. */
const FLOOR_SHARE = 0.04;
/** Requests that got through are counted over this window to tell the rate the quota admits. */
const WINDOW_MS = 1_000;
/**
 * At most one decrease per this long: a quota's bucket holds about a second's worth, so what a
 * decrease does shows within a second; throttles before that tell nothing new.
 */
const DECREASE_COOLDOWN_MS = 1_000;

/**
 * Slots left unused for up to this long may still be taken (at once): the engine hands out its
 * steps unevenly (measured: seeding 2,000 users, the engine's own pace averaged 2x the quota,
 * and strict spacing, which loses every slot nobody waits for, reached 0.82 of it). A quota's
 * bucket of about a second's worth admits a half-second catch-up.
 */
const CATCH_UP_MS = 500;

/** When a caller was let through: hand it back to `throttled`. */
export type Slot = number;

/**
 * Starts callers one slot apart at the current rate, catching up on slots missed in the
 * last half second (no head start: a token bucket on the other side starts full anyway). A throttle lowers the rate to
 * 0.75x the lower of the current rate and the rate requests got through at in the last second
 * (so a far lower quota is found in a step or two, not halved towards over many seconds);
 * from there it climbs back linearly to the configured rate. A throttle within a second of the
 * last decrease, or of a request started before it (sent at the old pace), says nothing new and
 * is only counted.
 */
export class Pacer {
  private readonly clock: Clock;
  private ceiling: number;
  /** The rate right after the last decrease, and when that was; the rate grows from there. */
  private base: number;
  private baseAt: number;
  private lastDecreaseAt = -Infinity;
  /** When the next slot opens. */
  private nextSlotAt: number;
  private readonly startedAt: number;
  /** When recent requests got through (oldest first, within WINDOW_MS). */
  private admitted: number[] = [];
  private throttles = 0;

  constructor(options: PacerOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.ceiling = checkedRate(options.ratePerSecond);
    this.base = this.ceiling;
    this.baseAt = this.clock.now();
    this.nextSlotAt = this.baseAt;
    this.startedAt = this.baseAt;
  }

  /** The rate the next slot is spaced at. */
  get ratePerSecond(): number {
    const grown = this.base + ((this.clock.now() - this.baseAt) / 1000) * this.ceiling * INCREASE_SHARE_PER_SECOND;
    return Math.min(this.ceiling, grown);
  }

  get configuredRatePerSecond(): number {
    return this.ceiling;
  }

  /** Throttles reported so far (each one, whether it lowered the rate or not). */
  get throttledCount(): number {
    return this.throttles;
  }

  /** A new configured rate (the stack config read after the pacer was made). */
  setRate(ratePerSecond: number): void {
    const rate = checkedRate(ratePerSecond);
    if (rate === this.ceiling) return;
    const current = this.ratePerSecond;
    this.ceiling = rate;
    this.base = Math.min(current, rate);
    this.baseAt = this.clock.now();
  }

  /** Resolves when the caller may start its request, with its slot (its time, which may be just past). */
  async acquire(): Promise<Slot> {
    const now = this.clock.now();
    const at = Math.max(this.nextSlotAt, now - CATCH_UP_MS);
    this.nextSlotAt = at + 1000 / this.ratePerSecond;
    if (at > now) await this.clock.sleep(at - now);
    return at;
  }

  /** A request got an answer that was not a throttle. */
  succeeded(): void {
    const now = this.clock.now();
    this.admitted.push(now);
    this.forgetBefore(now - WINDOW_MS);
  }

  /** The request of `slot` (default: one started just now) was refused for the rate: give way. */
  throttled(slot: Slot = this.clock.now()): void {
    this.throttles++;
    const now = this.clock.now();
    if (slot < this.lastDecreaseAt || now - this.lastDecreaseAt < DECREASE_COOLDOWN_MS) return;
    this.forgetBefore(now - WINDOW_MS);
    const window = Math.max(100, Math.min(WINDOW_MS, now - this.startedAt));
    const gotThrough = (this.admitted.length * 1000) / window;
    this.lastDecreaseAt = now;
    this.base = Math.max(this.ceiling * FLOOR_SHARE, Math.min(this.ratePerSecond, gotThrough) * DECREASE);
    this.baseAt = now;
    // Slots already handed out keep their time; the next one is spaced at the new rate.
    this.nextSlotAt = Math.max(this.nextSlotAt, now + 1000 / this.base);
  }

  private forgetBefore(t: number): void {
    let drop = 0;
    while (drop < this.admitted.length && (this.admitted[drop] as number) <= t) drop++;
    if (drop > 0) this.admitted.splice(0, drop);
  }
}

function checkedRate(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`a pacing rate must be > 0, got ${rate}`);
  return rate;
}

/**
 * The pacers of one process: one per (account and region, category), shared by every client
 * (every connection and every provider instance) that reaches the same quota.
 */
export class Pacers {
  private readonly pacers = new Map<string, Pacer>();

  constructor(private readonly clock: Clock = SYSTEM_CLOCK) {}

  pacerFor(quotaKey: string, category: QuotaCategory, ratePerSecond: number): Pacer {
    const key = `${quotaKey}|${category}`;
    let pacer = this.pacers.get(key);
    if (!pacer) {
      pacer = new Pacer({ ratePerSecond, clock: this.clock });
      this.pacers.set(key, pacer);
    } else {
      pacer.setRate(ratePerSecond);
    }
    return pacer;
  }
}

/** Every client of this process paces through these. */
export const PROCESS_PACERS = new Pacers();

/** What identifies the quota a client draws on, besides the credentials. */
export interface QuotaScope {
  region: string;
  endpoint?: string;
  profile?: string;
}

/**
 * The quota a client draws on: Cognito meters per account and region. The account comes with
 * the credentials when their source tells it (`accountId`: SSO, assumed roles, AWS_ACCOUNT_ID);
 * otherwise the access key stands for it (one key belongs to one account; two keys of one
 * account then pace apart, and the throttles they meet make each give way). Hashed: the key
 * is an identifier, but nothing of the credentials is kept beyond what the SDK keeps. A custom
 * endpoint (an emulator, a proxy) is a quota of its own. When no credentials resolve, the
 * connection's profile stands in (the SDK then fails the call with its own error).
 */
export async function quotaKeyOf(client: CognitoIdentityProviderClient, scope: QuotaScope): Promise<string> {
  const where = `${scope.region}|${scope.endpoint ?? ""}`;
  try {
    const identity = await client.config.credentials();
    if (identity.accountId) return `${where}|account:${identity.accountId}`;
    return `${where}|key:${createHash("sha256").update(identity.accessKeyId).digest("hex").slice(0, 16)}`;
  } catch {
    return `${where}|profile:${scope.profile ?? ""}`;
  }
}

/** A middleware of the client's finalizeRequest step (types only: @smithy/types comes with the SDK client). */
type Middleware = FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes>;

const isThrottle = (err: unknown): boolean => {
  const name = errorName(err);
  return name === "TooManyRequestsException" || name === "ThrottlingException";
};

/**
 * Makes every attempt of `client`'s Cognito calls wait for its category's pacer. Placed right
 * after the SDK's retry middleware, so that each retry waits for a slot too, and before the
 * HTTP handler, so that waiting never counts against the request timeout.
 */
export function pace(
  client: CognitoIdentityProviderClient,
  scope: QuotaScope,
  rates: () => PacingRates,
  pacers: Pacers = PROCESS_PACERS,
): CognitoIdentityProviderClient {
  let quotaKey: Promise<string> | undefined;
  const middleware: Middleware = (next, context) => async (args) => {
    const category = CATEGORY_OF_COMMAND[context.commandName ?? ""];
    if (!category) return next(args);
    quotaKey ??= quotaKeyOf(client, scope);
    const pacer = pacers.pacerFor(await quotaKey, category, rates()[category]);
    const slot = await pacer.acquire();
    try {
      const out = await next(args);
      pacer.succeeded();
      return out;
    } catch (err) {
      // Any answer but a throttle (a 500, a refusal) is not the quota's: it counts as through.
      if (isThrottle(err)) pacer.throttled(slot);
      else pacer.succeeded();
      throw err;
    }
  };
  client.middlewareStack.addRelativeTo(middleware, {
    relation: "after",
    toMiddleware: "retryMiddleware",
    name: "cognitoUserPasswordPacer",
    override: true,
  });
  return client;
}
