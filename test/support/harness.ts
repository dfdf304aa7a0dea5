/**
 * Test harness: a real OpenBSP on a real SQLite file in a temporary directory — or, when
 * OPENBSP_TEST_DATABASE_URL names a PostgreSQL database, on a schema of its own in that database
 * (the same data directory, the same schema: a restart finds its data) — reached over real HTTP,
 * and a real webhook receiver. Delays are shortened so tests run in seconds.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import pino from "pino";
import { loadConfig } from "../../src/config.ts";
import { type RunningOpenBsp, type StartOptions, startOpenBsp } from "../../src/openbsp.ts";

export const API_KEY = "test-api-key-0001";
export const SENDER = "441134960000";

/** Settings that make the simulated world quick; override any of them per test. */
export const FAST_ENV: Record<string, string> = {
  OPENBSP_PORT: "0",
  OPENBSP_API_KEY: API_KEY,
  OPENBSP_SENDER: SENDER,
  OPENBSP_TEMPLATE_REVIEW_MS: "300",
  OPENBSP_SANDBOX_READ_DELAY_MS: "150",
  OPENBSP_WEBHOOK_RETRY_MS: "100,200,300,400,500,600,700,800,900,1000",
  OPENBSP_DISPATCH_RETRY_MS: "100",
  OPENBSP_POLL_MS: "20",
  // The tier before pacing's default of 80: suites that send bursts keep their timing.
  OPENBSP_THROUGHPUT_MPS: "1000",
  OPENBSP_LOG_LEVEL: "silent",
  // On PostgreSQL: a restarted server is the same node, and frees the leases it held.
  OPENBSP_NODE_ID: "test-node",
  // Tests refuse many keys on purpose; the limit on failed authentications has its own test.
  OPENBSP_AUTH_FAILURES_PER_MINUTE: "0",
  // Tests that send media serve it themselves (on 127.0.0.1) and turn downloads on; the others
  // use placeholder links.
  OPENBSP_MEDIA_DOWNLOAD: "false",
  OPENBSP_MEDIA_ALLOW_PRIVATE: "true",
};

export interface TestServer extends RunningOpenBsp {
  readonly dataDir: string;
  /** The PostgreSQL store's URL (its schema), when the server runs on PostgreSQL. */
  readonly databaseUrl?: string;
  /** Reads the store's tables directly (what no API shows), on whichever store the server runs. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** An authenticated JSON request; resolves with status and parsed body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export interface ApiAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely and assert on them
  readonly body: any;
  readonly headers: Headers;
}

/** `options.storage`: another store than SQLite on its own thread (see src/store/storage-factory.ts). */
export async function startServer(
  env: Record<string, string> = {},
  options: Pick<StartOptions, "storage"> = {},
): Promise<TestServer> {
  const dataDir = env.OPENBSP_DATA_DIR ?? mkdtempSync(join(tmpdir(), "openbsp-test-"));
  const pgUrl = options.storage ? undefined : (env.OPENBSP_DATABASE_URL ?? (await testDatabaseUrl(dataDir)));
  const config = loadConfig({
    ...FAST_ENV,
    OPENBSP_DATA_DIR: dataDir,
    ...env,
    ...(pgUrl ? { OPENBSP_DATABASE_URL: pgUrl } : {}),
  });
  const running = await startOpenBsp(config, { ...options, log: pino({ level: config.logLevel }) });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(running.url, method, path, body, { authorization: `App ${API_KEY}`, ...headers });
  return {
    ...running,
    dataDir,
    ...(pgUrl ? { databaseUrl: pgUrl } : {}),
    call,
    query: (sql) => queryStore(pgUrl, dataDir, sql),
    async close() {
      await running.stop();
      if (!env.OPENBSP_DATA_DIR) {
        rmSync(dataDir, { recursive: true, force: true });
        if (pgUrl && !env.OPENBSP_DATABASE_URL) await dropTestSchema(dataDir);
      }
    },
  };
}

/** The database the suite runs on when it runs on PostgreSQL (`.ci/run` sets it). */
const TEST_DATABASE_URL = process.env.OPENBSP_TEST_DATABASE_URL;

/** The schema of a data directory: the same directory (a restart) finds the same schema. */
const schemaOf = (dataDir: string) => `t_${createHash("sha256").update(dataDir).digest("hex").slice(0, 20)}`;

/**
 * OPENBSP_DATABASE_URL for a server on `dataDir` when the suite runs on PostgreSQL: its own schema
 * in the test database, created if missing. Undefined on SQLite.
 */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  if (!TEST_DATABASE_URL) return undefined;
  const schema = schemaOf(dataDir);
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

async function dropTestSchema(dataDir: string): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schemaOf(dataDir)} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Runs `sql` on a store: PostgreSQL at `pgUrl` (its schema), else the SQLite file in `dataDir`
 * (read-only). Counts come back as numbers on SQLite and as strings (bigint) on PostgreSQL.
 */
export async function queryStore(
  pgUrl: string | undefined,
  dataDir: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  if (pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(dataDir, "openbsp.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Runs `sql` on the store of a server (a child process too) started on `dataDir`, either store. */
export async function queryDataDir(dataDir: string, sql: string): Promise<Record<string, unknown>[]> {
  return queryStore(await testDatabaseUrl(dataDir), dataDir, sql);
}

export async function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 5000,
  what = "condition",
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the webhook outbox has nothing pending (per /healthz): every report queued so far
 * has been answered by its receiver. Queue the work first (await the write that would queue a
 * report), then wait for this, then assert that a report did not come.
 */
export async function outboxDrained(server: { readonly url: string }, ms = 5000): Promise<void> {
  await eventually(
    async () => (await request(server.url, "GET", "/healthz")).body?.webhooks?.pending === 0,
    ms,
    "the webhook outbox to drain",
  );
}

/**
 * Sends the `welcome` template to `to` and waits until that phone has it. The dispatcher takes
 * messages in the order they fell due, so everything accepted before it has been handed to the
 * network by then: wait for this before asserting that a phone got nothing (more).
 */
export async function dispatchedSoFar(server: TestServer, to: string, ms = 5000): Promise<string> {
  const messageId = `so-far-${to}-${Date.now()}`;
  const res = await server.call("POST", "/whatsapp/1/message/template", {
    messages: [welcome(to, { messageId })],
  });
  if (res.status !== 200)
    throw new Error(`the marker message was refused: ${res.status} ${JSON.stringify(res.body)}`);
  await eventually(
    async () => {
      const phone = await server.call("GET", `/sandbox/phones/${to}/messages`);
      return phone.body?.messages?.some((m: { messageId: string }) => m.messageId === messageId);
    },
    ms,
    `the marker message on ${to}`,
  );
  return messageId;
}

/** A template send body for the seeded `welcome` template. */
export function welcome(to: string, extra: Record<string, unknown> = {}, placeholders: string[] = ["Ann"]) {
  return {
    from: SENDER,
    to,
    content: { templateName: "welcome", language: "en", templateData: { body: { placeholders } } },
    ...extra,
  };
}
