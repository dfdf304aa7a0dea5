/**
 * Meta's Flows API end to end over Graph paths (create with flow_json, list, get with fields and
 * `fields=preview`, update, assets upload as multipart and download, publish, deprecate, delete),
 * each answer validated against Meta's OpenAPI document, with Meta's error codes; a flow made on
 * one face is the same flow on Infobip's.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkContract } from "./support/contracts.ts";
import { SIGN_UP_FLOW } from "./support/flows.ts";
import { API_KEY, type ApiAnswer, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, WABA_ID } from "./support/meta.ts";

const V = "/v23.0";

describe("Meta's Flows API", () => {
  let server: TestServer;
  const meta = (method: string, path: string, body?: unknown) =>
    metaCall(server.url, method, `${V}${path}`, body);
  /** A multipart POST, as Meta's clients upload flow.json. */
  async function upload(path: string, json: string, fields: Record<string, string> = {}): Promise<ApiAnswer> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("file", new Blob([json], { type: "application/json" }), "flow.json");
    const res = await fetch(`${server.url}${V}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}` },
      body: form,
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it("create → upload JSON → publish → update refused → deprecate, as Meta answers each", async (t) => {
    const created = await meta("POST", `/${WABA_ID}/flows`, {
      name: "meta sign up",
      categories: ["SIGN_UP"],
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = created.body.id as string;
    const draft = await meta("GET", `/${id}`);
    assert.deepEqual(draft.body, {
      id,
      name: "meta sign up",
      status: "DRAFT",
      categories: ["SIGN_UP"],
      validation_errors: [],
    });

    const text = JSON.stringify(SIGN_UP_FLOW, null, 2);
    const assets = await upload(`/${id}/assets`, text, { name: "flow.json", asset_type: "FLOW_JSON" });
    assert.deepEqual(assets.body, { success: true, validation_errors: [] });
    const listAssets = await meta("GET", `/${id}/assets`);
    assert.equal(listAssets.body.data[0].asset_type, "FLOW_JSON");
    assert.equal(await (await fetch(listAssets.body.data[0].download_url)).text(), text);

    const renamed = await meta("POST", `/${id}`, {
      name: "meta sign up 2",
      categories: '["SIGN_UP","OTHER"]',
    });
    assert.deepEqual(renamed.body, { success: true });
    const published = await meta("POST", `/${id}/publish`);
    assert.deepEqual(published.body, { success: true });
    const fields = await meta("GET", `/${id}?fields=id,name,status,json_version,preview`);
    assert.equal(fields.body.status, "PUBLISHED");
    assert.equal(fields.body.json_version, "7.2");
    assert.match(fields.body.preview.preview_url, /\/flows\/preview\/[\w-]+$/);
    assert.match(fields.body.preview.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);

    const refused = await meta("POST", `/${id}`, { name: "too late" });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 139001);
    assert.match(refused.body.error.error_data.details, /it is PUBLISHED/);
    const reupload = await upload(`/${id}/assets`, text, { asset_type: "FLOW_JSON" });
    assert.equal(reupload.body.error.code, 139001);
    const undeletable = await meta("DELETE", `/${id}`);
    assert.equal(undeletable.body.error.code, 139004);
    const deprecated = await meta("POST", `/${id}/deprecate`);
    assert.deepEqual(deprecated.body, { success: true });
    const again = await meta("POST", `/${id}/deprecate`);
    assert.equal(again.body.error.code, 139003);

    // The same flow on Infobip's face.
    const infobip = await server.call("GET", `/whatsapp/1/senders/${SENDER}/flows`);
    const same = infobip.body.flows.find((f: { id: string }) => f.id === id);
    assert.deepEqual(
      [same.name, same.status, same.categories],
      ["meta sign up 2", "DEPRECATED", ["SIGN_UP", "OTHER"]],
    );

    await checkContract(t, "meta", (c) => {
      assert.deepEqual(c.response("post", "/{Version}/{WABA-ID}/flows", 200, created.body), []);
      assert.deepEqual(c.response("get", "/{Version}/{Flow-ID}", 200, draft.body), []);
      assert.deepEqual(c.response("get", "/{Version}/{Flow-ID}", 200, fields.body), []);
      assert.deepEqual(c.response("post", "/{Version}/{Flow-ID}", 200, renamed.body), []);
      assert.deepEqual(c.response("post", "/{Version}/{Flow-ID}/assets", 200, assets.body), []);
      assert.deepEqual(c.response("get", "/{Version}/{Flow-ID}/assets", 200, listAssets.body), []);
      assert.deepEqual(c.response("post", "/{Version}/{Flow-ID}/publish", 200, published.body), []);
      assert.deepEqual(c.response("post", "/{Version}/{Flow-ID}/deprecate", 200, deprecated.body), []);
    });
  });

  it("create with flow_json and publish: refused with the JSON's validation errors, or published at once", async (t) => {
    const broken = structuredClone(SIGN_UP_FLOW) as Record<string, unknown>;
    broken.version = "1.0";
    const refused = await meta("POST", `/${WABA_ID}/flows`, {
      name: "broken",
      categories: ["OTHER"],
      flow_json: JSON.stringify(broken),
      publish: true,
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 139002);
    const draft = await meta("POST", `/${WABA_ID}/flows`, {
      name: "broken",
      categories: ["OTHER"],
      flow_json: JSON.stringify(broken, null, 2),
    });
    assert.equal(draft.status, 200);
    assert.deepEqual(
      draft.body.validation_errors.map(
        (e: { error: string; line_start: number; pointers: { path: string }[] }) => [
          e.error,
          e.line_start,
          e.pointers[0]?.path,
        ],
      ),
      [["INVALID_FLOW_JSON_VERSION", 2, "$root/version"]],
    );
    const publishBroken = await meta("POST", `/${draft.body.id}/publish`);
    assert.equal(publishBroken.body.error.code, 139002);
    const ok = await meta("POST", `/${WABA_ID}/flows`, {
      name: "at once",
      categories: ["SURVEY"],
      flow_json: JSON.stringify(SIGN_UP_FLOW),
      publish: true,
    });
    assert.equal((await meta("GET", `/${ok.body.id}`)).body.status, "PUBLISHED");
    const list = await meta("GET", `/${WABA_ID}/flows`);
    assert.deepEqual(
      list.body.data.map((f: { name: string }) => f.name),
      ["meta sign up 2", "broken", "at once"],
    );
    await checkContract(t, "meta", (c) => {
      assert.deepEqual(c.response("get", "/{Version}/{WABA-ID}/flows", 200, list.body), []);
    });
  });

  it("a draft is deleted; a taken name, a missing field, another's flow are refused", async () => {
    const id = (await meta("POST", `/${WABA_ID}/flows`, { name: "to delete", categories: ["OTHER"] })).body
      .id;
    const taken = await meta("POST", `/${WABA_ID}/flows`, { name: "to delete", categories: ["OTHER"] });
    assert.equal(taken.body.error.code, 100);
    assert.match(taken.body.error.error_data.details, /not unique/);
    const missing = await meta("POST", `/${WABA_ID}/flows`, { name: "no categories" });
    assert.match(missing.body.error.error_data.details, /categories is required/);
    const wrong = await meta("POST", `/${WABA_ID}/flows`, { name: "x", categories: ["PARTY"] });
    assert.match(wrong.body.error.error_data.details, /"PARTY" is not one of/);
    assert.deepEqual((await meta("DELETE", `/${id}`)).body, { success: true });
    const gone = await meta("GET", `/${id}`);
    assert.equal(gone.body.error.code, 100);
    assert.equal(gone.body.error.error_subcode, 33);
    const otherWaba = await meta("GET", "/999999999/flows");
    assert.equal(otherWaba.body.error.error_subcode, 33);
  });
});
