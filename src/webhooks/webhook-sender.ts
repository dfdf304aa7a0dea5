/**
 * Delivers the webhook outbox: claims due entries under a lease and POSTs them with undici's
 * keep-alive pools, many at once, so one slow receiver delays only its own webhooks. Retries on timeouts, connection errors, 429 and 5xx with backoff and jitter
 * (Retry-After honoured) for as long as the schedule lasts; the event id never changes between
 * attempts, so receivers can drop repeats. Every attempt goes to the delivery log (in one write
 * per round); an endpoint failing past the window is disabled there, its webhooks kept as dead letters.
 */
import { Agent, errors, request } from "undici";
import type { AppContext } from "../app/context.ts";
import { uuidv7 } from "../app/ids.ts";
import { signingSecrets } from "../app/manage-webhook-secrets.ts";
import type { DisabledEndpoint } from "../app/report-formatter.ts";
import { TtlCache } from "../app/ttl-cache.ts";
import type { Account } from "../core/account.ts";
import { type AccountSubscriptions, NO_SUBSCRIPTIONS } from "../core/event-subscription.ts";
import {
  classifyResponse,
  type DeliveryOutcome,
  nextRetryDelay,
  parseRetryAfter,
} from "../core/retry-schedule.ts";
import type { NewWebhook, PendingWebhook } from "../core/webhook.ts";
import { endpointToDisable, RESPONSE_HEAD_BYTES, type WebhookAttempt } from "../core/webhook-attempt.ts";
import { subscriptionAuthorization } from "../faces/infobip/infobip-settings.ts";
import { metaCallbackUrls } from "../faces/meta/meta-settings.ts";
import { signatureHeader } from "./standard-webhooks.ts";

/** One POST of a webhook and how it ended (a retry is scheduled, or it failed for good). */
export interface ObservedAttempt {
  readonly webhook: PendingWebhook;
  readonly outcome: "delivered" | "retry" | "failed";
  readonly latencyMs: number;
  readonly reason?: string;
}

const BATCH = 128;
/** Webhooks in flight at once; a slow receiver holds up only its own share, never the rest. */
const MAX_IN_FLIGHT = 512;
/** How often the delivery log is pruned to its retention. */
const PRUNE_EVERY_MS = 3_600_000;

/** What one POST came to, for the delivery log. */
interface Posted {
  readonly outcome: DeliveryOutcome;
  readonly status?: number;
  readonly head?: string;
}

export class WebhookSender {
  readonly #agent: Agent;
  #inFlight = 0;
  /** Delivered webhooks not yet marked in the store; marked in one write per round. */
  #delivered: string[] = [];
  /** Attempts made since the last round, logged in one write per round. */
  #attempts: WebhookAttempt[] = [];
  #prunedAt = Number.NEGATIVE_INFINITY;
  /** Accounts by id, for their signing secrets: a rotation is seen within a second (the overlap covers it). */
  readonly #accounts = new TtlCache<string, Account | undefined>(1000);
  /** The subscriptions each cached account was read beside: one newer than its copy reads the account again. */
  readonly #seenWith = new WeakMap<Account, ReadonlySet<string>>();

  constructor(
    private readonly ctx: AppContext,
    /** Told every attempt's outcome (the live event stream), if anyone listens. */
    private readonly observe?: (attempt: ObservedAttempt) => void,
  ) {
    this.#agent = new Agent({ connections: 32, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  /**
   * One round: mark what was delivered since the last round, then claim due webhooks and start
   * sending them without waiting for the answers. True if it found work.
   */
  async tick(): Promise<boolean> {
    const { storage, clock, config } = this.ctx;
    // One group commit for the round's bookkeeping: the marks, the log and (hourly) the pruning.
    const [marked] = await Promise.all([this.#markDelivered(), this.#logAttempts(), this.#prune()]);
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

  /** Logs the round's attempts; an endpoint failing for longer than the window is disabled. */
  async #logAttempts(): Promise<void> {
    if (this.#attempts.length === 0) return;
    const { storage, clock, config, log } = this.ctx;
    const attempts = this.#attempts;
    this.#attempts = [];
    try {
      const failing = await storage.webhookLog.recordAttempts(attempts);
      const now = clock.now();
      for (const e of failing) {
        if (!endpointToDisable(e.failingSince, now, config.webhookDisableAfterMs)) continue;
        const account = await storage.catalog.getAccount(e.accountId);
        const notices = account
          ? this.#disabledNotices(account, await storage.subscriptions.subscriptionsOf(account.id), {
              ...e,
              disabledAt: now,
            })
          : [];
        if (await storage.webhookLog.disableEndpoint(e.accountId, e.url, now, notices))
          log.warn(
            { account: e.accountId, url: e.url, failingSince: e.failingSince, told: notices.length },
            "webhook endpoint disabled",
          );
      }
    } catch (err) {
      log.error({ err }, "could not log webhook attempts");
    }
  }

  /** The account's event that one of its endpoints was disabled, to each place its dialects route account events (but that endpoint). */
  #disabledNotices(account: Account, subscriptions: AccountSubscriptions, e: DisabledEndpoint): NewWebhook[] {
    const out: NewWebhook[] = [];
    for (const formatter of Object.values(this.ctx.formatters)) {
      if (!formatter.endpointDisabled || !formatter.accountEventUrls) continue;
      const routes = formatter.accountEventUrls(account, subscriptions).filter((r) => r.url !== e.url);
      if (routes.length === 0) continue;
      const post = formatter.endpointDisabled(e, account);
      for (const route of routes)
        out.push({
          id: uuidv7(e.disabledAt),
          accountId: account.id,
          url: route.url,
          body: post.body,
          ...(post.headers ? { headers: post.headers } : {}),
          reports: 1,
          subscriptionId: route.subscriptionId,
          createdAt: e.disabledAt,
        });
    }
    return out;
  }

  async #prune(): Promise<void> {
    const now = this.ctx.clock.now();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    await this.ctx.storage.webhookLog.prune(now - this.ctx.config.webhookLogRetentionDays * 86_400_000);
  }

