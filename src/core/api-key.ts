/**
 * An account's API key as stored: only a hash of the secret (the secret is shown once, when the key
 * is made), and the last characters, so a person can tell keys apart in a list.
 */
export interface ApiKey {
  readonly id: string;
  readonly accountId: string;
  /** SHA-256 of the secret, hex; what a request's key is looked up by. */
  readonly hash: string;
  /** The secret's last 4 characters. */
  readonly hint: string;
  readonly name?: string;
  readonly createdAt: number;
  /** Set once revoked: the key then fails on every face. */
  readonly revokedAt?: number;
}
