/** What the simulated SMSC received, and whether its receipt has been acknowledged. */
export interface SmscMessage {
  readonly id: string;
  readonly systemId: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly dataCoding: number;
  /** What the SMSC made of it: delivered, undeliverable or rejected (refused at submission). */
  readonly outcome: "delivered" | "undeliverable" | "rejected";
  readonly receivedAt: number;
  /** pending: its delivery receipt waits for the client's acknowledgement (resent on the next bind). */
  readonly receipt: "pending" | "acknowledged" | "none";
}
