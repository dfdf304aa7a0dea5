/**
 * An SMPP 3.4 ESME: one transceiver bind to the SMSC, kept up (re-bound with backoff when it
 * drops, so receipts for SMS submitted before a restart still arrive), submit_sm with a
 * registered delivery receipt, and deliver_sm receipts handed to the handler. A receipt is
 * acknowledged only after the handler has stored it; a failed handler answers a temporary error,
 * so the SMSC delivers the receipt again.
 */

import type { Logger } from "pino";
import smpp, { type Pdu, type Session } from "smpp";
import { smsSegments } from "../../core/sms-segments.ts";
import { type DeliveryReceipt, parseReceipt } from "../../smpp/delivery-receipt.ts";
import { pduText } from "../../smpp/pdu-text.ts";
import type { OutboundSms, SmsGateway, SubmitResult } from "./sms-gateway.ts";

export interface SmppEndpoint {
  readonly url: string;
  readonly systemId: string;
  readonly password: string;
}

const SUBMIT_TIMEOUT_MS = 10_000;
const BIND_TIMEOUT_MS = 5_000;
const MAX_REBIND_MS = 30_000;
/** SMSC answers that mean "later", not "never". */
const TEMPORARY = new Set([
  "ESME_RTHROTTLED",
  "ESME_RMSGQFUL",
  "ESME_RSYSERR",
  "ESME_RX_T_APPN",
  "ESME_RSUBMITFAIL",
]);
const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

/** `ESME_RINVDSTADR (0x0000000B)` */
export function smppStatusName(status: number): string {
  return `${STATUS_NAMES.get(status) ?? "ESME_UNKNOWN"} (0x${status.toString(16).padStart(8, "0").toUpperCase()})`;
}

/** SMPP relative time `YYMMDDhhmmss000R` (years and months of 365 and 30 days; capped at 99 years). */
export function relativeTime(ms: number): string {
  let s = Math.max(60, Math.floor(ms / 1000));
  const parts: number[] = [];
  for (const unit of [365 * 86_400, 30 * 86_400, 86_400, 3600, 60, 1]) {
    parts.push(Math.min(99, Math.floor(s / unit)));
    s %= unit;
  }
  return `${parts.map((n) => String(n).padStart(2, "0")).join("")}000R`;
}

export class SmppClient implements SmsGateway {
  #session: Session | undefined;
  #binding: Promise<Session | undefined> | undefined;
  #closed = false;
  #rebindMs = 500;
  #rebindTimer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<(r: SubmitResult) => void>();

