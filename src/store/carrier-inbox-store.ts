/**
 * What carriers post to OpenBSP (Meta's webhooks), kept raw and durably before OpenBSP answers,
 * then processed by a worker: a slow store never makes the carrier retry, and a crash between the
 * answer and the processing loses nothing.
 */

/** A post as it arrived: its exact bytes, whose sender's carrier it is for, and OpenBSP's base URL then. */
export interface NewCarrierPost {
  /** The carrier kind (`meta`). */
  readonly carrier: string;
  /** The business sender number whose carrier settings the post was checked with. */
  readonly sender: string;
  readonly body: string;
  /** OpenBSP's base URL as the request reached it (media links in the business's webhooks). */
  readonly publicBase: string;
  readonly receivedAt: number;
}

export interface CarrierPost extends NewCarrierPost {
  readonly seq: number;
  /** Processing attempts before this one. */
  readonly attempts: number;
}

export interface CarrierInboxStore {
  /** Stores the post durably (on disk when it resolves). */
  put(post: NewCarrierPost): Promise<void>;
  /** Leases up to `limit` posts due for processing, oldest first; a lease that runs out frees them. */
  claim(now: number, limit: number, leaseUntil: number): Promise<CarrierPost[]>;
  /** Processed: never claimed again. */
  done(seqs: readonly number[]): Promise<void>;
  /** Not processed this time: tried again from `nextAttemptAt`. */
  retry(seq: number, nextAttemptAt: number, error: string): Promise<void>;
  /** Posts not yet processed. */
  pending(): Promise<number>;
}
