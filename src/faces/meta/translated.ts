/**
 * The Meta face's translation helpers: failures carry Meta's code, and a translator stops at the
 * first wrong field, as the Cloud API reports one error per request.
 */

import { type KnownErrorCode, WA } from "../../core/whatsapp-errors.ts";
import type { MediaObject } from "../../meta-graph/message-schemas.ts";
import { invalid, type Untranslated } from "../kit/translated.ts";

export type { Translated } from "../kit/translated.ts";

/** A wrong value (Meta's 131009 unless said otherwise). */
export const fail = (
  field: string,
  message: string,
  code: KnownErrorCode = WA.parameterValueInvalid.code,
): Untranslated => invalid({ field, message, code });

/** A missing parameter: Meta's 131008. */
export const missing = (field: string) => fail(field, "is required", WA.requiredParameterMissing.code);

/** Uploaded media the body refers to by id, resolved before translation: id → its download URL. */
export type UploadedLinks = ReadonlyMap<string, string>;

/** A media object's link: its own, or the download URL of the uploaded media it names. */
export function linkOf(m: MediaObject, uploaded: UploadedLinks): string | undefined {
  return m.link ?? (m.id !== undefined ? uploaded.get(m.id) : undefined);
}
