/**
 * What a node counts for Prometheus (`GET /metrics`). Each thread keeps its own counts (the API
 * thread counts accepts; the store's thread dispatch, status moves, webhooks and commits) as plain
 * numbers: a count on the accept path is one map lookup and one add, and neither thread loads
 * prom-client to count. A scrape takes each thread's snapshot (plain data in prom-client's JSON
 * form, so it crosses the thread) and prom-client, loaded then, sums and renders them
 * (`renderMetrics`), labelling every series with the node.
 */
import type { Clock } from "../core/clock.ts";
import type { PlanEvents } from "../core/events-plan.ts";
import type { Face } from "../core/message.ts";
import type { Transition } from "../core/message-status.ts";
import type { Storage } from "../store/storage.ts";

/** One series' value (a histogram's buckets, sum and count are series of their own `metricName`). */
interface SeriesValue {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** One metric as prom-client's `getMetricsAsJSON` gives it, which its aggregator sums. */
interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  readonly values: readonly SeriesValue[];
  readonly aggregator: "sum";
}

/** One thread's metrics as plain data, to cross threads. */
export type MetricsSnapshot = readonly Metric[];

/** How one webhook POST ended. */
export type WebhookAttemptOutcome = "delivered" | "retry" | "give-up";

interface Tally {
  n: number;
  readonly labels: Record<string, string>;
}

/** A counter's series, one plain tally per label set, made on first use (label values are few). */
class TallyCounter {
  readonly #tallies = new Map<string, Tally>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly labels: (key: string) => Record<string, string>,
  ) {}

  get(key: string): Tally {
    let t = this.#tallies.get(key);
    if (!t) {
      t = { n: 0, labels: this.labels(key) };
      this.#tallies.set(key, t);
    }
    return t;
  }

  snapshot(): Metric {
    const values = [...this.#tallies.values()].map((t) => ({ value: t.n, labels: t.labels }));
    return { name: this.name, help: this.help, type: "counter", values, aggregator: "sum" };
  }
}

/** A histogram of fixed buckets, as Prometheus counts one (cumulative at snapshot time). */
class Buckets {
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    this.#counts = bounds.map(() => 0);
  }

  observe(v: number): void {
    this.#sum += v;
    this.#count++;
    const i = this.bounds.findIndex((b) => v <= b);
    if (i >= 0) this.#counts[i] = (this.#counts[i] ?? 0) + 1;
  }

  snapshot(): Metric {
    let cumulative = 0;
    const bucket = `${this.name}_bucket`;
    const values: SeriesValue[] = this.bounds.map((le, i) => {
      cumulative += this.#counts[i] ?? 0;
      return { value: cumulative, labels: { le }, metricName: bucket };
    });
    values.push(
      { value: this.#count, labels: { le: "+Inf" }, metricName: bucket },
      { value: this.#sum, labels: {}, metricName: `${this.name}_sum` },
      { value: this.#count, labels: {}, metricName: `${this.name}_count` },
    );
    return {
      name: this.name,
      help: this.help,
      type: "histogram",
      values,
      aggregator: "sum",
    };
  }
}

const byFace = (key: string): Record<string, string> => ({ face: key });

export class Metrics {
  readonly #accepted = new TallyCounter(
    "openbsp_messages_accepted_total",
    "Messages accepted (committed) by face",
    byFace,
  );
  readonly #dispatched = new TallyCounter(
    "openbsp_messages_dispatched_total",
    "Messages handed to a carrier by face",
    byFace,
  );
  readonly #delivered = new TallyCounter(
    "openbsp_messages_delivered_total",
    "Messages that reached delivered (or seen) by face",
    byFace,
  );
  readonly #failed = new TallyCounter(
    "openbsp_messages_failed_total",
    "Messages that failed (reason: the WhatsApp error code) or expired (reason: expired), by face",
    (key) => {
      const [face, reason] = key.split("\u0000") as [string, string];
      return { face, reason };
    },
  );
  readonly #webhookAttempts = new TallyCounter(
    "openbsp_webhook_attempts_total",
    "Webhook POSTs by outcome (delivered; retry and give-up are failures)",
    (key) => ({ outcome: key }),
  );
  readonly #webhookSeconds = new Buckets(
    "openbsp_webhook_duration_seconds",
    "Time one webhook POST took, answer or failure",
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  readonly #commitSeconds = new Buckets(
    "openbsp_store_commit_duration_seconds",
    "Time one group commit took, fsync included",
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  readonly #commitWrites = new Buckets(
    "openbsp_store_commit_batch_size",
    "Writes (requests, dispatch steps, report updates) one group commit carried",
    [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
  );

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

  async snapshot(): Promise<MetricsSnapshot> {
    return [
      this.#accepted,
      this.#dispatched,
      this.#delivered,
      this.#failed,
      this.#webhookAttempts,
      this.#webhookSeconds,
      this.#commitSeconds,
      this.#commitWrites,
    ].map((m) => m.snapshot());
  }
}

/** Every thread's snapshot summed into Prometheus' text format, each series labelled with the node. */
export async function renderMetrics(
  snapshots: readonly MetricsSnapshot[],
  node: string,
): Promise<{ contentType: string; body: string }> {
  const { AggregatorRegistry } = await import("prom-client");
  // The snapshots are in the form the aggregator reads; its type asks for fields it does not use.
  const merged = AggregatorRegistry.aggregate(
    snapshots as unknown as Parameters<typeof AggregatorRegistry.aggregate>[0],
  );
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

const gauge = (name: string, help: string, value: number): Metric => ({
  name,
  help,
  type: "gauge",
  values: [{ value, labels: {} }],
  aggregator: "sum",
});

/** The queues as they stand (read at scrape time, from the store, so every node sees the same). */
export async function backlogSnapshot(storage: Storage, clock: Clock): Promise<MetricsSnapshot> {
  const [backlog, webhooks] = await Promise.all([storage.messages.backlog(), storage.outbox.counts()]);
  const age =
    backlog.earliestDueAt === undefined ? 0 : Math.max(0, clock.now() - backlog.earliestDueAt) / 1000;
  return [
    gauge(
      "openbsp_queue_depth",
      "Messages waiting for dispatch (accepted, not yet handed to a carrier); the same on every node",
      backlog.waiting,
    ),
    gauge(
      "openbsp_queue_oldest_age_seconds",
      "How long the earliest-due waiting message has been due (0 when none is overdue)",
      age,
    ),
    gauge("openbsp_webhook_reports_pending", "Reports waiting in the webhook outbox", webhooks.pending),
  ];
}
