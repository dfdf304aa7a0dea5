/**
 * Contract checks against the providers' published OpenAPI 3.1 documents.
 *
 * The documents are data, not copied code: they are read at runtime from
 * `<repo root>/../shared/reference/` (override with env `OPENBSP_REFERENCE_DIR`)
 * and compiled with Ajv's JSON Schema 2020-12 dialect, which is the dialect of
 * OpenAPI 3.1 schemas.
 *
 *   const infobip = loadInfobipContract();
 *   assert.deepEqual(infobip.response("post", "/whatsapp/1/message/template", 200, body), []);
 *   assert.deepEqual(infobip.webhook("receive-whatsapp-delivery-reports", dlr), []);
 *
 * Every check returns a list of human-readable errors (empty = valid) and throws
 * an Error when the method/path/status/webhook is not in the document.
 *
 * How OpenAPI 3.1 is mapped onto Ajv:
 * - The whole (pre-processed) document is registered under an `$id`; a check
 *   compiles `{ $ref: "<id>#/paths/…/schema" }`, so the document's own
 *   `$ref: "#/components/schemas/…"` resolve inside it. Response/request-body
 *   objects that are themselves `$ref`s (`#/components/responses/…`) are
 *   followed by hand first. Compiled validators are cached per JSON pointer.
 * - `strict: false` so OpenAPI keywords (`example`, `discriminator`, `xml`,
 *   `x-*`, …) are ignored as annotations; `readOnly`/`writeOnly` are
 *   annotations too (no document marks a required property with them).
 * - Formats come from ajv-formats (`date-time` needs a time zone but accepts
 *   `+0000` as well as `+00:00`; `int32`/`int64` range-check numbers). Any other
 *   `format` the document uses (`IMAGE`, `TEXT`, …) is registered as a no-op.
 * - `discriminator` with a `mapping` is enforced, not ignored: the property must
 *   hold one of the mapping keys and the value is validated against the mapped
 *   schema (see `applyDiscriminators`). Plain `oneOf` would be ambiguous for
 *   Meta, and Infobip's inheritance-style bases (no `oneOf`) would otherwise
 *   validate only the base properties.
 * - `allOf` branches with `additionalProperties: false` (Meta) become
 *   `unevaluatedProperties: false` on the composing schema; Java
 *   `Map<String, Object>` artifacts (`additionalProperties: {type: object}`,
 *   Infobip) accept any value; OpenAPI 3.0 `nullable: true` (one stray use in
 *   Meta's document) becomes a `"null"` type. See `normalizeDocument`.
 *
 * Deviations from the published schemas, each following the document's own
 * examples and /work/shared/reference/api-reference.md, are listed in
 * `patchInfobipDocument` (required fields on responses/webhooks that mark none)
 * and `patchMetaDocument` (send response; the `/whatsapp/webhooks` payload,
 * whose `WebhookPayload` schema rejects every one of Meta's examples).
 *
 * Examples of the documents that still fail (left as they are): Infobip
 * `INTERACTIVE_PAYMENT_ACKNOWLEDGEMENT` inbound (type not in the schema), payment
 * `callbackData` object-vs-array, a 13-char one-tap `signatureHash`, conversions
 * `details`; Meta send-request placeholders (`<http(s)://…>` links), location
 * lat/long as numbers, template button `index` as numbers, and non-WhatsApp-
 * messaging endpoints (QR codes, schedules, compliance info, calls).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";

// ajv-formats is CommonJS (`module.exports = plugin; exports.default = plugin`);
// under NodeNext typing the default import is the module object, at runtime the
// function itself, which also carries `.default`.
const addFormats = addFormatsModule.default;

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Checks bodies against one provider's OpenAPI document. */
export interface Contract {
  /** "infobip" or "meta". */
  readonly name: string;
  /**
   * Validate a response body (`application/json` content) of `method pathTemplate`
   * with HTTP `status`, e.g. `('post', '/whatsapp/1/message/template', 200, body)`.
   * `pathTemplate` is spelled as in the document (`/whatsapp/2/senders/{sender}/templates/{id}`).
   * An exact status is looked up first, then a range key like `4XX`. A response
   * that declares no content accepts only `undefined` or `""`.
   */
  response(method: string, pathTemplate: string, status: number, body: unknown): string[];
  /** Validate a request body (`application/json` content) of `method pathTemplate`. */
  request(method: string, pathTemplate: string, body: unknown): string[];
  /** Validate a webhook payload; see `webhookNames()`. */
  webhook(name: string, body: unknown): string[];
  /**
   * Validate against a named schema in `components.schemas`. Infobip's keys carry
   * a hash prefix (`<sha256>.ApiException`); the bare suffix is accepted when it
   * names one schema (identical copies count as one).
   */
  schema(name: string, body: unknown): string[];
  /** Names accepted by `webhook()`. */
  webhookNames(): string[];
  /** The document's named request-body examples (`application/json`) for an operation. */
  requestExamples(method: string, pathTemplate: string): Record<string, unknown>;
  /** The document's named response examples (`application/json`) for an operation and status. */
  responseExamples(method: string, pathTemplate: string, status: number): Record<string, unknown>;
  /** The document's named payload examples for a webhook. */
  webhookExamples(name: string): Record<string, unknown>;
}

