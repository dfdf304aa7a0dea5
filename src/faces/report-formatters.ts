/** Every face's report wording, by face: the one registry both threads build their plan from. */
import type { ReportFormatters } from "../app/report-formatter.ts";
import { infobipReports } from "./infobip/infobip-reports.ts";
import { metaReports } from "./meta/meta-reports.ts";
import { sinchReports } from "./sinch/sinch-reports.ts";

export const REPORT_FORMATTERS: ReportFormatters = Object.freeze({
  infobip: infobipReports,
  meta: metaReports,
  sinch: sinchReports,
});
