import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SEED } from "../src/app/seed.ts";
import {
  API_KEY,
  type ApiAnswer,
  eventually,
  request,
  SENDER,
  startServer,
  type TestServer,
} from "./support/harness.ts";

const TEMPLATES = `/whatsapp/2/senders/${SENDER}/templates`;
const DAY_MS = 86_400_000;
const INFOBIP_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

/** A UTILITY registration body; `structure` and the rest can be overridden. */
function utility(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    language: "en",
    category: "UTILITY",
    structure: { body: { text: "Your order {{1}} is ready.", examples: ["42"] } },
    ...extra,
  };
}

/** The validationErrors of a 400 answer (asserting it is one). */
function validationErrors(res: ApiAnswer): Record<string, string[]> {
  assert.equal(res.status, 400, `expected a 400, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.requestError.serviceException.messageId, "BAD_REQUEST");
  const errors = res.body.requestError.serviceException.validationErrors;
  assert.ok(errors && typeof errors === "object", "the 400 names the wrong fields");
  return errors;
}

/** Polls GET /templates/{id} until the reviewer has decided; resolves with the template object. */
async function reviewed(server: TestServer, id: string) {
  return eventually(
    async () => {
      const res = await server.call("GET", `${TEMPLATES}/${id}`);
      assert.equal(res.status, 200);
      return res.body.status === "PENDING" ? undefined : res.body;
    },
    5000,
    `template ${id} to leave PENDING`,
  );
}

async function listNames(server: TestServer): Promise<string[]> {
  const res = await server.call("GET", TEMPLATES);
  assert.equal(res.status, 200);
  return res.body.templates.map((t: { name: string; language: string }) => `${t.name}/${t.language}`);
}

describe("templates v2 on an unverified account (reviewed after a delay)", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it("creates a template PENDING, then the reviewer approves it; list and get show it", async () => {
    const created = await server.call("POST", TEMPLATES, {
      ...utility("order_ready"),
      structure: {
        header: { format: "TEXT", text: "Order update" },
        body: { text: "Hi {{1}}, your order {{2}} is ready.", examples: ["Ann", "42"] },
        footer: { text: "Thanks for shopping" },
        buttons: [{ type: "QUICK_REPLY", text: "Thanks" }],
      },
    });
    assert.equal(created.status, 201);
    const t = created.body;
    assert.match(t.id, /^\d+$/, "numeric id, as Meta and Infobip use");
    assert.equal(t.businessAccountId, Number(SEED.wabaId));
    assert.equal(typeof t.businessAccountId, "number");
    assert.equal(t.name, "order_ready");
    assert.equal(t.language, "en");
    assert.equal(t.status, "PENDING");
    assert.equal(t.category, "UTILITY");
    assert.deepEqual(t.structure, {
      header: { format: "TEXT", text: "Order update" },
      body: { text: "Hi {{1}}, your order {{2}} is ready.", examples: ["Ann", "42"] },
      footer: { text: "Thanks for shopping" },
      buttons: [{ type: "QUICK_REPLY", text: "Thanks" }],
      type: "TEXT",
    });
    assert.ok(["HIGH", "MEDIUM", "LOW", "UNKNOWN"].includes(t.quality), `quality ${t.quality}`);
    assert.match(t.createdAt, INFOBIP_DATE);
    assert.match(t.lastUpdatedAt, INFOBIP_DATE);

    const sendBody = {
      messages: [
        {
          from: SENDER,
          to: "447700911001",
          content: {
            templateName: "order_ready",
            language: "en",
            templateData: {
              body: { placeholders: ["Ann", "42"] },
              buttons: [{ type: "QUICK_REPLY", parameter: "thanks" }],
            },
          },
        },
      ],
    };
    const pendingSend = await server.call("POST", "/whatsapp/1/message/template", sendBody);
    assert.equal(pendingSend.status, 400, "not sendable while PENDING");
    assert.match(
      pendingSend.body.requestError.serviceException.validationErrors["messages[0].content.templateName"][0],
      /PENDING/,
    );

    const approved = await reviewed(server, t.id);
    assert.equal(approved.status, "APPROVED");
    assert.equal(approved.id, t.id);
    assert.equal(approved.createdAt, t.createdAt);
    assert.ok(["HIGH", "MEDIUM", "LOW", "UNKNOWN"].includes(approved.quality));

    const list = await server.call("GET", TEMPLATES);
    assert.equal(list.status, 200);
    const listed = list.body.templates.find((x: { id: string }) => x.id === t.id);
    assert.deepEqual(listed, approved, "the list shows the same object as GET");
    assert.ok(
      list.body.templates.some((x: { name: string }) => x.name === "welcome"),
      "the seeded template is listed too",
    );

    const send = await server.call("POST", "/whatsapp/1/message/template", sendBody);
    assert.equal(send.status, 200, `an APPROVED template can be sent: ${JSON.stringify(send.body)}`);
  });

  it("marks a template with a media header as structure.type MEDIA", async () => {
    const created = await server.call("POST", TEMPLATES, {
      ...utility("with_image"),
      structure: {
        header: { format: "IMAGE", example: "https://example.com/a.png" },
        body: { text: "See the picture of {{1}} here.", examples: ["x"] },
      },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.structure.type, "MEDIA");
    assert.equal(created.body.structure.header.format, "IMAGE");
  });

  it("answers 404 for an unknown template id", async () => {
    const res = await server.call("GET", `${TEMPLATES}/999999999`);
    assert.equal(res.status, 404);
    assert.equal(res.body.requestError.serviceException.messageId, "NOT_FOUND");
  });

  it("the reviewer rejects a variable at the start, at the end, two adjacent variables and missing examples", async () => {
    const cases: [string, { text: string; examples?: string[] }][] = [
      ["rev_starts", { text: "{{1}} is your order number, thanks.", examples: ["42"] }],
      ["rev_ends", { text: "Your order number is {{1}}", examples: ["42"] }],
      ["rev_ends_dot", { text: "Your order number is {{1}}.", examples: ["42"] }],
      ["rev_adjacent", { text: "Hello {{1}} {{2}}, your order is ready.", examples: ["Ann", "Lee"] }],
      ["rev_examples", { text: "Hello {{1}}, order {{2}} is ready.", examples: ["Ann"] }],
      ["rev_no_examples", { text: "Hello {{1}}, your order is ready." }],
      ["rev_fine", { text: "Hello {{1}}, order {{2}} is ready.", examples: ["Ann", "42"] }],
    ];
    const ids: Record<string, string> = {};
    for (const [name, body] of cases) {
      const res = await server.call("POST", TEMPLATES, utility(name, { structure: { body } }));
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.status, "PENDING", `${name} waits for review`);
      ids[name] = res.body.id;
    }
    for (const [name] of cases) {
      const decided = await reviewed(server, ids[name] as string);
      assert.equal(decided.status, name === "rev_fine" ? "APPROVED" : "REJECTED", name);
    }
  });

  it("refuses invalid registrations with a 400 naming the field, and stores none of them", async () => {
    const cases: [string, unknown, string][] = [
      ["uppercase name", utility("Order_Ready"), "name"],
      ["dash in name", utility("order-ready"), "name"],
      [
        "missing body text",
        utility("no_body", { structure: { body: { examples: [] } } }),
        "structure.body.text",
      ],
      [
        "header text over 60",
        utility("long_header", {
          structure: { header: { format: "TEXT", text: "x".repeat(61) }, body: { text: "Fine body text." } },
        }),
        "structure.header.text",
      ],
      [
        "11 buttons",
        utility("many_buttons", {
          structure: {
            body: { text: "Pick one." },
            buttons: Array.from({ length: 11 }, (_, i) => ({ type: "QUICK_REPLY", text: `Option ${i}` })),
          },
        }),
        "structure.buttons",
      ],
      [
        "3 URL buttons",
        utility("many_urls", {
          structure: {
            body: { text: "Visit us." },
            buttons: [1, 2, 3].map((i) => ({
              type: "URL",
              text: `Site ${i}`,
              url: `https://example.com/${i}`,
            })),
          },
        }),
        "structure.buttons",
      ],
      [
        "placeholder gap",
        utility("gap", {
          structure: { body: { text: "Hi {{1}}, order {{3}} is ready.", examples: ["a", "b"] } },
        }),
        "structure.body.text",
      ],
      ["bad category", utility("bad_category", { category: "PROMOTION" }), "category"],
    ];
    for (const [what, body, field] of cases) {
      const res = await server.call("POST", TEMPLATES, body);
      const errors = validationErrors(res);
      assert.ok(field in errors, `${what}: expected ${field} in ${JSON.stringify(errors)}`);
    }
    // A header of exactly 60 characters is fine.
    const sixty = await server.call(
      "POST",
      TEMPLATES,
      utility("header_sixty", {
        structure: { header: { format: "TEXT", text: "x".repeat(60) }, body: { text: "Fine body text." } },
      }),
    );
    assert.equal(sixty.status, 201);
    const names = await listNames(server);
    for (const name of [
      "Order_Ready",
      "order-ready",
      "no_body",
      "long_header",
      "many_buttons",
      "many_urls",
      "gap",
      "bad_category",
    ]) {
      assert.ok(!names.some((n) => n.startsWith(`${name}/`)), `${name} was not stored`);
    }
  });

  it("refuses a second template with the same name and language, but not in another language", async () => {
    const first = await server.call("POST", TEMPLATES, utility("dup_check"));
    assert.equal(first.status, 201);
    const errors = validationErrors(await server.call("POST", TEMPLATES, utility("dup_check")));
    assert.ok(
      "language" in errors || "name" in errors,
      `names the name or language: ${JSON.stringify(errors)}`,
    );
    const other = await server.call("POST", TEMPLATES, utility("dup_check", { language: "de" }));
    assert.equal(other.status, 201);
    assert.equal((await listNames(server)).filter((n) => n.startsWith("dup_check/")).length, 2);
  });

  it("refuses to edit a PENDING template, and re-reviews an APPROVED one after an edit", async () => {
    const created = await server.call("POST", TEMPLATES, utility("edit_me"));
    assert.equal(created.status, 201);
    const id = created.body.id;

    const whilePending = await server.call("PATCH", `${TEMPLATES}/${id}`, {
      structure: { body: { text: "Order {{1}} has shipped today.", examples: ["42"] } },
    });
    assert.equal(whilePending.status, 400);
    assert.equal(whilePending.body.requestError.serviceException.messageId, "BAD_REQUEST");

    assert.equal((await reviewed(server, id)).status, "APPROVED");
    const edited = await server.call("PATCH", `${TEMPLATES}/${id}`, {
      structure: { body: { text: "Order {{1}} has shipped today.", examples: ["42"] } },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.id, id);
    assert.equal(edited.body.status, "PENDING", "an edit goes back to review");
    assert.equal(edited.body.structure.body.text, "Order {{1}} has shipped today.");
    assert.equal(edited.body.createdAt, created.body.createdAt);

    const again = await reviewed(server, id);
    assert.equal(again.status, "APPROVED");
    assert.equal(again.structure.body.text, "Order {{1}} has shipped today.");
  });

  it("lets a REJECTED template be fixed by an edit, which is then approved", async () => {
    const created = await server.call(
      "POST",
      TEMPLATES,
      utility("fix_me", { structure: { body: { text: "Your code is {{1}}", examples: ["1"] } } }),
    );
    assert.equal(created.status, 201);
    const id = created.body.id;
    assert.equal((await reviewed(server, id)).status, "REJECTED");

    const fixed = await server.call("PATCH", `${TEMPLATES}/${id}`, {
      structure: { body: { text: "Your code is {{1}}, valid today.", examples: ["1"] } },
    });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.status, "PENDING");
    assert.equal((await reviewed(server, id)).status, "APPROVED");
  });

  it("refuses an edit that breaks the structural rules, naming the field", async () => {
    const created = await server.call("POST", TEMPLATES, utility("edit_bad"));
    const id = created.body.id;
    assert.equal((await reviewed(server, id)).status, "APPROVED");
    const errors = validationErrors(
      await server.call("PATCH", `${TEMPLATES}/${id}`, {
        structure: { body: { text: "Hi {{2}}, thanks a lot.", examples: ["a"] } },
      }),
    );
    assert.ok("structure.body.text" in errors, JSON.stringify(errors));
    const unchanged = await server.call("GET", `${TEMPLATES}/${id}`);
    assert.equal(unchanged.body.status, "APPROVED", "a refused edit changes nothing");
    assert.equal(unchanged.body.structure.body.text, "Your order {{1}} is ready.");
  });

  it("answers 404 for an edit of an unknown id", async () => {
    const res = await server.call("PATCH", `${TEMPLATES}/123456789`, {
      structure: { body: { text: "Hi {{1}}, thanks.", examples: ["a"] } },
    });
    assert.equal(res.status, 404);
    assert.equal(res.body.requestError.serviceException.messageId, "NOT_FOUND");
  });

  it("deletes a name in every language, and locks the name", async () => {
    const en = await server.call("POST", TEMPLATES, utility("foo"));
    const de = await server.call("POST", TEMPLATES, utility("foo", { language: "de" }));
    assert.equal(en.status, 201);
    assert.equal(de.status, 201);
    assert.deepEqual((await listNames(server)).filter((n) => n.startsWith("foo/")).sort(), [
      "foo/de",
      "foo/en",
    ]);

    const deleted = await server.call("DELETE", `${TEMPLATES}/foo`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined, "no body");
    assert.deepEqual(
      (await listNames(server)).filter((n) => n.startsWith("foo/")),
      [],
    );
    assert.equal((await server.call("GET", `${TEMPLATES}/${en.body.id}`)).status, 404);
    assert.equal((await server.call("GET", `${TEMPLATES}/${de.body.id}`)).status, 404);

    assert.equal((await server.call("DELETE", `${TEMPLATES}/foo`)).status, 404, "already gone");
    assert.equal((await server.call("DELETE", `${TEMPLATES}/no_such_template`)).status, 404);

    for (const language of ["en", "fr"]) {
      const errors = validationErrors(await server.call("POST", TEMPLATES, utility("foo", { language })));
      assert.ok("name" in errors, `the lock names the name field: ${JSON.stringify(errors)}`);
    }
    assert.equal(
      (await server.call("POST", TEMPLATES, utility("foo_other"))).status,
      201,
      "other names are free",
    );
  });

  it("answers 401 without a valid key on every templates route", async () => {
    const routes: [string, string, unknown?][] = [
      ["GET", TEMPLATES],
      ["POST", TEMPLATES, utility("auth_probe")],
      ["GET", `${TEMPLATES}/${SEED.templateId}`],
      ["PATCH", `${TEMPLATES}/${SEED.templateId}`, { category: "MARKETING" }],
      ["DELETE", `${TEMPLATES}/welcome`],
    ];
    for (const [method, path, body] of routes) {
      for (const headers of [{}, { authorization: "App not-the-key" }] as Record<string, string>[]) {
        const res = await request(server.url, method, path, body, headers);
        assert.equal(res.status, 401, `${method} ${path} with ${JSON.stringify(headers)}`);
        assert.deepEqual(res.body, {
          requestError: { serviceException: { messageId: "UNAUTHORIZED", text: "Unauthorized" } },
        });
      }
    }
    const ok = await request(server.url, "GET", TEMPLATES, undefined, { authorization: `App ${API_KEY}` });
    assert.equal(ok.status, 200);
    const names = await listNames(server);
    assert.ok(!names.includes("auth_probe/en"), "nothing was created");
    assert.ok(names.includes("welcome/en"), "nothing was deleted");
  });

  it("answers 403 for a sender that is not the account's on every templates route", async () => {
    const other = "/whatsapp/2/senders/15550001111/templates";
    const routes: [string, string, unknown?][] = [
      ["GET", other],
      ["POST", other, utility("other_sender")],
      ["GET", `${other}/${SEED.templateId}`],
      ["PATCH", `${other}/${SEED.templateId}`, { category: "MARKETING" }],
      ["DELETE", `${other}/welcome`],
    ];
    for (const [method, path, body] of routes) {
      const res = await server.call(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.requestError.serviceException.messageId, "FORBIDDEN");
    }
    const names = await listNames(server);
    assert.ok(names.includes("welcome/en"));
    assert.ok(!names.includes("other_sender/en"));
  });
});