const INFOBIP_FILE = "infobip-whatsapp-openapi.json";
const META_FILE = "meta-whatsapp-openapi-v23.0.yaml";
/** Meta models its webhook receiver as a path, not under `webhooks`; this is its name in `webhook()`. */
export const META_WEBHOOK = "/whatsapp/webhooks";

/** Directory holding the reference documents (`OPENBSP_REFERENCE_DIR` or `<repo>/../shared/reference`). */
export function referenceDir(): string {
  const fromEnv = process.env.OPENBSP_REFERENCE_DIR;
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  return resolve(repoRoot, "..", "shared", "reference");
}

/** True when both OpenAPI documents are readable (tests use referenceSkip() or checkContract()). */
export function referenceAvailable(): boolean {
  const dir = referenceDir();
  return existsSync(join(dir, INFOBIP_FILE)) && existsSync(join(dir, META_FILE));
}

/** In CI (`CI` set, as CI services do) a missing document fails the contract tests instead of skipping them. */
function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/**
 * Why contract tests cannot run here, for node:test's `skip` option; false when they can, and
 * always false in CI, where a missing document then fails them.
 */
export function referenceSkip(): string | false {
  if (referenceAvailable() || inCi()) return false;
  return `OpenAPI reference documents not found in ${referenceDir()} (set OPENBSP_REFERENCE_DIR)`;
}

/**
 * Checks against one provider's reference document in a subtest of `t`, so that the contract part
 * of a test is reported on its own: skipped (never passed) when the documents are missing, failed
 * in CI. `check` asserts on the contract; a test's other assertions run either way.
 */
export async function checkContract(
  t: TestContext,
  provider: "infobip" | "meta",
  check: (contract: Contract) => void,
): Promise<void> {
  const name = `matches ${provider === "infobip" ? "Infobip's" : "Meta's"} OpenAPI document`;
  await t.test(name, { skip: referenceSkip() }, () =>
    check(provider === "infobip" ? loadInfobipContract() : loadMetaContract()),
  );
}

let infobip: Contract | undefined;
let meta: Contract | undefined;

/** Infobip WhatsApp API (OpenAPI 3.1, v3.210.0). Loaded once per process. */
export function loadInfobipContract(): Contract {
  infobip ??= new OpenApiContract("infobip", patchInfobipDocument(readDocument(INFOBIP_FILE)), []);
  return infobip;
}

/** Meta WhatsApp Cloud API (OpenAPI 3.1, Graph v23.0). Loaded once per process (YAML parse takes ~1 s). */
export function loadMetaContract(): Contract {
  meta ??= new OpenApiContract("meta", patchMetaDocument(readDocument(META_FILE)), [META_WEBHOOK]);
  return meta;
}

function readDocument(file: string): JsonObject {
  const path = join(referenceDir(), file);
  if (!existsSync(path)) {
    throw new Error(
      `OpenAPI reference ${path} not found (set OPENBSP_REFERENCE_DIR)${inCi() ? "; CI is set, so a missing document fails the contract tests" : ""}`,
    );
  }
  const text = readFileSync(path, "utf8");
  const parsed: unknown = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
  if (!isObject(parsed)) throw new Error(`${path} is not an OpenAPI document`);
  return parsed;
}

/** Keys of a bare `{type: "object"}` map-value schema (see `normalizeDocument`). */
const MAP_VALUE_KEYS = new Set(["type", "description", "title", "example", "examples"]);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

