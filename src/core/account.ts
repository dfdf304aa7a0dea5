/**
 * Who sends: an account (API key, settings per dialect), its WABAs and sender numbers. The core
 * names no dialect: each face keeps its own settings and sender aliases under names it chooses.
 */

/** One dialect's settings of an account (e.g. its webhook URLs), as the face that owns them reads them. */
export type DialectSettings = Readonly<Record<string, string>>;

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly apiKey: string;
  /** Verified businesses get templates approved at once; others wait for review. */
  readonly businessVerified: boolean;
  /** Settings per dialect name (webhook URLs, secrets); a dialect without any is absent. */
  readonly settings?: Readonly<Record<string, DialectSettings>>;
}

export interface Sender {
  /** The sender's phone number in international format, digits only. */
  readonly number: string;
  readonly accountId: string;
  readonly wabaId: string;
  /** The number's other ids, by kind (a face's own name for its senders, e.g. a bot id); each unique per kind. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Who delivers the sender's messages; absent: the simulated network. */
  readonly carrier?: SenderCarrier;
}

/**
 * The road a sender's messages take: OpenBSP's simulated network, or Meta's Cloud API with the
 * business's own Meta app and phone number. The secrets here are never logged or read back.
 */
export type SenderCarrier = { readonly kind: "sandbox" } | MetaCarrierSettings;

export interface MetaCarrierSettings {
  readonly kind: "meta";
  /** Graph's base URL (`https://graph.facebook.com`, or a stand-in). */
  readonly baseUrl: string;
  /** Graph API version, e.g. `v23.0`. */
  readonly version: string;
  readonly phoneNumberId: string;
  readonly wabaId: string;
  readonly accessToken: string;
  /** Signs the webhooks Meta posts (X-Hub-Signature-256). */
  readonly appSecret: string;
  /** Meta echoes it in the webhook subscription handshake. */
  readonly verifyToken: string;
}

/** The sender's Meta settings, when Meta carries it. */
export function metaCarrierOf(sender: Sender): MetaCarrierSettings | undefined {
  return sender.carrier?.kind === "meta" ? sender.carrier : undefined;
}
