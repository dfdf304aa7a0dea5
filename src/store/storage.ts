/**
 * Everything OpenBSP stores, as one port per concern. Every adapter (SQLite embedded, PostgreSQL
 * distributed) implements each port and passes its contract suite (test/contracts/). Ports are
 * asynchronous throughout because PostgreSQL's driver is, and never expose a driver, connection or
 * transaction type. Anything several nodes would need to share lives here, not in a process's
 * memory. Components take the port they use (`storage.messages`, `storage.outbox`, …).
 */
import type { ApiKeyStore } from "./api-key-store.ts";
import type { CarrierInboxStore } from "./carrier-inbox-store.ts";
import type { CatalogStore } from "./catalog-store.ts";
import type { ConversationStore } from "./conversation-store.ts";
import type { FlowStore } from "./flow-store.ts";
import type { LinkStore } from "./link-store.ts";
import type { MediaStore } from "./media-store.ts";
import type { MessageLogStore } from "./message-log-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { SmsFailoverStore } from "./sms-failover-store.ts";
import type { SubscriptionStore } from "./subscription-store.ts";
import type { WebhookLogStore } from "./webhook-log-store.ts";

export interface MigrationState {
  readonly known: number;
  readonly applied: number;
}

export interface Storage {
  readonly catalog: CatalogStore;
  readonly apiKeys: ApiKeyStore;
  readonly messages: MessageStore;
  /** Reading many messages (the console's log and charts), apart from the hot path. */
  readonly messageLog: MessageLogStore;
  readonly outbox: OutboxStore;
  readonly webhookLog: WebhookLogStore;
  readonly conversations: ConversationStore;
  readonly smsFailovers: SmsFailoverStore;
  readonly links: LinkStore;
  readonly media: MediaStore;
  readonly flows: FlowStore;
  readonly carrierInbox: CarrierInboxStore;
  /** Event subscriptions, notification profiles and their security settings (Infobip's Subscriptions API). */
  readonly subscriptions: SubscriptionStore;
  /**
   * Frees every lease (messages, webhooks, SMS failovers, carrier posts), for a single-node restart where no
   * other process can still hold one.
   */
  releaseAllLeases(): Promise<void>;
  /**
   * Frees the leases this node holds (messages, webhooks, SMS failovers), so that another node
   * takes the work at once: the last step of a graceful stop, after this node's workers stopped.
   * A store one process owns (SQLite) frees every lease.
   */
  releaseOwnLeases(): Promise<void>;
  /** How many schema migrations the code knows and how many the database has applied (readiness). */
  migrations(): Promise<MigrationState>;
  close(): Promise<void>;
}
