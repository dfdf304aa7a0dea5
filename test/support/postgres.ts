/**
 * PostgreSQL for tests: a fresh database per test file (`openbsp_test_<random>`, made through the
 * `postgres` maintenance database on 127.0.0.1:5432 with trust auth, dropped after), and a fresh
 * schema in it per store a test opens, named in the connection URL (`search_path`).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The maintenance database; OPENBSP_TEST_PG_ADMIN_URL overrides it. */
const ADMIN_URLS = process.env.OPENBSP_TEST_PG_ADMIN_URL
  ? [process.env.OPENBSP_TEST_PG_ADMIN_URL]
  : ["postgres://root@127.0.0.1:5432/postgres", "postgres://postgres@127.0.0.1:5432/postgres"];

async function admin<T>(fn: (c: pg.Client, url: string) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const url of ADMIN_URLS) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
    } catch (error) {
      last = error;
      continue;
    }
    try {
      return await fn(client, url);
    } finally {
      await client.end();
    }
  }
  throw last;
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates `openbsp_test_<random>`; `drop` removes it (and ends whatever is still connected). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `openbsp_test_${randomBytes(6).toString("hex")}`;
  const url = await admin(async (c, adminUrl) => {
    await c.query(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  });
  return {
    url,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** The URL of `schema` in the database at `url` (created, empty). */
export async function createSchema(url: string, schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return schemaUrl(url, schema);
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export function schemaUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

let n = 0;
/** A schema name unique in this process. */
export const freshSchemaName = (prefix = "s") =>
  `${prefix}_${process.pid}_${++n}_${randomBytes(3).toString("hex")}`;

/**
 * Why the PostgreSQL suites cannot run here (no server on 127.0.0.1:5432), or undefined when they
 * can. With OPENBSP_TEST_REQUIRE_POSTGRES set (CI) they must: it throws instead.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await admin(async (c) => void (await c.query("SELECT 1")));
    return undefined;
  } catch (error) {
    if (process.env.OPENBSP_TEST_REQUIRE_POSTGRES) throw error;
    return `PostgreSQL is not reachable (${(error as Error).message}); start it to run these tests`;
  }
}
