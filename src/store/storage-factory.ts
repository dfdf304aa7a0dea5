/**
 * How the composition root gets its store: a factory that opens it, in this thread or on a thread
 * of its own, and runs the root's background part (its "side") next to it, so that the work that
 * talks to the store most stays with the store. The root hands in a module and an export to run,
 * never a function: a thread cannot be given one.
 */
import type { PlanEvents } from "../core/events-plan.ts";
import type { Storage } from "./storage.ts";

/** Work a commit can make due; the store says so once the commit is on disk (never before). */
export type DueWork = "dispatch" | "webhooks" | "sms-failover" | "carrier-intake";

/** What a store is built with that comes from the root. */
export interface StoreWiring {
  /** How carrier events are decided inside the store's transaction. */
  readonly plan: PlanEvents;
  /** Called after a commit that made work due: messages to dispatch, webhooks to send, SMS to submit. */
  readonly onDue: (work: DueWork) => void;
  /** Called after each commit with how many writes it carried and how long it took (metrics). */
  readonly onCommitted?: (writes: number, seconds: number) => void;
}

/**
 * The database handle that stores kept beside the storage ports in the same database use (the
 * simulator's tables), tagged with the kind of store: only a store of the same kind can use its
 * connection (SQLite's database and group commit, PostgreSQL's pool and group commit), so it is
 * opaque here and the root picks the simulator's adapter by the tag.
 */
export type StoreHandle =
  | { readonly kind: "sqlite"; readonly connection: unknown }
  | { readonly kind: "postgres"; readonly connection: unknown };

/** What opening a store gives the side: the storage ports, and the handle of the database they are in. */
export interface OpenedStore {
  readonly storage: Storage;
  readonly handle: StoreHandle;
}

/** Builds the store in the calling thread (PostgreSQL's connects and migrates first: a promise). */
export type OpenStore = (wiring: StoreWiring) => OpenedStore | Promise<OpenedStore>;

/** The root's part that runs next to the store: a module's named export, and data for it (cloneable). */
export interface StoreSide {
  /** The module's URL (`import.meta.url`). */
  readonly module: string;
  readonly export: string;
  readonly data: unknown;
}

/**
 * The side's entry: opens the store where it runs, starts what runs with it, and answers what the
 * starting thread may call: an object of ports and controls, each an object of async methods (so
 * that it can be called from another thread, and is its own remote type).
 */
export type SideEntry = (data: never, open: OpenStore) => Promise<object>;

export interface OpenedStorage<Side> {
  /** What the side answered, as this thread reaches it (across a thread, or not). */
  readonly side: Side;
  /** Ends the store's thread, if it has one (call it after the side has stopped). */
  close(): Promise<void>;
}

export type StorageFactory = <Side extends object>(side: StoreSide) => Promise<OpenedStorage<Side>>;

/** A storage factory that opens the store, and runs the side, in the calling thread. */
export function inThisThread(open: OpenStore): StorageFactory {
  return async <Side extends object>(side: StoreSide) => {
    const entry = (await import(side.module))[side.export] as SideEntry;
    return { side: (await entry(side.data as never, open)) as Side, close: async () => {} };
  };
}
