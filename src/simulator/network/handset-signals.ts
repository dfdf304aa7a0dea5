/** Read receipts and typing indicators as the simulated phones show them: rows in the network's store. */
import type { ChatSignals, ReadReceipt, TypingIndicator } from "../../carriers/chat-signals.ts";
import type { NetworkStore } from "./network-store.ts";

export class HandsetSignals implements ChatSignals {
  constructor(private readonly network: NetworkStore) {}

  read(receipt: ReadReceipt): Promise<void> {
    return this.network.putReadReceipt(receipt);
  }

  typing(indicator: TypingIndicator): Promise<void> {
    return this.network.putTypingIndicator(indicator);
  }
}
