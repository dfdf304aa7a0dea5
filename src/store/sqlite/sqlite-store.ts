/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk
 * when it returns. better-sqlite3 is synchronous; the port is asynchronous for PostgreSQL's sake.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Account, Sender } from "../../core/account.ts";
import type { UploadedMedia } from "../../core/uploaded-media.ts";
import type { InboundMessage } from "../../core/inbound.ts";
import type { StoredMessage } from "../../core/message.ts";
import type {
  HandsetMessage,
  InsertOutcome,
  MessageEventInput,
  NewMessage,
  NewWebhook,
  PendingWebhook,
  PlanEvents,
  SandboxRule,
  SmscMessage,
  SmscRule,
  Store,
} from "../store.ts";
import type { DueWork } from "../storage-factory.ts";
import { GroupCommit } from "./group-commit.ts";
import { toAccount, toMessage, toSender, toWebhook } from "./rows.ts";
import { migrate } from "./schema.ts";
import { SqliteAccountTables } from "./sqlite-account-tables.ts";
import { SqliteLinkTables } from "./sqlite-link-tables.ts";
import { SqliteMediaTables } from "./sqlite-media-tables.ts";
import { SqliteNetworkTables } from "./sqlite-network-tables.ts";
import { SqliteSmsTables } from "./sqlite-sms-tables.ts";
import { prepareStatements } from "./statements.ts";