class OpenApiContract implements Contract {
  private readonly ajv: Ajv2020;
  private readonly id: string;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly name: string,
    private readonly doc: JsonObject,
    private readonly webhookPaths: readonly string[],
  ) {
    normalizeDocument(doc);
    this.id = `https://openbsp.invalid/reference/${name}-openapi.json`;
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateSchema: false,
      validateFormats: true,
      logger: false,
    });
    addFormats(this.ajv);
    for (const format of collectFormats(doc)) {
      if (this.ajv.formats[format] === undefined) this.ajv.addFormat(format, true);
    }
    this.ajv.addSchema(doc, this.id);
  }

  response(method: string, pathTemplate: string, status: number, body: unknown): string[] {
    const { pointer, value } = this.responseObject(method, pathTemplate, status);
    const where = `${method.toUpperCase()} ${pathTemplate} ${status}`;
    if (!isObject(value.content)) {
      return body === undefined || body === ""
        ? []
        : [`${where} declares no response body, got ${preview(body)}`];
    }
    return this.validate(this.jsonSchemaPointer(value.content, `${pointer}/content`, where), body);
  }

  request(method: string, pathTemplate: string, body: unknown): string[] {
    const where = `${method.toUpperCase()} ${pathTemplate} request`;
    const { pointer, value } = this.requestBody(this.operationPointer(method, pathTemplate), where);
    if (!isObject(value.content)) throw new Error(`${where}: request body declares no content`);
    return this.validate(this.jsonSchemaPointer(value.content, `${pointer}/content`, where), body);
  }

  webhook(name: string, body: unknown): string[] {
    const { pointer, value } = this.requestBody(this.webhookPointer(name), `webhook ${name}`);
    if (!isObject(value.content)) throw new Error(`webhook ${name}: declares no content`);
    return this.validate(
      this.jsonSchemaPointer(value.content, `${pointer}/content`, `webhook ${name}`),
      body,
    );
  }

  schema(name: string, body: unknown): string[] {
    const schemas = componentSchemas(this.doc);
    const keys = name in schemas ? [name] : Object.keys(schemas).filter((k) => k.endsWith(`.${name}`));
    if (keys.length === 0) throw new Error(`${this.name}: no components.schemas entry named ${name}`);
    const distinct = new Set(keys.map((k) => JSON.stringify(schemas[k])));
    if (distinct.size > 1)
      throw new Error(`${this.name}: schema name ${name} is ambiguous: ${keys.join(", ")}`);
    return this.validate(`/components/schemas/${escapePointerToken(keys[0] as string)}`, body);
  }

  webhookNames(): string[] {
    const webhooks = this.doc.webhooks;
    return [...(isObject(webhooks) ? Object.keys(webhooks) : []), ...this.webhookPaths];
  }

  requestExamples(method: string, pathTemplate: string): Record<string, unknown> {
    const where = `${method.toUpperCase()} ${pathTemplate} request`;
    const { value } = this.requestBody(this.operationPointer(method, pathTemplate), where);
    return this.examplesOf(value.content);
  }

  responseExamples(method: string, pathTemplate: string, status: number): Record<string, unknown> {
    return this.examplesOf(this.responseObject(method, pathTemplate, status).value.content);
  }

  webhookExamples(name: string): Record<string, unknown> {
    return this.examplesOf(this.requestBody(this.webhookPointer(name), `webhook ${name}`).value.content);
  }

  // --- lookup --------------------------------------------------------------

  private operationPointer(method: string, pathTemplate: string): string {
    const paths = this.doc.paths;
    const pathItem = isObject(paths) ? paths[pathTemplate] : undefined;
    if (!isObject(pathItem)) {
      const near = isObject(paths) ? closest(pathTemplate, Object.keys(paths)) : [];
      throw new Error(
        `${this.name}: path ${pathTemplate} is not in the OpenAPI document` +
          (near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""),
      );
    }
    const m = method.toLowerCase();
    if (!isObject(pathItem[m])) {
      const available = METHODS.filter((x) => isObject(pathItem[x])).map((x) => x.toUpperCase());
      throw new Error(
        `${this.name}: ${method.toUpperCase()} ${pathTemplate} is not in the document (has ${available.join(", ")})`,
      );
    }
    return `/paths/${escapePointerToken(pathTemplate)}/${m}`;
  }

  private webhookPointer(name: string): string {
    const webhooks = this.doc.webhooks;
    if (isObject(webhooks) && isObject(webhooks[name])) {
      const item = webhooks[name];
      const m = METHODS.find((x) => isObject(item[x]));
      if (m === undefined) throw new Error(`${this.name}: webhook ${name} has no operation`);
      return `/webhooks/${escapePointerToken(name)}/${m}`;
    }
    if (this.webhookPaths.includes(name)) return this.operationPointer("post", name);
    throw new Error(
      `${this.name}: webhook ${name} is not in the document (known: ${this.webhookNames().join(", ")})`,
    );
  }

  private responseObject(method: string, pathTemplate: string, status: number): Located {
    const op = this.operationPointer(method, pathTemplate);
    const responses = this.at(`${op}/responses`);
    const where = `${this.name}: ${method.toUpperCase()} ${pathTemplate}`;
    if (!isObject(responses)) throw new Error(`${where} declares no responses`);
    const key = [String(status), `${String(status).charAt(0)}XX`, `${String(status).charAt(0)}xx`].find(
      (k) => responses[k] !== undefined,
    );
    if (key === undefined) {
      throw new Error(`${where} has no ${status} response (declared: ${Object.keys(responses).join(", ")})`);
    }
    return this.deref(`${op}/responses/${escapePointerToken(key)}`);
  }

  private requestBody(opPointer: string, where: string): Located {
    if (this.at(`${opPointer}/requestBody`) === undefined)
      throw new Error(`${this.name}: ${where}: no request body in the document`);
    return this.deref(`${opPointer}/requestBody`);
  }

  /** Pointer of the `application/json` (or other JSON) schema in a `content` map. */
  private jsonSchemaPointer(content: JsonObject, pointer: string, where: string): string {
    const type = jsonMediaType(content);
    if (type === undefined) {
      throw new Error(`${this.name}: ${where} has no JSON content (has ${Object.keys(content).join(", ")})`);
    }
    const media = content[type];
    if (!isObject(media) || media.schema === undefined)
      throw new Error(`${this.name}: ${where} ${type} has no schema`);
    return `${pointer}/${escapePointerToken(type)}/schema`;
  }

  private examplesOf(content: Json | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (!isObject(content)) return out;
    const type = jsonMediaType(content);
    const media = type === undefined ? undefined : content[type];
    if (!isObject(media)) return out;
    if (media.example !== undefined) out.example = media.example;
    if (isObject(media.examples)) {
      for (const [name, ex] of Object.entries(media.examples)) {
        if (isObject(ex) && ex.value !== undefined) out[name] = ex.value;
      }
    }
    return out;
  }

  /** Follow OpenAPI-level `$ref`s (e.g. `#/components/responses/ApiException401`). */
  private deref(pointer: string): Located {
    let current = pointer;
    for (let hops = 0; hops < 20; hops++) {
      const value = this.at(current);
      if (!isObject(value)) throw new Error(`${this.name}: nothing at #${current}`);
      const ref = value.$ref;
      if (typeof ref !== "string") return { pointer: current, value };
      if (!ref.startsWith("#/")) throw new Error(`${this.name}: external $ref ${ref} is not supported`);
      current = decodeURIComponent(ref.slice(1));
    }
    throw new Error(`${this.name}: $ref cycle at #${pointer}`);
  }

  private at(pointer: string): Json | undefined {
    let node: Json | undefined = this.doc;
    for (const token of pointer.split("/").slice(1)) {
      const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isObject(node)) node = node[key];
      else return undefined;
    }
    return node;
  }

  // --- validation ----------------------------------------------------------

  private validate(schemaPointer: string, body: unknown): string[] {
    let validator = this.validators.get(schemaPointer);
    if (validator === undefined) {
      const ref = `${this.id}#${schemaPointer.split("/").map(encodeURIComponent).join("/")}`;
      validator = this.ajv.compile({ $ref: ref });
      this.validators.set(schemaPointer, validator);
    }
    return validator(body) ? [] : formatErrors(validator.errors ?? []);
  }
}

