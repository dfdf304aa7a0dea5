/**
 * The Meta face on odd input and at its edges: wrong shapes in the loosely typed parts of a send
 * (template button actions, offers, flow parameters) are a 400 naming the field, never a 500.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall, PHONE_ID, WABA_ID } from "./support/meta.ts";

describe("Meta face robustness", () => {
  let server: TestServer;
  const user = "447700940001";
  const send = (body: Record<string, unknown>) =>
    metaCall(server.url, "POST", `/v23.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: user,
      ...body,
    });
  const template = (name: string, components: unknown[]) => ({
    type: "template",
    template: { name, language: { code: "en" }, components },
  });
  const body = (text = "A") => ({ type: "body", parameters: [{ type: "text", text }] });

  before(async () => {
    server = await startServer({ OPENBSP_BUSINESS_VERIFIED: "true" });
    await server.call("POST", `/sandbox/phones/${user}/messages`, { to: SENDER, text: "hi" });
    for (const [name, buttons] of [
      ["picks_mpm", [{ type: "MPM", text: "View items" }]],
      ["book_flow", [{ type: "FLOW", text: "Book", flow_id: "123", flow_action: "navigate" }]],
    ] as const) {
      const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
        name,
        language: "en",
        category: "MARKETING",
        components: [
          { type: "BODY", text: "Picked for you this week." },
          { type: "BUTTONS", buttons },
        ],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
    }
  });
  after(async () => {
    await server.close();
  });

  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    [
      "an offer expiring beyond any date",
      () =>
        template("welcome", [
          body(),
          {
            type: "limited_time_offer",
            parameters: [{ type: "limited_time_offer", limited_time_offer: { expiration_time_ms: 1e300 } }],
          },
        ]),
      /expiration_time_ms/,
    ],
    [
      "an offer expiring before 1970",
      () =>
        template("welcome", [
          body(),
          {
            type: "limited_time_offer",
            parameters: [{ type: "limited_time_offer", limited_time_offer: { expiration_time_ms: -9e15 } }],
          },
        ]),
      /expiration_time_ms/,
    ],
    [
      "multi-product sections that are not a list",
      () =>
        template("picks_mpm", [
          {
            type: "button",
            sub_type: "mpm",
            index: "0",
            parameters: [
              { type: "action", action: { thumbnail_product_retailer_id: "s1", sections: "hats" } },
            ],
          },
        ]),
      /sections/,
    ],
    [
      "multi-product items that are not a list",
      () =>
        template("picks_mpm", [
          {
            type: "button",
            sub_type: "mpm",
            index: "0",
            parameters: [
              {
                type: "action",
                action: {
                  thumbnail_product_retailer_id: "s1",
                  sections: [{ title: "Hats", product_items: "h1" }],
                },
              },
            ],
          },
        ]),
      /product_items/,
    ],
    [
      "flow button data that is not an object",
      () =>
        template("book_flow", [
          {
            type: "button",
            sub_type: "flow",
            index: "0",
            parameters: [{ type: "action", action: { flow_token: "t", flow_action_data: "party" } }],
          },
        ]),
      /flow_action_data/,
    ],
    [
      "an interactive flow whose data is not an object",
      () => ({
        type: "interactive",
        interactive: {
          type: "flow",
          body: { text: "Book" },
          action: {
            name: "flow",
            parameters: { flow_id: "1", flow_cta: "Go", flow_action_payload: { screen: "A", data: "party" } },
          },
        },
      }),
      /flow_action_payload\.data/,
    ],
    [
      "an interactive flow whose version is not a number",
      () => ({
        type: "interactive",
        interactive: {
          type: "flow",
          body: { text: "Book" },
          action: {
            name: "flow",
            parameters: { flow_id: "1", flow_cta: "Go", flow_message_version: { v: 3 } },
          },
        },
      }),
      /flow_message_version/,
    ],
  ];
  for (const [what, make, field] of cases) {
    it(`${what} → 400 naming the field`, async () => {
      const res = await send(make());
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 131009, JSON.stringify(res.body));
      assert.match(res.body.error.error_data.details, field);
    });
  }

  it("deletes by hsm_id only the template with that id; by name alone, every language", async () => {
    const ids: Record<string, string> = {};
    for (const language of ["en", "es", "fr"]) {
      const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
        name: "multi_lang",
        language,
        category: "UTILITY",
        components: [{ type: "BODY", text: "Your order is on its way." }],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      ids[language] = created.body.id;
    }
    const languages = async () =>
      (
        (await metaCall(server.url, "GET", `/v23.0/${WABA_ID}/message_templates?name=multi_lang`)).body
          .data as { language: string }[]
      )
        .map((t) => t.language)
        .sort();
    const one = await metaCall(
      server.url,
      "DELETE",
      `/v23.0/${WABA_ID}/message_templates?name=multi_lang&hsm_id=${ids.es}`,
    );
    assert.deepEqual(one.body, { success: true });
    assert.deepEqual(await languages(), ["en", "fr"]);
    assert.equal((await send(template("multi_lang", []))).status, 200, "the English one still sends");
    const rest = await metaCall(server.url, "DELETE", `/v23.0/${WABA_ID}/message_templates?name=multi_lang`);
    assert.deepEqual(rest.body, { success: true });
    assert.deepEqual(await languages(), []);
  });

  it("answers Graph edges it does not serve with Meta's error object (clients read error.code), not a bare 404", async () => {
    for (const [method, path] of [
      ["GET", `/v23.0/${PHONE_ID}/whatsapp_business_profile`],
      ["POST", `/v23.0/${PHONE_ID}/register`],
      ["POST", `/v21.0/${WABA_ID}/assigned_users`],
      ["GET", `/${PHONE_ID}/message_qrdls`],
    ]) {
      const res = await metaCall(
        server.url,
        method as string,
        path as string,
        method === "POST" ? {} : undefined,
      );
      assert.equal(res.status, 501, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.error.code, "number", JSON.stringify(res.body));
      assert.equal(res.body.error.type, "OAuthException");
      assert.match(res.body.error.error_data.details, /not built/);
    }
  });

  it("pages a filtered template list through absolute next/previous links that keep the filters", async () => {
    for (const name of ["page_a", "page_b", "page_c"]) {
      const created = await metaCall(server.url, "POST", `/v23.0/${WABA_ID}/message_templates`, {
        name,
        language: "en",
        category: "UTILITY",
        components: [{ type: "BODY", text: "Your parcel has left." }],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
    }
    const names: string[] = [];
    let url: string | undefined = `${server.url}/v23.0/${WABA_ID}/message_templates?name=page_&limit=1`;
    let last: { paging: { previous?: string } } | undefined;
    while (url) {
      const res = await fetch(url, { headers: { authorization: "Bearer test-api-key-0001" } });
      const page = (await res.json()) as {
        data: { name: string }[];
        paging: { next?: string; previous?: string };
      };
      names.push(...page.data.map((t) => t.name));
      url = page.paging.next;
      last = page;
      assert.ok(names.length <= 3, `followed next past the filtered list: ${names}`);
    }
    assert.deepEqual(names.sort(), ["page_a", "page_b", "page_c"]);
    const back = await fetch(last?.paging.previous ?? "", {
      headers: { authorization: "Bearer test-api-key-0001" },
    });
    const prev = (await back.json()) as { data: { name: string }[] };
    assert.equal(prev.data.length, 1);
    assert.match(prev.data[0]?.name ?? "", /^page_/);
  });

  it("sends a contact named by its last name alone as such (first_name is optional on Meta), and refuses one with no name part", async () => {
    const res = await send({
      type: "contacts",
      contacts: [{ name: { formatted_name: "Dr Smith", last_name: "Smith", prefix: "Dr" } }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const id = res.body.messages[0].id;
    const got = await eventually(async () =>
      (
        (await server.call("GET", `/sandbox/phones/${user}/messages`)).body.messages as {
          messageId: string;
          content: { contacts: unknown[] };
        }[]
      ).find((m) => m.messageId === id),
    );
    assert.deepEqual(got.content.contacts[0], {
      name: { formattedName: "Dr Smith", lastName: "Smith", namePrefix: "Dr" },
    });
    const bare = await send({ type: "contacts", contacts: [{ name: { formatted_name: "Smith" } }] });
    assert.equal(bare.status, 400, JSON.stringify(bare.body));
    assert.equal(bare.body.error.code, 131009);
    assert.match(bare.body.error.error_data.details, /contacts\[0\]\.name/);
  });
});
