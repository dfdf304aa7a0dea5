/**
 * Delivers the webhook outbox: claims due entries under a lease and POSTs them with undici's
 * keep-alive pools. Retries on timeouts, connection errors, 429 and 5xx with backoff and jitter
 * (Retry-After honoured) for as long as the schedule lasts; the event id never changes between
 * attempts, so receivers can drop repeats.
 */
import { Agent, request } from "undici";
import type { AppContext } from "../app/context.ts";
import { classifyResponse, type DeliveryOutcome, nextRetryDelay, parseRetryAfter } from "../core/retry-schedule.ts";
import type { PendingWebhook } from "../store/store.ts";

const BATCH = 128;

export class WebhookSender {
  readonly #agent: Agent;

  constructor(private readonly ctx: AppContext) {
    this.#agent = new Agent({ connections: 32, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  async tick(): Promise<boolean> {
    const { store, clock, config } = this.ctx;
    const now = clock.now();
    const due = await store.claimWebhooks(now, BATCH, now + config.leaseMs + config.webhookTimeoutMs);
    if (due.length === 0) return false;
    const delivered: string[] = [];
    await Promise.all(due.map((w) => this.#deliver(w, delivered)));
    if (delivered.length > 0) await store.webhooksDelivered(delivered, clock.now());
    return true;
  }

  /** POSTs one webhook; a delivered one is added to `delivered`, a failed one rescheduled or given up. */
  async #deliver(w: PendingWebhook, delivered: string[]): Promise<void> {
    const { store, clock, config, log } = this.ctx;
    const outcome = await this.#post(w);
    const attempts = w.attempts + 1;
    if (outcome.kind === "delivered") {
      delivered.push(w.id);
      return;
    }
    const wait = outcome.kind === "retry"
      ? nextRetryDelay(config.webhookRetryMs, attempts, Math.random(), outcome.retryAfterMs)
      : undefined;
    if (wait === undefined) {
      log.warn({ webhook: w.id, url: w.url, attempts, reason: outcome.reason }, "webhook given up");
      return store.webhookFailed(w.id, attempts, outcome.reason);
    }
    log.debug({ webhook: w.id, url: w.url, attempts, wait, reason: outcome.reason }, "webhook will be retried");
    return store.webhookRetry(w.id, attempts, clock.now() + wait, outcome.reason);
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
          "webhook-timestamp": String(Math.floor(w.createdAt / 1000)),
          "x-openbsp-event-id": w.id,
        },
        body: w.body,
        headersTimeout: this.ctx.config.webhookTimeoutMs,
        bodyTimeout: this.ctx.config.webhookTimeoutMs,
      });
      await res.body.dump();
      const retryAfter = res.headers["retry-after"];
      return classifyResponse(res.statusCode, parseRetryAfter(typeof retryAfter === "string" ? retryAfter : undefined, Date.now()));
    } catch (err) {
      return { kind: "retry", reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
