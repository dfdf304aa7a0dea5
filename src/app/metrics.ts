/**
 * What a node counts for Prometheus (`GET /metrics`), with prom-client. Each thread keeps its own
 * instruments (the API thread counts accepts; the store's thread dispatch, status moves, webhooks
 * and commits); a scrape gathers every thread's and sums them (`renderMetrics`), so no count
 * crosses a thread while requests run. A count is a plain number per label set, made once and
 * reused, so a count on the accept path is one map lookup and one add.
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

/** One series' count, kept as a plain number: an add on the hot path, handed to prom-client at scrape. */
interface Tally {
  n: number;
  reported: number;
  readonly labels: Record<string, string>;
}

/**
 * A counter whose series are plain tallies, one per label value, made on first use (label values
 * are few: faces, codes, outcomes). prom-client's own bound children hash their labels on every
 * increment; these hand their growth to the counter only when it is collected.
 */
class TallyCounter {
  readonly #tallies = new Map<string, Tally>();

  constructor(
    name: string,
    help: string,
    labelNames: string[],
    registers: Registry[],
    private readonly labels: (key: string) => Record<string, string>,
  ) {
    const tallies = this.#tallies;
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        for (const t of tallies.values()) {
          if (t.n > t.reported) this.inc(t.labels, t.n - t.reported);
          t.reported = t.n;
        }
      },
    });
  }

  get(key: string): Tally {
    let t = this.#tallies.get(key);
    if (!t) {
      t = { n: 0, reported: 0, labels: this.labels(key) };
      this.#tallies.set(key, t);
    }
    return t;
  }
}

export class Metrics {
  readonly registry = new Registry();
  readonly #accepted: TallyCounter;
  readonly #dispatched: TallyCounter;
  readonly #delivered: TallyCounter;
  readonly #failed: TallyCounter;
  readonly #webhookAttempts: TallyCounter;
  readonly #webhookSeconds: Histogram<string>;
  readonly #commitSeconds: Histogram<string>;
  readonly #commitWrites: Histogram<string>;

  constructor() {
    const registers = [this.registry];
    const byFace = (key: string): Record<string, string> => ({ face: key });
    const counter = (name: string, help: string, labelNames: string[], labels = byFace) =>
      new TallyCounter(name, help, labelNames, registers, labels);
    this.#accepted = counter("openbsp_messages_accepted_total", "Messages accepted (committed) by face", [
      "face",
    ]);
    this.#dispatched = counter("openbsp_messages_dispatched_total", "Messages handed to a carrier by face", [
      "face",
    ]);
    this.#delivered = counter(
      "openbsp_messages_delivered_total",
      "Messages that reached delivered (or seen) by face",
      ["face"],
    );
    this.#failed = counter(
      "openbsp_messages_failed_total",
      "Messages that failed (reason: the WhatsApp error code) or expired (reason: expired), by face",
      ["face", "reason"],
      (key): Record<string, string> => {
        const [face, reason] = key.split("\u0000") as [string, string];
        return { face, reason };
      },
    );
    this.#webhookAttempts = counter(
      "openbsp_webhook_attempts_total",
      "Webhook POSTs by outcome (delivered; retry and give-up are failures)",
      ["outcome"],
      (key): Record<string, string> => ({ outcome: key }),
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
    this.#accepted.get(face).n += n;
  }

  dispatched(face: Face, n = 1): void {
    this.#dispatched.get(face).n += n;
  }

  /** A status move the store committed (called as the store decides it). */
  moved(face: Face, transition: Transition): void {
    const { status } = transition;
    if (status === "delivered" || (status === "seen" && transition.doneAt !== undefined))
      this.#delivered.get(face).n++;
    else if (status === "failed" || status === "expired") {
      const reason = status === "expired" ? "expired" : String(transition.error?.code ?? "unknown");
      this.#failed.get(`${face}\u0000${reason}`).n++;
    }
  }

  webhookAttempt(outcome: WebhookAttemptOutcome, seconds: number): void {
    this.#webhookAttempts.get(outcome).n++;
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
