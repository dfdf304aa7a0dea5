/** Mapping between table rows (the same columns in every adapter, see migrations.ts) and the core's types. Nulls become absent fields. */

import type { Account, Sender } from "../core/account.ts";
import type { ApiKey } from "../core/api-key.ts";
import type { Flow, FlowCategory, FlowStatus } from "../core/flow.ts";
import type { FlowValidationError } from "../core/flow-json-rules.ts";
import type { InboundContent, InboundMessage } from "../core/inbound.ts";
import type { Face, MessageContent, StoredMessage } from "../core/message.ts";
import { type MessageStatus, messageState, type WhatsAppError } from "../core/message-status.ts";
import type { Recipient } from "../core/phone-number.ts";
import type { SmsFailover, SmsOutcome, SmsState } from "../core/sms-failover.ts";
import type { SmsFailoverRecord } from "../core/sms-failover-record.ts";
import type { Template, TemplateCategory, TemplateStatus, TemplateStructure } from "../core/template.ts";
import type { UploadedMedia } from "../core/uploaded-media.ts";
import type { PendingWebhook } from "../core/webhook.ts";
import type { LoggedAttempt } from "../core/webhook-attempt.ts";
import type { LoggedWebhook } from "./webhook-log-store.ts";

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
    ...(r.subscription_id != null ? { subscriptionId: String(r.subscription_id) } : {}),
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

export function toInbound(r: Row): InboundMessage {
  return {
    messageId: String(r.message_id),
    to: String(r.sender),
    from: String(r.user_number),
    receivedAt: Number(r.received_at),
    content: JSON.parse(String(r.content)) as InboundContent,
    ...(r.contact_name !== null ? { contactName: String(r.contact_name) } : {}),
    ...(r.context_message_id !== null
      ? {
          quote: {
            messageId: String(r.context_message_id),
            ...(r.context_from !== null ? { from: String(r.context_from) } : {}),
          },
        }
      : {}),
  };
}

export function toFailover(r: Row): SmsFailoverRecord {
  return defined<SmsFailoverRecord>({
    seq: Number(r.seq),
    accountId: String(r.account_id),
    messageId: String(r.message_id),
    from: String(r.sender),
    to: String(r.recipient),
    text: String(r.text),
    segments: Number(r.segments),
    state: r.state as SmsState,
    smscId: r.smsc_id === null ? undefined : String(r.smsc_id),
    outcome: r.outcome ? (JSON.parse(String(r.outcome)) as SmsOutcome) : undefined,
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    submittedAt: r.submitted_at === null ? undefined : Number(r.submitted_at),
  });
}

export function toMedia(r: Row): UploadedMedia {
  return defined<UploadedMedia>({
    id: String(r.id),
    accountId: String(r.account_id),
    sender: String(r.sender),
    mimeType: String(r.mime_type),
    sha256: String(r.sha256),
    size: Number(r.size),
    filename: r.filename === null ? undefined : String(r.filename),
    origin: r.origin === "inbound" ? "inbound" : "upload",
    from: r.user_number === null ? undefined : String(r.user_number),
    createdAt: Number(r.created_at),
  });
}

/** The flows table's columns, in the order of `flowValues`. */
export const FLOW_COLUMNS =
  "id, waba_id, name, categories, status, flow_json, validation_errors, screens, initial_screens, endpoint_uri, preview_token, preview_expires_at, created_at, updated_at";

export function flowValues(f: Flow) {
  return [
    f.id,
    f.wabaId,
    f.name,
    JSON.stringify(f.categories),
    f.status,
    f.json,
    JSON.stringify(f.validationErrors),
    JSON.stringify(f.screens),
    JSON.stringify(f.initialScreens),
    f.endpointUri ?? null,
    f.preview?.token ?? null,
    f.preview?.expiresAt ?? null,
    f.createdAt,
    f.updatedAt,
  ] as const;
}

export function toFlow(r: Row): Flow {
  return {
    id: String(r.id),
    wabaId: String(r.waba_id),
    name: String(r.name),
    categories: JSON.parse(String(r.categories)) as FlowCategory[],
    status: String(r.status) as FlowStatus,
    json: String(r.flow_json),
    validationErrors: JSON.parse(String(r.validation_errors)) as FlowValidationError[],
    screens: JSON.parse(String(r.screens)) as string[],
    initialScreens: JSON.parse(String(r.initial_screens)) as string[],
    ...(r.endpoint_uri != null ? { endpointUri: String(r.endpoint_uri) } : {}),
    ...(r.preview_token != null
      ? { preview: { token: String(r.preview_token), expiresAt: Number(r.preview_expires_at) } }
      : {}),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

const ids = (v: unknown): string[] => (v ? (JSON.parse(String(v)) as string[]) : []);

/** A webhook attempt with its event's message ids and subscription (the delivery log's join). */
export function toLoggedAttempt(r: Row): LoggedAttempt {
  return defined<LoggedAttempt>({
    seq: Number(r.seq),
    eventId: String(r.event_id),
    accountId: String(r.account_id),
    url: String(r.url),
    at: Number(r.at),
    requestBytes: Number(r.request_bytes),
    status: num(r.status),
    responseHead: str(r.response_head),
    latencyMs: Number(r.latency_ms),
    error: str(r.error),
    ok: Boolean(r.ok),
    messageIds: ids(r.message_ids),
    subscriptionId: str(r.subscription_id),
  });
}

export function toLoggedWebhook(r: Row): LoggedWebhook {
  return defined<LoggedWebhook>({
    id: String(r.id),
    accountId: String(r.account_id),
    url: String(r.url),
    body: String(r.body),
    state: r.state as LoggedWebhook["state"],
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    messageIds: ids(r.message_ids),
    subscriptionId: str(r.subscription_id),
  });
}
