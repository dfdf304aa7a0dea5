/**
 * OpenBSP's own API for URL shortening domains. Infobip has no public API for these (they are
 * added in its web interface), so this one lives under /openbsp/1/, authenticated and answering
 * errors like the Infobip face. A registered domain can then be used as `urlOptions.customDomain`
 * and as a template's `shorteningOptions.customDomain`.
 */

import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { listUrlDomains, registerUrlDomain, removeUrlDomain } from "../../app/url-domains.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { infobipDate } from "./from-core.ts";
import { groupErrors, sendError } from "./infobip-errors.ts";
import { ErrorBody } from "./schemas/common.ts";

const Domain = Type.Object({ domain: Type.String(), createdAt: Type.String() });
const tags = ["OpenBSP: URL shortening"];
const PATH = "/openbsp/1/url-shortening/domains";

export function urlDomainRoutes(app: FaceApp, ctx: AppContext): void {
  app.post(
    PATH,
    {
      schema: {
        tags,
        summary: "Register a custom domain for short links (201; 200 if it already was)",
        body: Type.Object({
          domain: Type.String({ minLength: 1, maxLength: 253, description: "e.g. go.example.com" }),
        }),
        response: { 200: Domain, 201: Domain, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (req, reply) => {
      const result = await registerUrlDomain(ctx, req.account, req.body.domain);
      if (result.kind === "invalid") return sendError(reply, 400, groupErrors([result.error]));
      const { domain, createdAt } = result.domain;
      return reply
        .code(result.kind === "created" ? 201 : 200)
        .send({ domain, createdAt: infobipDate(createdAt) });
    },
  );

  app.get(
    PATH,
    {
      schema: {
        tags,
        summary: "The account's short link domains",
        response: { 200: Type.Object({ domains: Type.Array(Domain) }), 401: ErrorBody },
      },
    },
    async (req) => ({
      domains: (await listUrlDomains(ctx, req.account)).map((d) => ({
        domain: d.domain,
        createdAt: infobipDate(d.createdAt),
      })),
    }),
  );

  app.delete(
    `${PATH}/:domain`,
    {
      schema: {
        tags,
        summary: "Remove a short link domain (links already sent under it keep working)",
        params: Type.Object({ domain: Type.String() }),
        response: { 204: Type.Null(), 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const removed = await removeUrlDomain(ctx, req.account, req.params.domain);
      return removed ? reply.code(204).send() : sendError(reply, 404);
    },
  );
}
