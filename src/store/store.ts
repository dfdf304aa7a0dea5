/**
 * The one storage port. Every adapter (SQLite embedded, PostgreSQL distributed) implements it and
 * passes the same contract tests. It is asynchronous throughout because PostgreSQL's driver is, and
 * it never exposes a driver, connection or transaction type. Anything several nodes would need to
 * share lives here, not in a process's memory.
 */
import type { Account, Sender } from "../core/account.ts";
import type { InboundMessage } from "../core/inbound.ts";
import type { ReceivedMedia } from "../core/media-rules.ts";
import type { ContentAndFailover, Face, MessageContent, StoredMessage } from "../core/message.ts";
import type { CarrierEvent, Transition } from "../core/message-status.ts";
import type { Recipient } from "../core/phone-number.ts";
import type { NewShortLink, ShortLink } from "../core/short-links.ts";
import type { UploadedMedia } from "../core/uploaded-media.ts";
import type { SmsOutcome, SmsState } from "../core/sms-failover.ts";
import type { Template, TemplateCategory } from "../core/template.ts";

/** A message ready to be stored (an SMS failover only with a template); the store assigns `seq`. */
export type NewMessage = NewMessageRecord & ContentAndFailover;

export interface NewMessageRecord {
  readonly accountId: string;
  readonly messageId: string;
  readonly bulkId?: string;
  readonly face: Face;
  readonly from: string;
  readonly to: Recipient;
  readonly callbackData?: string;
  readonly notifyUrl?: string;
  readonly entityId?: string;
  readonly applicationId?: string;
  readonly replyTo?: string;
  readonly acceptedAt: number;
  readonly expiresAt: number;
  /** A template send's category, as registered (what the message is priced as). */
  readonly category?: TemplateCategory;
  /** The message's short links, stored with it (only if the message itself is new). */
  readonly shortLinks?: readonly NewShortLink[];
}

/** Per message of an insert: stored now, or already stored under that id (an idempotent retry). */
export type InsertOutcome =
  | { readonly kind: "inserted"; readonly seq: number }
  | { readonly kind: "duplicate"; readonly existing: StoredMessage };

/** A webhook to POST, stored in the outbox in the same transaction as the change it reports. */
export interface NewWebhook {
  /** Stable event id, sent on every attempt so receivers can de-duplicate. */
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly body: string;
  /** Headers that belong to this body (e.g. its signature). */
  readonly headers?: Readonly<Record<string, string>>;
  /** How many reports the body carries (one POST may carry many). */
  readonly reports: number;
  readonly createdAt: number;
}

export interface PendingWebhook extends NewWebhook {
  readonly attempts: number;
}

/** What a batch of carrier events amounts to: each status move, and the webhooks the moves owe. */
export interface EventsPlan {
  readonly moves: readonly { readonly seq: number; readonly from: StoredMessage["status"]; readonly transition: Transition }[];
  readonly webhooks: readonly NewWebhook[];
  /** Messages whose SMS failover the moves start (stored in the same transaction). */
  readonly failovers?: readonly { readonly seq: number; readonly at: number }[];
}

/**
 * Decides, inside the store's transaction, what events do to messages as they are now (in order;
 * several events may concern one message). Pure and synchronous so every adapter can call it
 * between reading and writing the rows.
 */
export type PlanEvents = (
  items: readonly {
    readonly message: StoredMessage;
    readonly event: CarrierEvent;
    readonly account: Account;
    /** The message's sender number's record (its ids in each dialect). */
    readonly sender: Sender;
  }[],
) => EventsPlan;

export interface MessageEventInput {
  readonly seq: number;
  readonly event: CarrierEvent;
}

/** How the simulated network treats a number (see carriers/sandbox). */
export interface SandboxRule {
  readonly id: string;
  /** Digits, `*` matching any run of digits (e.g. `44770090*`). */
  readonly pattern: string;
  readonly behaviour: "deliver" | "offline" | "not_whatsapp" | "fail";
  readonly deliverDelayMs?: number;
  /** Omitted: the configured default; null: the user never reads. */
  readonly readDelayMs?: number | null;
  readonly errorCode?: number;
  readonly errorTitle?: string;
  readonly createdAt: number;
}

/** A message in a simulated phone, and what the phone will do next with it. */
export interface HandsetMessage {
  readonly seq: number;
  readonly phone: string;
  readonly sender: string;
  readonly messageId: string;
  readonly content: MessageContent;
  /** The inbound message it quotes, if any. */
  readonly replyTo?: string;
  /** The media the phone downloaded for it. */
  readonly media?: ReceivedMedia;
  /** The media it downloaded for each card of a carousel, in card order. */
  readonly cardMedia?: readonly ReceivedMedia[];
  readonly state: "in_transit" | "delivered" | "read";
  readonly receivedAt: number;
  readonly nextEventAt?: number;
  readonly readDelayMs?: number;
  readonly expiresAt: number;
}

