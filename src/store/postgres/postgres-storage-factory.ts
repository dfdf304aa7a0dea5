/**
 * PostgreSQL as the composition root's store: opened in the calling thread (node-postgres is
 * asynchronous, so the workers role runs beside the API in the same thread without stalling it),
 * connected, migrated, and woken by its own commits.
 */
import { inThisThread, type StorageFactory } from "../storage-factory.ts";
import { PostgresStorage } from "./postgres-storage.ts";

export function postgresStorage(options: {
  readonly url: string;
  readonly nodeId: string;
  readonly leaseMs: number;
}): StorageFactory {
  return inThisThread(async (wiring) => {
    const storage = await PostgresStorage.open({
      ...options,
      plan: wiring.plan,
      onDue: wiring.onDue,
      ...(wiring.onCommitted ? { onCommitted: wiring.onCommitted } : {}),
    });
    return { storage, handle: { kind: "postgres", connection: storage.connection } };
  });
}
