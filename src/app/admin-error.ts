/**
 * Why an admin request cannot be done, naming the field at fault; the admin API words it in its
 * own error body (src/admin/admin-errors.ts).
 */
export type AdminErrorKind = "not-found" | "conflict" | "invalid";

export class AdminError extends Error {
  constructor(
    readonly kind: AdminErrorKind,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}
