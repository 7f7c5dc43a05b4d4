/**
 * A shallow copy of `value` without `keys`: what a test means by "the same, but with these
 * left out" (the copy's other own properties are those of `{ ...value }`).
 */
export function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}
