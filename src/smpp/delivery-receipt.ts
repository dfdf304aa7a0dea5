/**
 * SMPP 3.4 delivery receipts (appendix B): a deliver_sm whose esm_class marks it as a receipt and
 * whose text reads `id:… sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD
 * err:000 text:…`. SMSCs also set the receipted_message_id and message_state TLVs; the text is the
 * common ground, the TLVs fill in when it is missing or odd.
 */
import type { SmsOutcome } from "../core/sms-failover.ts";

export interface DeliveryReceipt {
  /** The SMSC's id of the submitted SMS (submit_sm_resp's message_id). */
  readonly smscId: string;
  /** The final state, or undefined for an intermediate receipt (ENROUTE, ACCEPTD). */
  readonly state: SmsOutcome["state"] | undefined;
  readonly errorCode: number;
  /** The stat word as the SMSC wrote it. */
  readonly stat: string;
}

const STATS: Record<string, SmsOutcome["state"] | undefined> = {
  DELIVRD: "delivered",
  UNDELIV: "undeliverable",
  EXPIRED: "expired",
  REJECTD: "rejected",
  DELETED: "undeliverable",
  UNKNOWN: "undeliverable",
  ACCEPTD: undefined,
  ENROUTE: undefined,
};

/** message_state TLV values (SMPP 3.4 §5.3.2.35) → stat words. */
const STATE_WORDS = [
  "SCHEDULED",
  "ENROUTE",
  "DELIVRD",
  "EXPIRED",
  "DELETED",
  "UNDELIV",
  "ACCEPTD",
  "UNKNOWN",
  "REJECTD",
];

export function parseReceipt(
  text: string,
  tlv: { receiptedMessageId?: string; messageState?: number } = {},
): DeliveryReceipt | undefined {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, "i").exec(text)?.[1];
  const smscId = tlv.receiptedMessageId || field("id");
  const stat = (
    field("stat") ?? (tlv.messageState !== undefined ? STATE_WORDS[tlv.messageState] : undefined)
  )?.toUpperCase();
  if (!smscId || !stat || !(stat in STATS)) return undefined;
  const err = Number.parseInt(field("err") ?? "0", 10);
  return { smscId, state: STATS[stat], errorCode: Number.isFinite(err) ? err : 0, stat };
}

/** `YYMMDDhhmm` in UTC, as receipts write dates. */
function receiptDate(ms: number): string {
  return new Date(ms).toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d).*$/, "$1$2$3$4$5");
}

export function formatReceipt(r: {
  smscId: string;
  stat: "DELIVRD" | "UNDELIV" | "EXPIRED" | "REJECTD";
  errorCode: number;
  submittedAt: number;
  doneAt: number;
  text: string;
}): string {
  const delivered = r.stat === "DELIVRD" ? "001" : "000";
  return (
    `id:${r.smscId} sub:001 dlvrd:${delivered} submit date:${receiptDate(r.submittedAt)} done date:${receiptDate(r.doneAt)} ` +
    // The text excerpt stays plain ASCII so the receipt fits one short_message in the default alphabet.
    `stat:${r.stat} err:${String(r.errorCode).padStart(3, "0")} text:${r.text.slice(0, 20).replace(/[^\x20-\x7e]/g, "?")}`
  );
}