describe("templates v2 on a business-verified account (reviewed at once)", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ OPENBSP_BUSINESS_VERIFIED: "true", OPENBSP_TEMPLATE_REVIEW_MS: "60000" });
  });
  after(async () => {
    await server.close();
  });

  it("answers APPROVED in the 201", async () => {
    const res = await server.call("POST", TEMPLATES, utility("verified_ok"));
    assert.equal(res.status, 201);
    assert.equal(res.body.status, "APPROVED");
    assert.equal((await server.call("GET", `${TEMPLATES}/${res.body.id}`)).body.status, "APPROVED");
    const send = await server.call("POST", "/whatsapp/1/message/template", {
      messages: [
        {
          from: SENDER,
          to: "447700911101",
          content: {
            templateName: "verified_ok",
            language: "en",
            templateData: { body: { placeholders: ["42"] } },
          },
        },
      ],
    });
    assert.equal(send.status, 200, "sendable at once");
  });

  it("answers REJECTED in the 201 when the review rules say so", async () => {
    const res = await server.call(
      "POST",
      TEMPLATES,
      utility("verified_bad", {
        structure: { body: { text: "{{1}} is ready for pickup today.", examples: ["42"] } },
      }),
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.status, "REJECTED");
  });

  it("re-reviews an edit at once", async () => {
    const res = await server.call(
      "POST",
      TEMPLATES,
      utility("verified_edit", { structure: { body: { text: "Order {{1}}", examples: ["42"] } } }),
    );
    assert.equal(res.body.status, "REJECTED");
    const edited = await server.call("PATCH", `${TEMPLATES}/${res.body.id}`, {
      structure: { body: { text: "Order {{1}} is ready.", examples: ["42"] } },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.status, "APPROVED");
  });

  it("approves an AUTHENTICATION template, whose wording WhatsApp fixes", async () => {
    const res = await server.call("POST", TEMPLATES, {
      name: "login_code",
      language: "en",
      category: "AUTHENTICATION",
      structure: { body: { addSecurityRecommendation: true }, buttons: [{ otpType: "COPY_CODE" }] },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.category, "AUTHENTICATION");
    assert.match(
      res.body.structure.body.text,
      /^\{\{1\}\} is your verification code\. For your security, do not share this code\.$/,
    );
    assert.equal(
      res.body.status,
      "APPROVED",
      "the reviewer's content rules do not apply to WhatsApp's fixed authentication wording",
    );
  });
});

