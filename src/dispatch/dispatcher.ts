/**
 * The dispatcher moves stored messages to the carrier: it claims due messages under a lease,
 * expires those past their TTL, fails free-form messages whose customer-service window is closed,
 * hands the rest to the carrier and records each outcome. A crash leaves leases that run out, so
 * the work is picked up again: delivery is at-least-once and the status machine absorbs repeats.
 * Pacing is the claim's, whatever the carrier: the store hands out only messages whose sender's
 * send slot has come (MessageStore.claim), so each sender goes at its throughput tier across
 * batches, restarts and dispatchers; the rest wait PENDING for a later tick.
 */
import type { AppContext } from "../app/context.ts";
import { recordEvents } from "../app/record-events.ts";
import type { Carrier } from "../carriers/carrier.ts";
import { isWindowOpen } from "../core/conversation-window.ts";
import type { MessageEventInput } from "../core/events-plan.ts";
import { needsOpenWindow, type StoredMessage } from "../core/message.ts";
import { WA } from "../core/whatsapp-errors.ts";

const BATCH = 256;
const MAX_RETRY_WAIT_MS = 600_000;

export class Dispatcher {
  constructor(
    private readonly ctx: AppContext,
    private readonly carrier: Carrier,
  ) {}

  /** One round; true if it found work (so the loop should go again at once). */
  async tick(): Promise<boolean> {
    const { storage, clock, config } = this.ctx;
    const now = clock.now();
    const overdue = await storage.messages.overdue(now, BATCH);
    await recordEvents(
      this.ctx,
      overdue.map((seq) => ({ seq, event: { kind: "expired", at: now } })),
    );

    const claimed = await storage.messages.claim(now, BATCH, now + config.leaseMs);
    if (claimed.length === 0) return overdue.length > 0;

    const events: MessageEventInput[] = [];
    const toCarrier: StoredMessage[] = [];
    for (const m of claimed) {
      if (
        needsOpenWindow(m.content) &&
        !isWindowOpen(await storage.conversations.lastInboundAt(m.from, m.to), now)
      ) {
        events.push({ seq: m.seq, event: { kind: "failed", at: now, error: WA.windowClosed } });
      } else toCarrier.push(m);
    }

    for (const m of toCarrier) this.ctx.metrics.dispatched(m.face);
    const outcomes = toCarrier.length > 0 ? await this.carrier.send(toCarrier, now) : [];
    const retries: { seq: number; nextAttemptAt: number }[] = [];
    const carrierIds: { seq: number; carrierId: string }[] = [];
    outcomes.forEach((o, i) => {
      const m = toCarrier[i] as StoredMessage;
      if (o.kind === "sent" && o.carrierId !== undefined)
        carrierIds.push({ seq: m.seq, carrierId: o.carrierId });
      if (o.kind === "sent" || o.kind === "delivered")
        events.push({ seq: m.seq, event: { kind: o.kind, at: now } });
      else if (o.kind === "failed")
        events.push({ seq: m.seq, event: { kind: "failed", at: now, error: o.error } });
      else {
        const backoff = Math.min(
          config.dispatchRetryMs * 2 ** Math.max(0, m.attempts - 1),
          MAX_RETRY_WAIT_MS,
        );
        const wait = Math.max(backoff, o.afterMs ?? 0);
        retries.push({ seq: m.seq, nextAttemptAt: Math.min(now + wait, m.expiresAt) });
      }
    });
    // The carrier's ids first: its statuses may arrive as soon as it has answered.
    if (carrierIds.length > 0) await storage.messages.setCarrierIds(carrierIds);
    await recordEvents(this.ctx, events);
    if (retries.length > 0) await storage.messages.reschedule(retries);
    return true;
  }
}
