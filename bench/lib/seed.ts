/**
 * Users to set passwords on. Seeding is slow on cognito-local (every AdminCreateUser rewrites
 * the pool's JSON file, so it grows with the pool), so every benchmark draws from one shared
 * pool per emulator, sized for the largest need of the run: a run of N takes the first N users.
 * A side benefit: the emulator's cost per call is the same at every N, so the engine's scaling
 * figure does not mix in the emulator's own growth (real Cognito has none).
 */
import { createPool, createUser, type Pool } from "../../test/harness/cognito";
import { log, runPool } from "./stats";

export interface SeededPool {
  pool: Pool;
  usernames: string[];
  /** Users in the whole pool (cognito-local's cost per write grows with it). */
  poolSize: number;
}

const shared = new Map<string, Promise<SeededPool>>();
let wanted = new Map<string, number>();

/** Declares that the run will need `count` users on `endpoint` (call before the first `seedPool`). */
export function reserveUsers(endpoint: string, count: number): void {
  wanted.set(endpoint, Math.max(wanted.get(endpoint) ?? 0, count));
}

/** Forgets the shared pools (between runs in one process). */
export function resetSeeds(): void {
  shared.clear();
  wanted = new Map();
}

/** A pool with at least `count` users, shared across benchmarks on the same endpoint; the first `count` usernames. */
export async function seedPool(endpoint: string, count: number): Promise<SeededPool> {
  let pending = shared.get(endpoint);
  if (!pending) {
    const size = Math.max(count, wanted.get(endpoint) ?? 0);
    pending = createSeededPool(endpoint, size);
    shared.set(endpoint, pending);
  }
  const seeded = await pending;
  if (seeded.usernames.length < count) {
    throw new Error(
      `the shared pool on ${endpoint} has ${seeded.usernames.length} users, ${count} needed: reserveUsers() it first`,
    );
  }
  return { pool: seeded.pool, usernames: seeded.usernames.slice(0, count), poolSize: seeded.poolSize };
}

/** A pool of its own with `count` users (not shared: for a size that would change every other benchmark's pool). */
export async function createSeededPool(endpoint: string, count: number): Promise<SeededPool> {
  log(`seeding a pool of ${count} users on ${endpoint}`);
  const pool = await createPool(endpoint);
  const usernames = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  await runPool(count, 8, async (i) => {
    await createUser(pool, usernames[i]);
  });
  return { pool, usernames, poolSize: count };
}
