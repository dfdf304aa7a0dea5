/**
 * What both adapters of the subscription port share: rows to records, and the per-account cache
 * the hot path reads (every event routed asks for its account's subscriptions).
 */
import {
  type AccountSubscriptions,
  type EventSubscription,
  NO_SUBSCRIPTIONS,
  type NotificationProfile,
  type SubscriptionSigning,
  type WebhookCredentials,
} from "../core/event-subscription.ts";

type Row = Record<string, unknown>;
const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** The account's rows (each list in the order made) as one record; no rows at all: the shared empty one. */
export function toAccountSubscriptions(
  subscriptionRows: readonly Row[],
  profileRows: readonly Row[],
  securityRows: readonly Row[],
): AccountSubscriptions {
  if (subscriptionRows.length === 0 && profileRows.length === 0 && securityRows.length === 0)
    return NO_SUBSCRIPTIONS;
  const signing: Record<string, SubscriptionSigning> = {};
  const subscriptions = subscriptionRows.map((r): EventSubscription => {
    const id = String(r.subscription_id);
    const secret = text(r.secret);
    const previous = text(r.previous_secret);
    if (secret !== undefined || previous !== undefined)
      signing[id] = {
        ...(secret !== undefined ? { secret } : {}),
        ...(previous !== undefined ? { previous } : {}),
        ...(r.previous_until !== null && r.previous_until !== undefined
          ? { previousUntil: Number(r.previous_until) }
          : {}),
      };
    const name = text(r.name);
    return {
      subscriptionId: id,
      ...(name !== undefined ? { name } : {}),
      channel: String(r.channel),
      events: JSON.parse(String(r.events)) as string[],
      profileId: String(r.profile_id),
      criteria: JSON.parse(String(r.criteria)) as EventSubscription["criteria"],
    };
  });
  const profiles = profileRows.map((r): NotificationProfile => {
    const authId = text(r.auth_id);
    return {
      profileId: String(r.profile_id),
      notifyUrl: String(r.notify_url),
      ...(authId !== undefined ? { authId } : {}),
    };
  });
  const security: Record<string, WebhookCredentials> = {};
  for (const r of securityRows)
    security[String(r.auth_id)] = {
      type: String(r.type),
      ...(JSON.parse(String(r.credentials)) as object),
    } as WebhookCredentials;
  return { subscriptions, profiles, security, signing };
}

/** A credential's secret parts, as the `credentials` column keeps them (its type has a column). */
export const credentialsJson = (c: WebhookCredentials): string => {
  const { type: _type, ...rest } = c;
  return JSON.stringify(rest);
};

/**
 * Per account, for `ttlMs` at most (a change through another node, not announced, is seen within
 * that). `drop` forgets one account (or all); a read that began before a drop is not kept, so a
 * value read before a change never outlives it.
 */
export class SubscriptionCache {
  readonly #entries = new Map<string, { value: AccountSubscriptions; until: number }>();
  #generation = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached record if fresh (synchronous, for a store that reads synchronously). */
  peek(accountId: string): AccountSubscriptions | undefined {
    const hit = this.#entries.get(accountId);
    return hit && hit.until > Date.now() ? hit.value : undefined;
  }

  /** The generation a read starts at, to hand back to `keep`. */
  get generation(): number {
    return this.#generation;
  }

  keep(accountId: string, value: AccountSubscriptions, since: number): AccountSubscriptions {
    if (since !== this.#generation) return value;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(accountId, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  drop(accountId?: string): void {
    this.#generation++;
    if (accountId === undefined) this.#entries.clear();
    else this.#entries.delete(accountId);
  }
}
