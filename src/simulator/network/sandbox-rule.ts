/** How the simulated network treats a number (see sandbox-carrier.ts). */
export interface SandboxRule {
  readonly id: string;
  /** Digits, `*` matching any run of digits (e.g. `44770090*`). */
  readonly pattern: string;
  readonly behaviour: "deliver" | "offline" | "not_whatsapp" | "fail";
  readonly deliverDelayMs?: number;
  /** Omitted: the configured default; null: the user never reads. */
  readonly readDelayMs?: number | null;
  readonly errorCode?: number;
  readonly errorTitle?: string;
  readonly createdAt: number;
}
