/**
 * Configuration: every setting has an environment variable, a default and a one-line doc (the
 * README's table is generated from CONFIG_DOCS). Invalid settings are all reported at once.
 */

import { join } from "node:path";
import { DEFAULT_THROUGHPUT_MPS } from "./core/pacing.ts";
import { DEFAULT_RETRY_SCHEDULE_MS } from "./core/retry-schedule.ts";
import { DEFAULT_DISABLE_AFTER_MS } from "./core/webhook-attempt.ts";

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL instead of the embedded SQLite file (a cluster of nodes shares it). */
  readonly databaseUrl?: string;
  /** Uploaded and inbound media bytes; every node of a cluster mounts the same directory. */
  readonly mediaDir: string;
  /** This node's name in metrics and on the work it leases in PostgreSQL (default host name and port). */
  readonly nodeId?: string;
  readonly accountRequestsPerSecond: number;
  readonly rateLimitRedisUrl?: string;
  readonly shutdownGraceMs: number;
  readonly apiKey?: string;
  readonly adminKey?: string;
  readonly authFailuresPerMinute: number;
  readonly sender: string;
  readonly publicUrl?: string;
  readonly businessVerified: boolean;
  readonly templateReviewMs: number;
  readonly readDelayMs: number;
  readonly deliveryUrl?: string;
  readonly inboundUrl?: string;
  readonly markAsRead: boolean;
  readonly metaWabaId: string;
  readonly metaPhoneNumberId: string;
  readonly metaWebhookUrl?: string;
  readonly metaAppSecret?: string;
  readonly metaVerifyToken?: string;
  readonly sinchBotId: string;
  readonly throughputMps: number;
  readonly pairBurst: number;
  readonly pairIntervalMs: number;
  readonly sinchCallbackUrl?: string;
  readonly webhookRetryMs: readonly number[];
  readonly webhookTimeoutMs: number;
  readonly webhookDisableAfterMs: number;
  readonly webhookLogRetentionDays: number;
  readonly dispatchRetryMs: number;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly backgroundShare: number;
  readonly logLevel: string;
  readonly sandbox: boolean;
  readonly dispatch: boolean;
  readonly smppUrl?: string;
  readonly smppSystemId: string;
  readonly smppPassword?: string;
  readonly mediaDownload: boolean;
  readonly mediaAllowPrivate: boolean;
  readonly mediaTimeoutMs: number;
  readonly metaCarrierUrl?: string;
  readonly metaCarrierToken?: string;
  readonly metaCarrierPhoneNumberId?: string;
  readonly metaCarrierWabaId?: string;
  readonly metaCarrierAppSecret?: string;
  readonly metaCarrierVerifyToken?: string;
  readonly metaCarrierVersion: string;
  readonly metaCarrierMps: number;
  readonly metaCarrierTimeoutMs: number;
  readonly metaCarrierTemplateSyncMs: number;
}

type Parser<T> = (raw: string) => T | Error;

interface Setting<K extends keyof Config> {
  readonly key: K;
  readonly env: string;
  readonly doc: string;
  readonly fallback: Config[K] | undefined;
  readonly parse: Parser<NonNullable<Config[K]>>;
}

const int =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max
      ? n
      : new Error(`must be an integer from ${min} to ${max}`);
  };
const text: Parser<string> = (raw) => (raw.length > 0 ? raw : new Error("must not be empty"));
const bool: Parser<boolean> = (raw) =>
  /^(1|true|yes)$/i.test(raw)
    ? true
    : /^(0|false|no)$/i.test(raw)
      ? false
      : new Error("must be true or false");
const url: Parser<string> = (raw) =>
  /^https?:\/\/\S+$/.test(raw) ? raw : new Error("must be an http(s) URL");
const msisdn: Parser<string> = (raw) => (/^\d{7,15}$/.test(raw) ? raw : new Error("must be 7 to 15 digits"));
const numericId: Parser<string> = (raw) =>
  /^[1-9]\d{5,19}$/.test(raw) ? raw : new Error("must be a numeric id of 6 to 20 digits");
const secret: Parser<string> = (raw) =>
  raw.length >= 8 && raw.length <= 500 ? raw : new Error("must be 8 to 500 characters");
const msList: Parser<number[]> = (raw) => {
  const list = raw.split(",").map((s) => Number(s.trim()));
  return list.length > 0 && list.every((n) => Number.isInteger(n) && n >= 0)
    ? list
    : new Error("must be a comma-separated list of milliseconds");
};

const setting = <K extends keyof Config>(s: Setting<K>) => s;

