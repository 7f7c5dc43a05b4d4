/**
 * For the crash tests' fleets of users on one pool: each user's declared password per
 * generation, and which of several candidate passwords each user signs in with.
 */
import { randomBytes } from "node:crypto";
import { getUserStatus, signIn, type Pool } from "../harness/cognito";
import type { SecretScanner } from "../harness/secret-scanner";

/** The users' passwords of `generation`, made on first use, kept in `byGeneration` and given to the scanner. */
export function generationPasswords(
  users: readonly string[],
  byGeneration: Map<number, string[]>,
  generation: number,
  scanner: SecretScanner,
): string[] {
  let list = byGeneration.get(generation);
  if (!list) {
    list = users.map((u) => `G${generation}!${u}-${randomBytes(5).toString("hex")}-Pw9`);
    list.forEach((value, i) => scanner.add({ label: `password of ${users[i]} (generation ${generation})`, value }));
    byGeneration.set(generation, list);
  }
  return list;
}

/** `check` for every user, 8 at a time; results in the users' order. */
export async function forEachUser<T>(users: string[], check: (user: string, i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(users.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < users.length) {
        const i = next++;
        results[i] = await check(users[i] as string, i);
      }
    }),
  );
  return results;
}

/**
 * Which candidate password each user signs in with (the candidate's name); "untouched" when no
 * stack ever set the user's password (still as AdminCreateUser left it), "none" otherwise.
 */
export async function whichPassword(
  pool: Pool,
  users: string[],
  candidates: Record<string, Array<string | undefined> | undefined>,
): Promise<string[]> {
  return forEachUser(users, async (user, i) => {
    for (const [name, list] of Object.entries(candidates)) {
      const password = list?.[i];
      if (password !== undefined && (await signIn(pool, user, password)) === "tokens") return name;
    }
    return (await getUserStatus(pool, user)) === "FORCE_CHANGE_PASSWORD" ? "untouched" : "none";
  });
}

/** How many times each value occurs. */
export function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
