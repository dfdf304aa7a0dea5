/**
 * How a face words the webhooks it owes: each dialect has its own status and inbound payloads,
 * its own receiver settings and, for some, a signature. The core decides that a report is owed;
 * the face's formatter decides where it goes and what it looks like.
 */
import type { Account, Sender } from "../core/account.ts";
import type { AccountSubscriptions, EventFacts, EventRoute } from "../core/event-subscription.ts";
import type { InboundMessage } from "../core/inbound.ts";
import type { Face, StoredMessage } from "../core/message.ts";
import type { ReportKind } from "../core/message-status.ts";
import type { SmsOutcome } from "../core/sms-failover.ts";
import type { SmsFailoverRecord } from "../core/sms-failover-record.ts";
import type { Template } from "../core/template.ts";

/** One POST: the exact bytes and any headers that depend on them (signatures). */
export interface WebhookPost {
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReportFormatter {
  /** The report kinds this dialect sends (Infobip has no "sent" report; Meta and Sinch do). */
  readonly kinds: ReadonlySet<ReportKind>;
  /**
   * How many reports one POST carries: Infobip batches up to 100 in `results[]`; Meta sends one
   * status per POST, and popular clients read only `statuses[0]`.
   */
  readonly reportsPerPost: number;
  /** Where status reports go when the message names no URL of its own. */
  reportUrl(account: Account): string | undefined;
  /**
   * The account's event subscriptions that take this report (kind, or "template" for a template's
   * status), for dialects that have them; none matching: `reportUrl` applies.
   */
  subscribedUrls?(
    account: Account,
    /** The account's event subscriptions (SubscriptionStore), for the dialects routed by them. */
    subscriptions: AccountSubscriptions,
    kind: ReportKind | "template" | "inbound" | "click",
    facts: EventFacts,
  ): EventRoute[];
  /** Where inbound messages go; undefined: this dialect's receiver is not configured. */
  inboundUrl(account: Account): string | undefined;
  /**
   * Reports of one kind for messages (each as it stood after its move) sent from `sender`, in one POST.
   */
  report(reports: readonly Report[], sender: Sender, account: Account): WebhookPost;
  /**
   * An inbound message from a user to `sender`. `publicBase` is OpenBSP's base URL as clients reach
   * it, for the dialects that give the user's media as a URL on OpenBSP (Infobip, Sinch).
   */
  inbound(message: InboundMessage, sender: Sender, account: Account, publicBase: string): WebhookPost;
  /** A template's review outcome, for dialects that report it (to `reportUrl`). */
  templateStatus?(template: Template, account: Account): WebhookPost;
  /** Template statuses go only where a subscription asks for them, never to `reportUrl` (Infobip). */
  readonly templateStatusBySubscription?: boolean;
  /** A click on a short link of a message (dialects without click reports leave it out). */
  click?(click: LinkClick): WebhookPost;
  /**
   * The account's own events (an endpoint of its disabled): where they go, for dialects that route
   * them (Infobip: the subscriptions that take TEMPLATE_UPDATE, its account-level event).
   */
  accountEventUrls?(account: Account, subscriptions: AccountSubscriptions): EventRoute[];
  /** The account told that one of its webhook endpoints was disabled after failing past the window. */
  endpointDisabled?(endpoint: DisabledEndpoint, account: Account): WebhookPost;
  /** The delivery outcome of a message that failed over to SMS (a dialect without SMS failover has none). */
  smsFailover?(reports: readonly SmsFailoverReport[], account: Account): WebhookPost;
}

/** A webhook endpoint disabled after failing for longer than the window; what it was sent is kept. */
export interface DisabledEndpoint {
  readonly url: string;
  readonly failingSince: number;
  readonly disabledAt: number;
}

/** A user opened a short link. */
export interface LinkClick {
  /** The report's own id (also its webhook id). */
  readonly eventId: string;
  readonly message: StoredMessage;
  /** Where the link leads. */
  readonly url: string;
  /** The host of the short link clicked. */
  readonly domain: string;
  readonly at: number;
  readonly userAgent?: string;
}

/** A message WhatsApp could not deliver, its SMS failover, and how the SMS ended. */
export interface SmsFailoverReport {
  readonly message: StoredMessage;
  readonly sms: SmsFailoverRecord;
  readonly outcome: SmsOutcome;
}

export interface Report {
  readonly kind: ReportKind;
  readonly message: StoredMessage;
}

/** Each face's wording, by dialect name (a message's `face`). */
export type ReportFormatters = Readonly<Record<Face, ReportFormatter>>;
