/**
 * Event subscriptions (seed 002, Infobip's Subscriptions API): which events of an account go to
 * which notification profile's URL, narrowed by criteria (sender, application, entity). An event
 * no subscription takes goes to the account's default URL; a message's own URL beats both.
 */

export interface SubscriptionCriterion {
  readonly sender?: string;
  readonly applicationId?: string;
  readonly entityId?: string;
}

export interface EventSubscription {
  readonly subscriptionId: string;
  readonly name?: string;
  readonly channel: string;
  readonly events: readonly string[];
  readonly profileId: string;
  /** Empty: every event of the kinds named. A criterion matches when each field it names matches. */
  readonly criteria: readonly SubscriptionCriterion[];
}

export interface NotificationProfile {
  readonly profileId: string;
  readonly notifyUrl: string;
  /** The security setting (Infobip's `authId`) its webhooks authenticate with; its credentials are kept apart. */
  readonly authId?: string;
}

/** A security setting's credentials (Infobip's BASIC type): `Authorization: Basic` on every POST. */
export interface WebhookCredentials {
  readonly type: "BASIC";
  readonly username: string;
  readonly password: string;
}

/** What an event is about, for the criteria. */
export interface EventFacts {
  readonly sender?: string;
  /** The WABA of the sender or template (Meta routes by it). */
  readonly wabaId?: string;
  readonly applicationId?: string;
  readonly entityId?: string;
}

export interface EventRoute {
  readonly url: string;
  /** The subscription that chose the URL, for the delivery log; absent for a dialect's plain callback. */
  readonly subscriptionId?: string;
}

/**
 * Where an account-wide event goes (an endpoint disabled, say): every subscription of the channel
 * that takes `event`, whatever its criteria (they narrow message and template events, which have
 * a sender, application and entity; an account event has none).
 */
export function routeAccountEvent(
  subscriptions: readonly EventSubscription[],
  profiles: readonly NotificationProfile[],
  channel: string,
  event: string,
): EventRoute[] {
  const out: EventRoute[] = [];
  for (const s of subscriptions) {
    if (s.channel !== channel || !s.events.includes(event)) continue;
    const profile = profiles.find((p) => p.profileId === s.profileId);
    if (profile) out.push({ url: profile.notifyUrl, subscriptionId: s.subscriptionId });
  }
  return out;
}

export function matches(c: SubscriptionCriterion, f: EventFacts): boolean {
  return (
    (c.sender === undefined || c.sender === f.sender) &&
    (c.applicationId === undefined || c.applicationId === f.applicationId) &&
    (c.entityId === undefined || c.entityId === f.entityId)
  );
}

/** Where an event goes by subscription: one route per matching subscription (none: the default applies). */
export function routeEvent(
  subscriptions: readonly EventSubscription[],
  profiles: readonly NotificationProfile[],
  channel: string,
  event: string,
  facts: EventFacts,
): EventRoute[] {
  const out: EventRoute[] = [];
  for (const s of subscriptions) {
    if (s.channel !== channel || !s.events.includes(event)) continue;
    if (s.criteria.length > 0 && !s.criteria.some((c) => matches(c, facts))) continue;
    const profile = profiles.find((p) => p.profileId === s.profileId);
    if (profile) out.push({ url: profile.notifyUrl, subscriptionId: s.subscriptionId });
  }
  return out;
}

/**
 * A subscription's own Standard Webhooks signing secret, and the previous one while its overlap
 * lasts (until `previousUntil`), kept with the subscription (the account's own stay in its settings).
 */
export interface SubscriptionSigning {
  readonly secret?: string;
  readonly previous?: string;
  readonly previousUntil?: number;
}

/** Everything an account's events are routed and authenticated by: one read, for the hot path. */
export interface AccountSubscriptions {
  /** In the order they were made. */
  readonly subscriptions: readonly EventSubscription[];
  readonly profiles: readonly NotificationProfile[];
  /** The security settings by `authId`, with their credentials (never shown by a read API). */
  readonly security: Readonly<Record<string, WebhookCredentials>>;
  /** Each subscription's signing secrets, by subscription id (absent: the account's sign its webhooks). */
  readonly signing: Readonly<Record<string, SubscriptionSigning>>;
}

export const NO_SUBSCRIPTIONS: AccountSubscriptions = Object.freeze({
  subscriptions: [],
  profiles: [],
  security: {},
  signing: {},
});