interface Located {
  pointer: string;
  value: JsonObject;
}

function formatErrors(errors: readonly ErrorObject[]): string[] {
  // `if`/`then` failures from discriminator dispatch only say "must match then
  // schema"; the errors of the mapped schema itself are reported alongside.
  const useful = errors.filter((e) => e.keyword !== "if");
  const out = new Set<string>();
  for (const e of useful.length > 0 ? useful : errors) {
    const at = e.instancePath === "" ? "(root)" : e.instancePath;
    let detail = "";
    const params: Record<string, unknown> = e.params;
    if (e.keyword === "additionalProperties") detail = ` '${String(params.additionalProperty)}'`;
    else if (e.keyword === "enum") detail = `: ${JSON.stringify(params.allowedValues)}`;
    else if (e.keyword === "const") detail = `: ${JSON.stringify(params.allowedValue)}`;
    out.add(`${at} ${e.message ?? e.keyword}${detail}`);
  }
  return [...out];
}

// --- document pre-processing ------------------------------------------------

/** Generic OpenAPI → JSON Schema fixes, applied in place to a freshly parsed document. */
function normalizeDocument(doc: JsonObject): void {
  walk(doc, (node) => {
    // OpenAPI 3.0 leftover: nullable: true → add "null" to the type.
    if (node.nullable === true && typeof node.type === "string") {
      node.type = [node.type, "null"];
      delete node.nullable;
    }
    // `allOf: [{$ref: Base}, {additionalProperties: false, properties: …}]`
    // rejects Base's properties (JSON Schema evaluates each branch alone). The
    // intent — "nothing beyond the union" — is `unevaluatedProperties: false`
    // on the composing schema (Meta's message schemas use this pattern).
    if (Array.isArray(node.allOf)) {
      for (const part of node.allOf) {
        if (isObject(part) && part.additionalProperties === false) {
          delete part.additionalProperties;
          node.unevaluatedProperties = false;
        }
      }
    }
    // Java `Map<String, Object>` rendered as `additionalProperties: {type: object}`:
    // the examples put strings there (Infobip template flow-button `data`,
    // inbound flow-reply `response`, Flow JSON), so the values are left open.
    const extra = node.additionalProperties;
    if (
      isObject(extra) &&
      extra.type === "object" &&
      Object.keys(extra).every((k) => MAP_VALUE_KEYS.has(k))
    ) {
      node.additionalProperties = true;
    }
  });
  applyDiscriminators(doc);
}