  /** POSTs one webhook; a delivered one is marked in the next round, a failed one rescheduled or given up. */
  async #deliver(w: PendingWebhook): Promise<void> {
    const { storage, clock, config, log } = this.ctx;
    const started = clock.now();
    const t0 = performance.now();
    const posted = await this.#post(w);
    const { outcome } = posted;
    this.ctx.metrics.webhookAttempt(outcome.kind, (performance.now() - t0) / 1000);
    this.#attempts.push({
      eventId: w.id,
      accountId: w.accountId,
      url: w.url,
      at: started,
      requestBytes: Buffer.byteLength(w.body),
      latencyMs: Math.round(performance.now() - t0),
      ok: outcome.kind === "delivered",
      ...(posted.status !== undefined ? { status: posted.status } : {}),
      ...(posted.head ? { responseHead: posted.head } : {}),
      ...(outcome.kind !== "delivered" ? { error: outcome.reason } : {}),
    });
    const attempts = w.attempts + 1;
    this.observe?.({
      webhook: w,
      outcome: outcome.kind === "delivered" ? "delivered" : outcome.kind === "retry" ? "retry" : "failed",
      latencyMs: Math.round(performance.now() - t0),
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

  /**
   * Standard Webhooks' signature for every webhook but Meta's (signed with the app secret in its
   * own header, to any of the account's Meta callbacks): with the secret of the subscription that routed
   * it, else the account's, when there is one. A subscription's profile with BASIC security adds
   * its `Authorization` (read at each attempt, so a changed password applies to retries too; never
   * stored with the webhook).
   */
  async #signature(w: PendingWebhook, timestamp: string): Promise<Record<string, string>> {
    if (w.headers?.["x-hub-signature-256"]) return {};
    const { storage } = this.ctx;
    // The store's copy of the subscriptions, dropped by every change (through any node), so a
    // subscription's webhook that follows its creation at once carries its secret and credentials.
    const subscriptions =
      w.subscriptionId !== undefined
        ? await storage.subscriptions.subscriptionsOf(w.accountId)
        : NO_SUBSCRIPTIONS;
    const load = async (id: string) => {
      const a = await storage.catalog.getAccount(id);
      if (a) this.#seenWith.set(a, new Set(subscriptions.subscriptions.map((s) => s.subscriptionId)));
      return a;
    };
    let account = await this.#accounts.get(w.accountId, load);
    // A subscription newer than the cached account (its webhook can follow within the second): read
    // the account again too, so its secrets are as recent as the subscription.
    if (account && w.subscriptionId !== undefined && !this.#seenWith.get(account)?.has(w.subscriptionId))
      account = await this.#accounts.refresh(w.accountId, load);
    if (!account || metaCallbackUrls(account).has(w.url)) return {};
    const secrets = signingSecrets(account, subscriptions, this.ctx.clock.now(), w.subscriptionId);
    const authorization =
      w.subscriptionId !== undefined ? subscriptionAuthorization(subscriptions, w.subscriptionId) : undefined;
    return {
      ...(secrets.length > 0
        ? { "webhook-signature": signatureHeader(secrets, w.id, timestamp, w.body) }
        : {}),
      ...(authorization ? { authorization } : {}),
    };
  }

  async #post(w: PendingWebhook): Promise<Posted> {
    try {
      // Standard Webhooks: the time of this attempt (a retry carries a later one), so a
      // receiver's replay window measures the POST, not how long the event waited.
      const timestamp = String(Math.floor(this.ctx.clock.now() / 1000));
      const res = await request(w.url, {
        method: "POST",
        dispatcher: this.#agent,
        headers: {
          "content-type": "application/json",
          "user-agent": "OpenBSP-Webhooks/0.1",
          "webhook-id": w.id,
          "webhook-timestamp": timestamp,
          "x-openbsp-event-id": w.id,
          ...w.headers,
          ...(await this.#signature(w, timestamp)),
        },
        body: w.body,
        // One deadline for the whole attempt, queueing for a connection included, so an attempt
        // always ends before its lease does and no other round can claim and POST it again.
        signal: AbortSignal.timeout(this.ctx.config.webhookTimeoutMs),
      });
      const head = await firstBytes(res.body);
      const retryAfter = res.headers["retry-after"];
      const outcome = classifyResponse(
        res.statusCode,
        parseRetryAfter(typeof retryAfter === "string" ? retryAfter : undefined, Date.now()),
      );
      return { outcome, status: res.statusCode, head };
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      // A URL undici cannot even use will not get better with time.
      if (err instanceof errors.InvalidArgumentError) return { outcome: { kind: "give-up", reason } };
      return { outcome: { kind: "retry", reason } };
    }
  }

  /** Waits for the webhooks in flight and records their outcome. */
  async close(): Promise<void> {
    await this.#agent.close();
    await this.#markDelivered();
    await this.#logAttempts();
  }
}

/** The first bytes of an answer, as text, for the log; the rest is read and dropped (the connection stays usable). */
async function firstBytes(body: AsyncIterable<Buffer> & { dump(): Promise<void> }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < RESPONSE_HEAD_BYTES) {
      chunks.push(chunk);
      size += chunk.length;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_HEAD_BYTES).toString("utf8");
}