/** An SMS failover under way or done: the message it stands in for, and where the SMS is. */
export interface SmsFailoverRecord {
  /** The WhatsApp message's seq. */
  readonly seq: number;
  readonly accountId: string;
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly segments: number;
  readonly state: SmsState;
  /** The SMSC's id for the submitted SMS (what its delivery receipt names). */
  readonly smscId?: string;
  readonly outcome?: SmsOutcome;
  readonly attempts: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly submittedAt?: number;
}

/** What the simulated SMSC received (carriers/sms), and whether its receipt has been acknowledged. */
export interface SmscMessage {
  readonly id: string;
  readonly systemId: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly dataCoding: number;
  /** What the SMSC made of it: delivered, undeliverable or rejected (refused at submission). */
  readonly outcome: "delivered" | "undeliverable" | "rejected";
  readonly receivedAt: number;
  /** pending: its delivery receipt waits for the client's acknowledgement (resent on the next bind). */
  readonly receipt: "pending" | "acknowledged" | "none";
}

/** How the simulated SMSC treats a number. */
export interface SmscRule {
  readonly id: string;
  readonly pattern: string;
  readonly behaviour: "deliver" | "undeliverable" | "reject";
  readonly errorCode?: number;
  readonly createdAt: number;
}

export interface Store {
  close(): Promise<void>;

  // Accounts and senders
  upsertAccount(account: Account): Promise<void>;
  findAccountByApiKey(apiKey: string): Promise<Account | undefined>;
  getAccount(id: string): Promise<Account | undefined>;
  updateAccountWebhooks(id: string, urls: { deliveryUrl?: string | null; inboundUrl?: string | null }): Promise<void>;
  /** Replaces the account's Meta and Sinch webhook settings. */
  updateAccountFaceSettings(id: string, settings: Pick<Account, "meta" | "sinch">): Promise<void>;
  upsertSender(sender: Sender): Promise<void>;
  findSender(number: string): Promise<Sender | undefined>;
  /** The sender known to Meta's face by `id`, or to Sinch's by its bot id. */
  findSenderByFaceId(face: "meta" | "sinch", id: string): Promise<Sender | undefined>;
  /** Every sender registered to a WABA. */
  listSenders(wabaId: string): Promise<Sender[]>;

  // Templates
  /** False when the WABA already has that name in that language (nothing is written then). */
  insertTemplate(template: Template, webhooks?: readonly NewWebhook[]): Promise<boolean>;
  /** Replaces the template, queueing `webhooks` (its status reports) in the same transaction. */
  updateTemplate(template: Template, webhooks?: readonly NewWebhook[]): Promise<void>;
  findTemplateById(id: string): Promise<Template | undefined>;
  getTemplate(wabaId: string, id: string): Promise<Template | undefined>;
  listTemplates(wabaId: string): Promise<Template[]>;
  findTemplatesByName(wabaId: string, name: string): Promise<Template[]>;
  /**
   * Deletes every language of `name` (or, given `id`, only that one of them) and, once no language
   * of the name is left, locks the name until `lockedUntil`; returns how many went.
   */
  deleteTemplatesByName(wabaId: string, name: string, lockedUntil: number, id?: string): Promise<number>;
  nameLockedUntil(wabaId: string, name: string, now: number): Promise<number | undefined>;
  pendingTemplatesDue(now: number, limit: number): Promise<Template[]>;