/**
 * Make `discriminator.mapping` normative. For each schema S carrying a
 * discriminator (property P, mapping K → T):
 * - S gets `allOf` entries: "P ∈ keys(mapping)" and, per key, `if P == K then $ref T`;
 *   any `oneOf`/`anyOf` next to the discriminator is dropped (the dispatch is the
 *   precise version of it; OpenAPI also allows implicit mappings by schema name,
 *   neither document relies on them).
 * - Mapped schemas usually "inherit" S with `allOf: [{$ref: S}, …]`; those refs
 *   are pointed at an undiscriminated copy of S (`<S>.openbsp-base`), otherwise
 *   S → T → S would recurse forever.
 */
function applyDiscriminators(doc: JsonObject): void {
  const components = isObject(doc.components) ? doc.components : undefined;
  const schemas = components !== undefined && isObject(components.schemas) ? components.schemas : undefined;
  const bases: JsonObject[] = [];
  walk(doc, (node) => {
    const d = node.discriminator;
    if (isObject(d) && typeof d.propertyName === "string" && isObject(d.mapping)) bases.push(node);
  });
  if (bases.length === 0) return;

  // Undiscriminated copies of named bases, for the mapped schemas to inherit from.
  const plainRef = new Map<string, string>();
  if (schemas !== undefined) {
    for (const [name, schema] of Object.entries(schemas)) {
      if (!isObject(schema) || !bases.includes(schema)) continue;
      const { discriminator: _d, oneOf: _o, anyOf: _a, ...rest } = schema;
      const plainName = `${name}.openbsp-base`;
      schemas[plainName] = structuredClone(rest);
      plainRef.set(`#/components/schemas/${name}`, `#/components/schemas/${escapePointerToken(plainName)}`);
    }
  }

  for (const base of bases) {
    const d = base.discriminator as JsonObject;
    const prop = d.propertyName as string;
    const mapping = d.mapping as JsonObject;
    const dispatch: Json[] = [
      { if: { required: [prop] }, then: { properties: { [prop]: { enum: Object.keys(mapping) } } } },
    ];
    for (const [key, target] of Object.entries(mapping)) {
      if (typeof target !== "string") continue;
      dispatch.push({
        if: { properties: { [prop]: { const: key } }, required: [prop] },
        then: { $ref: target },
      });
      const targetSchema = schemas?.[unescapePointerToken(target.replace("#/components/schemas/", ""))];
      if (isObject(targetSchema) && Array.isArray(targetSchema.allOf)) {
        for (const part of targetSchema.allOf) {
          if (isObject(part) && typeof part.$ref === "string" && plainRef.has(part.$ref)) {
            part.$ref = plainRef.get(part.$ref) as string;
          }
        }
      }
    }
    delete base.oneOf;
    delete base.anyOf;
    base.allOf = [...(Array.isArray(base.allOf) ? base.allOf : []), ...dispatch];
  }
}

