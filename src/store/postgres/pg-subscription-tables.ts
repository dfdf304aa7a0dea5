/**
 * The subscription port on PostgreSQL: one row per subscription, profile and security setting, so
 * changes made at once to one account (on one node or two) touch only their own rows. Each node
 * caches an account's record for the hot path; a write NOTIFYs in its transaction, and every
 * node LISTENing drops what it cached on COMMIT (the cache's one-second limit covers a node whose
 * listening connection broke).
 */
import type { Pool } from "pg";
import type {
  AccountSubscriptions,
  EventSubscription,
  NotificationProfile,
  SubscriptionSigning,
  WebhookCredentials,
} from "../../core/event-subscription.ts";
import { credentialsJson, SubscriptionCache, toAccountSubscriptions } from "../subscription-rows.ts";
import type { AlongWith, DeleteOutcome, SubscriptionStore } from "../subscription-store.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

const CHANNEL = "openbsp_subscriptions";

export class PgSubscriptionTables implements SubscriptionStore {
  readonly #cache = new SubscriptionCache();

  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    /** A connection of its own that LISTENs on `channel` (see PostgresStorage). */
    private readonly listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>,
  ) {}

  /** Starts hearing the other nodes' changes (until the storage closes); without it the cache's limit holds. */
  async watch(): Promise<void> {
    await this.listen(CHANNEL, () => this.#cache.drop());
  }

  async subscriptionsOf(accountId: string): Promise<AccountSubscriptions> {
    const hit = this.#cache.peek(accountId);
    if (hit) return hit;
    const since = this.#cache.generation;
    const [s, p, k] = await Promise.all([
      this.pool.query("SELECT * FROM event_subscriptions WHERE account_id = $1 ORDER BY arrival", [
        accountId,
      ]),
      this.pool.query("SELECT * FROM notification_profiles WHERE account_id = $1 ORDER BY arrival", [
        accountId,
      ]),
      this.pool.query("SELECT * FROM webhook_security WHERE account_id = $1 ORDER BY arrival", [accountId]),
    ]);
    return this.#cache.keep(accountId, toAccountSubscriptions(s.rows, p.rows, k.rows), since);
  }

  /** A write of the account's rows, announced to every node; this node's copy is dropped once committed. */
  async #change<T>(accountId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.group.write(async (tx) => {
        const out = await fn(tx);
        await tx.query(`NOTIFY ${CHANNEL}`);
        return out;
      });
    } finally {
      this.#cache.drop(accountId);
    }
  }

  async #along(tx: Tx, accountId: string, along: AlongWith | undefined): Promise<void> {
    if (along?.security)
      await this.#upsertSecurity(tx, accountId, along.security.authId, along.security.credentials);
    if (along?.profile) await this.#upsertProfile(tx, accountId, along.profile);
  }

  #upsertProfile(tx: Tx, accountId: string, p: NotificationProfile) {
    return tx.query(
      `INSERT INTO notification_profiles (account_id, profile_id, notify_url, auth_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, profile_id) DO UPDATE SET notify_url = excluded.notify_url, auth_id = excluded.auth_id`,
      [accountId, p.profileId, p.notifyUrl, p.authId ?? null],
    );
  }

  #upsertSecurity(tx: Tx, accountId: string, authId: string, c: WebhookCredentials) {
    return tx.query(
      `INSERT INTO webhook_security (account_id, auth_id, type, credentials) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, auth_id) DO UPDATE SET type = excluded.type, credentials = excluded.credentials`,
      [accountId, authId, c.type, credentialsJson(c)],
    );
  }

  createSubscription(
    accountId: string,
    s: EventSubscription,
    signing: SubscriptionSigning,
    along?: AlongWith,
  ): Promise<boolean> {
    return this.#change(accountId, async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO event_subscriptions (account_id, subscription_id, channel, name, events, profile_id, criteria,
           secret, previous_secret, previous_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (account_id, subscription_id) DO NOTHING`,
        [
          accountId,
          s.subscriptionId,
          s.channel,
          s.name ?? null,
          JSON.stringify(s.events),
          s.profileId,
          JSON.stringify(s.criteria),
          signing.secret ?? null,
          signing.previous ?? null,
          signing.previousUntil ?? null,
        ],
      );
      if (rowCount !== 1) return false;
      await this.#along(tx, accountId, along);
      return true;
    });
  }

  updateSubscription(accountId: string, s: EventSubscription, along?: AlongWith): Promise<boolean> {
    return this.#change(accountId, async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE event_subscriptions SET name = $1, events = $2, profile_id = $3, criteria = $4
         WHERE account_id = $5 AND subscription_id = $6 AND channel = $7`,
        [
          s.name ?? null,
          JSON.stringify(s.events),
          s.profileId,
          JSON.stringify(s.criteria),
          accountId,
          s.subscriptionId,
          s.channel,
        ],
      );
      if (rowCount !== 1) return false;
      await this.#along(tx, accountId, along);
      return true;
    });
  }

  deleteSubscription(accountId: string, channel: string, subscriptionId: string): Promise<boolean> {
    return this.#change(
      accountId,
      async (tx) =>
        (
          await tx.query(
            "DELETE FROM event_subscriptions WHERE account_id = $1 AND subscription_id = $2 AND channel = $3",
            [accountId, subscriptionId, channel],
          )
        ).rowCount === 1,
    );
  }

  setSigning(accountId: string, subscriptionId: string, signing: SubscriptionSigning): Promise<boolean> {
    return this.#change(
      accountId,
      async (tx) =>
        (
          await tx.query(
            `UPDATE event_subscriptions SET secret = $1, previous_secret = $2, previous_until = $3
             WHERE account_id = $4 AND subscription_id = $5`,
            [
              signing.secret ?? null,
              signing.previous ?? null,
              signing.previousUntil ?? null,
              accountId,
              subscriptionId,
            ],
          )
        ).rowCount === 1,
    );
  }

  async #hasProfile(tx: Tx, accountId: string, profileId: string, lock = ""): Promise<boolean> {
    const { rows } = await tx.query(
      `SELECT 1 FROM notification_profiles WHERE account_id = $1 AND profile_id = $2 ${lock}`,
      [accountId, profileId],
    );
    return rows.length > 0;
  }

  createProfile(accountId: string, p: NotificationProfile, along?: AlongWith): Promise<boolean> {
    return this.#change(accountId, async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO notification_profiles (account_id, profile_id, notify_url, auth_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id, profile_id) DO NOTHING`,
        [accountId, p.profileId, p.notifyUrl, p.authId ?? null],
      );
      if (rowCount !== 1) return false;
      await this.#along(tx, accountId, along);
      return true;
    });
  }

  updateProfile(accountId: string, p: NotificationProfile, along?: AlongWith): Promise<boolean> {
    return this.#change(accountId, async (tx) => {
      if (!(await this.#hasProfile(tx, accountId, p.profileId, "FOR UPDATE"))) return false;
      await this.#along(tx, accountId, along);
      await this.#upsertProfile(tx, accountId, p);
      return true;
    });
  }

  deleteProfile(accountId: string, profileId: string): Promise<DeleteOutcome> {
    return this.#change(accountId, async (tx) => {
      if (!(await this.#hasProfile(tx, accountId, profileId, "FOR UPDATE"))) return "missing";
      const used = await tx.query(
        "SELECT 1 FROM event_subscriptions WHERE account_id = $1 AND profile_id = $2 LIMIT 1",
        [accountId, profileId],
      );
      if (used.rows.length > 0) return "in-use";
      await tx.query("DELETE FROM notification_profiles WHERE account_id = $1 AND profile_id = $2", [
        accountId,
        profileId,
      ]);
      return "deleted";
    });
  }

  createSecurity(accountId: string, authId: string, c: WebhookCredentials): Promise<boolean> {
    return this.#change(
      accountId,
      async (tx) =>
        (
          await tx.query(
            `INSERT INTO webhook_security (account_id, auth_id, type, credentials) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account_id, auth_id) DO NOTHING`,
            [accountId, authId, c.type, credentialsJson(c)],
          )
        ).rowCount === 1,
    );
  }

  updateSecurity(accountId: string, authId: string, c: WebhookCredentials): Promise<boolean> {
    return this.#change(
      accountId,
      async (tx) =>
        (
          await tx.query(
            "UPDATE webhook_security SET type = $1, credentials = $2 WHERE account_id = $3 AND auth_id = $4",
            [c.type, credentialsJson(c), accountId, authId],
          )
        ).rowCount === 1,
    );
  }

  deleteSecurity(accountId: string, authId: string): Promise<DeleteOutcome> {
    return this.#change(accountId, async (tx) => {
      const known = await tx.query(
        "SELECT 1 FROM webhook_security WHERE account_id = $1 AND auth_id = $2 FOR UPDATE",
        [accountId, authId],
      );
      if (known.rows.length === 0) return "missing";
      const used = await tx.query(
        "SELECT 1 FROM notification_profiles WHERE account_id = $1 AND auth_id = $2 LIMIT 1",
        [accountId, authId],
      );
      if (used.rows.length > 0) return "in-use";
      await tx.query("DELETE FROM webhook_security WHERE account_id = $1 AND auth_id = $2", [
        accountId,
        authId,
      ]);
      return "deleted";
    });
  }

  deleteAccountSubscriptions(accountId: string): Promise<void> {
    return this.#change(accountId, async (tx) => {
      for (const table of ["event_subscriptions", "notification_profiles", "webhook_security"])
        await tx.query(`DELETE FROM ${table} WHERE account_id = $1`, [accountId]);
    });
  }
}
