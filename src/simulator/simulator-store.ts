/**
 * The simulator's own storage port, apart from the product's Storage: the simulated WhatsApp
 * network and the simulated SMSC. Only the simulator (its carrier, its SMSC and the sandbox API)
 * uses it.
 */
import type { NetworkStore } from "./network/network-store.ts";
import type { SmscStore } from "./smsc/smsc-store.ts";

export interface SimulatorStore {
  readonly network: NetworkStore;
  readonly smsc: SmscStore;
}
