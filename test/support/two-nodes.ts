/**
 * Two nodes in this process on one fresh PostgreSQL schema (each its own server, workers and node
 * id), for the tests of what a cluster shares. Started one after the other: on a loaded machine two
 * servers building at once in one process can pass Fastify's plugin timeout (nodes starting at
 * once are test/storage-postgres.test.ts's and cluster-command's case).
 */
import { startServer, type TestServer } from "./harness.ts";
import { createSchema, createTestDatabase, freshSchemaName } from "./postgres.ts";

export interface TwoNodes {
  readonly a: TestServer;
  readonly b: TestServer;
  /** Stops both nodes and drops the database. */
  close(): Promise<void>;
}

export async function startTwoNodes(schema: string, env: Record<string, string>): Promise<TwoNodes> {
  const db = await createTestDatabase();
  const url = await createSchema(db.url, freshSchemaName(schema));
  const node = (id: string) => startServer({ OPENBSP_DATABASE_URL: url, OPENBSP_NODE_ID: id, ...env });
  const a = await node("node-a");
  const b = await node("node-b");
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await db.drop();
    },
  };
}
