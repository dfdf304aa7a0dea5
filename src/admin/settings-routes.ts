/**
 * `/openbsp/1/accounts/{accountId}/settings`: each dialect's default webhook settings (Infobip's
 * delivery and inbound URLs, Meta's callback URL, app secret and verify token, Sinch's callback
 * URL). A Meta callback with a verify token takes effect only once it passed Meta's hub.challenge
 * handshake, as with Meta.
 */
import type { AppContext } from "../app/context.ts";
import { accountOrFail, changeSettings } from "../app/manage-accounts.ts";
import { INFOBIP_DIALECT } from "../faces/infobip/infobip-settings.ts";
import { META_DIALECT } from "../faces/meta/meta-settings.ts";
import { SINCH_DIALECT } from "../faces/sinch/sinch-settings.ts";
import { verifySubscription } from "../meta-graph/subscription-handshake.ts";
import { AdminErrorBody, sendAdminError } from "./admin-errors.ts";
import { AccountIdParams, SettingsBody, SettingsView } from "./admin-schemas.ts";
import type { AdminApp } from "./admin-scope.ts";
import { settingsView } from "./admin-views.ts";

const tags = ["OpenBSP admin"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody };
const DIALECT_OF = { infobip: INFOBIP_DIALECT, meta: META_DIALECT, sinch: SINCH_DIALECT } as const;

export function settingsRoutes(app: AdminApp, ctx: AppContext): void {
  app.get(
    "/accounts/:accountId/settings",
    {
      schema: {
        tags,
        summary: "The account's settings per dialect (secrets redacted)",
        params: AccountIdParams,
        response: { 200: SettingsView, ...errors },
      },
    },
    async (req) => settingsView(await accountOrFail(ctx, req.params.accountId)),
  );

  app.patch(
    "/accounts/:accountId/settings",
    {
      schema: {
        tags,
        summary: "Change settings key by key: a value sets, null removes, an absent key stays",
        params: AccountIdParams,
        body: SettingsBody,
        response: { 200: SettingsView, ...errors },
      },
    },
    async (req, reply) => {
      const account = await accountOrFail(ctx, req.params.accountId);
      const changes: Record<string, Record<string, string | null>> = {};
      for (const [name, fields] of Object.entries(req.body) as [keyof typeof DIALECT_OF, object][]) {
        const dialect = DIALECT_OF[name];
        changes[dialect] = Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, v === null ? null : String(v)]),
        );
      }
      const meta = changes[META_DIALECT];
      if (meta && (meta.webhookUrl || meta.verifyToken)) {
        const current = account.settings?.[META_DIALECT] ?? {};
        const target = { ...current, ...meta };
        const webhookUrl = target.webhookUrl ?? undefined;
        const verifyToken = target.verifyToken ?? undefined;
        if (webhookUrl && verifyToken !== undefined) {
          const shake = await verifySubscription({ webhookUrl, verifyToken }, ctx.config.webhookTimeoutMs);
          if (!shake.ok)
            return sendAdminError(
              reply,
              400,
              `meta.webhookUrl: the subscription handshake failed (${shake.reason}); nothing was changed`,
              "meta.webhookUrl",
            );
        }
      }
      return settingsView(await changeSettings(ctx, account.id, changes));
    },
  );
}
