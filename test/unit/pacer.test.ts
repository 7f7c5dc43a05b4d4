// The pacer on a fake clock (no real time passes, nothing is timed): it starts callers at its
// rate, gives way on a throttle (once per burst of throttles), climbs back to the configured
// rate and never past it; two pacers sharing one token-bucket quota (two processes seeding one
// account) both get every request through. The quota here is a model of Cognito's (a bucket of
// one second's worth, refilled at the rate), as the fault proxy implements it for the e2e tests.
import { describe, expect, it } from "vitest";
import { Connections } from "../../src/cognito/connections";
import {
  DEFAULT_RATES,
  InvalidPacingError,
  Pacer,
  Pacers,
  pacingRatesFrom,
  SETS_PER_SECOND_ENV,
  SETS_PER_SECOND_KEY,
  type Clock,
} from "../../src/cognito/pacer";

/** A clock whose time moves only when the test says so; sleepers wake in time order. */
class FakeClock implements Clock {
  private t = 0;
  private timers: Array<{ at: number; seq: number; wake: () => void }> = [];
  private seq = 0;

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.t + ms, seq: this.seq++, wake }));
  }

  /** Moves time to `until`, waking each sleeper at its time and letting it run before the next. */
  async runUntil(until: number): Promise<void> {
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = this.timers[0];
      if (!first || first.at > until) break;
      this.timers.shift();
      this.t = Math.max(this.t, first.at);
      first.wake();
      await flush();
    }
    this.t = Math.max(this.t, until);
  }
}

/** Lets every pending promise continuation run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Starts `n` callers at once; returns the time each was let through, in order. */
function startAll(pacer: Pacer, clock: FakeClock, n: number): number[] {
  const starts: number[] = [];
  for (let i = 0; i < n; i++) void pacer.acquire().then(() => starts.push(clock.now()));
  return starts;
}

const within = (starts: number[], from: number, to: number) => starts.filter((t) => t >= from && t < to).length;

describe("Pacer", () => {
  it("holds its rate: one slot every 1/rate seconds, no burst, whatever the demand", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 25, clock });
    const starts = startAll(pacer, clock, 100);
    await clock.runUntil(10_000);
    expect(starts).toHaveLength(100);
    for (const second of [0, 1, 2, 3]) expect(within(starts, second * 1000, (second + 1) * 1000)).toBe(25);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    for (const gap of gaps) expect(gap).toBeCloseTo(40, 6);
  });

  it("lets an idle caller through at once, and catches up on at most half a second of missed slots", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, clock });
    await clock.runUntil(5_000);
    const starts = startAll(pacer, clock, 8);
    await clock.runUntil(10_000);
    // The slots of 4.5 s to 5.0 s (six at 10 per second), then one every 100 ms again.
    expect(starts).toEqual([5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_100, 5_200]);
  });

  /** Lets `n` callers through one after another, each answered at once (not throttled). */
  async function through(pacer: Pacer, clock: FakeClock, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const slot = pacer.acquire();
      await clock.runUntil(clock.now() + 1000 / pacer.ratePerSecond);
      await slot;
      pacer.succeeded();
    }
  }

  it("gives way on a throttle, once per burst of throttles, and again after the cool-down", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 20, clock });
    await through(pacer, clock, 40); // two seconds at 20 per second, nothing refused
    expect(pacer.ratePerSecond).toBe(20);
    pacer.throttled();
    expect(pacer.ratePerSecond).toBeCloseTo(15, 6);
    // The other requests of the same burst are refused too: they do not lower it again.
    pacer.throttled();
    pacer.throttled();
    expect(pacer.ratePerSecond).toBeCloseTo(15, 6);
    expect(pacer.throttledCount).toBe(3);
    // The next slots are spaced at the lower rate.
    const starts = startAll(pacer, clock, 3);
    await clock.runUntil(clock.now() + 200);
    expect(starts[1]! - starts[0]!).toBeCloseTo(1000 / 15, 0);
    // A second later, a throttle of a request started before the decrease still says nothing new.
    await clock.runUntil(clock.now() + 1_000);
    const before = pacer.ratePerSecond;
    pacer.throttled(clock.now() - 1_500);
    expect(pacer.ratePerSecond).toBe(before);
    // A fresh one lowers it again: to 0.75x the rate requests got through at (here none since
    // the decrease but the 3 above), so a far lower quota is found at once, not over many halvings.
    pacer.throttled();
    expect(pacer.ratePerSecond).toBeLessThan(before * 0.75);
  });

  it("recovers: climbs back linearly to the configured rate, never past it", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 25, clock });
    await through(pacer, clock, 50);
    pacer.throttled();
    const low = pacer.ratePerSecond;
    expect(low).toBeCloseTo(18.75, 6);
    const at = clock.now();
    await clock.runUntil(at + 1_000);
    // A tenth of the configured rate per second.
    expect(pacer.ratePerSecond).toBeCloseTo(low + 2.5, 6);
    await clock.runUntil(at + 60_000);
    expect(pacer.ratePerSecond).toBe(25);
    // And it paces at 25 again (after catching up on the last half second's slots).
    const starts = startAll(pacer, clock, 60);
    await clock.runUntil(at + 63_000);
    expect(within(starts, at + 60_000, at + 60_001)).toBe(13);
    expect(within(starts, at + 60_500, at + 61_500)).toBe(25);
  });

  it("never drops below a floor, however many throttles", async () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 25, clock });
    for (let s = 0; s < 60; s++) {
      pacer.throttled();
      await clock.runUntil((s + 1) * 1_000);
    }
    expect(pacer.ratePerSecond).toBeGreaterThanOrEqual(1);
  });

  it("two pacers sharing one quota (two processes, one account) both get every request through", async () => {
    const clock = new FakeClock();
    const quota = 25;
    // The service: a token bucket of one second's worth, refilled at `quota` per second.
    let tokens = quota;
    let refilledAt = 0;
    let admitted = 0;
    let refused = 0;
    const admittedAt: number[] = [];
    const admit = (): boolean => {
      const now = clock.now();
      tokens = Math.min(quota, tokens + ((now - refilledAt) / 1000) * quota);
      refilledAt = now;
      if (tokens < 1) {
        refused++;
        return false;
      }
      tokens -= 1;
      admitted++;
      admittedAt.push(now);
      return true;
    };
    // Each process: 8 requests in flight (the engine's parallelism), 150 users, every attempt
    // through its own pacer, a refused attempt retried (as the SDK's retry strategy does).
    const seed = async (pacer: Pacer, users: number): Promise<number> => {
      let done = 0;
      let next = 0;
      const worker = async () => {
        while (next < users) {
          next++;
          for (;;) {
            const slot = await pacer.acquire();
            if (admit()) break;
            pacer.throttled(slot);
          }
          pacer.succeeded();
          done++;
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return done;
    };
    const a = new Pacer({ ratePerSecond: quota, clock });
    const b = new Pacer({ ratePerSecond: quota, clock });
    const results = Promise.all([seed(a, 150), seed(b, 150)]);
    await clock.runUntil(120_000);
    expect(await results).toEqual([150, 150]);
    expect(admitted).toBe(300);
    // Both gave way (they shared the quota), and the refusals stayed few: the pace found the quota.
    expect(a.throttledCount).toBeGreaterThan(0);
    expect(b.throttledCount).toBeGreaterThan(0);
    expect(refused).toBeLessThan(300 * 0.2);
    // Combined, the quota was used: from the end of the first second's burst to the last set.
    const first = admittedAt[quota - 1] as number;
    const last = admittedAt[admittedAt.length - 1] as number;
    expect((admitted - quota) / ((last - first) / 1000)).toBeGreaterThanOrEqual(0.9 * quota);
  });
});

