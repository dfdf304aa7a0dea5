/** Mapping between SQLite rows and the core's types. Nulls become absent fields. */
import type { Account, Sender } from "../../core/account.ts";
import type { ApiKey } from "../../core/api-key.ts";
import type { Face, MessageContent, StoredMessage } from "../../core/message.ts";
import { type MessageStatus, messageState, type WhatsAppError } from "../../core/message-status.ts";
import type { Recipient } from "../../core/phone-number.ts";
import type { SmsFailover } from "../../core/sms-failover.ts";
import type { Template, TemplateCategory, TemplateStatus, TemplateStructure } from "../../core/template.ts";
import type { PendingWebhook } from "../../core/webhook.ts";

type Row = Record<string, unknown>;

/** Copy only the defined values, so optional fields stay absent rather than undefined or null. */
export function defined<T extends object>(fields: { [K in keyof T]: T[K] | null | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

export function toAccount(r: Row): Account {
  return defined<Account>({
    id: String(r.id),
    name: String(r.name),
    secret: String(r.api_key),
    businessVerified: Boolean(r.business_verified),
    settings: r.settings ? (JSON.parse(String(r.settings)) as Account["settings"]) : undefined,
  });
}

export function toSender(r: Row): Sender {
  return defined<Sender>({
    number: String(r.number),
    accountId: String(r.account_id),
    wabaId: String(r.waba_id),
    aliases: JSON.parse(String(r.aliases)) as Sender["aliases"],
    throughputMps: num(r.throughput_mps),
    carrier: r.carrier ? (JSON.parse(String(r.carrier)) as NonNullable<Sender["carrier"]>) : undefined,
    settings: r.settings ? (JSON.parse(String(r.settings)) as Sender["settings"]) : undefined,
  });
}

export function toApiKey(r: Row): ApiKey {
  return defined<ApiKey>({
    id: String(r.id),
    accountId: String(r.account_id),
    hash: String(r.hash),
    hint: String(r.hint),
    name: str(r.name),
    createdAt: Number(r.created_at),
    revokedAt: num(r.revoked_at),
  });
}

export function toTemplate(r: Row): Template {
  return defined<Template>({
    id: String(r.id),
    wabaId: String(r.waba_id),
    name: String(r.name),
    language: String(r.language),
    category: r.category as TemplateCategory,
    structure: JSON.parse(String(r.structure)) as TemplateStructure,
    status: r.status as TemplateStatus,
    rejectionReason: str(r.rejection_reason),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    reviewDueAt: num(r.review_due_at),
    entityId: str(r.entity_id),
    applicationId: str(r.application_id),
    ttlSeconds: num(r.ttl_seconds),
  });
}

export function toMessage(r: Row): StoredMessage {
  // Built as one object, optional fields added when present: every step of a message reads its row.
  const content = JSON.parse(String(r.content)) as MessageContent;
  const m: Record<string, unknown> = {
    seq: Number(r.seq),
    accountId: String(r.account_id),
    messageId: String(r.message_id),
    face: r.face as Face,
    from: String(r.sender),
    to: String(r.recipient) as Recipient,
    content,
    acceptedAt: Number(r.accepted_at),
    expiresAt: Number(r.expires_at),
    attempts: Number(r.attempts),
  };
  if (r.bulk_id != null) m.bulkId = String(r.bulk_id);
  if (r.callback_data != null) m.callbackData = String(r.callback_data);
  if (r.notify_url != null) m.notifyUrl = String(r.notify_url);
  if (r.entity_id != null) m.entityId = String(r.entity_id);
  if (r.application_id != null) m.applicationId = String(r.application_id);
  if (r.reply_to != null) m.replyTo = String(r.reply_to);
  if (r.category != null) m.category = String(r.category) as TemplateCategory;
  if (r.sent_at != null) m.sentAt = Number(r.sent_at);
  if (r.done_at != null) m.doneAt = Number(r.done_at);
  if (r.seen_at != null) m.seenAt = Number(r.seen_at);
  // Only a template carries a failover (the accept path stores no other).
  if (r.sms_failover && content.type === "template")
    m.smsFailover = JSON.parse(String(r.sms_failover)) as SmsFailover;
  const state = messageState(
    r.status as MessageStatus,
    r.error ? (JSON.parse(String(r.error)) as WhatsAppError) : undefined,
  );
  m.status = state.status;
  if ("error" in state) m.error = state.error;
  return m as unknown as StoredMessage;
}

export function toWebhook(r: Row): PendingWebhook {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    url: String(r.url),
    body: String(r.body),
    ...(r.headers ? { headers: JSON.parse(String(r.headers)) as Record<string, string> } : {}),
    reports: Number(r.reports),
    createdAt: Number(r.created_at),
    attempts: Number(r.attempts),
  };
}

/** A template's column values, in the order of the templates table. */
export function templateValues(t: Template) {
  return [
    t.id,
    t.wabaId,
    t.name,
    t.language,
    t.category,
    JSON.stringify(t.structure),
    t.status,
    t.rejectionReason ?? null,
    t.createdAt,
    t.updatedAt,
    t.reviewDueAt ?? null,
    t.entityId ?? null,
    t.applicationId ?? null,
    t.ttlSeconds ?? null,
  ] as const;
}
