// The e2e harness's one retry: a gRPC "14 UNAVAILABLE" failure before any step started is
// retried once (and logged); any other failure, or one after a step began, is not.
import type * as automation from "@pulumi/pulumi/automation";
import { describe, expect, it, vi } from "vitest";
import { retryTransportFlake } from "../harness/pulumi-engine";

type Op = (opts?: { onEvent?: (e: automation.EngineEvent) => void }) => Promise<unknown>;

function fakeStack(attempts: Array<{ error?: string; eventFirst?: boolean }>) {
  let call = 0;
  // Not async (nothing to await): the executor turns a throw into a rejection, as an async function would.
  const up: Op = (opts) =>
    new Promise((resolve) => {
      const attempt = attempts[call++] ?? {};
      if (attempt.eventFirst)
        opts?.onEvent?.({ sequence: 1, timestamp: 0, resourcePreEvent: {} } as unknown as automation.EngineEvent);
      if (attempt.error) throw new Error(attempt.error);
      resolve("ok");
    });
  const stack = { name: "s", up, preview: up, refresh: up, destroy: up } as unknown as automation.Stack;
  retryTransportFlake(stack);
  return { stack, calls: () => call };
}

describe("retryTransportFlake", () => {
  it("retries once, with a log line, when 14 UNAVAILABLE came before any step", async () => {
    const log = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const { stack, calls } = fakeStack([{ error: "14 UNAVAILABLE: No connection established" }, {}]);
    await expect(stack.up()).resolves.toBe("ok");
    expect(calls()).toBe(2);
    expect(log.mock.calls.map((c) => String(c[0])).join("")).toContain("retrying once");
    log.mockRestore();
  });

  it("does not retry after a step started", async () => {
    const { stack, calls } = fakeStack([{ error: "14 UNAVAILABLE: No connection established", eventFirst: true }, {}]);
    await expect(stack.up()).rejects.toThrow("14 UNAVAILABLE");
    expect(calls()).toBe(1);
  });

  it("does not retry any other error, nor a second flake", async () => {
    const other = fakeStack([{ error: "update failed" }, {}]);
    await expect(other.stack.up()).rejects.toThrow("update failed");
    expect(other.calls()).toBe(1);
    const log = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const twice = fakeStack([{ error: "14 UNAVAILABLE" }, { error: "14 UNAVAILABLE" }, {}]);
    await expect(twice.stack.up()).rejects.toThrow("14 UNAVAILABLE");
    expect(twice.calls()).toBe(2);
    log.mockRestore();
  });
});
