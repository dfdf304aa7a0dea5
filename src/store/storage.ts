/**
 * Everything OpenBSP stores, as one port per concern. Every adapter (SQLite embedded, PostgreSQL
 * distributed) implements each port and passes its contract suite (test/contracts/). Ports are
 * asynchronous throughout because PostgreSQL's driver is, and never expose a driver, connection or
 * transaction type. Anything several nodes would need to share lives here, not in a process's
 * memory. Components take the port they use (`storage.messages`, `storage.outbox`, …).
 */
import type { CarrierInboxStore } from "./carrier-inbox-store.ts";
import type { CatalogStore } from "./catalog-store.ts";
import type { ConversationStore } from "./conversation-store.ts";
import type { LinkStore } from "./link-store.ts";
import type { MediaStore } from "./media-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { SmsFailoverStore } from "./sms-failover-store.ts";

export interface Storage {
  readonly catalog: CatalogStore;
  readonly messages: MessageStore;
  readonly outbox: OutboxStore;
  readonly conversations: ConversationStore;
  readonly smsFailovers: SmsFailoverStore;
  readonly links: LinkStore;
  readonly media: MediaStore;
  readonly carrierInbox: CarrierInboxStore;
  /**
   * Frees every lease (messages, webhooks, SMS failovers, carrier posts), for a single-node restart where no
   * other process can still hold one.
   */
  releaseAllLeases(): Promise<void>;
  close(): Promise<void>;
}