/**
 * Infobip's response and webhook schemas mark nothing as required, so `{}`
 * would pass as a send response, an error body or a delivery report. As for
 * Meta's send response (a flaw the reference README names), the helper
 * requires what every one of the document's examples carries and
 * api-reference.md A.3/A.6/A.9 lists; nothing is required that an example lacks.
 */
function patchInfobipDocument(doc: JsonObject): JsonObject {
  const schemas = componentSchemas(doc);
  const requireIn = (
    name: string,
    required: string[],
    match: (s: JsonObject) => boolean = () => true,
  ): void => {
    const targets = Object.entries(schemas).filter(
      ([key, s]) => (key === name || key.endsWith(`.${name}`)) && isObject(s) && match(s),
    );
    if (targets.length === 0) throw new Error(`infobip: patch target components.schemas.*${name} is missing`);
    for (const [, s] of targets) (s as JsonObject).required = required;
  };
  const hasProperty = (key: string) => (s: JsonObject) => isObject(s.properties) && key in s.properties;
  // Send responses (POST /whatsapp/1/message/*): 23 examples, all carry these.
  requireIn("BulkMessageInfo", ["messages"]); // bulkId: api-reference says only with >1 destination
  requireIn("SingleMessageInfo", ["to", "messageCount", "messageId", "status"]);
  requireIn("SingleMessageStatus", ["groupId", "groupName", "id", "name", "description"]);
  // Error body {requestError: {serviceException: {messageId, text, validationErrors?}}}: 58 examples.
  requireIn("ApiException", ["requestError"]);
  requireIn("ApiRequestError", ["serviceException"]);
  requireIn("ApiRequestErrorDetails", ["messageId", "text"]);
  // Delivery reports: bulkId ("" in the example) and contact stay optional.
  requireIn("DeliveryResult", ["results"]);
  requireIn("Report", ["messageId", "to", "sentAt", "doneAt", "messageCount", "status", "error", "price"]);
  requireIn("Status", ["groupId", "groupName", "id", "name", "description"], hasProperty("groupId"));
  requireIn(
    "Error",
    ["groupId", "groupName", "id", "name", "description", "permanent"],
    hasProperty("permanent"),
  );
  requireIn("Price", ["pricePerMessage", "currency"], hasProperty("pricePerMessage"));
  // Seen reports: applicationId, entityId, contact stay optional.
  requireIn("SeenResult", ["results"]);
  requireIn("SeenReport", ["messageId", "from", "to", "sentAt", "seenAt"]);
  // Inbound messages (results[] items already have required fields): 22 examples.
  requireIn("WhatsAppInboundMessages", ["results", "messageCount", "pendingMessageCount"]);
  return doc;
}

/**
 * Corrections to Meta's document where its schemas contradict Meta's own
 * examples (the reference README says to follow the examples and
 * api-reference.md then). Each step says which side it follows. Every patch
 * target is looked up strictly, so a changed document fails loudly here.
 */