describe("the 30-day name lock on a deleted template", () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ OPENBSP_BUSINESS_VERIFIED: "true" });
  });
  after(async () => {
    await server.close();
  });

  it("keeps the name locked at 29 days and frees it after 31", async () => {
    assert.equal((await server.call("POST", TEMPLATES, utility("reuse_me"))).status, 201);
    assert.equal((await server.call("DELETE", `${TEMPLATES}/reuse_me`)).status, 204);
    assert.ok("name" in validationErrors(await server.call("POST", TEMPLATES, utility("reuse_me"))));

    const clock = await server.call("POST", "/sandbox/clock/advance", { ms: 29 * DAY_MS });
    assert.equal(clock.status, 200);
    assert.equal(clock.body.offsetMs, 29 * DAY_MS);
    assert.ok(
      "name" in validationErrors(await server.call("POST", TEMPLATES, utility("reuse_me"))),
      "still locked at 29 days",
    );

    await server.call("POST", "/sandbox/clock/advance", { ms: 2 * DAY_MS });
    const again = await server.call("POST", TEMPLATES, utility("reuse_me"));
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.status, "APPROVED");
    assert.deepEqual(
      (await listNames(server)).filter((n) => n.startsWith("reuse_me/")),
      ["reuse_me/en"],
    );
  });
});
