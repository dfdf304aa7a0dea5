/**
 * The preview page in a real browser (Debian's Chromium through playwright-core): opened without
 * login from the link either face gives, it shows the first screen with its inputs and dropdown
 * options; the footer moves to the next screen and the terminal one's completes; the page runs
 * under its strict CSP with no error; after 30 days (the sandbox clock) the link answers 404.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type BrowserContext, chromium } from "playwright-core";
import { infobipFlow } from "./support/flows.ts";
import { SENDER, startServer, type TestServer } from "./support/harness.ts";
import { metaCall } from "./support/meta.ts";

const CHROMIUM = process.env.OPENBSP_CHROMIUM ?? "/usr/bin/chromium";

describe("the flow preview page in headless Chromium", () => {
  let server: TestServer;
  let browser: BrowserContext;
  const profile = mkdtempSync(join(tmpdir(), "openbsp-chromium-"));

  before(async () => {
    server = await startServer();
    // A fresh profile (--user-data-dir), which playwright takes as the persistent context's directory.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("shows the first screen, moves on with the footer, completes, and expires after 30 days", async () => {
    const id = await infobipFlow(server, "preview me");
    const { previewUrl, expiresAt } = (
      await server.call("GET", `/whatsapp/1/senders/${SENDER}/flows/${id}/preview`)
    ).body;
    const metaPreview = (await metaCall(server.url, "GET", `/v23.0/${id}?fields=preview`)).body.preview;
    assert.equal(metaPreview.preview_url, previewUrl, "both faces give the same link");

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    const res = await page.goto(previewUrl);
    assert.equal(res?.status(), 200);
    assert.match(res?.headers()["content-security-policy"] ?? "", /script-src 'self'/);

    const welcome = page.locator('[data-screen="WELCOME"]');
    const done = page.locator('[data-screen="DONE"]');
    assert.equal(await welcome.isVisible(), true);
    assert.equal(await done.isVisible(), false);
    assert.equal(await welcome.locator("h1").textContent(), "Sign up");
    assert.equal(await welcome.locator("h2").textContent(), "Join us");
    assert.equal(await welcome.locator('input[name="email"]').getAttribute("type"), "email");
    assert.deepEqual(await welcome.locator('select[name="size"] option').allTextContents(), [
      "Select",
      "Small",
      "Large",
    ]);

    await page.getByRole("button", { name: "Next" }).click();
    assert.equal(await welcome.isVisible(), false);
    assert.equal(await done.isVisible(), true);
    assert.equal(await done.locator("h1").textContent(), "All set");
    assert.equal(await done.getByText("Send me news").isVisible(), true);
    await done.getByRole("button", { name: "Back" }).click();
    assert.equal(await welcome.isVisible(), true, "back returns to the first screen");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Finish" }).click();
    assert.equal(await page.getByText("Flow completed").isVisible(), true);
    assert.deepEqual(problems, [], "no script or CSP error");

    // 30 days later the link is dead (the sandbox clock moves past its expiry).
    const left = Date.parse(expiresAt) - server.clock.now();
    await server.call("POST", "/sandbox/clock/advance", { ms: left + 1000 });
    const expired = await page.goto(previewUrl);
    assert.equal(expired?.status(), 404);
    assert.equal(await page.locator("h1").textContent(), "This preview link does not exist or has expired");
    // Asking again gives a new link that works.
    const renewed = (await server.call("GET", `/whatsapp/1/senders/${SENDER}/flows/${id}/preview`)).body
      .previewUrl;
    assert.notEqual(renewed, previewUrl);
    assert.equal((await page.goto(renewed))?.status(), 200);
    await page.close();
  });
});
