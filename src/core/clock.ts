/**
 * Time enters the core as a value, never by calling Date.now(): every rule that depends on time
 * (windows, TTL, review delays) takes `now` in epoch milliseconds so tests can move it.
 */
export interface Clock {
  now(): number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
