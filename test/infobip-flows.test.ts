/**
 * Infobip's Flows API end to end: every request example of Infobip's OpenAPI document for the flows
 * paths is sent, and every answer validated against the document, through the whole lifecycle
 * (create → put JSON → publish → update refused → deprecate), with Infobip's error bodies.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Contract, loadInfobipContract, referenceSkip } from "./support/contracts.ts";
import { SIGN_UP_FLOW } from "./support/flows.ts";
import { request, SENDER, startServer, type TestServer } from "./support/harness.ts";

const skip = referenceSkip();
const FLOWS = "/whatsapp/1/senders/{sender}/flows";
const FLOW = `${FLOWS}/{flowId}`;
const base = `/whatsapp/1/senders/${SENDER}/flows`;

describe("Infobip's Flows API against Infobip's OpenAPI document", { skip }, () => {
  let server: TestServer;
  let contract: Contract;
  /** Asserts the answer's status and that its body is what the document says for it. */
  const answers = (method: string, path: string, res: { status: number; body: unknown }, status: number) => {
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(contract.response(method, path, status, res.body), [], `${method} ${path} ${status}`);
  };
  const example = (method: string, path: string, name: string) => {
    const value = contract.requestExamples(method, path)[name];
    assert.ok(value !== undefined, `the document has the example "${name}"`);
    return value;
  };

  before(async () => {
    contract = loadInfobipContract();
    server = await startServer();
  });
  after(() => server.close());

  it("create, list, update, JSON, publish, refusals, deprecate: every example, every answer", async () => {
    assert.deepEqual(Object.keys(contract.requestExamples("post", FLOWS)).sort(), [
      "Cloning create flow request",
      "Simple create flow request",
    ]);
    const created = await server.call("POST", base, example("post", FLOWS, "Simple create flow request"));
    answers("post", FLOWS, created, 201);
    assert.equal(created.body.status, "DRAFT");
    assert.equal(created.body.businessAccountId, Number(server.seeded.template.wabaId));
    const id = created.body.id as string;

    // The cloning example names a flow that does not exist here (and a name now taken): refused.
    const cloneExample = await server.call(
      "POST",
      base,
      example("post", FLOWS, "Cloning create flow request"),
    );
    answers("post", FLOWS, cloneExample, 400);
    assert.deepEqual(cloneExample.body.violations[0].property, "cloneFlowId");
    const sameName = await server.call("POST", base, { name: "My flow", categories: ["OTHER"] });
    answers("post", FLOWS, sameName, 400);
    assert.equal(sameName.body.violations[0].violation, "Flow with given name already exists.");

    const updated = await server.call(
      "PATCH",
      `${base}/${id}`,
      example("patch", FLOW, "Update flow request"),
    );
    answers("patch", FLOW, updated, 204);

    // The document's own flow JSON example has `screens` as an object: stored, with its error found.
    const putExample = await server.call(
      "PUT",
      `${base}/${id}/json`,
      example("put", `${FLOW}/json`, "Exemplary Flow JSON body request"),
    );
    answers("put", `${FLOW}/json`, putExample, 201);
    assert.deepEqual(
      putExample.body.validationErrors.map((e: { error: string }) => e.error),
      ["INVALID_PROPERTY_TYPE"],
    );
    const early = await server.call("POST", `${base}/${id}/publish`);
    answers("post", `${FLOW}/publish`, early, 400);
    assert.match(early.body.violations[0].violation, /validation error/);

    const text = JSON.stringify(SIGN_UP_FLOW, null, 2);
    const put = await server.call("PUT", `${base}/${id}/json`, text);
    answers("put", `${FLOW}/json`, put, 201);
    assert.deepEqual(put.body.validationErrors, []);

    const json = await server.call("GET", `${base}/${id}/json`);
    answers("get", `${FLOW}/json`, json, 200);
    const download = await fetch(json.body.externalDownloadUrl);
    assert.equal(await download.text(), text, "the download is the JSON as uploaded, without login");

    const list = await server.call("GET", base);
    answers("get", FLOWS, list, 200);
    assert.deepEqual(
      list.body.flows.map((f: { id: string; name: string; categories: string[] }) => [
        f.id,
        f.name,
        f.categories,
      ]),
      [[id, "My new name", ["CONTACT_US"]]],
    );

    answers("post", `${FLOW}/publish`, await server.call("POST", `${base}/${id}/publish`), 204);
    const again = await server.call("POST", `${base}/${id}/publish`);
    answers("post", `${FLOW}/publish`, again, 400);
    assert.match(again.body.violations[0].violation, /it is PUBLISHED/);
    const listed = (await server.call("GET", base)).body.flows[0];
    assert.deepEqual([listed.status, listed.initialScreens], ["PUBLISHED", ["WELCOME"]]);

    const frozen = await server.call("PATCH", `${base}/${id}`, { name: "Too late" });
    answers("patch", FLOW, frozen, 400);
    assert.deepEqual(frozen.body.violations[0].property, "flowId");
    assert.match(
      frozen.body.violations[0].violation,
      /it is PUBLISHED, and only a DRAFT flow can be modified/,
    );
    answers("put", `${FLOW}/json`, await server.call("PUT", `${base}/${id}/json`, SIGN_UP_FLOW), 400);
    const undeletable = await server.call("DELETE", `${base}/${id}`);
    answers("delete", FLOW, undeletable, 400);
    assert.equal(undeletable.body.description, "Deletion attempt failed.");

    answers("post", `${FLOW}/deprecate`, await server.call("POST", `${base}/${id}/deprecate`), 204);
    const twice = await server.call("POST", `${base}/${id}/deprecate`);
    answers("post", `${FLOW}/deprecate`, twice, 400);
    assert.match(twice.body.violations[0].violation, /already DEPRECATED/);

    const preview = await server.call("GET", `${base}/${id}/preview`);
    answers("get", `${FLOW}/preview`, preview, 200);
    assert.ok(Date.parse(preview.body.expiresAt) - server.clock.now() > 29 * 86_400_000);
  });

  it("a clone copies the source's JSON; a draft can be deleted", async () => {
    const source = (await server.call("POST", base, { name: "source", categories: ["SURVEY"] })).body.id;
    await server.call("PUT", `${base}/${source}/json`, SIGN_UP_FLOW);
    const clone = await server.call("POST", base, {
      name: "clone",
      categories: ["SIGN_IN"],
      cloneFlowId: source,
    });
    answers("post", FLOWS, clone, 201);
    const json = await server.call("GET", `${base}/${clone.body.id}/json`);
    assert.deepEqual(await (await fetch(json.body.externalDownloadUrl)).json(), SIGN_UP_FLOW);
    answers("delete", FLOW, await server.call("DELETE", `${base}/${clone.body.id}`), 204);
    const gone = await server.call("GET", `${base}/${clone.body.id}/json`);
    answers("get", `${FLOW}/json`, gone, 404);
    assert.equal(gone.body.errorCode, "WA-FLOW-ID404");
  });

  it("an unknown sender, a body that fails the schema, no credentials", async () => {
    const other = await server.call("GET", "/whatsapp/1/senders/15550001111/flows");
    answers("get", FLOWS, other, 404);
    assert.equal(other.body.errorCode, "WA-FLOW-SENDER404");
    const bad = await server.call("POST", base, { name: "", categories: ["NOPE"] });
    answers("post", FLOWS, bad, 400);
    assert.deepEqual(bad.body.violations.map((v: { property: string }) => v.property).sort(), [
      "categories[0]",
      "name",
    ]);
    assert.equal((await request(server.url, "GET", base)).status, 401);
  });

  it("flow JSON problems are reported at their line and column in the uploaded text", async () => {
    const id = (await server.call("POST", base, { name: "lines", categories: ["OTHER"] })).body.id;
    const broken = structuredClone(SIGN_UP_FLOW) as typeof SIGN_UP_FLOW;
    (broken.screens[0]?.layout.children[1] as Record<string, unknown>)["initial-text"] = "x";
    const text = JSON.stringify(broken, null, 2);
    const put = await server.call("PUT", `${base}/${id}/json`, text);
    answers("put", `${FLOW}/json`, put, 201);
    const line = text.split("\n").findIndex((l) => l.includes('"initial-text"')) + 1;
    assert.deepEqual(put.body.validationErrors, [
      {
        error: "INVALID_PROPERTY",
        errorType: "JSON_SCHEMA_ERROR",
        message: 'The property "initial-text" cannot be specified at "$root/screens/0/layout/children/1".',
        lineStart: line,
        lineEnd: line,
        columnStart: 13,
        columnEnd: 26,
      },
    ]);
  });
});
