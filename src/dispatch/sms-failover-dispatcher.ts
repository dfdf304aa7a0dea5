/**
 * Sends the SMS of templates WhatsApp could not deliver. Failovers are stored rows (made in the
 * same transaction as the WhatsApp failure), claimed under a lease and submitted to the SMSC; the
 * SMSC's id is recorded so its delivery receipt, which arrives later on the same bind, can be
 * matched. A crash anywhere leaves a lease that runs out and the SMS is submitted again:
 * at-least-once, like WhatsApp dispatch. Failovers that outlive the SMS validity end EXPIRED.
 */
import type { AppContext } from "../app/context.ts";
import { finishSmsFailover } from "../app/sms-failover-reports.ts";
import type { SmsGateway } from "../carriers/sms/sms-gateway.ts";
import type { SmsFailoverRecord } from "../core/sms-failover-record.ts";
import type { DeliveryReceipt } from "../smpp/delivery-receipt.ts";

const BATCH = 64;
const MAX_RETRY_WAIT_MS = 600_000;

export class SmsFailoverDispatcher {
  /** Submissions being recorded: a receipt may overtake the write of its SMSC id, so it waits for them. */
  #recording: Promise<void> = Promise.resolve();
  #gateway: SmsGateway | undefined;

  constructor(private readonly ctx: AppContext) {}

  /** The gateway is built after the dispatcher, since its receipts come back here. */
  use(gateway: SmsGateway): void {
    this.#gateway = gateway;
  }

  /** One round; true if it found work. */
  async tick(): Promise<boolean> {
    const { storage, clock, config } = this.ctx;
    const gateway = this.#gateway;
    if (!gateway) return false;
    const now = clock.now();
    const overdue = await storage.smsFailovers.overdue(now, BATCH);
    for (const sms of overdue)
      await finishSmsFailover(this.ctx, sms, { state: "expired", at: now, errorCode: 0 });

    const claimed = await storage.smsFailovers.claim(now, BATCH, now + config.leaseMs);
    if (claimed.length === 0) return overdue.length > 0;
    // A receipt can overtake the write of its SMSC id: one for an id not yet known waits for this round.
    let recorded = () => {};
    this.#recording = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    try {
      await this.#submit(claimed, gateway);
    } finally {
      recorded();
    }
    return true;
  }

  async #submit(claimed: readonly SmsFailoverRecord[], gateway: SmsGateway): Promise<void> {
    const { storage, clock, config } = this.ctx;
    const now = clock.now();
    const results = await Promise.all(
      claimed.map((sms) =>
        gateway.submit({ from: sms.from, to: sms.to, text: sms.text, validForMs: sms.expiresAt - now }),
      ),
    );
    const at = clock.now();
    const submitted: { seq: number; smscId: string; at: number }[] = [];
    const retries: { seq: number; nextAttemptAt: number }[] = [];
    const refused: Promise<boolean>[] = [];
    results.forEach((r, i) => {
      const sms = claimed[i] as (typeof claimed)[number];
      if (r.kind === "accepted") submitted.push({ seq: sms.seq, smscId: r.smscId, at });
      else if (r.kind === "refused") {
        refused.push(
          finishSmsFailover(this.ctx, sms, {
            state: "rejected",
            at,
            errorCode: 0,
            reason: `The SMSC refused the SMS: ${r.reason}`,
          }),
        );
      } else {
        this.ctx.log.warn(
          { messageId: sms.messageId, reason: r.reason },
          "SMS failover not submitted; will retry",
        );
        const wait = Math.min(config.dispatchRetryMs * 2 ** Math.max(0, sms.attempts - 1), MAX_RETRY_WAIT_MS);
        retries.push({ seq: sms.seq, nextAttemptAt: Math.min(at + wait, sms.expiresAt) });
      }
    });
    await Promise.all([
      storage.smsFailovers.submitted(submitted),
      storage.smsFailovers.reschedule(retries),
      ...refused,
    ]);
  }

  /** A delivery receipt from the SMSC: the SMS's final outcome (intermediate receipts change nothing). */
  async receipt(r: DeliveryReceipt): Promise<void> {
    let sms = await this.ctx.storage.smsFailovers.findBySmscId(r.smscId);
    if (!sms) {
      await this.#recording;
      sms = await this.ctx.storage.smsFailovers.findBySmscId(r.smscId);
    }
    if (!sms) {
      // Not ours, or submitted by a run that crashed before recording the id (that SMS went again).
      this.ctx.log.info({ smscId: r.smscId }, "SMS receipt for an unknown SMSC id; ignored");
      return;
    }
    if (!r.state) return;
    const reason = r.state === "delivered" ? undefined : `The SMSC reported ${r.stat} (error ${r.errorCode})`;
    await finishSmsFailover(this.ctx, sms, {
      state: r.state,
      at: this.ctx.clock.now(),
      errorCode: r.errorCode,
      ...(reason ? { reason } : {}),
    });
  }
}