function patchMetaDocument(doc: JsonObject): JsonObject {
  const schemas = componentSchemas(doc);
  const node = (...path: (string | number)[]): JsonObject => dig(schemas, path, "meta: components.schemas");
  const list = (...path: (string | number)[]): Json[] => {
    const parent = node(...path.slice(0, -1));
    const value = parent[String(path[path.length - 1])];
    if (!Array.isArray(value)) throw new Error(`meta: components.schemas/${path.join("/")} is not an array`);
    return value;
  };
  const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
  const str: JsonObject = { type: "string" };

  // 1. Send response (`MessageResponsePayload`) marks nothing as required.
  //    Follows the examples and api-reference.md C.1: a send answers
  //    {messaging_product, contacts[{input, wa_id}], messages[{id, message_status?}]};
  //    the same operation answers {"success": true} to read receipts and typing
  //    indicators (example "Send typing indicator and read receipt").
  node("MessageResponsePayload", "properties", "contacts").minItems = 1;
  node("MessageResponsePayload", "properties", "contacts", "items").required = ["input", "wa_id"];
  node("MessageResponsePayload", "properties", "messages").minItems = 1;
  node("MessageResponsePayload", "properties", "messages", "items").required = ["id"];
  node("MessageResponsePayload", "properties").messaging_product = { type: "string", const: "whatsapp" };
  schemas["MessageResponsePayload.openbsp-send"] = node("MessageResponsePayload");
  schemas.MessageResponsePayload = {
    type: "object",
    if: { required: ["success"] },
    then: { properties: { success: { type: "boolean" } } },
    else: {
      ...ref("MessageResponsePayload.openbsp-send"),
      required: ["messaging_product", "contacts", "messages"],
    },
  };

  // 2. Inbound messages (`/whatsapp/webhooks`). `IncomingMessage` maps most
  //    types to the *outbound* message schemas (BaseMessageProperties requires
  //    messaging_product, recipient_type, to; media and location have the send
  //    shapes), so every inbound example failed. Follows the webhook examples
  //    and api-reference.md C.3: a common inbound base {from, id, timestamp,
  //    type, context?, referral?, errors?} plus per-type objects. Meta's
  //    inbound-only schemas (button, interactive, order, contacts, unsupported,
  //    system) are kept, re-based onto that inbound base.
  schemas.OpenBSPInboundError = {
    type: "object",
    required: ["code", "title"],
    properties: {
      code: { type: "integer" },
      title: str,
      message: str,
      error_data: { type: "object", properties: { details: str } },
      href: str,
    },
  };
  schemas.OpenBSPInboundMessageBase = {
    type: "object",
    required: ["from", "id", "timestamp", "type"],
    properties: {
      from: str,
      id: str,
      timestamp: { type: "string", pattern: "^[0-9]+$", description: "Unix seconds, as a string" },
      type: str,
      context: {
        type: "object",
        properties: {
          from: str,
          id: str,
          forwarded: { type: "boolean" },
          frequently_forwarded: { type: "boolean" },
          referred_product: { type: "object", properties: { catalog_id: str, product_retailer_id: str } },
        },
      },
      referral: {
        type: "object",
        properties: Object.fromEntries(
          ["source_url", "source_id", "source_type", "headline", "body", "media_type"]
            .concat(["image_url", "video_url", "thumbnail_url", "ctwa_clid"])
            .map((k) => [k, str]),
        ),
      },
      errors: { type: "array", items: ref("OpenBSPInboundError") },
    },
  };
  const media = (extra: JsonObject): JsonObject => ({
    type: "object",
    required: ["id", "mime_type", "sha256"],
    properties: { id: str, mime_type: str, sha256: str, ...extra },
  });
  const inbound: Record<string, JsonObject> = {
    text: { type: "object", required: ["body"], properties: { body: str } },
    reaction: { type: "object", required: ["message_id"], properties: { message_id: str, emoji: str } },
    image: media({ caption: str }),
    video: media({ caption: str }),
    audio: media({ voice: { type: "boolean" } }),
    document: media({ caption: str, filename: str }),
    sticker: media({ animated: { type: "boolean" } }),
    location: {
      type: "object",
      required: ["latitude", "longitude"],
      properties: {
        latitude: { type: "number" },
        longitude: { type: "number" },
        name: str,
        address: str,
        url: str,
      },
    },
  };
  const mapping = node("IncomingMessage", "discriminator", "mapping");
  for (const [type, payload] of Object.entries(inbound)) {
    schemas[`OpenBSPInbound.${type}`] = {
      allOf: [
        ref("OpenBSPInboundMessageBase"),
        { type: "object", required: [type], properties: { type: { const: type }, [type]: payload } },
      ],
    };
    mapping[type] = `#/components/schemas/OpenBSPInbound.${type}`;
  }
  const inboundOnly = ["ButtonMessage", "InteractiveMessageReply", "OrderMessage", "ContactSharingMessage"];
  for (const name of [...inboundOnly, "UnsupportedMessage", "SystemMessage"]) {
    const base = node(name, "allOf", 0);
    if (base.$ref !== "#/components/schemas/BaseMessageProperties")
      throw new Error(`meta: ${name} no longer extends BaseMessageProperties`);
    base.$ref = "#/components/schemas/OpenBSPInboundMessageBase";
  }
  // Unsupported: the example's errors carry {code, title, message, error_data}, not Graph's {message, type, code}.
  node("UnsupportedMessage", "allOf", 1, "properties").errors = {
    type: "array",
    items: ref("OpenBSPInboundError"),
  };
  // Flow replies (interactive.type "nfm_reply", api-reference.md C.3) are missing from the spec.
  list("InteractiveMessageReply", "allOf", 1, "properties", "interactive", "properties", "type", "enum").push(
    "nfm_reply",
  );
  node(
    "InteractiveMessageReply",
    "allOf",
    1,
    "properties",
    "interactive",
    "discriminator",
    "mapping",
  ).nfm_reply = "#/components/schemas/OpenBSPInboundNfmReply";
  schemas.OpenBSPInboundNfmReply = {
    type: "object",
    required: ["nfm_reply"],
    properties: {
      nfm_reply: {
        type: "object",
        required: ["response_json"],
        properties: { name: str, body: str, response_json: str },
      },
    },
  };
  // System events: api-reference.md C.3 lists more `system.type` values than the spec's one.
  node("SystemMessage", "allOf", 1, "properties", "system", "properties").type = {
    type: "string",
    enum: [
      "user_changed_number",
      "customer_changed_number",
      "customer_identity_changed",
      "user_changed_user_id",
    ],
  };
  // Contact cards (shared with sends): the inbound example has phones[].type "MOBILE", the spec allows HOME|WORK.
  delete node("PhoneObject", "properties", "type").enum;

  // 3. `Change.value` is a oneOf of four value shapes; pick the branch by the key
  //    that tells them apart (statuses / groups / contacts), so that errors
  //    describe one shape instead of four.
  node("Change", "properties").value = {
    if: { required: ["statuses"] },
    then: ref("StatusMessageValue"),
    else: {
      if: { required: ["groups"] },
      then: ref("GroupValue"),
      else: {
        if: { required: ["contacts"] },
        then: ref("IncomingMessageValueGeneral"),
        else: ref("IncomingMessageValueSystem"),
      },
    },
  };
  // 4. Group events: the examples send `timestamp` as a string, participant ids
  //    as numbers and field "group_participants_update"; both spellings pass.
  node("Groups", "properties", "timestamp").type = ["string", "integer"];
  node("GroupParticipant", "properties", "input").type = ["string", "integer"];
  node("GroupParticipant", "properties", "wa_id").type = ["string", "integer"];
  list("Change", "properties", "field", "enum").push("group_participants_update");

  // 5. Sends: `recipient_type` (default "individual") and template
  //    `language.policy` are absent from most examples and optional in
  //    api-reference.md C.1.
  node("BaseMessageProperties").required = list("BaseMessageProperties", "required").filter(
    (k) => k !== "recipient_type",
  );
  node("LanguageObject").required = list("LanguageObject", "required").filter((k) => k !== "policy");
  return doc;
}

