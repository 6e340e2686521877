// The pages' API types checked against docs/openapi.yaml when they are type-checked (tsc in
// web/build.sh). src/generated/openapi.ts is made from the spec by openapi-typescript; each
// interface the pages declare by hand must fit it: an answer the spec describes gives every field
// a page reads, with that field's type, and a page names no field the spec lacks; a request a page
// sends is one the spec accepts. The server's answers are checked against the same spec by the
// ctest api_contract_responses, so the C++ JSON, the spec and these types cannot drift apart.
// Nothing here runs or is bundled. A failing line names the interface that no longer fits: compare
// it with its schema in the spec.
import type { components, paths } from "./generated/openapi";
import type { Counts, IntakeImage, IntakeRequest, Receipt } from "./api";
import type {
  Channel,
  Colleague,
  Organisation,
  OrganisationProfile,
  Partner,
  Platform,
  PlatformDirectory,
  User,
} from "./staff-admin-api";
import type {
  CaseAttention,
  CaseCounts,
  CaseDetail,
  CaseEvent,
  CaseQuery,
  CaseSummary,
  Durations,
  Hash,
  Me,
  Note,
  Notice,
  Reply,
  Settings,
  Sighting,
  Stats,
  StatsRecipient,
  StatsTotals,
  UrlLine,
  UrlResult,
} from "./staff-api";
import type { BulkResult, CrawlFailure, CrawlProgress, NewSource, SurvivorFacts, WatchedSource } from "./staff-casework-api";

type Schemas = components["schemas"];

// true when no key of Page is missing from Spec.
type NamesOnly<Page, Spec> = [Exclude<keyof Page, keyof Spec>] extends [never] ? true : false;
// An answer: what the spec says the server sends can be read as Page.
type Reads<Spec, Page> = [Spec] extends [Page] ? NamesOnly<Page, Spec> : false;
// A request: what Page holds is something the spec accepts.
type Sends<Page, Spec> = [Page] extends [Spec] ? NamesOnly<Page, Spec> : false;
type Fits<T extends true> = T;

// The case queue's filters, "" meaning "not sent" (listCases leaves empty ones out).
type QueryAsSent = { [K in keyof CaseQuery]: Exclude<CaseQuery[K], ""> };
type CasesQuery = NonNullable<paths["/api/v1/cases"]["get"]["parameters"]["query"]>;

export type ApiContract = [
  // api.ts: the survivor pages
  Fits<Sends<IntakeImage, Schemas["Image"]>>,
  Fits<Sends<IntakeRequest, Schemas["IntakeRequest"]>>,
  Fits<Reads<Schemas["Receipt"], Receipt>>,
  Fits<Reads<Schemas["SurvivorStatus"], Counts>>,
  // staff-api.ts: the dashboard
  Fits<Reads<Schemas["Counts"], CaseCounts>>,
  Fits<Reads<Schemas["CaseSummary"], CaseSummary>>,
  Fits<Reads<Schemas["Attention"], CaseAttention>>,
  Fits<Reads<Schemas["Hash"], Hash>>,
  Fits<Reads<Schemas["Sighting"], Sighting>>,
  Fits<Reads<Schemas["Note"], Note>>,
  // CaseDetail extends CaseSummary, whose attention, assignee and last_activity (optional) only the
  // queue sends.
  Fits<Reads<Schemas["CaseDetail"], Omit<CaseDetail, "attention" | "assignee" | "last_activity">>>,
  Fits<Reads<Schemas["Event"], CaseEvent>>,
  Fits<Reads<Schemas["Reply"], Reply>>,
  Fits<Reads<Schemas["UrlLine"], UrlLine>>,
  Fits<Reads<Schemas["UrlResult"], UrlResult>>,
  Fits<Reads<Schemas["Notice"], Notice>>,
  Fits<Reads<Schemas["Me"], Me>>,
  // Login's answer carries the user as Me, its must_change_password beside it.
  Fits<Reads<Schemas["User"], Omit<Me, "must_change_password">>>,
  Fits<Sends<QueryAsSent, CasesQuery>>,
  Fits<Reads<Schemas["Durations"], Durations>>,
  Fits<Reads<Schemas["StatsTotals"], StatsTotals>>,
  Fits<Reads<Schemas["StatsRecipient"], StatsRecipient>>,
  Fits<Reads<Schemas["Stats"], Stats>>,
  Fits<Reads<Schemas["SettingsNow"], Settings>>,
  Fits<Sends<Partial<Settings>, Schemas["Settings"]>>,
  // staff-admin-api.ts: accounts, partner keys, the platform directory
  Fits<Reads<Schemas["Channel"], Channel>>,
  Fits<Reads<Schemas["Platform"], Platform>>,
  Fits<Reads<Schemas["PlatformDirectory"], PlatformDirectory>>,
  Fits<Reads<Schemas["User"], User>>,
  Fits<Reads<Schemas["Partner"], Partner>>,
  Fits<Reads<Schemas["Organisation"], Organisation>>,
  Fits<Reads<paths["/api/v1/colleagues"]["get"]["responses"]["200"]["content"]["application/json"]["colleagues"][number], Colleague>>,
  Fits<Sends<OrganisationProfile, Schemas["OrganisationProfile"]>>,
  // staff-casework-api.ts: watching and crawls
  Fits<Reads<Schemas["WatchedSource"], WatchedSource>>,
  Fits<Reads<Schemas["CrawlFailure"], CrawlFailure>>,
  Fits<Reads<Schemas["CrawlProgress"], CrawlProgress>>,
  Fits<Reads<Schemas["BulkResults"]["results"][number], BulkResult>>,
  Fits<Reads<Schemas["CaseDetail"], SurvivorFacts>>,
  Fits<Sends<NewSource, Schemas["NewWatchedSource"]>>,
];
