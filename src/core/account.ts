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
  /**
   * The number's throughput tier, messages per second the dispatcher sends it at (core/pacing.ts);
   * absent: WhatsApp's default, 80; 0: unpaced.
   */
  readonly throughputMps?: number;
}
