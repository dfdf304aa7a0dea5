/**
 * Delivers the webhook outbox: claims due entries under a lease and POSTs them with undici's
 * keep-alive pools, many at once, so one slow receiver delays only its own webhooks. Retries on timeouts, connection errors, 429 and 5xx with backoff and jitter
 * (Retry-After honoured) for as long as the schedule lasts; the event id never changes between
 * attempts, so receivers can drop repeats.
 */
import { Agent, errors, request } from "undici";
import type { AppContext } from "../app/context.ts";
import {
  classifyResponse,
  type DeliveryOutcome,
  nextRetryDelay,
  parseRetryAfter,
} from "../core/retry-schedule.ts";
import type { PendingWebhook } from "../core/webhook.ts";

/** One POST of a webhook and how it ended (a retry is scheduled, or it failed for good). */
export interface WebhookAttempt {
  readonly webhook: PendingWebhook;
  readonly outcome: "delivered" | "retry" | "failed";
  readonly latencyMs: number;
  readonly reason?: string;
}

const BATCH = 128;
/** Webhooks in flight at once; a slow receiver holds up only its own share, never the rest. */
const MAX_IN_FLIGHT = 512;

export class WebhookSender {
  readonly #agent: Agent;
  #inFlight = 0;
  /** Delivered webhooks not yet marked in the store; marked in one write per round. */
  #delivered: string[] = [];

  constructor(
    private readonly ctx: AppContext,
    /** Told every attempt's outcome (the live event stream), if anyone listens. */
    private readonly observe?: (attempt: WebhookAttempt) => void,
  ) {
    this.#agent = new Agent({ connections: 32, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  /**
   * One round: mark what was delivered since the last round, then claim due webhooks and start
   * sending them without waiting for the answers. True if it found work.
   */
  async tick(): Promise<boolean> {
    const { storage, clock, config } = this.ctx;
    const marked = await this.#markDelivered();
    const room = Math.min(BATCH, MAX_IN_FLIGHT - this.#inFlight);
    if (room <= 0) return marked;
    const now = clock.now();
    const due = await storage.outbox.claim(now, room, now + config.leaseMs + config.webhookTimeoutMs);
    for (const w of due) {
      this.#inFlight++;
      void this.#deliver(w).finally(() => {
        this.#inFlight--;
        this.ctx.wake.webhooks();
      });
    }
    return marked || due.length > 0;
  }

  async #markDelivered(): Promise<boolean> {
    if (this.#delivered.length === 0) return false;
    const ids = this.#delivered;
    this.#delivered = [];
    await this.ctx.storage.outbox.delivered(ids, this.ctx.clock.now());
    return true;
  }

  /** POSTs one webhook; a delivered one is marked in the next round, a failed one rescheduled or given up. */
  async #deliver(w: PendingWebhook): Promise<void> {
    const { storage, clock, config, log } = this.ctx;
    const started = performance.now();
    const outcome = await this.#post(w);
    this.ctx.metrics.webhookAttempt(outcome.kind, (performance.now() - started) / 1000);
    const attempts = w.attempts + 1;
    this.observe?.({
      webhook: w,
      outcome: outcome.kind === "delivered" ? "delivered" : outcome.kind === "retry" ? "retry" : "failed",
      latencyMs: Math.round(performance.now() - started),
      ...(outcome.kind !== "delivered" ? { reason: outcome.reason } : {}),
    });
    if (outcome.kind === "delivered") {
      this.#delivered.push(w.id);
      return;
    }
    const wait =
      outcome.kind === "retry"
        ? nextRetryDelay(config.webhookRetryMs, attempts, Math.random(), outcome.retryAfterMs)
        : undefined;
    try {
      if (wait === undefined) {
        log.warn({ webhook: w.id, url: w.url, attempts, reason: outcome.reason }, "webhook given up");
        await storage.outbox.failed(w.id, attempts, outcome.reason);
      } else {
        log.debug(
          { webhook: w.id, url: w.url, attempts, wait, reason: outcome.reason },
          "webhook will be retried",
        );
        await storage.outbox.retry(w.id, attempts, clock.now() + wait, outcome.reason);
      }
    } catch (err) {
      // The lease runs out and the webhook is tried again: at-least-once, never lost.
      log.error({ err, webhook: w.id }, "could not record a webhook attempt");
    }
  }

  async #post(w: PendingWebhook): Promise<DeliveryOutcome> {
    try {
      const res = await request(w.url, {
        method: "POST",
        dispatcher: this.#agent,
        headers: {
          "content-type": "application/json",
          "user-agent": "OpenBSP-Webhooks/0.1",
          "webhook-id": w.id,
          // Standard Webhooks: the time of this attempt (a retry carries a later one), so a
          // receiver's replay window measures the POST, not how long the event waited.
          "webhook-timestamp": String(Math.floor(this.ctx.clock.now() / 1000)),
          "x-openbsp-event-id": w.id,
          ...w.headers,
        },
        body: w.body,
        // One deadline for the whole attempt, queueing for a connection included, so an attempt
        // always ends before its lease does and no other round can claim and POST it again.
        signal: AbortSignal.timeout(this.ctx.config.webhookTimeoutMs),
      });
      await res.body.dump();
      const retryAfter = res.headers["retry-after"];
      return classifyResponse(
        res.statusCode,
        parseRetryAfter(typeof retryAfter === "string" ? retryAfter : undefined, Date.now()),
      );
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      // A URL undici cannot even use will not get better with time.
      if (err instanceof errors.InvalidArgumentError) return { kind: "give-up", reason };
      return { kind: "retry", reason };
    }
  }

  /** Waits for the webhooks in flight and records their outcome. */
  async close(): Promise<void> {
    await this.#agent.close();
    await this.#markDelivered();
  }
}
