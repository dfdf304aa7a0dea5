/** The SQLite statements on hot paths, prepared once per connection. */
import type Database from "better-sqlite3";

export function prepareStatements(db: Database.Database) {
  return {
    accountByKey: db.prepare("SELECT * FROM accounts WHERE api_key = ?"),
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
    claimMessages: db.prepare(
      `UPDATE messages SET lease_until = ?, attempts = attempts + 1
       WHERE seq IN (SELECT seq FROM messages WHERE status = 'accepted' AND next_attempt_at <= ?
                     AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at LIMIT ?)
       RETURNING *`,
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
    setCarrierId: db.prepare("UPDATE OR IGNORE messages SET carrier_id = ? WHERE seq = ?"),
    seqByCarrierId: db.prepare("SELECT seq, message_id FROM messages WHERE carrier_id = ?"),
    inboundById: db.prepare("SELECT * FROM inbound WHERE message_id = ?"),
    inboundFrom: db.prepare("SELECT * FROM inbound WHERE user_number = ? ORDER BY received_at, rowid"),
    window: db.prepare("SELECT last_inbound_at FROM windows WHERE sender = ? AND user_number = ?"),
    insertWebhook: db.prepare(
      "INSERT OR IGNORE INTO webhooks (id, account_id, url, body, reports, created_at, next_attempt_at, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    claimWebhooks: db.prepare(
      `UPDATE webhooks SET lease_until = ?
       WHERE id IN (SELECT id FROM webhooks WHERE state = 'pending' AND next_attempt_at <= ?
                    AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at LIMIT ?)
       RETURNING *`,
    ),
    webhookDelivered: db.prepare(
      "UPDATE webhooks SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, lease_until = NULL WHERE id = ? AND state = 'pending'",
    ),
  };
}
