/** `npm start`: run the whole product in one process on the embedded SQLite store. */
import { ConfigError, loadConfig } from "./config.ts";
import { startOpenBsp } from "./openbsp.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const running = await startOpenBsp(config);
const { url, seeded, ctx } = running;
const sender = await ctx.storage.catalog.findSender(seeded.sender);
// Keys are kept as hashes: a key made at an earlier start cannot be shown again.
const apiKey = seeded.apiKey ?? "<the key shown at first start (OPENBSP_API_KEY pins one)>";
const curl = `curl -s ${url}/whatsapp/1/message/template \\
  -H 'Authorization: App ${apiKey}' -H 'Content-Type: application/json' \\
  -d '{"messages":[{"from":"${seeded.sender}","to":"447700900001","content":{"templateName":"${seeded.template.name}","language":"${seeded.template.language}","templateData":{"body":{"placeholders":["Ann"]}}}}]}'`;
process.stdout.write(
  [
    "",
    seeded.apiKey ? `Console:     ${url}/console/#key=${seeded.apiKey}` : `Console:     ${url}/console/`,
    "",
    `OpenBSP is running at ${url}`,
    `  API key:  ${apiKey}`,
    `  Sender:   ${seeded.sender} (Meta phone number id ${sender?.aliases.metaPhoneNumberId}, WABA ${sender?.wabaId}; Sinch bot ${sender?.aliases.sinchBotId})`,
    `  Template: ${seeded.template.name} (${seeded.template.language}, APPROVED)`,
    `  API docs: ${url}/docs`,
    `  Faces:    Infobip ${url}/whatsapp/…  ·  Meta Cloud API ${url}/v23.0/…  ·  Sinch ${url}/whatsapp/v1/…`,
    "",
    "Send the seeded template:",
    curl,
    "",
  ].join("\n"),
);

// SIGTERM (a load balancer's or an orchestrator's stop) and SIGINT stop gracefully: requests in
// flight are answered and committed, and this node's leases freed, before the process exits 0.
// A second signal exits at once.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    ctx.log.info({ signal }, "stopping: answering the requests in flight, then releasing this node's work");
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        ctx.log.error({ err }, "graceful stop failed");
        process.exit(1);
      },
    );
  });
}
