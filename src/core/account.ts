/**
 * Who sends: an account (settings per dialect; its API keys are records of their own, see
 * api-key.ts), its WABAs and sender numbers. The core names no dialect: each face keeps its own
 * settings and sender aliases under names it chooses.
 */

/** One dialect's settings of an account (e.g. its webhook URLs), as the face that owns them reads them. */
export type DialectSettings = Readonly<Record<string, string>>;

export interface Account {
  readonly id: string;
  readonly name: string;
  /** Random per account, never shown: signs the URLs OpenBSP hands the account (e.g. Meta's media URLs). */
  readonly secret: string;
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
  /**
   * The number's throughput tier, messages per second the dispatcher sends it at (core/pacing.ts);
   * absent: WhatsApp's default, 80; 0: unpaced.
   */
  readonly throughputMps?: number;
  /** What the number may do, as set through the admin API; absent fields take their defaults. */
  readonly settings?: SenderSettings;
  /** Who delivers the sender's messages; absent: the simulated network. */
  readonly carrier?: SenderCarrier;
}

/** WhatsApp's messaging limit tiers: business-initiated conversations a number may open per day. */
export const THROUGHPUT_TIERS = ["TIER_250", "TIER_1K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED"] as const;
export type ThroughputTier = (typeof THROUGHPUT_TIERS)[number];

/** A sender's own settings. Room is left here for more (a carrier per sender). */
export interface SenderSettings {
  readonly throughputTier?: ThroughputTier;
  /** The business behind the number is verified (its templates are reviewed at once). */
  readonly businessVerified?: boolean;
  /** Infobip's mark-as-read feature, off by default, as at Infobip. */
  readonly markAsRead?: boolean;
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