describe("Pacers", () => {
  it("one pacer per quota and category; a new configured rate applies to the existing pacer", () => {
    const pacers = new Pacers(new FakeClock());
    const sets = pacers.pacerFor("us-east-1||account:1", "UserUpdate", 25);
    expect(pacers.pacerFor("us-east-1||account:1", "UserUpdate", 25)).toBe(sets);
    expect(pacers.pacerFor("us-east-1||account:1", "UserRead", 120)).not.toBe(sets);
    expect(pacers.pacerFor("eu-west-1||account:1", "UserUpdate", 25)).not.toBe(sets);
    pacers.pacerFor("us-east-1||account:1", "UserUpdate", 100);
    expect(sets.configuredRatePerSecond).toBe(100);
  });
});

describe("pacingRatesFrom", () => {
  const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

  it("defaults to Cognito's quotas: 25 sets, 120 reads, 15 pool reads per second", () => {
    expect(pacingRatesFrom(undefined, {})).toEqual({ UserUpdate: 25, UserRead: 120, UserPoolRead: 15 });
    expect(DEFAULT_RATES.UserUpdate).toBe(25);
  });

  it("takes setsPerSecond from the stack config, then the environment", () => {
    expect(pacingRatesFrom(config({ [SETS_PER_SECOND_KEY]: "100" }), { [SETS_PER_SECOND_ENV]: "50" }).UserUpdate).toBe(
      100,
    );
    expect(pacingRatesFrom(config({}), { [SETS_PER_SECOND_ENV]: "50" }).UserUpdate).toBe(50);
    expect(pacingRatesFrom(config({ [SETS_PER_SECOND_KEY]: "2.5" }), {}).UserRead).toBe(120);
  });

  it("refuses a value that is not a positive number, naming where it came from", () => {
    for (const bad of ["0", "-3", "fast", "Infinity"]) {
      expect(() => pacingRatesFrom(config({ [SETS_PER_SECOND_KEY]: bad }), {})).toThrow(InvalidPacingError);
      expect(() => pacingRatesFrom(config({ [SETS_PER_SECOND_KEY]: bad }), {})).toThrow(SETS_PER_SECOND_KEY);
      expect(() => pacingRatesFrom(undefined, { [SETS_PER_SECOND_ENV]: bad })).toThrow(SETS_PER_SECOND_ENV);
    }
  });
});

describe("Connections: setsPerSecond reaches the pace from the stack config", () => {
  it("refuses an invalid setsPerSecond at configure, and one from the environment at start", () => {
    const connections = new Connections({ env: {} });
    expect(() => connections.configure({ get: (key) => (key === SETS_PER_SECOND_KEY ? "0" : undefined) })).toThrow(
      InvalidPacingError,
    );
    expect(() => new Connections({ env: { [SETS_PER_SECOND_ENV]: "lots" } })).toThrow(InvalidPacingError);
    expect(() =>
      connections.configure({ get: (key) => (key === SETS_PER_SECOND_KEY ? "100" : undefined) }),
    ).not.toThrow();
  });
});
