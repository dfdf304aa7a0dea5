/**
 * What every face's to-core translation returns: the core's value, or why there is none — the
 * fields that are wrong (a face words them its own way: Infobip all of them, Meta the first), or a
 * feature of the dialect OpenBSP does not build yet (answered 501).
 */
import type { FieldError } from "../../core/field-error.ts";

export type Translated<T> = { readonly ok: true; readonly value: T } | Untranslated;

export type Untranslated =
  | { readonly ok: false; readonly kind: "invalid"; readonly errors: readonly FieldError[] }
  | { readonly ok: false; readonly kind: "unbuilt"; readonly what: string };

export const built = <T>(value: T): Translated<T> => ({ ok: true, value });

export const invalid = (...errors: readonly FieldError[]): Untranslated => ({
  ok: false,
  kind: "invalid",
  errors,
});

export const unbuilt = (what: string): Untranslated => ({ ok: false, kind: "unbuilt", what });
