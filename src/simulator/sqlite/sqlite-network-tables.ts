/**
 * The simulated network's port on SQLite: its rules, the phones' messages, and the sandbox clock's
 * offset, in the SQLite adapter's file (its migrations create the tables) and its group commit.
 */
import type Database from "better-sqlite3";
import type { ReadReceipt, TypingIndicator } from "../../carriers/chat-signals.ts";
import type { HandsetMessage } from "../network/handset-message.ts";
import type { NetworkStore } from "../network/network-store.ts";
import type { SandboxRule } from "../network/sandbox-rule.ts";
import { toHandset, toRule } from "../table-rows.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteNetworkTables implements NetworkStore {
  readonly #write: Write;
  readonly #stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database, write: Write) {
    this.#write = write;
    this.#stmt = prepare(db);
  }

  async clockOffset(): Promise<number> {
    const row = this.#stmt.clockOffset.get() as Row | undefined;
    return row ? Number(row.value) : 0;
  }

  saveClockOffset(offsetMs: number): Promise<void> {
    return this.#write(() => {
      this.#stmt.saveClockOffset.run(String(offsetMs));
    });
  }

  advanceClockOffset(ms: number): Promise<number> {
    return this.#write(() => {
      const row = this.#stmt.clockOffset.get() as Row | undefined;
      const offset = (row ? Number(row.value) : 0) + ms;
      this.#stmt.saveClockOffset.run(String(offset));
      return offset;
    });
  }

  putSandboxRule(r: SandboxRule): Promise<void> {
    return this.#write(() => {
      this.#stmt.putRule.run(
        r.id,
        r.pattern,
        r.behaviour,
        r.deliverDelayMs ?? null,
        r.readDelayMs ?? null,
        r.readDelayMs === undefined ? 0 : 1,
        r.errorCode ?? null,
        r.errorTitle ?? null,
        r.createdAt,
      );
    });
  }

  async listSandboxRules(): Promise<SandboxRule[]> {
    return (this.#stmt.rules.all() as Row[]).map(toRule);
  }

  deleteSandboxRule(id: string): Promise<boolean> {
    return this.#write(() => this.#stmt.deleteRule.run(id).changes > 0);
  }

  /** A message already on the phone is left alone (dispatch is at-least-once). */
  putHandsetMessages(messages: readonly HandsetMessage[]): Promise<void> {
    return this.#write(() => {
      for (const m of messages) {
        const { changes } = this.#stmt.putHandset.run(
          m.seq,
          m.phone,
          m.sender,
          m.messageId,
          JSON.stringify(m.content),
          m.replyTo ?? null,
          m.state,
          m.receivedAt,
          m.nextEventAt ?? null,
          m.readDelayMs ?? null,
          m.expiresAt,
          m.media ? JSON.stringify(m.media) : null,
          m.cardMedia ? JSON.stringify(m.cardMedia) : null,
        );
        if (changes > 0 && m.state !== "in_transit") this.#stmt.endTyping.run(m.phone, m.sender);
      }
    });
  }

  async dueHandsetMessages(now: number, limit: number): Promise<HandsetMessage[]> {
    return (this.#stmt.dueHandset.all(now, limit) as Row[]).map(toHandset);
  }

  updateHandsetMessages(
    items: readonly { seq: number; state: HandsetMessage["state"]; nextEventAt: number | undefined }[],
  ): Promise<void> {
    return this.#write(() => {
      for (const i of items) {
        const before = this.#stmt.handsetState.get(i.seq) as Row | undefined;
        this.#stmt.updateHandset.run(i.state, i.nextEventAt ?? null, i.seq);
        // The message reaches the phone now: the sender's typing indicator gives way to it.
        if (before?.state === "in_transit" && i.state !== "in_transit")
          this.#stmt.endTyping.run(before.phone, before.sender);
      }
    });
  }

  async listHandsetMessages(phone: string): Promise<HandsetMessage[]> {
    return (this.#stmt.phoneMessages.all(phone) as Row[]).map(toHandset);
  }

  putReadReceipt(r: ReadReceipt): Promise<void> {
    return this.#write(() => {
      this.#stmt.putReadMark.run(r.user, r.sender, r.messageId, r.sentAt, r.readAt);
    });
  }

  async listReadReceipts(user: string): Promise<ReadReceipt[]> {
    return (this.#stmt.readMarks.all(user) as Row[]).map((r) => ({
      sender: String(r.sender),
      user: String(r.phone),
      messageId: String(r.message_id),
      sentAt: Number(r.sent_at),
      readAt: Number(r.read_at),
    }));
  }

  putTypingIndicator(t: TypingIndicator): Promise<void> {
    return this.#write(() => {
      this.#stmt.putTyping.run(t.user, t.sender, t.until);
    });
  }

  async typingIndicators(user: string, now: number): Promise<TypingIndicator[]> {
    return (this.#stmt.typing.all(user, now) as Row[]).map((r) => ({
      sender: String(r.sender),
      user: String(r.phone),
      until: Number(r.until),
    }));
  }
}

function prepare(db: Database.Database) {
  return {
    clockOffset: db.prepare("SELECT value FROM meta WHERE key = 'clock_offset_ms'"),
    saveClockOffset: db.prepare(
      "INSERT INTO meta (key, value) VALUES ('clock_offset_ms', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
    putRule: db.prepare(
      `INSERT OR REPLACE INTO sandbox_rules (id, pattern, behaviour, deliver_delay_ms, read_delay_ms, read_delay_set,
         error_code, error_title, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    rules: db.prepare("SELECT * FROM sandbox_rules ORDER BY created_at, id"),
    deleteRule: db.prepare("DELETE FROM sandbox_rules WHERE id = ?"),
    putHandset: db.prepare(
      `INSERT OR IGNORE INTO handset_messages (seq, phone, sender, message_id, content, reply_to, state, received_at,
         next_event_at, read_delay_ms, expires_at, media, card_media) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    dueHandset: db.prepare(
      "SELECT * FROM handset_messages WHERE next_event_at IS NOT NULL AND next_event_at <= ? ORDER BY next_event_at LIMIT ?",
    ),
    updateHandset: db.prepare("UPDATE handset_messages SET state = ?, next_event_at = ? WHERE seq = ?"),
    phoneMessages: db.prepare("SELECT * FROM handset_messages WHERE phone = ? ORDER BY seq"),
    handsetState: db.prepare("SELECT phone, sender, state FROM handset_messages WHERE seq = ?"),
    putReadMark: db.prepare(
      `INSERT INTO handset_read_marks (phone, sender, message_id, sent_at, read_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (phone, sender, message_id) DO UPDATE SET read_at = min(read_at, excluded.read_at)`,
    ),
    readMarks: db.prepare("SELECT * FROM handset_read_marks WHERE phone = ? ORDER BY sent_at, message_id"),
    putTyping: db.prepare(
      "INSERT INTO handset_typing (phone, sender, until) VALUES (?, ?, ?) ON CONFLICT (phone, sender) DO UPDATE SET until = excluded.until",
    ),
    typing: db.prepare("SELECT * FROM handset_typing WHERE phone = ? AND until > ? ORDER BY sender"),
    endTyping: db.prepare("DELETE FROM handset_typing WHERE phone = ? AND sender = ?"),
  };
}
