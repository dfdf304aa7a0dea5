/**
 * The simulated network's port on PostgreSQL: its rules, the phones' messages and the sandbox
 * clock's offset. The phones' timers are leased to one node at a time (rows another node holds
 * are skipped), so a read or delivery report is not played twice by two nodes.
 */
import type { ReadReceipt, TypingIndicator } from "../../carriers/chat-signals.ts";
import type { HandsetMessage } from "../network/handset-message.ts";
import type { NetworkStore } from "../network/network-store.ts";
import type { SandboxRule } from "../network/sandbox-rule.ts";
import { toHandset, toRule } from "../table-rows.ts";
import type { PostgresHandle, Tx } from "./postgres-handle.ts";

export class PgNetworkTables implements NetworkStore {
  constructor(private readonly db: PostgresHandle) {}

  async clockOffset(): Promise<number> {
    const { rows } = await this.db.pool.query("SELECT value FROM meta WHERE key = 'clock_offset_ms'");
    return rows[0] ? Number(rows[0].value) : 0;
  }

  saveClockOffset(offsetMs: number): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO meta (key, value) VALUES ('clock_offset_ms', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(offsetMs)],
      );
    });
  }

  advanceClockOffset(ms: number): Promise<number> {
    return this.db.write(async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO meta (key, value) VALUES ('clock_offset_ms', $1::bigint::text)
         ON CONFLICT (key) DO UPDATE SET value = (meta.value::numeric + $1::bigint)::text
         RETURNING value`,
        [ms],
      );
      return Number(rows[0]?.value);
    });
  }

  putSandboxRule(r: SandboxRule): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO sandbox_rules (id, pattern, behaviour, deliver_delay_ms, read_delay_ms, read_delay_set,
           error_code, error_title, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET pattern = excluded.pattern, behaviour = excluded.behaviour,
           deliver_delay_ms = excluded.deliver_delay_ms, read_delay_ms = excluded.read_delay_ms,
           read_delay_set = excluded.read_delay_set, error_code = excluded.error_code,
           error_title = excluded.error_title, created_at = excluded.created_at`,
        [
          r.id,
          r.pattern,
          r.behaviour,
          r.deliverDelayMs ?? null,
          r.readDelayMs ?? null,
          r.readDelayMs === undefined ? 0 : 1,
          r.errorCode ?? null,
          r.errorTitle ?? null,
          r.createdAt,
        ],
      );
    });
  }

  async listSandboxRules(): Promise<SandboxRule[]> {
    const { rows } = await this.db.pool.query(
      'SELECT * FROM sandbox_rules ORDER BY created_at, id COLLATE "C"',
    );
    return rows.map(toRule);
  }

  deleteSandboxRule(id: string): Promise<boolean> {
    return this.db.write(
      async (tx) => ((await tx.query("DELETE FROM sandbox_rules WHERE id = $1", [id])).rowCount ?? 0) > 0,
    );
  }

  /** A message already on the phone is left alone (dispatch is at-least-once). */
  putHandsetMessages(messages: readonly HandsetMessage[]): Promise<void> {
    return this.db.write(async (tx) => {
      if (messages.length === 0) return;
      const col = <T>(f: (m: HandsetMessage) => T) => messages.map(f);
      const { rows } = await tx.query(
        `INSERT INTO handset_messages (seq, phone, sender, message_id, content, reply_to, state, received_at,
           next_event_at, read_delay_ms, expires_at, media, card_media)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::text[])
         ON CONFLICT (seq) DO NOTHING
         RETURNING phone, sender, state`,
        [
          col((m) => m.seq),
          col((m) => m.phone),
          col((m) => m.sender),
          col((m) => m.messageId),
          col((m) => JSON.stringify(m.content)),
          col((m) => m.replyTo ?? null),
          col((m) => m.state),
          col((m) => m.receivedAt),
          col((m) => m.nextEventAt ?? null),
          col((m) => m.readDelayMs ?? null),
          col((m) => m.expiresAt),
          col((m) => (m.media ? JSON.stringify(m.media) : null)),
          col((m) => (m.cardMedia ? JSON.stringify(m.cardMedia) : null)),
        ],
      );
      const arrived = rows.filter((r) => r.state !== "in_transit");
      if (arrived.length > 0) await endTyping(tx, arrived);
    });
  }

  /** Leases the due timers to this node (its own lease does not hide them from itself). */
  dueHandsetMessages(now: number, limit: number): Promise<HandsetMessage[]> {
    return this.db.write(async (tx) => {
      const { rows } = await tx.query(
        `WITH due AS (
           SELECT seq FROM handset_messages WHERE next_event_at IS NOT NULL AND next_event_at <= $1
             AND (lease_until IS NULL OR lease_until <= $1 OR lease_owner = $3)
           ORDER BY next_event_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE handset_messages h SET lease_until = $4, lease_owner = $3 FROM due WHERE h.seq = due.seq
         RETURNING h.*`,
        [now, limit, this.db.nodeId, now + this.db.leaseMs],
      );
      return rows
        .sort((a, b) => Number(a.next_event_at) - Number(b.next_event_at) || Number(a.seq) - Number(b.seq))
        .map(toHandset);
    });
  }

  updateHandsetMessages(
    items: readonly { seq: number; state: HandsetMessage["state"]; nextEventAt: number | undefined }[],
  ): Promise<void> {
    return this.db.write(async (tx) => {
      for (const i of items) {
        const { rows } = await tx.query(
          `UPDATE handset_messages h SET state = $1, next_event_at = $2, lease_until = NULL
           FROM (SELECT seq, state FROM handset_messages WHERE seq = $3 FOR UPDATE) before
           WHERE h.seq = before.seq RETURNING h.phone, h.sender, before.state AS before`,
          [i.state, i.nextEventAt ?? null, i.seq],
        );
        // The message reaches the phone now: the sender's typing indicator gives way to it.
        const r = rows[0];
        if (r && r.before === "in_transit" && i.state !== "in_transit") await endTyping(tx, [r]);
      }
    });
  }

  async listHandsetMessages(phone: string): Promise<HandsetMessage[]> {
    const { rows } = await this.db.pool.query(
      "SELECT * FROM handset_messages WHERE phone = $1 ORDER BY seq",
      [phone],
    );
    return rows.map(toHandset);
  }

  putReadReceipt(r: ReadReceipt): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO handset_read_marks (phone, sender, message_id, sent_at, read_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (phone, sender, message_id) DO UPDATE
           SET read_at = least(handset_read_marks.read_at, excluded.read_at)`,
        [r.user, r.sender, r.messageId, r.sentAt, r.readAt],
      );
    });
  }

  async listReadReceipts(user: string): Promise<ReadReceipt[]> {
    const { rows } = await this.db.pool.query(
      'SELECT * FROM handset_read_marks WHERE phone = $1 ORDER BY sent_at, message_id COLLATE "C"',
      [user],
    );
    return rows.map((r) => ({
      sender: String(r.sender),
      user: String(r.phone),
      messageId: String(r.message_id),
      sentAt: Number(r.sent_at),
      readAt: Number(r.read_at),
    }));
  }

  putTypingIndicator(t: TypingIndicator): Promise<void> {
    return this.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO handset_typing (phone, sender, until) VALUES ($1, $2, $3)
         ON CONFLICT (phone, sender) DO UPDATE SET until = excluded.until`,
        [t.user, t.sender, t.until],
      );
    });
  }

  async typingIndicators(user: string, now: number): Promise<TypingIndicator[]> {
    const { rows } = await this.db.pool.query(
      'SELECT * FROM handset_typing WHERE phone = $1 AND until > $2 ORDER BY sender COLLATE "C"',
      [user, now],
    );
    return rows.map((r) => ({ sender: String(r.sender), user: String(r.phone), until: Number(r.until) }));
  }
}

async function endTyping(tx: Tx, pairs: readonly Record<string, unknown>[]): Promise<void> {
  await tx.query(
    `DELETE FROM handset_typing t USING unnest($1::text[], $2::text[]) AS p(phone, sender)
     WHERE t.phone = p.phone AND t.sender = p.sender`,
    [pairs.map((p) => String(p.phone)), pairs.map((p) => String(p.sender))],
  );
}
