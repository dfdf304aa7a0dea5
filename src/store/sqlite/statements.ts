/** The SQLite statements on hot paths, prepared once per connection. */
import type Database from "better-sqlite3";

export function prepareStatements(db: Database.Database) {
  return {
    accountById: db.prepare("SELECT * FROM accounts WHERE id = ?"),
    sender: db.prepare("SELECT * FROM senders WHERE number = ?"),
    templatesByName: db.prepare("SELECT * FROM templates WHERE waba_id = ? AND name = ?"),
    insertMessage: db.prepare(
      `INSERT INTO messages (account_id, message_id, bulk_id, face, sender, recipient, content, callback_data,
         notify_url, entity_id, application_id, reply_to, sms_failover, status, accepted_at, expires_at, next_attempt_at, category)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?)
       ON CONFLICT (account_id, message_id) DO NOTHING`,
    ),
    messageById: db.prepare("SELECT * FROM messages WHERE account_id = ? AND message_id = ?"),
    messageBySeq: db.prepare("SELECT * FROM messages WHERE seq = ?"),
    /** Due messages in order, with what pacing needs: the slot each holds, its sender's tier. */
    dueMessages: db.prepare(
      `SELECT m.seq, m.sender, m.slot_at, m.expires_at, s.throughput_mps
       FROM messages m LEFT JOIN senders s ON s.number = m.sender
       WHERE m.status = 'accepted' AND m.next_attempt_at <= ? AND (m.lease_until IS NULL OR m.lease_until <= ?)
       ORDER BY m.next_attempt_at LIMIT ?`,
    ),
    /** Leases the messages whose seqs are in the JSON array, in one statement. */
    claimMessages: db.prepare(
      `UPDATE messages SET lease_until = ?, attempts = attempts + 1
       WHERE seq IN (SELECT value FROM json_each(?)) RETURNING *`,
    ),
    takeSlot: db.prepare("UPDATE messages SET slot_at = ? WHERE seq = ?"),
    /** A paced message waits for its slot (or, past its TTL, for the expiry sweep). */
    waitForSlot: db.prepare("UPDATE messages SET next_attempt_at = ?, slot_at = ? WHERE seq = ?"),
    nextSlot: db.prepare("SELECT next_slot_at FROM sender_pacing WHERE sender = ?"),
    setNextSlot: db.prepare(
      `INSERT INTO sender_pacing (sender, next_slot_at) VALUES (?, ?)
       ON CONFLICT (sender) DO UPDATE SET next_slot_at = excluded.next_slot_at`,
    ),
    reschedule: db.prepare("UPDATE messages SET next_attempt_at = ?, lease_until = NULL WHERE seq = ?"),
    transition: db.prepare(
      `UPDATE messages SET status = ?, error = coalesce(?, error), sent_at = coalesce(sent_at, ?),
         done_at = coalesce(done_at, ?), seen_at = coalesce(seen_at, ?), lease_until = NULL
       WHERE seq = ? AND status = ?`,
    ),
    overdue: db.prepare(
      "SELECT seq FROM messages WHERE status IN ('accepted', 'sent') AND expires_at <= ? ORDER BY expires_at LIMIT ?",
    ),
    // Both read the partial index of messages waiting for dispatch, never the table.
    waiting: db.prepare("SELECT count(*) AS n FROM messages WHERE status = 'accepted'"),
    earliestDue: db.prepare(
      "SELECT next_attempt_at AS at FROM messages WHERE status = 'accepted' ORDER BY next_attempt_at LIMIT 1",
    ),
    setCarrierId: db.prepare("UPDATE OR IGNORE messages SET carrier_id = ? WHERE seq = ?"),
    seqByCarrierId: db.prepare("SELECT seq, message_id FROM messages WHERE carrier_id = ?"),
    inboundById: db.prepare("SELECT * FROM inbound WHERE message_id = ?"),
    inboundFrom: db.prepare("SELECT * FROM inbound WHERE user_number = ? ORDER BY received_at, rowid"),
    window: db.prepare("SELECT last_inbound_at FROM windows WHERE sender = ? AND user_number = ?"),
    insertWebhook: db.prepare(
      "INSERT OR IGNORE INTO webhooks (id, account_id, url, body, reports, created_at, next_attempt_at, headers, message_ids, subscription_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    claimWebhooks: db.prepare(
      `UPDATE webhooks SET lease_until = ?
       WHERE id IN (SELECT id FROM webhooks w WHERE state = 'pending' AND next_attempt_at <= ?
                    AND (lease_until IS NULL OR lease_until <= ?)
                    AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.account_id = w.account_id
                                    AND e.url = w.url AND e.disabled_at IS NOT NULL)
                    ORDER BY next_attempt_at LIMIT ?)
       RETURNING *`,
    ),
    webhookDelivered: db.prepare(
      "UPDATE webhooks SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, lease_until = NULL WHERE id = ? AND state = 'pending'",
    ),
  };
}
