/**
 * A rule violation tied to the field that broke it. Paths are the core's own (e.g.
 * `body.placeholders`); each face rewrites them into its dialect's field names.
 */
import type { KnownErrorCode } from "./whatsapp-errors.ts";

export interface FieldError {
  readonly field: string;
  readonly message: string;
  /**
   * The WhatsApp error this violation amounts to, in Meta's numbering (e.g. 132000: template
   * parameters do not match); absent means 131009, an invalid parameter value. Faces whose
   * dialect carries codes (Meta's) report it.
   */
  readonly code?: KnownErrorCode;
}
