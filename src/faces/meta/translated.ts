/** What the Meta face's translators return: the core's value, or the one field that is wrong. */
import type { FieldError } from "../../core/field-error.ts";
import type { MediaObject } from "./schemas/message-schemas.ts";
import { type KnownErrorCode, WA } from "../../core/whatsapp-errors.ts";

export type Translated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

/** A wrong value (Meta's 131009 unless said otherwise). */
export const fail = (field: string, message: string, code: KnownErrorCode = WA.parameterValueInvalid.code): { ok: false; error: FieldError } => ({
  ok: false,
  error: { field, message, code },
});

/** A missing parameter: Meta's 131008. */
export const missing = (field: string) => fail(field, "is required", WA.requiredParameterMissing.code);

/** Uploaded media the body refers to by id, resolved before translation: id → its download URL. */
export type UploadedLinks = ReadonlyMap<string, string>;

/** A media object's link: its own, or the download URL of the uploaded media it names. */
export function linkOf(m: MediaObject, uploaded: UploadedLinks): string | undefined {
  return m.link ?? (m.id !== undefined ? uploaded.get(m.id) : undefined);
}