  constructor(
    private readonly endpoint: SmppEndpoint,
    private readonly onReceipt: (receipt: DeliveryReceipt) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Binds now (and keeps the bind up), so receipts owed from before a restart come in. */
  start(): void {
    void this.#bound();
  }

  async submit(sms: OutboundSms): Promise<SubmitResult> {
    const session = await this.#bound();
    if (!session) return { kind: "retry", reason: `cannot bind to the SMSC at ${this.endpoint.url}` };
    // One part fits short_message; longer texts go whole in message_payload and the SMSC splits them.
    const body = smsSegments(sms.text) === 1 ? { short_message: sms.text } : { message_payload: sms.text };
    return new Promise<SubmitResult>((resolve) => {
      const finish = (r: SubmitResult) => {
        if (!this.#inFlight.delete(finish)) return;
        clearTimeout(timer);
        resolve(r);
      };
      const timer = setTimeout(
        () => finish({ kind: "retry", reason: "the SMSC did not answer submit_sm in time" }),
        SUBMIT_TIMEOUT_MS,
      );
      this.#inFlight.add(finish);
      let sent: boolean;
      try {
        sent = session.submit_sm(
          {
            source_addr: sms.from,
            ...(/^\+?\d+$/.test(sms.from)
              ? { source_addr_ton: 1, source_addr_npi: 1 }
              : { source_addr_ton: 5, source_addr_npi: 0 }),
            destination_addr: sms.to.replace(/^\+/, ""),
            dest_addr_ton: 1,
            dest_addr_npi: 1,
            registered_delivery: 1,
            validity_period: relativeTime(sms.validForMs),
            ...body,
          },
          (pdu) => {
            if (pdu.command_status === 0 && pdu.message_id)
              finish({ kind: "accepted", smscId: pdu.message_id });
            else {
              const name = STATUS_NAMES.get(pdu.command_status) ?? "";
              const reason = `the SMSC answered ${smppStatusName(pdu.command_status)}`;
              finish(TEMPORARY.has(name) ? { kind: "retry", reason } : { kind: "refused", reason });
            }
          },
        );
      } catch (err) {
        // The PDU cannot be encoded (a field too long for SMPP): no SMSC will ever take it.
        finish({
          kind: "refused",
          reason: `cannot encode submit_sm: ${err instanceof Error ? err.message : String(err)}`,
        });
        return;
      }
      if (!sent) finish({ kind: "retry", reason: "the SMPP connection is not writable" });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#rebindTimer) clearTimeout(this.#rebindTimer);
    for (const finish of [...this.#inFlight]) finish({ kind: "retry", reason: "shutting down" });
    const session = this.#session;
    this.#session = undefined;
    if (session) await new Promise<void>((resolve) => session.destroy(() => resolve()));
  }

  #bound(): Promise<Session | undefined> {
    if (this.#session) return Promise.resolve(this.#session);
    this.#binding ??= this.#bind().finally(() => {
      this.#binding = undefined;
    });
    return this.#binding;
  }

  #bind(): Promise<Session | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const session = smpp.connect({ url: this.endpoint.url, auto_enquire_link_period: 30_000 });
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (ok && !this.#closed) {
          this.#session = session;
          this.#rebindMs = 500;
          resolve(session);
        } else {
          session.destroy();
          resolve(undefined);
        }
      };
      const timer = setTimeout(() => settle(false), BIND_TIMEOUT_MS);
      session.on("error", (err: Error) => {
        this.log.warn({ err: err.message, smsc: this.endpoint.url }, "SMPP connection error");
        settle(false);
      });
      session.on("close", () => {
        settle(false);
        if (this.#session === session) this.#lost();
      });
      session.on("connect", () => {
        session.bind_transceiver(
          { system_id: this.endpoint.systemId, password: this.endpoint.password },
          (pdu) => {
            if (pdu.command_status !== 0) {
              this.log.error(
                { smsc: this.endpoint.url, status: smppStatusName(pdu.command_status) },
                "the SMSC refused the bind",
              );
            }
            settle(pdu.command_status === 0);
          },
        );
      });
      session.on("deliver_sm", (pdu) => void this.#deliverSm(session, pdu));
      session.on("enquire_link", (pdu) => session.send(pdu.response()));
      session.on("unbind", (pdu) => {
        session.send(pdu.response());
        session.close();
      });
    }).then((session) => {
      if (!session) this.#scheduleRebind();
      return session as Session | undefined;
    });
  }

  /** The bind dropped: what was in flight gets no answer now, and we bind again. */
  #lost(): void {
    this.#session = undefined;
    for (const finish of [...this.#inFlight]) finish({ kind: "retry", reason: "the SMPP connection closed" });
    this.#scheduleRebind();
  }

  #scheduleRebind(): void {
    if (this.#closed || this.#rebindTimer) return;
    const wait = this.#rebindMs;
    this.#rebindMs = Math.min(this.#rebindMs * 2, MAX_REBIND_MS);
    this.#rebindTimer = setTimeout(() => {
      this.#rebindTimer = undefined;
      void this.#bound();
    }, wait);
    this.#rebindTimer.unref();
  }

  async #deliverSm(session: Session, pdu: Pdu): Promise<void> {
    const isReceipt = ((pdu.esm_class ?? 0) & smpp.ESM_CLASS.MC_DELIVERY_RECEIPT) !== 0;
    if (!isReceipt) {
      // A mobile-originated SMS: OpenBSP has nowhere to route it yet, so it is acknowledged and dropped.
      this.log.info({ from: pdu.source_addr }, "ignoring a mobile-originated SMS");
      session.send(pdu.response());
      return;
    }
    const receipt = parseReceipt(pduText(pdu.short_message) || pduText(pdu.message_payload), {
      ...(pdu.receipted_message_id ? { receiptedMessageId: pdu.receipted_message_id } : {}),
      ...(pdu.message_state !== undefined ? { messageState: pdu.message_state } : {}),
    });
    if (!receipt) {
      this.log.warn(
        { text: pduText(pdu.short_message) },
        "unreadable SMPP delivery receipt; acknowledged and dropped",
      );
      session.send(pdu.response());
      return;
    }
    try {
      await this.onReceipt(receipt);
      session.send(pdu.response());
    } catch (err) {
      this.log.error(
        { err, smscId: receipt.smscId },
        "storing an SMS receipt failed; the SMSC will send it again",
      );
      session.send(pdu.response({ command_status: smpp.errors.ESME_RX_T_APPN }));
    }
  }
}