type Row = Record<string, unknown>;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #group: GroupCommit;
  readonly #accounts: SqliteAccountTables;
  readonly #network: SqliteNetworkTables;
  readonly #links: SqliteLinkTables;
  readonly #media: SqliteMediaTables;
  readonly #sms: SqliteSmsTables;
  readonly #stmt: ReturnType<typeof prepareStatements>;

  readonly #plan: PlanEvents;
  /**
   * Work the writes of the group being committed make due, told to `onDue` once it is on disk. A
   * write rolled back leaves its mark for the next commit: a needless wake costs one empty look.
   */
  readonly #due = new Set<DueWork>();

  constructor(file: string, plan: PlanEvents, onDue: (work: DueWork) => void = () => {}) {
    this.#plan = plan;
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = FULL");
    this.#db.pragma("busy_timeout = 5000");
    migrate(this.#db);
    this.#stmt = prepareStatements(this.#db);
    this.#group = new GroupCommit(this.#db, () => {
      for (const work of this.#due) onDue(work);
      this.#due.clear();
    });
    this.#accounts = new SqliteAccountTables(this.#db, this.#stmt, (fn) => this.#write(fn), (w) => this.#insertWebhook(w));
    this.#network = new SqliteNetworkTables(this.#db, (fn) => this.#write(fn));
    this.#links = new SqliteLinkTables(this.#db, (fn) => this.#write(fn), (w) => this.#insertWebhook(w));
    this.#media = new SqliteMediaTables(this.#db, (fn) => this.#write(fn));
    this.#sms = new SqliteSmsTables(this.#db, (fn) => this.#write(fn), (w) => this.#insertWebhook(w));
  }

  /** Commits the writes queued so far at once (the worker does this after each batch of calls). */
  flushWrites(): void {
    this.#group.flush();
  }

  /** Every write goes through the group commit: durable when the promise resolves. */
  #write<T>(fn: () => T): Promise<T> {
    return this.#group.write(fn);
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  // Accounts, senders and templates: see sqlite-account-tables.ts.
  upsertAccount = (a: Account) => this.#accounts.upsertAccount(a);
  findAccountByApiKey = (apiKey: string) => this.#accounts.findAccountByApiKey(apiKey);
  getAccount = (id: string) => this.#accounts.getAccount(id);
  updateAccountWebhooks: Store["updateAccountWebhooks"] = (id, urls) => this.#accounts.updateAccountWebhooks(id, urls);
  updateAccountFaceSettings: Store["updateAccountFaceSettings"] = (id, settings) => this.#accounts.updateAccountFaceSettings(id, settings);
  upsertSender = (sender: Sender) => this.#accounts.upsertSender(sender);
  findSenderByFaceId: Store["findSenderByFaceId"] = (face, id) => this.#accounts.findSenderByFaceId(face, id);
  listSenders = (wabaId: string) => this.#accounts.listSenders(wabaId);
  findSender = (number: string) => this.#accounts.findSender(number);
  insertTemplate: Store["insertTemplate"] = (t, webhooks) => this.#accounts.insertTemplate(t, webhooks);
  findTemplateById = (id: string) => this.#accounts.findTemplateById(id);
  updateTemplate: Store["updateTemplate"] = (t, webhooks) => this.#accounts.updateTemplate(t, webhooks);
  getTemplate = (wabaId: string, id: string) => this.#accounts.getTemplate(wabaId, id);
  listTemplates = (wabaId: string) => this.#accounts.listTemplates(wabaId);
  findTemplatesByName = (wabaId: string, name: string) => this.#accounts.findTemplatesByName(wabaId, name);
  deleteTemplatesByName: Store["deleteTemplatesByName"] = (wabaId, name, lockedUntil, id) =>
    this.#accounts.deleteTemplatesByName(wabaId, name, lockedUntil, id);
  nameLockedUntil: Store["nameLockedUntil"] = (wabaId, name, now) => this.#accounts.nameLockedUntil(wabaId, name, now);
  pendingTemplatesDue = (now: number, limit: number) => this.#accounts.pendingTemplatesDue(now, limit);

  insertMessages(messages: readonly NewMessage[]): Promise<InsertOutcome[]> {
    return this.#write(() => messages.map((m) => this.#insertOne(m)));
  }

  #insertOne(m: NewMessage): InsertOutcome {
    const info = this.#stmt.insertMessage.run(
      m.accountId, m.messageId, m.bulkId ?? null, m.face, m.from, m.to, JSON.stringify(m.content),
      m.callbackData ?? null, m.notifyUrl ?? null, m.entityId ?? null, m.applicationId ?? null, m.replyTo ?? null,
      json(m.smsFailover), m.acceptedAt, m.expiresAt, m.acceptedAt, m.category ?? null,
    );
    if (info.changes === 1) {
      this.#due.add("dispatch");
      if (m.shortLinks) this.#links.insertLinks(m.accountId, m.messageId, m.acceptedAt, m.shortLinks);
      return { kind: "inserted", seq: Number(info.lastInsertRowid) };
    }
    const existing = this.#stmt.messageById.get(m.accountId, m.messageId) as Row;
    return { kind: "duplicate", existing: toMessage(existing) };
  }

  async getMessage(accountId: string, messageId: string) {
    const row = this.#stmt.messageById.get(accountId, messageId) as Row | undefined;
    return row && toMessage(row);
  }

  claimMessages(now: number, limit: number, leaseUntil: number) {
    return this.#write(() => (this.#stmt.claimMessages.all(leaseUntil, now, now, limit) as Row[]).map(toMessage));
  }

  rescheduleMessages(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void> {
    return this.#write(() => {
      for (const i of items) this.#stmt.reschedule.run(i.nextAttemptAt, i.seq);
    });
  }

  applyMessageEvents(items: readonly MessageEventInput[]): Promise<number> {
    return this.#write(() => {
      const accounts = new Map<string, Account>();
      const senders = new Map<string, Sender>();
      const messages = new Map<number, StoredMessage>();
      const inputs: Parameters<PlanEvents>[0][number][] = [];
      for (const { seq, event } of items) {
        let message = messages.get(seq);
        if (!message) {
          const row = this.#stmt.messageBySeq.get(seq) as Row | undefined;
          if (!row) continue;
          message = toMessage(row);
          messages.set(seq, message);
        }
        let account = accounts.get(message.accountId);
        if (!account) {
          account = toAccount(this.#stmt.accountById.get(message.accountId) as Row);
          accounts.set(message.accountId, account);
        }
        let sender = senders.get(message.from);
        if (!sender) {
          const row = this.#stmt.sender.get(message.from) as Row | undefined;
          // A sender removed since the message was accepted still reports, under its number alone.
          sender = row ? toSender(row) : { number: message.from, accountId: message.accountId, wabaId: "", metaPhoneNumberId: "", sinchBotId: "" };
          senders.set(message.from, sender);
        }
        inputs.push({ message, event, account, sender });
      }
      const plan = this.#plan(inputs);
      for (const { seq, from, transition: t } of plan.moves) {
        this.#stmt.transition.run(t.status, json(t.error), t.sentAt ?? null, t.doneAt ?? null, t.seenAt ?? null, seq, from);
      }
      for (const w of plan.webhooks) this.#insertWebhook(w);
      for (const f of plan.failovers ?? []) this.#sms.startFailover(f.seq, f.at);
      if (plan.failovers?.length) this.#due.add("sms-failover");
      return plan.moves.length;
    });
  }

  async overdueMessages(now: number, limit: number): Promise<number[]> {
    const rows = this.#stmt.overdue.all(now, limit) as Row[];
    return rows.map((r) => Number(r.seq));
  }

  releaseAllLeases(): Promise<void> {
    return this.#write(() => {
      this.#db.exec("UPDATE messages SET lease_until = NULL WHERE lease_until IS NOT NULL AND status = 'accepted'");
      this.#db.exec("UPDATE webhooks SET lease_until = NULL WHERE lease_until IS NOT NULL AND state = 'pending'");
      this.#db.exec("UPDATE sms_failovers SET lease_until = NULL WHERE lease_until IS NOT NULL AND state = 'pending'");
    });
  }

  async inboundCount(sender: string, user: string): Promise<number> {
    const row = this.#db
      .prepare("SELECT count(*) AS n FROM inbound WHERE sender = ? AND user_number = ?")
      .get(sender, user) as Row;
    return Number(row.n);
  }

  async lastInboundAt(sender: string, user: string): Promise<number | undefined> {
    const row = this.#stmt.window.get(sender, user) as Row | undefined;
    return row ? Number(row.last_inbound_at) : undefined;
  }

  recordInbound(m: InboundMessage, webhooks: readonly NewWebhook[]): Promise<boolean> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare(
          `INSERT INTO inbound (message_id, sender, user_number, content, received_at, context_message_id, contact_name)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
        )
        .run(m.messageId, m.to, m.from, JSON.stringify(m.content), m.receivedAt, m.contextMessageId ?? null,
          m.contactName ?? null);
      if (changes === 0) return false;
      this.#db
        .prepare(
          `INSERT INTO windows (sender, user_number, last_inbound_at) VALUES (?, ?, ?)
           ON CONFLICT (sender, user_number) DO UPDATE SET last_inbound_at = max(last_inbound_at, excluded.last_inbound_at)`,
        )
        .run(m.to, m.from, m.receivedAt);
      for (const w of webhooks) this.#insertWebhook(w);
      return true;
    });
  }

  #insertWebhook(w: NewWebhook): void {
    this.#due.add("webhooks");
    this.#stmt.insertWebhook.run(w.id, w.accountId, w.url, w.body, w.reports, w.createdAt, w.createdAt, json(w.headers));
  }

  claimWebhooks(now: number, limit: number, leaseUntil: number): Promise<PendingWebhook[]> {
    return this.#write(() => (this.#stmt.claimWebhooks.all(leaseUntil, now, now, limit) as Row[]).map(toWebhook));
  }

  webhooksDelivered(ids: readonly string[], now: number): Promise<void> {
    return this.#write(() => {
      for (const id of ids) this.#stmt.webhookDelivered.run(now, id);
    });
  }

  webhookRetry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.#write(() => {
      this.#db
      .prepare(
        "UPDATE webhooks SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ? AND state = 'pending'",
      )
      .run(attempts, nextAttemptAt, error, id);
    });
  }

  webhookFailed(id: string, attempts: number, error: string): Promise<void> {
    return this.#write(() => {
      this.#db
      .prepare("UPDATE webhooks SET state = 'failed', attempts = ?, last_error = ?, lease_until = NULL WHERE id = ? AND state = 'pending'")
      .run(attempts, error, id);
    });
  }

  async webhookCounts() {
    const rows = this.#db.prepare("SELECT state, sum(reports) AS n FROM webhooks GROUP BY state").all() as Row[];
    const count = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    return { pending: count("pending"), delivered: count("delivered"), failed: count("failed") };
  }

  // Uploaded media: see sqlite-media-tables.ts.
  putUploadedMedia = (media: UploadedMedia) => this.#media.putUploadedMedia(media);
  getUploadedMedia = (id: string) => this.#media.getUploadedMedia(id);
  deleteUploadedMedia = (id: string) => this.#media.deleteUploadedMedia(id);

  // URL shortening's tables: see sqlite-link-tables.ts.
  putUrlDomain = (accountId: string, domain: string, createdAt: number) => this.#links.putUrlDomain(accountId, domain, createdAt);
  listUrlDomains = (accountId: string) => this.#links.listUrlDomains(accountId);
  deleteUrlDomain = (accountId: string, domain: string) => this.#links.deleteUrlDomain(accountId, domain);
  findShortLink = (code: string) => this.#links.findShortLink(code);
  recordClick: Store["recordClick"] = (click, report) => this.#links.recordClick(click, report);

  // The simulated network's tables: see sqlite-network-tables.ts.
  clockOffset = () => this.#network.clockOffset();
  saveClockOffset = (offsetMs: number) => this.#network.saveClockOffset(offsetMs);
  putSandboxRule = (rule: SandboxRule) => this.#network.putSandboxRule(rule);
  listSandboxRules = () => this.#network.listSandboxRules();
  deleteSandboxRule = (id: string) => this.#network.deleteSandboxRule(id);
  putHandsetMessages = (messages: readonly HandsetMessage[]) => this.#network.putHandsetMessages(messages);
  dueHandsetMessages = (now: number, limit: number) => this.#network.dueHandsetMessages(now, limit);
  updateHandsetMessages: Store["updateHandsetMessages"] = (items) => this.#network.updateHandsetMessages(items);
  listHandsetMessages = (phone: string) => this.#network.listHandsetMessages(phone);

  // SMS failover and the simulated SMSC: see sqlite-sms-tables.ts.
  claimSmsFailovers: Store["claimSmsFailovers"] = (now, limit, leaseUntil) => this.#sms.claim(now, limit, leaseUntil);
  smsSubmitted: Store["smsSubmitted"] = (items) => this.#sms.submitted(items);
  rescheduleSmsFailovers: Store["rescheduleSmsFailovers"] = (items) => this.#sms.reschedule(items);
  findSmsFailoverBySmscId = (smscId: string) => this.#sms.bySmscId(smscId);
  overdueSmsFailovers = (now: number, limit: number) => this.#sms.overdue(now, limit);
  finishSmsFailover: Store["finishSmsFailover"] = (seq, outcome, webhooks) => this.#sms.finish(seq, outcome, webhooks);
  smsFailoverCounts = () => this.#sms.counts();
  putSmscMessage = (m: SmscMessage) => this.#sms.putSmscMessage(m);
  listSmscMessages = (number: string) => this.#sms.listSmscMessages(number);
  pendingSmscReceipts = (systemId: string) => this.#sms.pendingSmscReceipts(systemId);
  smscReceiptAcknowledged = (id: string) => this.#sms.smscReceiptAcknowledged(id);
  putSmscRule = (rule: SmscRule) => this.#sms.putSmscRule(rule);
  listSmscRules = () => this.#sms.listSmscRules();
  deleteSmscRule = (id: string) => this.#sms.deleteSmscRule(id);
}
