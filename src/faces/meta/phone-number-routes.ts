/** `GET /{waba-id}/phone_numbers` and `GET /{phone-number-id}`: the account's numbers, as Meta lists them. */

import type { AppContext } from "../../app/context.ts";
import type { Sender } from "../../core/account.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { unknownObject, WabaPath } from "./meta-routing.ts";
import { phoneNumberIdOf } from "./meta-settings.ts";

export function phoneNumberView(s: Sender) {
  return {
    id: phoneNumberIdOf(s),
    display_phone_number: `+${s.number}`,
    verified_name: "OpenBSP",
    code_verification_status: "VERIFIED",
    quality_rating: "GREEN",
    platform_type: "CLOUD_API",
    throughput: { level: "STANDARD" },
  };
}

export function phoneNumberRoutes(app: FaceApp, ctx: AppContext): void {
  app.route({
    method: "GET",
    url: "/:wabaId/phone_numbers",
    schema: { tags: ["Meta Cloud API"], summary: "The WABA's phone numbers", params: WabaPath },
    handler: async (req, reply) => {
      const { wabaId } = req.params;
      const senders = (await ctx.storage.catalog.listSenders(wabaId)).filter(
        (s) => s.accountId === req.account.id,
      );
      if (senders.length === 0) return unknownObject(reply, "GET", wabaId);
      return { data: senders.map(phoneNumberView), paging: { cursors: { before: "", after: "" } } };
    },
  });
}
