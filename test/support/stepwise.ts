import { afterEach, beforeEach } from "vitest";

/**
 * For a `describe` whose tests are steps that build on each other (one stack, one project):
 * once a step failed, the remaining ones are skipped, not failed again for the same cause.
 */
export function stepwise(): void {
  let broken = false;
  beforeEach((ctx) => {
    if (broken) ctx.skip();
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") broken = true;
  });
}
