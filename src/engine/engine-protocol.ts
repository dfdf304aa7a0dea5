/**
 * Messages between the HTTP thread and the engine thread. Both sides send arrays: everything said
 * during one turn of a thread's event loop travels in one message.
 */
import type { Config } from "../config.ts";

/** HTTP thread → engine. */
export type ToEngine =
  | { readonly kind: "call"; readonly id: number; readonly method: string; readonly args: readonly unknown[] }
  | { readonly kind: "wake"; readonly loop: LoopName }
  | { readonly kind: "rules-changed" }
  | { readonly kind: "start-workers" }
  | { readonly kind: "stop"; readonly id: number };

/** Engine → HTTP thread. */
export type FromEngine =
  | { readonly kind: "ready" }
  | { readonly kind: "answer"; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly kind: "answer";
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string };
    };

export type LoopName = "dispatch" | "webhooks" | "handsets";

export interface EngineInit {
  readonly config: Config;
  readonly file: string;
  readonly clock: SharedArrayBuffer;
}
