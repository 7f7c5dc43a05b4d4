/**
 * The resource id, `<userPoolId>/<username>`: built by create, parsed by read when the engine
 * knows nothing else, and the key under which the ownership registry tracks a user.
 */
import { InvalidInputError } from "./errors";

export function formatResourceId(userPoolId: string, username: string): string {
  return `${userPoolId}/${username}`;
}

/** Splits an id at its first slash (pool ids never hold one; usernames may). */
export function parseResourceId(id: string): { userPoolId: string; username: string } {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) {
    throw new InvalidInputError([{ property: "id", reason: `must be <userPoolId>/<username>, got "${id}"` }]);
  }
  return { userPoolId: id.slice(0, slash), username: id.slice(slash + 1) };
}
