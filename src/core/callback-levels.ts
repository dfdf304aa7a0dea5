/**
 * Where a webhook goes when its receiver is configured at several levels, most specific first (the
 * way Meta's webhook overrides work): the sender number's own callback, then its WABA's, then the
 * app's callback, then the account's default. An app callback comes with the fields (kinds of
 * event) it subscribes to: once it exists, an event of a field it does not name goes nowhere.
 * Only some fields may be overridden; the others always go to the app's (or default) callback.
 */

export interface CallbackLevels {
  /** The app's subscription: its callback URL and the fields it takes. */
  readonly app?: { readonly url: string; readonly fields: readonly string[] };
  /** Override callback URLs by WABA id. */
  readonly byWaba: Readonly<Record<string, string>>;
  /** Override callback URLs by sender number. */
  readonly bySender: Readonly<Record<string, string>>;
  /** The account's default URL, when no app subscription exists. */
  readonly fallback?: string;
}

/** What the event is about. */
export interface CallbackFacts {
  readonly sender?: string;
  readonly wabaId?: string;
}

/** The one URL an event of `field` goes to, or undefined: nobody takes it. */
export function callbackFor(
  levels: CallbackLevels,
  field: string,
  overridable: boolean,
  facts: CallbackFacts,
): string | undefined {
  if (levels.app && !levels.app.fields.includes(field)) return undefined;
  if (overridable) {
    const bySender = facts.sender !== undefined ? levels.bySender[facts.sender] : undefined;
    if (bySender) return bySender;
    const byWaba = facts.wabaId !== undefined ? levels.byWaba[facts.wabaId] : undefined;
    if (byWaba) return byWaba;
  }
  return levels.app?.url ?? levels.fallback;
}