/** Every setting, in the order the README documents them. */
export const SETTINGS = [
  setting({ key: "port", env: "OPENBSP_PORT", doc: "HTTP port", fallback: 8080, parse: int(0, 65535) }),
  setting({
    key: "host",
    env: "OPENBSP_HOST",
    doc: "Address to listen on",
    fallback: "127.0.0.1",
    parse: text,
  }),
  setting({
    key: "dataDir",
    env: "OPENBSP_DATA_DIR",
    doc: "Where the SQLite database lives",
    fallback: "./data",
    parse: text,
  }),
  setting({
    key: "databaseUrl",
    env: "OPENBSP_DATABASE_URL",
    doc: "PostgreSQL instead of SQLite, `postgres://user:password@host:5432/db` (every node of a cluster the same)",
    fallback: undefined,
    parse: (raw) =>
      /^postgres(ql)?:\/\/\S+$/.test(raw) ? raw : new Error("must be a postgres:// or postgresql:// URL"),
  }),
  setting({
    key: "mediaDir",
    env: "OPENBSP_MEDIA_DIR",
    doc: "Where uploaded and inbound media bytes live (default <data dir>/media); one shared directory every node mounts",
    fallback: undefined,
    parse: text,
  }),
  setting({
    key: "apiKey",
    env: "OPENBSP_API_KEY",
    doc: "The seeded account's API key (generated and printed when unset)",
    fallback: undefined,
    parse: (raw) =>
      /^[A-Za-z0-9_\-.]{8,200}$/.test(raw) ? raw : new Error("must be 8-200 characters of A-Z a-z 0-9 _ - ."),
  }),
  setting({
    key: "adminKey",
    env: "OPENBSP_ADMIN_KEY",
    doc: "Bearer key of the admin API (`/openbsp/1/`: accounts, keys, senders, settings); unset: that API answers 403",
    fallback: undefined,
    parse: (raw) =>
      /^[A-Za-z0-9_\-.]{16,200}$/.test(raw)
        ? raw
        : new Error("must be 16-200 characters of A-Z a-z 0-9 _ - ."),
  }),
  setting({
    key: "authFailuresPerMinute",
    env: "OPENBSP_AUTH_FAILURES_PER_MINUTE",
    doc: "Failed authentications a client address may make per minute (faces and admin API) before it gets 429s. 0: no limit",
    fallback: 30,
    parse: int(0, 1_000_000),
  }),
  setting({
    key: "sender",
    env: "OPENBSP_SENDER",
    doc: "The seeded sender number",
    fallback: "441134960000",
    parse: msisdn,
  }),
  setting({
    key: "publicUrl",
    env: "OPENBSP_PUBLIC_URL",
    doc: "Base URL clients use (default http://HOST:PORT)",
    fallback: undefined,
    parse: url,
  }),
  setting({
    key: "businessVerified",
    env: "OPENBSP_BUSINESS_VERIFIED",
    doc: "Seeded account is business-verified: templates are reviewed at once",
    fallback: false,
    parse: bool,
  }),
  setting({
    key: "templateReviewMs",
    env: "OPENBSP_TEMPLATE_REVIEW_MS",
    doc: "Delay before the simulated reviewer decides a PENDING template",
    fallback: 3000,
    parse: int(0, 86_400_000),
  }),
  setting({
    key: "readDelayMs",
    env: "OPENBSP_SANDBOX_READ_DELAY_MS",
    doc: "Delay before a simulated user reads a delivered message",
    fallback: 2000,
    parse: int(0, 86_400_000),
  }),
  setting({
    key: "deliveryUrl",
    env: "OPENBSP_DELIVERY_URL",
    doc: "Seeded account's delivery and seen report URL",
    fallback: undefined,
    parse: url,
  }),
  setting({
    key: "inboundUrl",
    env: "OPENBSP_INBOUND_URL",
    doc: "Seeded account's inbound message URL",
    fallback: undefined,
    parse: url,
  }),
  setting({
    key: "markAsRead",
    env: "OPENBSP_MARK_AS_READ",
    doc: "Infobip face: the seeded account may mark inbound messages as read (off by default, as at Infobip)",
    fallback: false,
    parse: bool,
  }),
  setting({
    key: "metaWabaId",
    env: "OPENBSP_META_WABA_ID",
    doc: "The seeded WABA's id (all faces; Meta's `/{waba-id}/…` routes). Pin it before first start",
    fallback: "100000000000001",
    parse: numericId,
  }),
  setting({
    key: "metaPhoneNumberId",
    env: "OPENBSP_META_PHONE_NUMBER_ID",
    doc: "The seeded sender's phone number id on the Meta face (`/{phone-number-id}/messages`)",
    fallback: "100000000000003",
    parse: numericId,
  }),
  setting({
    key: "metaWebhookUrl",
    env: "OPENBSP_META_WEBHOOK_URL",
    doc: "Meta face: the app's webhook callback URL (statuses and messages)",
    fallback: undefined,
    parse: url,
  }),
  setting({
    key: "metaAppSecret",
    env: "OPENBSP_META_APP_SECRET",
    doc: "Meta face: app secret that signs webhooks (X-Hub-Signature-256)",
    fallback: undefined,
    parse: secret,
  }),
  setting({
    key: "metaVerifyToken",
    env: "OPENBSP_META_VERIFY_TOKEN",
    doc: "Meta face: verify token for the subscription handshake with the callback URL",
    fallback: undefined,
    parse: text,
  }),
  setting({
    key: "sinchBotId",
    env: "OPENBSP_SINCH_BOT_ID",
    doc: "The seeded sender's bot id on the Sinch face (`/whatsapp/v1/{bot-id}/…`)",
    fallback: "openbspbot",
    parse: (raw) =>
      /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? raw : new Error("must be 1-64 characters of A-Z a-z 0-9 _ -"),
  }),
  setting({
    key: "sinchCallbackUrl",
    env: "OPENBSP_SINCH_CALLBACK_URL",
    doc: "Sinch face: the bot's callback URL (reports and inbound)",
    fallback: undefined,
    parse: url,
  }),
  setting({
    key: "throughputMps",
    env: "OPENBSP_THROUGHPUT_MPS",
    doc: "The seeded sender's throughput tier, messages per second: the dispatcher sends its messages at this pace (Infobip and Sinch queue a burst, Meta's face refuses one over a second's worth with 429 / WhatsApp 130429). 0: unpaced",
    fallback: DEFAULT_THROUGHPUT_MPS,
    parse: int(0, 1_000_000),
  }),
  setting({
    key: "accountRequestsPerSecond",
    env: "OPENBSP_ACCOUNT_REQUESTS_PER_SECOND",
    doc: "Send requests per second one account may make (Infobip allows 4,000); over it → 429 with Retry-After. 0: unlimited",
    fallback: 4000,
    parse: int(0, 1_000_000),
  }),
  setting({
    key: "rateLimitRedisUrl",
    env: "OPENBSP_RATE_LIMIT_REDIS_URL",
    doc: "Redis (`redis://host:port`) holding the per-account request limit for a cluster; unset: in the PostgreSQL database when OPENBSP_DATABASE_URL is set, else in this process",
    fallback: undefined,
    parse: (raw) => (/^rediss?:\/\/\S+$/.test(raw) ? raw : new Error("must be a redis:// or rediss:// URL")),
  }),
  setting({
    key: "pairBurst",
    env: "OPENBSP_PAIR_RATE_BURST",
    doc: "Messages a sender may send to one user in a burst before the pair rate applies (→ 429 / WhatsApp 131056). 0: unlimited",
    fallback: 45,
    parse: int(0, 1_000_000),
  }),
  setting({
    key: "pairIntervalMs",
    env: "OPENBSP_PAIR_RATE_INTERVAL_MS",
    doc: "After a burst, one message to the same user per this many ms",
    fallback: 6000,
    parse: int(1, 86_400_000),
  }),
  setting({
    key: "webhookRetryMs",
    env: "OPENBSP_WEBHOOK_RETRY_MS",
    doc: "Waits between webhook attempts, comma-separated ms (default about 27 h in all)",
    fallback: DEFAULT_RETRY_SCHEDULE_MS,
    parse: msList,
  }),
  setting({
    key: "webhookTimeoutMs",
    env: "OPENBSP_WEBHOOK_TIMEOUT_MS",
    doc: "Webhook request timeout",
    fallback: 10_000,
    parse: int(1, 600_000),
  }),
  setting({
    key: "webhookDisableAfterMs",
    env: "OPENBSP_WEBHOOK_DISABLE_AFTER_MS",
    doc: "An endpoint failing this long without a success is disabled, its webhooks kept as dead letters until re-enabled (default 5 days, as Svix). 0: never",
    fallback: DEFAULT_DISABLE_AFTER_MS,
    parse: int(0, 365 * 86_400_000),
  }),
  setting({
    key: "webhookLogRetentionDays",
    env: "OPENBSP_WEBHOOK_LOG_RETENTION_DAYS",
    doc: "Days the webhook delivery log (every attempt) and delivered webhooks are kept for listing and replay",
    fallback: 30,
    parse: int(1, 3650),
  }),
  setting({
    key: "dispatchRetryMs",
    env: "OPENBSP_DISPATCH_RETRY_MS",
    doc: "First wait before retrying a message whose phone is offline (doubles, up to 10 min)",
    fallback: 5000,
    parse: int(1, 3_600_000),
  }),
  setting({
    key: "leaseMs",
    env: "OPENBSP_LEASE_MS",
    doc: "How long a worker holds a claimed message or webhook",
    fallback: 30_000,
    parse: int(100, 3_600_000),
  }),
  setting({
    key: "pollMs",
    env: "OPENBSP_POLL_MS",
    doc: "How often idle workers look for due work",
    fallback: 100,
    parse: int(1, 60_000),
  }),
  setting({
    key: "backgroundShare",
    env: "OPENBSP_BACKGROUND_SHARE",
    doc: "The share of the store's thread that dispatch, the simulated network and webhooks keep during a burst of requests (1: no yielding)",
    fallback: 0.25,
    parse: (raw) => {
      const n = Number(raw);
      return n > 0 && n <= 1 ? n : new Error("must be a number above 0 and at most 1");
    },
  }),
  setting({
    key: "nodeId",
    env: "OPENBSP_NODE_ID",
    doc: "This node's name in /metrics (the `node` label) and on the work it leases in PostgreSQL (unique per node, stable across restarts; default host name:port)",
    fallback: undefined,
    parse: (raw) =>
      /^[\w.:@-]{1,100}$/.test(raw) ? raw : new Error("must be 1-100 characters of A-Z a-z 0-9 _ . : @ -"),
  }),
  setting({
    key: "shutdownGraceMs",
    env: "OPENBSP_SHUTDOWN_GRACE_MS",
    doc: "On SIGTERM, how long requests in flight may take to be answered before their connections are closed",
    fallback: 10_000,
    parse: int(0, 600_000),
  }),
  setting({
    key: "logLevel",
    env: "OPENBSP_LOG_LEVEL",
    doc: "pino log level",
    fallback: "info",
    parse: (raw) =>
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(raw)
        ? raw
        : new Error("must be a pino level"),
  }),
  setting({
    key: "sandbox",
    env: "OPENBSP_SANDBOX",
    doc: "Serve the sandbox API (simulated users, clock control)",
    fallback: true,
    parse: bool,
  }),
  setting({
    key: "dispatch",
    env: "OPENBSP_DISPATCH",
    doc: "Dispatch stored messages and process carriers' webhooks (false: accept and queue only, e.g. during maintenance)",
    fallback: true,
    parse: bool,
  }),
  setting({
    key: "smppUrl",
    env: "OPENBSP_SMPP_URL",
    doc: "SMSC for SMS failover, `smpp://host:port` (`ssmpp://` for TLS); unset: the built-in simulated SMSC",
    fallback: undefined,
    parse: (raw) =>
      /^s?smpp:\/\/[^\s/:]+(:\d{1,5})?\/?$/.test(raw)
        ? raw
        : new Error("must be smpp://host:port or ssmpp://host:port"),
  }),
  setting({
    key: "smppSystemId",
    env: "OPENBSP_SMPP_SYSTEM_ID",
    doc: "SMPP system id OpenBSP binds with (the simulated SMSC expects it too)",
    fallback: "openbsp",
    parse: (raw) => (raw.length <= 15 ? raw : new Error("must be at most 15 characters (SMPP 3.4)")),
  }),
  setting({
    key: "smppPassword",
    env: "OPENBSP_SMPP_PASSWORD",
    doc: "SMPP password (the simulated SMSC expects it too; default none)",
    fallback: undefined,
    parse: (raw) => (raw.length <= 8 ? raw : new Error("must be at most 8 characters (SMPP 3.4)")),
  }),
  setting({
    key: "mediaDownload",
    env: "OPENBSP_MEDIA_DOWNLOAD",
    doc: "Simulated phones download media from its link (false: media is not fetched or checked, e.g. offline with placeholder links)",
    fallback: true,
    parse: bool,
  }),
  setting({
    key: "mediaAllowPrivate",
    env: "OPENBSP_MEDIA_ALLOW_PRIVATE",
    doc: "Let media links reach loopback, private and link-local addresses (local development, tests)",
    fallback: false,
    parse: bool,
  }),
  setting({
    key: "mediaTimeoutMs",
    env: "OPENBSP_MEDIA_TIMEOUT_MS",
    doc: "Time limit for downloading one media link",
    fallback: 20_000,
    parse: int(1, 600_000),
  }),
  setting({
    key: "metaCarrierUrl",
    env: "OPENBSP_META_CARRIER_URL",
    doc: "Graph base URL (`https://graph.facebook.com`); setting it makes the seeded sender carried by Meta's Cloud API",
    fallback: undefined,
    parse: url,
  }),
  setting({
    key: "metaCarrierToken",
    env: "OPENBSP_META_CARRIER_TOKEN",
    doc: "Meta carrier: the access token (a system user's) OpenBSP calls Graph with; never logged",
    fallback: undefined,
    parse: text,
  }),
  setting({
    key: "metaCarrierPhoneNumberId",
    env: "OPENBSP_META_CARRIER_PHONE_NUMBER_ID",
    doc: "Meta carrier: the seeded sender's phone number id at Meta",
    fallback: undefined,
    parse: (raw) => (/^\d{1,20}$/.test(raw) ? raw : new Error("must be a numeric id")),
  }),
  setting({
    key: "metaCarrierWabaId",
    env: "OPENBSP_META_CARRIER_WABA_ID",
    doc: "Meta carrier: the WhatsApp Business Account id at Meta",
    fallback: undefined,
    parse: (raw) => (/^\d{1,20}$/.test(raw) ? raw : new Error("must be a numeric id")),
  }),
  setting({
    key: "metaCarrierAppSecret",
    env: "OPENBSP_META_CARRIER_APP_SECRET",
    doc: "Meta carrier: the Meta app's secret, which signs the webhooks Meta posts to OpenBSP",
    fallback: undefined,
    parse: secret,
  }),
  setting({
    key: "metaCarrierVerifyToken",
    env: "OPENBSP_META_CARRIER_VERIFY_TOKEN",
    doc: "Meta carrier: the verify token set on the Meta app's webhook (subscription handshake)",
    fallback: undefined,
    parse: text,
  }),
  setting({
    key: "metaCarrierVersion",
    env: "OPENBSP_META_CARRIER_VERSION",
    doc: "Meta carrier: the Graph API version OpenBSP calls",
    fallback: "v23.0",
    parse: (raw) => (/^v\d{1,3}\.\d{1,2}$/.test(raw) ? raw : new Error("must be like v23.0")),
  }),
  setting({
    key: "metaCarrierMps",
    env: "OPENBSP_META_CARRIER_MPS",
    doc: "Meta carrier: messages per second each sender is paced at (its throughput tier; Meta's default is 80). 0: unpaced",
    fallback: 80,
    parse: int(0, 100_000),
  }),
  setting({
    key: "metaCarrierTimeoutMs",
    env: "OPENBSP_META_CARRIER_TIMEOUT_MS",
    doc: "Meta carrier: time limit of one Graph call (a send without an answer by then is retried)",
    fallback: 10_000,
    parse: int(1, 600_000),
  }),
  setting({
    key: "metaCarrierTemplateSyncMs",
    env: "OPENBSP_META_CARRIER_TEMPLATE_SYNC_MS",
    doc: "Meta carrier: how often Meta's template list is read for status updates a webhook missed",
    fallback: 900_000,
    parse: int(100, 86_400_000),
  }),
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads the configuration from `env`; throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const s of SETTINGS) {
    const raw = env[s.env];
    if (raw === undefined || raw === "") {
      if (s.fallback !== undefined) out[s.key] = s.fallback;
      continue;
    }
    const value = (s.parse as Parser<unknown>)(raw);
    if (value instanceof Error) problems.push(`${s.env}=${JSON.stringify(raw)}: ${value.message}`);
    else out[s.key] = value;
  }
  // The admin key must never open a face: it cannot also be an account's key.
  if (out.adminKey !== undefined && out.adminKey === out.apiKey)
    problems.push(
      "OPENBSP_ADMIN_KEY: must differ from OPENBSP_API_KEY (the admin key never works on the faces)",
    );
  if (out.metaCarrierUrl !== undefined) {
    // A Meta-carried sender needs all of its settings; each missing one is named.
    for (const s of SETTINGS)
      if (s.env.startsWith("OPENBSP_META_CARRIER_") && out[s.key] === undefined)
        problems.push(`${s.env} must be set when OPENBSP_META_CARRIER_URL is`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  out.mediaDir ??= join(out.dataDir as string, "media");
  return Object.freeze(out) as unknown as Config;
}
