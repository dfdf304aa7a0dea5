/**
 * The subscription port on SQLite: one row per subscription, profile and security setting, so
 * concurrent changes to one account touch only their own rows. Writes go through the group commit;
 * this process owns the database, so its own writes are every write, and each drops the account's
 * cached record at once.
 */
import type Database from "better-sqlite3";
import type {
  AccountSubscriptions,
  EventSubscription,
  NotificationProfile,
  SubscriptionSigning,
  WebhookCredentials,
} from "../../core/event-subscription.ts";
import { credentialsJson, SubscriptionCache, toAccountSubscriptions } from "../subscription-rows.ts";
import type { AlongWith, DeleteOutcome, SubscriptionStore } from "../subscription-store.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteSubscriptionTables implements SubscriptionStore {
  readonly #db: Database.Database;
  readonly #write: Write;
  readonly #cache = new SubscriptionCache();
  readonly #stmt: {
    subscriptions: Database.Statement;
    profiles: Database.Statement;
    security: Database.Statement;
    anySubscription: Database.Statement;
    insertSubscription: Database.Statement;
    updateSubscription: Database.Statement;
    upsertProfile: Database.Statement;
    upsertSecurity: Database.Statement;
  };

  constructor(db: Database.Database, write: Write) {
    this.#db = db;
    this.#write = write;
    this.#stmt = {
      subscriptions: db.prepare("SELECT * FROM event_subscriptions WHERE account_id = ? ORDER BY rowid"),
      profiles: db.prepare("SELECT * FROM notification_profiles WHERE account_id = ? ORDER BY rowid"),
      security: db.prepare("SELECT * FROM webhook_security WHERE account_id = ? ORDER BY rowid"),
      anySubscription: db.prepare(
        "SELECT 1 FROM event_subscriptions WHERE account_id = ? AND subscription_id = ?",
      ),
      insertSubscription: db.prepare(
        `INSERT INTO event_subscriptions (account_id, subscription_id, channel, name, events, profile_id, criteria,
           secret, previous_secret, previous_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, subscription_id) DO NOTHING`,
      ),
      updateSubscription: db.prepare(
        `UPDATE event_subscriptions SET name = ?, events = ?, profile_id = ?, criteria = ?
         WHERE account_id = ? AND subscription_id = ? AND channel = ?`,
      ),
      upsertProfile: db.prepare(
        `INSERT INTO notification_profiles (account_id, profile_id, notify_url, auth_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, profile_id) DO UPDATE SET notify_url = excluded.notify_url, auth_id = excluded.auth_id`,
      ),
      upsertSecurity: db.prepare(
        `INSERT INTO webhook_security (account_id, auth_id, type, credentials) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, auth_id) DO UPDATE SET type = excluded.type, credentials = excluded.credentials`,
      ),
    };
  }

  /** Synchronous, for the message store's transaction (the plan routes its events by it). */
  subscriptionsNow(accountId: string): AccountSubscriptions {
    const hit = this.#cache.peek(accountId);
    if (hit) return hit;
    const since = this.#cache.generation;
    return this.#cache.keep(
      accountId,
      toAccountSubscriptions(
        this.#stmt.subscriptions.all(accountId) as Row[],
        this.#stmt.profiles.all(accountId) as Row[],
        this.#stmt.security.all(accountId) as Row[],
      ),
      since,
    );
  }

  async subscriptionsOf(accountId: string): Promise<AccountSubscriptions> {
    return this.subscriptionsNow(accountId);
  }

  /** Runs a write of the account's rows, dropping its cached record. */
  #change<T>(accountId: string, fn: () => T): Promise<T> {
    return this.#write(() => {
      this.#cache.drop(accountId);
      return fn();
    });
  }

  #along(accountId: string, along: AlongWith | undefined): void {
    if (along?.security)
      this.#stmt.upsertSecurity.run(
        accountId,
        along.security.authId,
        along.security.credentials.type,
        credentialsJson(along.security.credentials),
      );
    if (along?.profile) this.#upsertProfile(accountId, along.profile);
  }

  #upsertProfile(accountId: string, p: NotificationProfile): void {
    this.#stmt.upsertProfile.run(accountId, p.profileId, p.notifyUrl, p.authId ?? null);
  }

  createSubscription(
    accountId: string,
    s: EventSubscription,
    signing: SubscriptionSigning,
    along?: AlongWith,
  ): Promise<boolean> {
    return this.#change(accountId, () => {
      if (this.#stmt.anySubscription.get(accountId, s.subscriptionId)) return false;
      this.#along(accountId, along);
      this.#stmt.insertSubscription.run(
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
      );
      return true;
    });
  }

  updateSubscription(accountId: string, s: EventSubscription, along?: AlongWith): Promise<boolean> {
    return this.#change(accountId, () => {
      const changed = this.#stmt.updateSubscription.run(
        s.name ?? null,
        JSON.stringify(s.events),
        s.profileId,
        JSON.stringify(s.criteria),
        accountId,
        s.subscriptionId,
        s.channel,
      ).changes;
      if (changed === 0) return false;
      this.#along(accountId, along);
      return true;
    });
  }

  deleteSubscription(accountId: string, channel: string, subscriptionId: string): Promise<boolean> {
    return this.#change(
      accountId,
      () =>
        this.#db
          .prepare(
            "DELETE FROM event_subscriptions WHERE account_id = ? AND subscription_id = ? AND channel = ?",
          )
          .run(accountId, subscriptionId, channel).changes === 1,
    );
  }

  setSigning(accountId: string, subscriptionId: string, signing: SubscriptionSigning): Promise<boolean> {
    return this.#change(
      accountId,
      () =>
        this.#db
          .prepare(
            `UPDATE event_subscriptions SET secret = ?, previous_secret = ?, previous_until = ?
             WHERE account_id = ? AND subscription_id = ?`,
          )
          .run(
            signing.secret ?? null,
            signing.previous ?? null,
            signing.previousUntil ?? null,
            accountId,
            subscriptionId,
          ).changes === 1,
    );
  }

  #hasProfile(accountId: string, profileId: string): boolean {
    return !!this.#db
      .prepare("SELECT 1 FROM notification_profiles WHERE account_id = ? AND profile_id = ?")
      .get(accountId, profileId);
  }

  createProfile(accountId: string, p: NotificationProfile, along?: AlongWith): Promise<boolean> {
    return this.#change(accountId, () => {
      if (this.#hasProfile(accountId, p.profileId)) return false;
      this.#along(accountId, along);
      this.#upsertProfile(accountId, p);
      return true;
    });
  }

  updateProfile(accountId: string, p: NotificationProfile, along?: AlongWith): Promise<boolean> {
    return this.#change(accountId, () => {
      if (!this.#hasProfile(accountId, p.profileId)) return false;
      this.#along(accountId, along);
      this.#upsertProfile(accountId, p);
      return true;
    });
  }

  deleteProfile(accountId: string, profileId: string): Promise<DeleteOutcome> {
    return this.#change(accountId, () => {
      if (!this.#hasProfile(accountId, profileId)) return "missing";
      const used = this.#db
        .prepare("SELECT 1 FROM event_subscriptions WHERE account_id = ? AND profile_id = ? LIMIT 1")
        .get(accountId, profileId);
      if (used) return "in-use";
      this.#db
        .prepare("DELETE FROM notification_profiles WHERE account_id = ? AND profile_id = ?")
        .run(accountId, profileId);
      return "deleted";
    });
  }

  #hasSecurity(accountId: string, authId: string): boolean {
    return !!this.#db
      .prepare("SELECT 1 FROM webhook_security WHERE account_id = ? AND auth_id = ?")
      .get(accountId, authId);
  }

  createSecurity(accountId: string, authId: string, c: WebhookCredentials): Promise<boolean> {
    return this.#change(accountId, () => {
      if (this.#hasSecurity(accountId, authId)) return false;
      this.#stmt.upsertSecurity.run(accountId, authId, c.type, credentialsJson(c));
      return true;
    });
  }

  updateSecurity(accountId: string, authId: string, c: WebhookCredentials): Promise<boolean> {
    return this.#change(accountId, () => {
      if (!this.#hasSecurity(accountId, authId)) return false;
      this.#stmt.upsertSecurity.run(accountId, authId, c.type, credentialsJson(c));
      return true;
    });
  }

  deleteSecurity(accountId: string, authId: string): Promise<DeleteOutcome> {
    return this.#change(accountId, () => {
      if (!this.#hasSecurity(accountId, authId)) return "missing";
      const used = this.#db
        .prepare("SELECT 1 FROM notification_profiles WHERE account_id = ? AND auth_id = ? LIMIT 1")
        .get(accountId, authId);
      if (used) return "in-use";
      this.#db
        .prepare("DELETE FROM webhook_security WHERE account_id = ? AND auth_id = ?")
        .run(accountId, authId);
      return "deleted";
    });
  }

  deleteAccountSubscriptions(accountId: string): Promise<void> {
    return this.#change(accountId, () => {
      for (const table of ["event_subscriptions", "notification_profiles", "webhook_security"])
        this.#db.prepare(`DELETE FROM ${table} WHERE account_id = ?`).run(accountId);
    });
  }
}
