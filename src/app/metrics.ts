/**
 * What a node counts for Prometheus (`GET /metrics`), with prom-client. Each thread keeps its own
 * instruments (the API thread counts accepts; the store's thread dispatch, status moves, webhooks
 * and commits); a scrape gathers every thread's and sums them (`renderMetrics`), so no count
 * crosses a thread while requests run. Label sets are bound once per value and reused, so a count
 * on the accept path is one lookup and one add.
 */
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from "prom-client";
import type { Clock } from "../core/clock.ts";
import type { PlanEvents } from "../core/events-plan.ts";
import type { Face } from "../core/message.ts";
import type { Transition } from "../core/message-status.ts";
import type { Storage } from "../store/storage.ts";

/** One thread's metrics as plain data, to cross to the thread that answers the scrape. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** How one webhook POST ended. */
export type WebhookAttemptOutcome = "delivered" | "retry" | "give-up";

type Bound = ReturnType<Counter<string>["labels"]>;

/** Counters bound per label value, created on first use (label values are few: faces, codes). */
class BoundCounter {
  readonly #bound = new Map<string, Bound>();
  constructor(
    private readonly counter: Counter<string>,
    private readonly labels: (key: string) => Record<string, string>,
  ) {}
  get(key: string): Bound {
    let b = this.#bound.get(key);
    if (!b) {
      b = this.counter.labels(this.labels(key));
      this.#bound.set(key, b);
    }
    return b;
  }
}

export class Metrics {
  readonly registry = new Registry();
  readonly #accepted: BoundCounter;
  readonly #dispatched: BoundCounter;
  readonly #delivered: BoundCounter;
  readonly #failed: BoundCounter;
  readonly #webhookAttempts: BoundCounter;
  readonly #webhookSeconds: Histogram<string>;
  readonly #commitSeconds: Histogram<string>;
  readonly #commitWrites: Histogram<string>;

  constructor() {
    const registers = [this.registry];
    const counter = (name: string, help: string, labelNames: string[]) =>
      new Counter({ name, help, labelNames, registers });
    const byFace = (key: string) => ({ face: key });
    this.#accepted = new BoundCounter(
      counter("openbsp_messages_accepted_total", "Messages accepted (committed) by face", ["face"]),
      byFace,
    );
    this.#dispatched = new BoundCounter(
      counter("openbsp_messages_dispatched_total", "Messages handed to a carrier by face", ["face"]),
      byFace,
    );
    this.#delivered = new BoundCounter(
      counter("openbsp_messages_delivered_total", "Messages that reached delivered (or seen) by face", [
        "face",
      ]),
      byFace,
    );
    this.#failed = new BoundCounter(
      counter(
        "openbsp_messages_failed_total",
        "Messages that failed (reason: the WhatsApp error code) or expired (reason: expired), by face",
        ["face", "reason"],
      ),
      (key) => {
        const [face, reason] = key.split("\u0000") as [string, string];
        return { face, reason };
      },
    );
    this.#webhookAttempts = new BoundCounter(
      counter(
        "openbsp_webhook_attempts_total",
        "Webhook POSTs by outcome (delivered; retry and give-up are failures)",
        ["outcome"],
      ),
      (key) => ({ outcome: key }),
    );
    this.#webhookSeconds = new Histogram({
      name: "openbsp_webhook_duration_seconds",
      help: "Time one webhook POST took, answer or failure",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#commitSeconds = new Histogram({
      name: "openbsp_store_commit_duration_seconds",
      help: "Time one group commit took, fsync included",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.#commitWrites = new Histogram({
      name: "openbsp_store_commit_batch_size",
      help: "Writes (requests, dispatch steps, report updates) one group commit carried",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
  }

  accepted(face: Face, n: number): void {
    if (n > 0) this.#accepted.get(face).inc(n);
  }

  dispatched(face: Face, n = 1): void {
    this.#dispatched.get(face).inc(n);
  }

  /** A status move the store committed (called as the store decides it). */
  moved(face: Face, transition: Transition): void {
    const { status } = transition;
    if (status === "delivered" || (status === "seen" && transition.doneAt !== undefined))
      this.#delivered.get(face).inc();
    else if (status === "failed" || status === "expired") {
      const reason = status === "expired" ? "expired" : String(transition.error?.code ?? "unknown");
      this.#failed.get(`${face}\u0000${reason}`).inc();
    }
  }

  webhookAttempt(outcome: WebhookAttemptOutcome, seconds: number): void {
    this.#webhookAttempts.get(outcome).inc();
    this.#webhookSeconds.observe(seconds);
  }

  storeCommit(writes: number, seconds: number): void {
    this.#commitWrites.observe(writes);
    this.#commitSeconds.observe(seconds);
  }

  snapshot(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON() as Promise<MetricsSnapshot>;
  }
}

/** Every thread's snapshot summed into Prometheus' text format, each series labelled with the node. */
export async function renderMetrics(
  snapshots: readonly MetricsSnapshot[],
  node: string,
): Promise<{ contentType: string; body: string }> {
  const merged = AggregatorRegistry.aggregate(snapshots as MetricsSnapshot[]);
  merged.setDefaultLabels({ node });
  return { contentType: merged.contentType, body: await merged.metrics() };
}

/**
 * The plan the store decides status moves with, counting each move as it is decided (inside the
 * store's transaction, on the store's thread). A group commit replayed write by write after a
 * failed write decides that group's moves again, so the counts can run ahead of the store by the
 * moves of such a group (rare: a write that throws).
 */
export function countingMoves(plan: PlanEvents, metrics: Metrics): PlanEvents {
  return (items) => {
    const decided = plan(items);
    if (decided.moves.length === 0) return decided;
    const faces = new Map<number, Face>();
    for (const { message } of items) faces.set(message.seq, message.face);
    for (const move of decided.moves) metrics.moved(faces.get(move.seq) ?? "unknown", move.transition);
    return decided;
  };
}

/** The queues as they stand (read at scrape time, from the store, so every node sees the same). */
export async function backlogSnapshot(storage: Storage, clock: Clock): Promise<MetricsSnapshot> {
  const [backlog, webhooks] = await Promise.all([storage.messages.backlog(), storage.outbox.counts()]);
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: "openbsp_queue_depth",
    help: "Messages waiting for dispatch (accepted, not yet handed to a carrier); the same on every node",
    registers,
  }).set(backlog.waiting);
  new Gauge({
    name: "openbsp_queue_oldest_age_seconds",
    help: "How long the earliest-due waiting message has been due (0 when none is overdue)",
    registers,
  }).set(backlog.earliestDueAt === undefined ? 0 : Math.max(0, clock.now() - backlog.earliestDueAt) / 1000);
  new Gauge({
    name: "openbsp_webhook_reports_pending",
    help: "Reports waiting in the webhook outbox",
    registers,
  }).set(webhooks.pending);
  return registry.getMetricsAsJSON() as Promise<MetricsSnapshot>;
}
