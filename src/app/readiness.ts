/**
 * Whether this node should take traffic (`GET /readyz`, for a load balancer): the store answers,
 * its migrations are all applied, the background workers are alive, and the node is not
 * shutting down. Each check has a deadline, so a hung store or thread reads "not ready" rather
 * than hanging the probe.
 */
import type { Storage } from "../store/storage.ts";
import type { LoopHealth } from "./work-loop.ts";

export type CheckName = "store" | "migrations" | "workers" | "shutdown";

export interface Readiness {
  readonly ready: boolean;
  /** Each check: "ok", or what is wrong. */
  readonly checks: Readonly<Record<CheckName, string>>;
}

export interface ReadinessParts {
  readonly storage: Storage;
  /** Any sender number the store knows (a cheap read of one row). */
  readonly probeSender: string;
  readonly workers: () => Promise<readonly LoopHealth[]>;
  readonly draining: () => boolean;
  readonly timeoutMs: number;
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref();
    }),
  ]);

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function readiness(parts: ReadinessParts): Promise<Readiness> {
  const { storage, timeoutMs } = parts;
  const [store, migrations, workers] = await Promise.all([
    within(storage.catalog.findSender(parts.probeSender), timeoutMs, "the store").then(() => "ok", reason),
    within(storage.migrations(), timeoutMs, "the store").then(
      (m) => (m.applied >= m.known ? "ok" : `${m.applied} of ${m.known} migrations applied`),
      reason,
    ),
    within(parts.workers(), timeoutMs, "the workers").then((loops) => {
      const dead = loops.filter((l) => !l.alive);
      if (dead.length === 0) return "ok";
      return dead
        .map((l) =>
          l.stepMs !== undefined ? `${l.name}: a step has run ${l.stepMs} ms` : `${l.name}: stopped`,
        )
        .join("; ");
    }, reason),
  ]);
  const shutdown = parts.draining() ? "shutting down" : "ok";
  const checks = { store, migrations, workers, shutdown };
  return { ready: Object.values(checks).every((c) => c === "ok"), checks };
}
