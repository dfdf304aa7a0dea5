/**
 * Media a business uploaded (Meta's `/{phone-number-id}/media`), to be sent by id. The bytes live
 * outside the store; the record says what they are.
 */
export interface UploadedMedia {
  /** Numeric, like Meta's media ids. */
  readonly id: string;
  readonly accountId: string;
  /** The sender number it was uploaded for. */
  readonly sender: string;
  readonly mimeType: string;
  readonly sha256: string;
  readonly size: number;
  readonly filename?: string;
  readonly createdAt: number;
}

/** Meta keeps uploaded media for 30 days. */
export const UPLOADED_MEDIA_TTL_MS = 30 * 24 * 60 * 60 * 1000;