  // Messages
  /** Stores every message durably (fsync'd) before resolving, or none of them. */
  insertMessages(messages: readonly NewMessage[]): Promise<InsertOutcome[]>;
  getMessage(accountId: string, messageId: string): Promise<StoredMessage | undefined>;
  /** Leases up to `limit` accepted messages due for dispatch; a lease that runs out frees them again. */
  claimMessages(now: number, limit: number, leaseUntil: number): Promise<StoredMessage[]>;
  /** Puts claimed messages back to wait until `nextAttemptAt` (the carrier said: later). */
  rescheduleMessages(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void>;
  /**
   * Applies carrier events atomically with the webhooks they cause, deciding each with the
   * PlanEvent the store was built with; returns how many changed a status.
   */
  applyMessageEvents(items: readonly MessageEventInput[]): Promise<number>;
  /** Messages not yet decided whose time-to-live has passed. */
  overdueMessages(now: number, limit: number): Promise<number[]>;
  /** Frees every lease, for a single-node restart where no other process can hold one. */
  releaseAllLeases(): Promise<void>;

  // Conversations and inbound
  lastInboundAt(sender: string, user: string): Promise<number | undefined>;
  /** How many messages `user` has sent to `sender` (the simulated network numbers them for stable ids). */
  inboundCount(sender: string, user: string): Promise<number>;
  /**
   * Stores an inbound message, refreshes the user's window and queues its webhooks, atomically.
   * A message id already stored changes nothing (a repeat) and answers false.
   */
  recordInbound(message: InboundMessage, webhooks: readonly NewWebhook[]): Promise<boolean>;

  // Webhook outbox
  claimWebhooks(now: number, limit: number, leaseUntil: number): Promise<PendingWebhook[]>;
  webhooksDelivered(ids: readonly string[], now: number): Promise<void>;
  webhookRetry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  webhookFailed(id: string, attempts: number, error: string): Promise<void>;
  /** Reports (not POSTs) by state of their webhook. */
  webhookCounts(): Promise<{ pending: number; delivered: number; failed: number }>;

  // URL shortening: domains registered per account, short links, clicks
  /** Registers a shortening domain to an account; false if it already was. */
  // Uploaded media (records; the bytes are files)
  putUploadedMedia(media: UploadedMedia): Promise<void>;
  getUploadedMedia(id: string): Promise<UploadedMedia | undefined>;
  deleteUploadedMedia(id: string): Promise<boolean>;

  putUrlDomain(accountId: string, domain: string, createdAt: number): Promise<boolean>;
  listUrlDomains(accountId: string): Promise<{ domain: string; createdAt: number }[]>;
  deleteUrlDomain(accountId: string, domain: string): Promise<boolean>;
  findShortLink(code: string): Promise<ShortLink | undefined>;
  /** Records a click on a short link and queues its report, if any, atomically; answers the link's click count. */
  recordClick(click: { code: string; at: number; userAgent?: string }, report?: NewWebhook): Promise<number>;

  // The simulated clock survives restarts: stored times in its future must stay in the future.
  clockOffset(): Promise<number>;
  saveClockOffset(offsetMs: number): Promise<void>;

  // SMS failover (rows are created by applyMessageEvents when a move triggers failover)
  /** Leases failovers due for submission to the SMSC. */
  claimSmsFailovers(now: number, limit: number, leaseUntil: number): Promise<SmsFailoverRecord[]>;
  /** Records the SMSC's ids of submitted SMS (their receipts will name them). */
  smsSubmitted(items: readonly { seq: number; smscId: string; at: number }[]): Promise<void>;
  /** Puts claimed failovers back to wait (the SMSC was unreachable or busy). */
  rescheduleSmsFailovers(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void>;
  findSmsFailoverBySmscId(smscId: string): Promise<SmsFailoverRecord | undefined>;
  /** Failovers not yet final whose validity has run out. */
  overdueSmsFailovers(now: number, limit: number): Promise<SmsFailoverRecord[]>;
  /**
   * Makes a failover final with its report webhooks, atomically; false (and nothing written) when
   * it already was final, so a repeated receipt reports nothing twice.
   */
  finishSmsFailover(seq: number, outcome: SmsOutcome, webhooks: readonly NewWebhook[]): Promise<boolean>;
  smsFailoverCounts(): Promise<Record<SmsState, number>>;

  // The simulated SMSC
  putSmscMessage(message: SmscMessage): Promise<void>;
  listSmscMessages(number: string): Promise<SmscMessage[]>;
  pendingSmscReceipts(systemId: string): Promise<SmscMessage[]>;
  smscReceiptAcknowledged(id: string): Promise<void>;
  putSmscRule(rule: SmscRule): Promise<void>;
  listSmscRules(): Promise<SmscRule[]>;
  deleteSmscRule(id: string): Promise<boolean>;

  // Simulated network
  putSandboxRule(rule: SandboxRule): Promise<void>;
  listSandboxRules(): Promise<SandboxRule[]>;
  deleteSandboxRule(id: string): Promise<boolean>;
  /** Records messages reaching phones; a message already there is left alone (at-least-once dispatch). */
  putHandsetMessages(messages: readonly HandsetMessage[]): Promise<void>;
  dueHandsetMessages(now: number, limit: number): Promise<HandsetMessage[]>;
  /** Moves phones' messages on, in one transaction. */
  updateHandsetMessages(
    items: readonly { seq: number; state: HandsetMessage["state"]; nextEventAt: number | undefined }[],
  ): Promise<void>;
  listHandsetMessages(phone: string): Promise<HandsetMessage[]>;
}