/** Walk `path` from `root`; every step must be an object (or array index). */
function dig(root: JsonObject, path: readonly (string | number)[], what: string): JsonObject {
  let current: Json = root;
  for (const step of path) {
    const next: Json | undefined = Array.isArray(current)
      ? current[Number(step)]
      : isObject(current)
        ? current[String(step)]
        : undefined;
    if (next === undefined || next === null || typeof next !== "object") {
      throw new Error(`${what}/${path.join("/")}: missing at ${String(step)}`);
    }
    current = next;
  }
  if (!isObject(current)) throw new Error(`${what}/${path.join("/")} is not an object`);
  return current;
}

function componentSchemas(doc: JsonObject): JsonObject {
  const components = doc.components;
  if (!isObject(components) || !isObject(components.schemas))
    throw new Error("OpenAPI document has no components.schemas");
  return components.schemas;
}

// --- small helpers ------------------------------------------------------------

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function walk(node: Json, visit: (node: JsonObject) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (isObject(node)) {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

function collectFormats(doc: JsonObject): Set<string> {
  const formats = new Set<string>();
  walk(doc, (node) => {
    if (typeof node.format === "string") formats.add(node.format);
  });
  return formats;
}

function jsonMediaType(content: JsonObject): string | undefined {
  const types = Object.keys(content);
  return (
    types.find((t) => t === "application/json") ??
    types.find((t) => t.startsWith("application/json")) ??
    types.find((t) => /\+json\b/.test(t))
  );
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function closest(wanted: string, candidates: string[]): string[] {
  const tail = wanted.split("/").filter(Boolean).slice(-2).join("/");
  return candidates.filter((c) => tail !== "" && c.includes(tail)).slice(0, 5);
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
