/**
 * The schema of every store, as ONE ordered list of migrations: each step has its SQLite and its
 * PostgreSQL form, so the two adapters' schemas cannot drift (test/storage-postgres.test.ts
 * compares the tables and columns both end up with). Append only: never edit a step that has
 * shipped; add a step at the END with both forms. SQLite counts the steps applied in
 * `PRAGMA user_version`, PostgreSQL in `schema_migrations`. The simulator's tables (sandbox_rules,
 * handset_*, smsc_*, the clock offset in meta) are created here too, for history's sake.
 *
 * PostgreSQL differences, kept to types: times are BIGINT (milliseconds), JSON stays TEXT (the
 * rows map the same way), an identity column stands in for SQLite's rowid where rows are listed in
 * arrival order (`arrival`).
 */

export interface Migration {
  readonly sqlite: string;
  readonly postgres: string;
}

/** A step whose SQL is the same in both dialects, written once. */
const both = (sql: string): Migration => ({ sqlite: sql, postgres: sql });

export const MIGRATIONS: readonly Migration[] = [
  {
    sqlite: `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, api_key TEXT NOT NULL UNIQUE,
    business_verified INTEGER NOT NULL, delivery_url TEXT, inbound_url TEXT
  );
  CREATE TABLE senders (number TEXT PRIMARY KEY, account_id TEXT NOT NULL, waba_id TEXT NOT NULL);
  CREATE TABLE templates (
    id TEXT PRIMARY KEY, waba_id TEXT NOT NULL, name TEXT NOT NULL, language TEXT NOT NULL,
    category TEXT NOT NULL, structure TEXT NOT NULL, status TEXT NOT NULL, rejection_reason TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, review_due_at INTEGER,
    entity_id TEXT, application_id TEXT,
    UNIQUE (waba_id, name, language)
  );
  CREATE INDEX templates_review ON templates (review_due_at) WHERE status = 'PENDING';
  CREATE TABLE template_name_locks (
    waba_id TEXT NOT NULL, name TEXT NOT NULL, locked_until INTEGER NOT NULL, PRIMARY KEY (waba_id, name)
  ) WITHOUT ROWID;
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY, account_id TEXT NOT NULL, message_id TEXT NOT NULL, bulk_id TEXT,
    face TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL, content TEXT NOT NULL,
    callback_data TEXT, notify_url TEXT, entity_id TEXT, application_id TEXT, reply_to TEXT,
    status TEXT NOT NULL, error TEXT, accepted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    sent_at INTEGER, done_at INTEGER, seen_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, lease_until INTEGER
  );
  CREATE UNIQUE INDEX messages_id ON messages (account_id, message_id);
  CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'accepted';
  CREATE INDEX messages_ttl ON messages (expires_at) WHERE status IN ('accepted', 'sent');
  CREATE TABLE windows (
    sender TEXT NOT NULL, user_number TEXT NOT NULL, last_inbound_at INTEGER NOT NULL,
    PRIMARY KEY (sender, user_number)
  ) WITHOUT ROWID;
  CREATE TABLE inbound (
    message_id TEXT PRIMARY KEY, sender TEXT NOT NULL, user_number TEXT NOT NULL, content TEXT NOT NULL,
    received_at INTEGER NOT NULL, context_message_id TEXT, contact_name TEXT
  );
  CREATE INDEX inbound_pair ON inbound (sender, user_number);
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL,
    reports INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER, state TEXT NOT NULL DEFAULT 'pending', last_error TEXT, delivered_at INTEGER
  );
  CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE state = 'pending';
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE sandbox_rules (
    id TEXT PRIMARY KEY, pattern TEXT NOT NULL, behaviour TEXT NOT NULL, deliver_delay_ms INTEGER,
    read_delay_ms INTEGER, read_delay_set INTEGER NOT NULL, error_code INTEGER, error_title TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE handset_messages (
    seq INTEGER PRIMARY KEY, phone TEXT NOT NULL, sender TEXT NOT NULL, message_id TEXT NOT NULL,
    content TEXT NOT NULL, reply_to TEXT, state TEXT NOT NULL, received_at INTEGER NOT NULL, next_event_at INTEGER,
    read_delay_ms INTEGER, expires_at INTEGER NOT NULL
  );
  CREATE INDEX handset_due ON handset_messages (next_event_at) WHERE next_event_at IS NOT NULL;
  CREATE INDEX handset_phone ON handset_messages (phone, seq);
  `,
    postgres: `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, api_key TEXT NOT NULL UNIQUE,
    business_verified INTEGER NOT NULL, delivery_url TEXT, inbound_url TEXT
  );
  CREATE TABLE senders (number TEXT PRIMARY KEY, account_id TEXT NOT NULL, waba_id TEXT NOT NULL);
  CREATE TABLE templates (
    id TEXT PRIMARY KEY, waba_id TEXT NOT NULL, name TEXT NOT NULL, language TEXT NOT NULL,
    category TEXT NOT NULL, structure TEXT NOT NULL, status TEXT NOT NULL, rejection_reason TEXT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, review_due_at BIGINT,
    entity_id TEXT, application_id TEXT,
    UNIQUE (waba_id, name, language)
  );
  CREATE INDEX templates_review ON templates (review_due_at) WHERE status = 'PENDING';
  CREATE TABLE template_name_locks (
    waba_id TEXT NOT NULL, name TEXT NOT NULL, locked_until BIGINT NOT NULL, PRIMARY KEY (waba_id, name)
  );
  CREATE TABLE messages (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id TEXT NOT NULL, message_id TEXT NOT NULL,
    bulk_id TEXT, face TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL, content TEXT NOT NULL,
    callback_data TEXT, notify_url TEXT, entity_id TEXT, application_id TEXT, reply_to TEXT,
    status TEXT NOT NULL, error TEXT, accepted_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
    sent_at BIGINT, done_at BIGINT, seen_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, lease_until BIGINT
  );
  CREATE UNIQUE INDEX messages_id ON messages (account_id, message_id);
  CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'accepted';
  CREATE INDEX messages_ttl ON messages (expires_at) WHERE status IN ('accepted', 'sent');
  CREATE TABLE windows (
    sender TEXT NOT NULL, user_number TEXT NOT NULL, last_inbound_at BIGINT NOT NULL,
    PRIMARY KEY (sender, user_number)
  );
  CREATE TABLE inbound (
    message_id TEXT PRIMARY KEY, sender TEXT NOT NULL, user_number TEXT NOT NULL, content TEXT NOT NULL,
    received_at BIGINT NOT NULL, context_message_id TEXT, contact_name TEXT,
    arrival BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX inbound_pair ON inbound (sender, user_number);
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL,
    reports INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT, state TEXT NOT NULL DEFAULT 'pending', last_error TEXT, delivered_at BIGINT
  );
  CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE state = 'pending';
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE sandbox_rules (
    id TEXT PRIMARY KEY, pattern TEXT NOT NULL, behaviour TEXT NOT NULL, deliver_delay_ms BIGINT,
    read_delay_ms BIGINT, read_delay_set INTEGER NOT NULL, error_code INTEGER, error_title TEXT,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE handset_messages (
    seq BIGINT PRIMARY KEY, phone TEXT NOT NULL, sender TEXT NOT NULL, message_id TEXT NOT NULL,
    content TEXT NOT NULL, reply_to TEXT, state TEXT NOT NULL, received_at BIGINT NOT NULL, next_event_at BIGINT,
    read_delay_ms BIGINT, expires_at BIGINT NOT NULL
  );
  CREATE INDEX handset_due ON handset_messages (next_event_at) WHERE next_event_at IS NOT NULL;
  CREATE INDEX handset_phone ON handset_messages (phone, seq);
  `,
  },
  // Meta and Sinch faces: per-face webhook settings, sender ids in those dialects, signed webhooks.
  both(`
  ALTER TABLE accounts ADD COLUMN face_settings TEXT;
  ALTER TABLE senders ADD COLUMN meta_phone_number_id TEXT;
  ALTER TABLE senders ADD COLUMN sinch_bot_id TEXT;
  CREATE UNIQUE INDEX senders_meta_id ON senders (meta_phone_number_id);
  CREATE UNIQUE INDEX senders_sinch_id ON senders (sinch_bot_id);
  ALTER TABLE webhooks ADD COLUMN headers TEXT;
  ALTER TABLE messages ADD COLUMN category TEXT;
  `),
  // URL shortening: domains per account, short links (stored with their message), clicks.
  {
    sqlite: `
  CREATE TABLE url_domains (
    account_id TEXT NOT NULL, domain TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (account_id, domain)
  ) WITHOUT ROWID;
  CREATE TABLE short_links (
    code TEXT PRIMARY KEY, account_id TEXT NOT NULL, message_id TEXT NOT NULL, url TEXT NOT NULL, domain TEXT,
    tracking_url TEXT, created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE link_clicks (seq INTEGER PRIMARY KEY, code TEXT NOT NULL, clicked_at INTEGER NOT NULL, user_agent TEXT);
  CREATE INDEX link_clicks_code ON link_clicks (code);
  `,
    postgres: `
  CREATE TABLE url_domains (
    account_id TEXT NOT NULL, domain TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (account_id, domain)
  );
  CREATE TABLE short_links (
    code TEXT PRIMARY KEY, account_id TEXT NOT NULL, message_id TEXT NOT NULL, url TEXT NOT NULL, domain TEXT,
    tracking_url TEXT, created_at BIGINT NOT NULL
  );
  CREATE TABLE link_clicks (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code TEXT NOT NULL, clicked_at BIGINT NOT NULL,
    user_agent TEXT
  );
  CREATE INDEX link_clicks_code ON link_clicks (code);
  `,
  },
  // SMS failover: the failover a template carries, the SMS under way, and the simulated SMSC.
  {
    sqlite: `
  ALTER TABLE messages ADD COLUMN sms_failover TEXT;
  CREATE TABLE sms_failovers (
    seq INTEGER PRIMARY KEY, account_id TEXT NOT NULL, message_id TEXT NOT NULL, sender TEXT NOT NULL,
    recipient TEXT NOT NULL, text TEXT NOT NULL, segments INTEGER NOT NULL, state TEXT NOT NULL, smsc_id TEXT,
    outcome TEXT, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL, lease_until INTEGER, submitted_at INTEGER
  );
  CREATE INDEX sms_failovers_due ON sms_failovers (next_attempt_at) WHERE state = 'pending';
  CREATE INDEX sms_failovers_open ON sms_failovers (expires_at) WHERE state IN ('pending', 'submitted');
  CREATE INDEX sms_failovers_smsc ON sms_failovers (smsc_id) WHERE smsc_id IS NOT NULL;
  CREATE TABLE smsc_messages (
    id TEXT PRIMARY KEY, system_id TEXT NOT NULL, source TEXT NOT NULL, destination TEXT NOT NULL, text TEXT NOT NULL,
    data_coding INTEGER NOT NULL, outcome TEXT NOT NULL, received_at INTEGER NOT NULL, receipt TEXT NOT NULL
  );
  CREATE INDEX smsc_destination ON smsc_messages (destination, received_at);
  CREATE INDEX smsc_receipts ON smsc_messages (system_id) WHERE receipt = 'pending';
  CREATE TABLE smsc_rules (
    id TEXT PRIMARY KEY, pattern TEXT NOT NULL, behaviour TEXT NOT NULL, error_code INTEGER, created_at INTEGER NOT NULL
  );
  `,
    postgres: `
  ALTER TABLE messages ADD COLUMN sms_failover TEXT;
  CREATE TABLE sms_failovers (
    seq BIGINT PRIMARY KEY, account_id TEXT NOT NULL, message_id TEXT NOT NULL, sender TEXT NOT NULL,
    recipient TEXT NOT NULL, text TEXT NOT NULL, segments INTEGER NOT NULL, state TEXT NOT NULL, smsc_id TEXT,
    outcome TEXT, attempts INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL, lease_until BIGINT, submitted_at BIGINT
  );
  CREATE INDEX sms_failovers_due ON sms_failovers (next_attempt_at) WHERE state = 'pending';
  CREATE INDEX sms_failovers_open ON sms_failovers (expires_at) WHERE state IN ('pending', 'submitted');
  CREATE INDEX sms_failovers_smsc ON sms_failovers (smsc_id) WHERE smsc_id IS NOT NULL;
  CREATE TABLE smsc_messages (
    id TEXT PRIMARY KEY, system_id TEXT NOT NULL, source TEXT NOT NULL, destination TEXT NOT NULL, text TEXT NOT NULL,
    data_coding INTEGER NOT NULL, outcome TEXT NOT NULL, received_at BIGINT NOT NULL, receipt TEXT NOT NULL,
    arrival BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX smsc_destination ON smsc_messages (destination, received_at);
  CREATE INDEX smsc_receipts ON smsc_messages (system_id) WHERE receipt = 'pending';
  CREATE TABLE smsc_rules (
    id TEXT PRIMARY KEY, pattern TEXT NOT NULL, behaviour TEXT NOT NULL, error_code INTEGER, created_at BIGINT NOT NULL
  );
  `,
  },
  // Media uploaded through Meta's face, sent by id; the bytes are files beside the database.
  {
    sqlite: `
  CREATE TABLE uploaded_media (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, sender TEXT NOT NULL, mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT, created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
    postgres: `
  CREATE TABLE uploaded_media (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, sender TEXT NOT NULL, mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL, size BIGINT NOT NULL, filename TEXT, created_at BIGINT NOT NULL
  );
  `,
  },
  // The media a phone downloaded for a message (link, type, size, sha256), as JSON.
  {
    sqlite: "ALTER TABLE handset_messages ADD COLUMN media TEXT;",
    postgres: "ALTER TABLE handset_messages ADD COLUMN media TEXT;",
  },
  // The media a phone downloaded for each card of a carousel, as a JSON list.
  {
    sqlite: "ALTER TABLE handset_messages ADD COLUMN card_media TEXT;",
    postgres: "ALTER TABLE handset_messages ADD COLUMN card_media TEXT;",
  },
  // Dialects out of the schema: an account's settings per dialect (Infobip's delivery and inbound
  // URLs, the Meta and Sinch settings) in one JSON object, and senders' ids per dialect as aliases.
  {
    sqlite: `
  ALTER TABLE accounts ADD COLUMN settings TEXT;
  UPDATE accounts SET settings = nullif(json_patch(coalesce(face_settings, '{}'),
    CASE WHEN delivery_url IS NULL AND inbound_url IS NULL THEN '{}'
    ELSE json_object('infobip', json_patch('{}', json_object('deliveryUrl', delivery_url, 'inboundUrl', inbound_url))) END), '{}');
  ALTER TABLE accounts DROP COLUMN delivery_url;
  ALTER TABLE accounts DROP COLUMN inbound_url;
  ALTER TABLE accounts DROP COLUMN face_settings;
  CREATE TABLE sender_aliases (
    kind TEXT NOT NULL, alias TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (kind, alias)
  ) WITHOUT ROWID;
  CREATE INDEX sender_aliases_number ON sender_aliases (number);
  INSERT INTO sender_aliases (kind, alias, number)
    SELECT 'metaPhoneNumberId', meta_phone_number_id, number FROM senders WHERE coalesce(meta_phone_number_id, '') <> '';
  INSERT INTO sender_aliases (kind, alias, number)
    SELECT 'sinchBotId', sinch_bot_id, number FROM senders WHERE coalesce(sinch_bot_id, '') <> '';
  ALTER TABLE senders ADD COLUMN aliases TEXT NOT NULL DEFAULT '{}';
  UPDATE senders SET aliases = (SELECT json_group_object(kind, alias) FROM sender_aliases a WHERE a.number = senders.number);
  DROP INDEX senders_meta_id;
  DROP INDEX senders_sinch_id;
  ALTER TABLE senders DROP COLUMN meta_phone_number_id;
  ALTER TABLE senders DROP COLUMN sinch_bot_id;
  `,
    postgres: `
  ALTER TABLE accounts ADD COLUMN settings TEXT;
  UPDATE accounts SET settings = nullif((coalesce(face_settings, '{}')::jsonb ||
    CASE WHEN delivery_url IS NULL AND inbound_url IS NULL THEN '{}'::jsonb
    ELSE jsonb_build_object('infobip', jsonb_strip_nulls(jsonb_build_object('deliveryUrl', delivery_url, 'inboundUrl', inbound_url))) END)::text, '{}');
  ALTER TABLE accounts DROP COLUMN delivery_url;
  ALTER TABLE accounts DROP COLUMN inbound_url;
  ALTER TABLE accounts DROP COLUMN face_settings;
  CREATE TABLE sender_aliases (
    kind TEXT NOT NULL, alias TEXT NOT NULL, number TEXT NOT NULL, PRIMARY KEY (kind, alias)
  );
  CREATE INDEX sender_aliases_number ON sender_aliases (number);
  INSERT INTO sender_aliases (kind, alias, number)
    SELECT 'metaPhoneNumberId', meta_phone_number_id, number FROM senders WHERE coalesce(meta_phone_number_id, '') <> '';
  INSERT INTO sender_aliases (kind, alias, number)
    SELECT 'sinchBotId', sinch_bot_id, number FROM senders WHERE coalesce(sinch_bot_id, '') <> '';
  ALTER TABLE senders ADD COLUMN aliases TEXT NOT NULL DEFAULT '{}';
  UPDATE senders SET aliases = coalesce((SELECT json_object_agg(kind, alias)::text FROM sender_aliases a
    WHERE a.number = senders.number), '{}');
  DROP INDEX senders_meta_id;
  DROP INDEX senders_sinch_id;
  ALTER TABLE senders DROP COLUMN meta_phone_number_id;
  ALTER TABLE senders DROP COLUMN sinch_bot_id;
  `,
  },
  // Media a user sent in a chat sits beside the business's uploads: who sent it, and from whom.
  both(`
  ALTER TABLE uploaded_media ADD COLUMN origin TEXT NOT NULL DEFAULT 'upload';
  ALTER TABLE uploaded_media ADD COLUMN user_number TEXT;
  `),
  // Who sent the message an inbound quotes (the business, the user, or nobody matched).
  {
    sqlite: "ALTER TABLE inbound ADD COLUMN context_from TEXT;",
    postgres: "ALTER TABLE inbound ADD COLUMN context_from TEXT;",
  },
  // Read receipts and typing indicators as the simulated phones show them; a user's messages by user.
  {
    sqlite: `
  CREATE INDEX inbound_user ON inbound (user_number, received_at);
  CREATE TABLE handset_read_marks (
    phone TEXT NOT NULL, sender TEXT NOT NULL, message_id TEXT NOT NULL, sent_at INTEGER NOT NULL, read_at INTEGER NOT NULL,
    PRIMARY KEY (phone, sender, message_id)
  ) WITHOUT ROWID;
  CREATE TABLE handset_typing (
    phone TEXT NOT NULL, sender TEXT NOT NULL, until INTEGER NOT NULL, PRIMARY KEY (phone, sender)
  ) WITHOUT ROWID;
  `,
    postgres: `
  CREATE INDEX inbound_user ON inbound (user_number, received_at);
  CREATE TABLE handset_read_marks (
    phone TEXT NOT NULL, sender TEXT NOT NULL, message_id TEXT NOT NULL, sent_at BIGINT NOT NULL, read_at BIGINT NOT NULL,
    PRIMARY KEY (phone, sender, message_id)
  );
  CREATE TABLE handset_typing (
    phone TEXT NOT NULL, sender TEXT NOT NULL, until BIGINT NOT NULL, PRIMARY KEY (phone, sender)
  );
  `,
  },
  // WhatsApp Flows: metadata, status, the flow JSON as uploaded and what checking it found, the preview link.
  {
    sqlite: `
  CREATE TABLE flows (
    id TEXT PRIMARY KEY, waba_id TEXT NOT NULL, name TEXT NOT NULL, categories TEXT NOT NULL,
    status TEXT NOT NULL, flow_json TEXT NOT NULL, validation_errors TEXT NOT NULL,
    screens TEXT NOT NULL, initial_screens TEXT NOT NULL, endpoint_uri TEXT,
    preview_token TEXT, preview_expires_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    UNIQUE (waba_id, name)
  );
  CREATE UNIQUE INDEX flows_preview_token ON flows (preview_token) WHERE preview_token IS NOT NULL;
  `,
    postgres: `
  CREATE TABLE flows (
    id TEXT PRIMARY KEY, waba_id TEXT NOT NULL, name TEXT NOT NULL, categories TEXT NOT NULL,
    status TEXT NOT NULL, flow_json TEXT NOT NULL, validation_errors TEXT NOT NULL,
    screens TEXT NOT NULL, initial_screens TEXT NOT NULL, endpoint_uri TEXT,
    preview_token TEXT, preview_expires_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
    UNIQUE (waba_id, name)
  );
  CREATE UNIQUE INDEX flows_preview_token ON flows (preview_token) WHERE preview_token IS NOT NULL;
  `,
  },
  // Pacing (issue 12): each sender's throughput tier (null: WhatsApp's default), where its next send
  // slot starts, the slot a message holds once it has one; templates' custom time-to-live. Slots are
  // fractional milliseconds (REAL, DOUBLE PRECISION).
  {
    sqlite: `
  ALTER TABLE senders ADD COLUMN throughput_mps INTEGER;
  CREATE TABLE sender_pacing (sender TEXT PRIMARY KEY, next_slot_at REAL NOT NULL) WITHOUT ROWID;
  ALTER TABLE messages ADD COLUMN slot_at REAL;
  ALTER TABLE templates ADD COLUMN ttl_seconds INTEGER;
  `,
    postgres: `
  ALTER TABLE senders ADD COLUMN throughput_mps INTEGER;
  CREATE TABLE sender_pacing (sender TEXT PRIMARY KEY, next_slot_at DOUBLE PRECISION NOT NULL);
  ALTER TABLE messages ADD COLUMN slot_at DOUBLE PRECISION;
  ALTER TABLE templates ADD COLUMN ttl_seconds INTEGER;
  `,
  },
  // Accounts by API: many keys per account, stored as SHA-256 hashes (the old plain key becomes
  // the first, and the column that held it the account's own random secret); senders' settings.
  // SQLite's openbsp_sha256 is api-key-store.ts's hashApiKey (schema.ts registers it): the hex
  // SHA-256 of the key's UTF-8 bytes, which PostgreSQL computes itself.
  {
    sqlite: `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, name TEXT,
    created_at INTEGER NOT NULL, revoked_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX api_keys_account ON api_keys (account_id);
  INSERT INTO api_keys (id, account_id, hash, hint, created_at)
    SELECT 'key-' || id, id, openbsp_sha256(api_key), substr(api_key, -4), 0 FROM accounts;
  UPDATE accounts SET api_key = lower(hex(randomblob(32)));
  ALTER TABLE senders ADD COLUMN settings TEXT;
  `,
    postgres: `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, name TEXT,
    created_at BIGINT NOT NULL, revoked_at BIGINT
  );
  CREATE INDEX api_keys_account ON api_keys (account_id);
  INSERT INTO api_keys (id, account_id, hash, hint, created_at)
    SELECT 'key-' || id, id, encode(sha256(convert_to(api_key, 'UTF8')), 'hex'), right(api_key, 4), 0 FROM accounts;
  UPDATE accounts SET api_key = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  ALTER TABLE senders ADD COLUMN settings TEXT;
  `,
  },
  // The webhook delivery log (every attempt), what each webhook reports on, and endpoint health
  // (disabled after a failure window; their webhooks then kept as dead letters, state 'dead').
  {
    sqlite: `
  ALTER TABLE webhooks ADD COLUMN message_ids TEXT;
  ALTER TABLE webhooks ADD COLUMN subscription_id TEXT;
  CREATE INDEX webhooks_created ON webhooks (created_at);
  CREATE TABLE webhook_attempts (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, account_id TEXT NOT NULL, url TEXT NOT NULL, at INTEGER NOT NULL,
    request_bytes INTEGER NOT NULL, status INTEGER, response_head TEXT, latency_ms INTEGER NOT NULL, error TEXT,
    ok INTEGER NOT NULL
  );
  CREATE INDEX webhook_attempts_event ON webhook_attempts (event_id);
  CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
  CREATE TABLE webhook_endpoints (
    account_id TEXT NOT NULL, url TEXT NOT NULL, failing_since INTEGER, disabled_at INTEGER,
    PRIMARY KEY (account_id, url)
  ) WITHOUT ROWID;
  `,
    postgres: `
  ALTER TABLE webhooks ADD COLUMN message_ids TEXT;
  ALTER TABLE webhooks ADD COLUMN subscription_id TEXT;
  CREATE INDEX webhooks_created ON webhooks (created_at);
  CREATE TABLE webhook_attempts (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, event_id TEXT NOT NULL, account_id TEXT NOT NULL,
    url TEXT NOT NULL, at BIGINT NOT NULL, request_bytes BIGINT NOT NULL, status INTEGER, response_head TEXT,
    latency_ms BIGINT NOT NULL, error TEXT, ok INTEGER NOT NULL
  );
  CREATE INDEX webhook_attempts_event ON webhook_attempts (event_id);
  CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
  CREATE TABLE webhook_endpoints (
    account_id TEXT NOT NULL, url TEXT NOT NULL, failing_since BIGINT, disabled_at BIGINT,
    PRIMARY KEY (account_id, url)
  );
  `,
  },
  // Meta's Cloud API as a carrier: a sender's carrier settings, the carrier's id of a message (Meta's
  // wamid, which its statuses name), and the webhooks Meta posts, kept raw until processed.
  {
    sqlite: `
  ALTER TABLE senders ADD COLUMN carrier TEXT;
  ALTER TABLE messages ADD COLUMN carrier_id TEXT;
  CREATE UNIQUE INDEX messages_carrier_id ON messages (carrier_id) WHERE carrier_id IS NOT NULL;
  CREATE TABLE carrier_inbox (
    seq INTEGER PRIMARY KEY, carrier TEXT NOT NULL, sender TEXT NOT NULL, body TEXT NOT NULL,
    public_base TEXT NOT NULL, received_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL, lease_until INTEGER, state TEXT NOT NULL DEFAULT 'pending', last_error TEXT
  );
  CREATE INDEX carrier_inbox_due ON carrier_inbox (next_attempt_at) WHERE state = 'pending';
  `,
    postgres: `
  ALTER TABLE senders ADD COLUMN carrier TEXT;
  ALTER TABLE messages ADD COLUMN carrier_id TEXT;
  CREATE UNIQUE INDEX messages_carrier_id ON messages (carrier_id) WHERE carrier_id IS NOT NULL;
  CREATE TABLE carrier_inbox (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, carrier TEXT NOT NULL, sender TEXT NOT NULL,
    body TEXT NOT NULL, public_base TEXT NOT NULL, received_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL, lease_until BIGINT, state TEXT NOT NULL DEFAULT 'pending', last_error TEXT
  );
  CREATE INDEX carrier_inbox_due ON carrier_inbox (next_attempt_at) WHERE state = 'pending';
  `,
  },
  // Leases carry the node that holds them (after every step main had before it, so SQLite databases
  // migrated by those keep their order), so a node starting among others frees only its own;
  // template review and the simulated phones' timers are leased too (several nodes run them).
  {
    sqlite: `
  ALTER TABLE messages ADD COLUMN lease_owner TEXT;
  ALTER TABLE webhooks ADD COLUMN lease_owner TEXT;
  ALTER TABLE sms_failovers ADD COLUMN lease_owner TEXT;
  ALTER TABLE templates ADD COLUMN lease_until INTEGER;
  ALTER TABLE templates ADD COLUMN lease_owner TEXT;
  ALTER TABLE handset_messages ADD COLUMN lease_until INTEGER;
  ALTER TABLE handset_messages ADD COLUMN lease_owner TEXT;
  ALTER TABLE carrier_inbox ADD COLUMN lease_owner TEXT;
  `,
    postgres: `
  ALTER TABLE messages ADD COLUMN lease_owner TEXT;
  ALTER TABLE webhooks ADD COLUMN lease_owner TEXT;
  ALTER TABLE sms_failovers ADD COLUMN lease_owner TEXT;
  ALTER TABLE templates ADD COLUMN lease_until BIGINT;
  ALTER TABLE templates ADD COLUMN lease_owner TEXT;
  ALTER TABLE handset_messages ADD COLUMN lease_until BIGINT;
  ALTER TABLE handset_messages ADD COLUMN lease_owner TEXT;
  ALTER TABLE carrier_inbox ADD COLUMN lease_owner TEXT;
  `,
  },
  // A short link records whether its clicks are tracked (trackClicks not false), so a click on a
  // link with no trackingUrl of its own goes to the account's CLICK subscriptions, as with Infobip.
  both(`
  ALTER TABLE short_links ADD COLUMN tracked INTEGER;
  `),
  // The per-account request limit's counters on PostgreSQL (rate-limiter-flexible's
  // RateLimiterPostgres: its columns, its names), so the limit holds for a cluster without Redis.
  // SQLite has the table too, unused (one process limits in memory), so the schemas stay alike.
  {
    sqlite: `
  CREATE TABLE account_request_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER);
  `,
    postgres: `
  CREATE TABLE account_request_limits (key VARCHAR(255) PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire BIGINT);
  `,
  },
  // Infobip's event subscriptions, notification profiles and security settings (and each
  // subscription's signing secrets) get tables of their own, out of the account's settings JSON, so
  // two changes to one account's subscriptions made at once are both kept. What an existing
  // database kept in the settings (infobip.subscriptions, .profiles, .securitySecrets, and
  // webhookSigning's "subscription.<id>.*" keys) moves into the rows, in the order it was made.
  {
    sqlite: `
  CREATE TABLE event_subscriptions (
    account_id TEXT NOT NULL, subscription_id TEXT NOT NULL, channel TEXT NOT NULL, name TEXT,
    events TEXT NOT NULL, profile_id TEXT NOT NULL, criteria TEXT NOT NULL,
    secret TEXT, previous_secret TEXT, previous_until INTEGER,
    PRIMARY KEY (account_id, subscription_id)
  );
  CREATE TABLE notification_profiles (
    account_id TEXT NOT NULL, profile_id TEXT NOT NULL, notify_url TEXT NOT NULL, auth_id TEXT,
    PRIMARY KEY (account_id, profile_id)
  );
  CREATE TABLE webhook_security (
    account_id TEXT NOT NULL, auth_id TEXT NOT NULL, type TEXT NOT NULL, credentials TEXT NOT NULL,
    PRIMARY KEY (account_id, auth_id)
  );
  INSERT INTO event_subscriptions (account_id, subscription_id, channel, name, events, profile_id, criteria,
    secret, previous_secret, previous_until)
  SELECT a.id, json_extract(s.value, '$.subscriptionId'), coalesce(json_extract(s.value, '$.channel'), 'WHATSAPP'),
    json_extract(s.value, '$.name'), coalesce(json_extract(s.value, '$.events'), '[]'),
    json_extract(s.value, '$.profileId'), coalesce(json_extract(s.value, '$.criteria'), '[]'),
    json_extract(a.settings, '$.webhookSigning."subscription.' || json_extract(s.value, '$.subscriptionId') || '.secret"'),
    json_extract(a.settings, '$.webhookSigning."subscription.' || json_extract(s.value, '$.subscriptionId') || '.previousSecret"'),
    CAST(json_extract(a.settings, '$.webhookSigning."subscription.' || json_extract(s.value, '$.subscriptionId') || '.previousUntil"') AS INTEGER)
  FROM accounts a, json_each(json_extract(a.settings, '$.infobip.subscriptions')) s
  WHERE a.settings IS NOT NULL AND json_extract(a.settings, '$.infobip.subscriptions') IS NOT NULL
  ORDER BY a.id, s.key;
  INSERT INTO notification_profiles (account_id, profile_id, notify_url, auth_id)
  SELECT a.id, json_extract(p.value, '$.profileId'), json_extract(p.value, '$.notifyUrl'), json_extract(p.value, '$.authId')
  FROM accounts a, json_each(json_extract(a.settings, '$.infobip.profiles')) p
  WHERE a.settings IS NOT NULL AND json_extract(a.settings, '$.infobip.profiles') IS NOT NULL
  ORDER BY a.id, p.key;
  INSERT INTO webhook_security (account_id, auth_id, type, credentials)
  SELECT a.id, k.key, coalesce(json_extract(k.value, '$.type'), 'BASIC'), json_remove(k.value, '$.type')
  FROM accounts a, json_each(json_extract(a.settings, '$.infobip.securitySecrets')) k
  WHERE a.settings IS NOT NULL AND json_extract(a.settings, '$.infobip.securitySecrets') IS NOT NULL
  ORDER BY a.id;
  UPDATE accounts SET settings = json_remove(settings, '$.infobip.subscriptions', '$.infobip.profiles', '$.infobip.securitySecrets')
  WHERE settings IS NOT NULL AND json_type(settings, '$.infobip') = 'object';
  UPDATE accounts SET settings = json_set(settings, '$.webhookSigning', (
    SELECT json_group_object(w.key, w.value) FROM json_each(accounts.settings, '$.webhookSigning') w
    WHERE w.key NOT LIKE 'subscription.%'))
  WHERE settings IS NOT NULL AND json_type(settings, '$.webhookSigning') = 'object';
  `,
    postgres: `
  CREATE TABLE event_subscriptions (
    account_id TEXT NOT NULL, subscription_id TEXT NOT NULL, channel TEXT NOT NULL, name TEXT,
    events TEXT NOT NULL, profile_id TEXT NOT NULL, criteria TEXT NOT NULL,
    secret TEXT, previous_secret TEXT, previous_until BIGINT,
    arrival BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (account_id, subscription_id)
  );
  CREATE TABLE notification_profiles (
    account_id TEXT NOT NULL, profile_id TEXT NOT NULL, notify_url TEXT NOT NULL, auth_id TEXT,
    arrival BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (account_id, profile_id)
  );
  CREATE TABLE webhook_security (
    account_id TEXT NOT NULL, auth_id TEXT NOT NULL, type TEXT NOT NULL, credentials TEXT NOT NULL,
    arrival BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (account_id, auth_id)
  );
  INSERT INTO event_subscriptions (account_id, subscription_id, channel, name, events, profile_id, criteria,
    secret, previous_secret, previous_until)
  SELECT a.id, s.value->>'subscriptionId', coalesce(s.value->>'channel', 'WHATSAPP'), s.value->>'name',
    coalesce(s.value->'events', '[]'::jsonb)::text, s.value->>'profileId', coalesce(s.value->'criteria', '[]'::jsonb)::text,
    a.settings::jsonb->'webhookSigning'->>('subscription.' || (s.value->>'subscriptionId') || '.secret'),
    a.settings::jsonb->'webhookSigning'->>('subscription.' || (s.value->>'subscriptionId') || '.previousSecret'),
    (a.settings::jsonb->'webhookSigning'->>('subscription.' || (s.value->>'subscriptionId') || '.previousUntil'))::bigint
  FROM accounts a CROSS JOIN LATERAL jsonb_array_elements((a.settings::jsonb->'infobip'->>'subscriptions')::jsonb)
    WITH ORDINALITY AS s(value, n)
  WHERE a.settings IS NOT NULL AND a.settings::jsonb->'infobip'->>'subscriptions' IS NOT NULL
  ORDER BY a.id, s.n;
  INSERT INTO notification_profiles (account_id, profile_id, notify_url, auth_id)
  SELECT a.id, p.value->>'profileId', p.value->>'notifyUrl', p.value->>'authId'
  FROM accounts a CROSS JOIN LATERAL jsonb_array_elements((a.settings::jsonb->'infobip'->>'profiles')::jsonb)
    WITH ORDINALITY AS p(value, n)
  WHERE a.settings IS NOT NULL AND a.settings::jsonb->'infobip'->>'profiles' IS NOT NULL
  ORDER BY a.id, p.n;
  INSERT INTO webhook_security (account_id, auth_id, type, credentials)
  SELECT a.id, k.key, coalesce(k.value->>'type', 'BASIC'), (k.value - 'type')::text
  FROM accounts a CROSS JOIN LATERAL jsonb_each((a.settings::jsonb->'infobip'->>'securitySecrets')::jsonb) AS k
  WHERE a.settings IS NOT NULL AND a.settings::jsonb->'infobip'->>'securitySecrets' IS NOT NULL
  ORDER BY a.id;
  UPDATE accounts SET settings = (settings::jsonb #- '{infobip,subscriptions}' #- '{infobip,profiles}'
    #- '{infobip,securitySecrets}')::text
  WHERE settings IS NOT NULL AND jsonb_typeof(settings::jsonb->'infobip') = 'object';
  UPDATE accounts SET settings = jsonb_set(settings::jsonb, '{webhookSigning}', coalesce((
    SELECT jsonb_object_agg(w.key, w.value) FROM jsonb_each(settings::jsonb->'webhookSigning') w
    WHERE w.key NOT LIKE 'subscription.%'), '{}'::jsonb))::text
  WHERE settings IS NOT NULL AND jsonb_typeof(settings::jsonb->'webhookSigning') = 'object';
  `,
  },
];
