/**
 * Claims left held in a store: rows a worker leased and has not finished, per table, with the
 * conditions under which a node's shutdown must have released them (see releaseOwnLeases in
 * each adapter). The same SQL on SQLite and PostgreSQL; `node` narrows it to one node's claims.
 */
export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

const CLAIMS = {
  messages: "status = 'accepted'",
  webhooks: "state = 'pending'",
  sms_failovers: "state = 'pending'",
  templates: "true",
  handset_messages: "true",
  carrier_inbox: "state = 'pending'",
} as const;

export type HeldClaims = Record<keyof typeof CLAIMS, number>;

export async function heldClaims(query: Query, node?: string): Promise<HeldClaims> {
  const owner = node === undefined ? "" : ` AND lease_owner = '${node.replace(/'/g, "''")}'`;
  const entries = await Promise.all(
    Object.entries(CLAIMS).map(async ([table, open]) => {
      const rows = await query(
        `SELECT count(*) AS n FROM ${table} WHERE lease_until IS NOT NULL AND ${open}${owner}`,
      );
      return [table, Number(rows[0]?.n)] as const;
    }),
  );
  return Object.fromEntries(entries) as HeldClaims;
}

/** The sum of held claims over the tables. */
export const totalHeld = (held: HeldClaims) => Object.values(held).reduce((a, b) => a + b, 0);
