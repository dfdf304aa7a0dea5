/** Mapping between the simulator's table rows (the same columns in every adapter) and its types. Nulls become absent fields. */
import type { ReceivedMedia } from "../core/media-rules.ts";
import type { MessageContent } from "../core/message.ts";
import type { HandsetMessage } from "./network/handset-message.ts";
import type { SandboxRule } from "./network/sandbox-rule.ts";
import type { SmscMessage } from "./smsc/smsc-message.ts";

export type Row = Record<string, unknown>;

/** Copy only the defined values, so optional fields stay absent rather than undefined or null. */
export function defined<T extends object>(fields: { [K in keyof T]: T[K] | null | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

export const str = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);
export const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

export function toRule(r: Row): SandboxRule {
  const rule = defined<SandboxRule>({
    id: String(r.id),
    pattern: String(r.pattern),
    behaviour: r.behaviour as SandboxRule["behaviour"],
    deliverDelayMs: num(r.deliver_delay_ms),
    errorCode: num(r.error_code),
    errorTitle: str(r.error_title),
    createdAt: Number(r.created_at),
  });
  return r.read_delay_set ? { ...rule, readDelayMs: num(r.read_delay_ms) ?? null } : rule;
}

export function toHandset(r: Row): HandsetMessage {
  return defined<HandsetMessage>({
    seq: Number(r.seq),
    phone: String(r.phone),
    sender: String(r.sender),
    messageId: String(r.message_id),
    content: JSON.parse(String(r.content)) as MessageContent,
    replyTo: str(r.reply_to),
    media: r.media ? (JSON.parse(String(r.media)) as ReceivedMedia) : undefined,
    cardMedia: r.card_media ? (JSON.parse(String(r.card_media)) as ReceivedMedia[]) : undefined,
    state: r.state as HandsetMessage["state"],
    receivedAt: Number(r.received_at),
    nextEventAt: num(r.next_event_at),
    readDelayMs: num(r.read_delay_ms),
    expiresAt: Number(r.expires_at),
  });
}

export function toSmscMessage(r: Row): SmscMessage {
  return {
    id: String(r.id),
    systemId: String(r.system_id),
    from: String(r.source),
    to: String(r.destination),
    text: String(r.text),
    dataCoding: Number(r.data_coding),
    outcome: r.outcome as SmscMessage["outcome"],
    receivedAt: Number(r.received_at),
    receipt: r.receipt as SmscMessage["receipt"],
  };
}
