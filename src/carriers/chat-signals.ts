/**
 * The port through which read receipts and typing indicators reach a user's phone: the simulated
 * network shows them on its phones; a real carrier would pass them on to WhatsApp.
 */

/** The business read the user's message `messageId`, and with it, as WhatsApp does, every earlier one. */
export interface ReadReceipt {
  readonly sender: string;
  readonly user: string;
  readonly messageId: string;
  /** When the user's message arrived (the earlier messages of the chat are read with it). */
  readonly sentAt: number;
  readonly readAt: number;
}

/** The business shows it is typing to the user until `until`, or until its next message reaches the phone. */
export interface TypingIndicator {
  readonly sender: string;
  readonly user: string;
  readonly until: number;
  /** The user's message it answers, when known (Meta's Cloud API ties the indicator to one). */
  readonly messageId?: string;
}

export interface ChatSignals {
  read(receipt: ReadReceipt): Promise<void>;
  typing(indicator: TypingIndicator): Promise<void>;
}
