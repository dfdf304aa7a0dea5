/** How the simulated SMSC treats a number. */
export interface SmscRule {
  readonly id: string;
  /** Digits, `*` matching any run of digits. */
  readonly pattern: string;
  readonly behaviour: "deliver" | "undeliverable" | "reject";
  readonly errorCode?: number;
  readonly createdAt: number;
}
