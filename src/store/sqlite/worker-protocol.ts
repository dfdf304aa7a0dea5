/**
 * Messages between the HTTP thread and the thread that owns the SQLite file. Both sides send
 * arrays: every call made during one turn of the HTTP thread's event loop travels in one message,
 * and every answer ready in one turn of the SQLite thread comes back in one.
 */
export interface StoreCall {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

export type StoreAnswer =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

export interface WorkerInit {
  readonly file: string;
}

/** Sent once by the SQLite thread when the database is open and migrated. */
export const READY = "ready";
