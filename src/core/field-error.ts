/**
 * A rule violation tied to the field that broke it. Paths are the core's own (e.g.
 * `body.placeholders`); each face rewrites them into its dialect's field names.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}
