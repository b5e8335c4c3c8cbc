// What bench/burst.mjs computes from a run: which provider and operation each request was, which journey step
// made it, the minimum drain time the documented limits allow for the calls made, and the call economy per
// journey against the minimum the side effects need.

/** Onboarding is complete once the deal shows the last onboarding step's status, or a later phase's. */
const DONE_STATUSES = new Set(["Deposit paid", "In progress", "Review", "Done"]);

/** "complete" when the sandbox deal's Clientflow status says onboarding finished, else "pending". */
export function dealOutcome(deal) {
  return DONE_STATUSES.has(deal?.properties?.clientflow_status) ? "complete" : "pending";
}

/** The provider a sandbox path belongs to (Stripe's API is served at the root, /v1/…). */
export function providerOf(path) {
  if (path.startsWith("/hubspot/")) return "hubspot";
  if (path.startsWith("/notion/")) return "notion";
  if (path.startsWith("/google/")) return "google";
  if (path.startsWith("/v1/")) return "stripe";
  return "other";
}

/** Ids in a path become `:id`, so one operation is one key: "PATCH /hubspot/crm/v3/objects/deals/:id". */
export function operationOf(method, path) {
  const shape = path
    .split("/")
    .map((part) => (/\d/.test(part) && part.length > 3 && !/^v\d+$/.test(part) ? ":id" : part))
    .join("/");
  return `${method} ${shape}`;
}

/**
 * Each operation an onboarding makes, the step that makes it (the default template's onboarding,
 * src/engine/default-template.ts, plus the engine's own reads) and how many of it one journey needs at least
 * for its side effects (`min`; a read the journey needs for data it cannot get otherwise counts as needed).
 * Filled from a run's traffic; an operation missing here is printed as unattributed.
 */
export const OPERATIONS = {
  // The engine's deal context for the onboarding (deal, its contact, its line items): data only HubSpot has.
  "GET /hubspot/crm/v3/objects/deals/:id": { step: "deal context (engine)", min: 1 },
  "GET /hubspot/crm/v3/objects/contacts/:id": { step: "deal context (engine)", min: 1 },
  "POST /hubspot/crm/v3/objects/line_items/batch/read": { step: "deal context (engine)", min: 1 },
  // deal-links, agreement-signed, deposit-paid, then fulfillment's phase status ("In progress"): four writes.
  "PATCH /hubspot/crm/v3/objects/deals/:id": { step: "deal updates (3 onboarding + phase)", min: 4 },
  // Clientflow's deal properties exist once per account: making them is not a per-journey need. They are not
  // read: a deal write goes first and they are made only when HubSpot refuses it (an account's first journeys;
  // the refused PATCH counts above, beyond its min).
  "POST /hubspot/crm/v3/properties/deals": { step: "deal property creates", min: 0 },
  // deposit-invoice: the customer is looked up by email (a returning client keeps one customer), then made.
  "GET /v1/customers": { step: "deposit-invoice", min: 1 },
  "POST /v1/customers": { step: "deposit-invoice", min: 1 },
  // Listing the customer's invoices finds an earlier run's invoice: needed only on a re-run.
  "GET /v1/invoices": { step: "deposit-invoice", min: 0 },
  "POST /v1/invoices": { step: "deposit-invoice", min: 1 },
  "POST /v1/invoiceitems": { step: "deposit-invoice", min: 1 },
  "POST /v1/invoices/:id/finalize": { step: "deposit-invoice", min: 1 },
  "POST /v1/invoices/:id/send": { step: "deposit-invoice", min: 1 },
  // project-card: the board query finds an earlier run's card, needed only on a re-run; then the card.
  "POST /notion/v1/data_sources/:id/query": { step: "project-card", min: 0 },
  "POST /notion/v1/pages": { step: "project-card", min: 1 },
  // Fulfillment's first step moves the card to "In progress" (runs as soon as onboarding completes).
  "PATCH /notion/v1/pages/:id": { step: "start-work (fulfillment)", min: 1 },
  // Reading a card back: no onboarding side effect needs it.
  "GET /notion/v1/pages/:id": { step: "card reads", min: 0 },
  "POST /google/gmail/v1/users/me/messages/send": { step: "welcome-email", min: 1 },
  "POST /google/calendar/v3/calendars/primary/events": { step: "kickoff", min: 1 },
  // An access token per connection and hour, shared by all its journeys.
  "POST /google/token": { step: "token refresh", min: 0 },
};

const round2 = (value) => Number(value.toFixed(2));
const step = (operation) => OPERATIONS[operation]?.step ?? null;

/** Gmail's quota units per method (emulators/rate-limit-specs.ts gmailCost, by path). */
const gmailUnits = (path) => (path.endsWith("/messages/send") ? 100 : path.endsWith("/profile") ? 1 : 5);

/** The part of the sandbox's traffic each emulated limit counts, and its units. */
const LIMITED = {
  hubspot: { prefix: "/hubspot/crm/", units: () => 1 },
  notion: { prefix: "/notion/v1/", units: () => 1 },
  stripe: { prefix: "/v1/", units: () => 1 },
  google: { prefix: "/google/gmail/", units: gmailUnits },
};

/**
 * The minimum drain time the limits allow for the calls the run made: for each workspace and provider budget,
 * (units − burst) ÷ rate (a full bucket at the start line pays the first `burst` units at once), and for a rolling
 * window (the emulator's `windowMs`: at most `burst` units in any window; the app's `window`) one window per further
 * `limit` units if that is longer; the largest wins.
 */
export function minimumDrain(measured, limits) {
  const byBudget = [];
  for (const m of measured) {
    for (const [provider, { prefix, units }] of Object.entries(LIMITED)) {
      const used = m.traffic
        .filter((t) => t.status !== 429 && t.path.startsWith(prefix))
        .reduce((n, t) => n + units(t.path), 0);
      const { rate, burst, windowMs, counted } = limits[provider];
      // A window's span: one window per further `limit` units (the emulator's `windowMs`, the app's `counted`; a cap
      // on units in flight, `ms` 0, spans nothing).
      const windows = (limit, ms) => Math.max(0, Math.ceil(used / limit) - 1) * ms;
      const ms = Math.max(
        (Math.max(0, used - burst) / rate) * 1000,
        windowMs === undefined ? 0 : windows(burst, windowMs),
        counted === undefined ? 0 : windows(counted.limit, counted.ms),
      );
      byBudget.push({ workspace: m.label, provider, units: used, ms: Math.round(ms) });
    }
  }
  const top = byBudget.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, workspace: "-", provider: "-", units: 0 });
  return {
    ms: top.ms,
    binding: `${top.workspace} ${top.provider}: ${top.units} units at the documented rate`,
    byBudget,
  };
}

const countBy = (items, key) => {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};
const beyondOne = (counts) => [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);

/**
 * Side effects beyond one per journey: welcome emails per client, deposit invoices per customer, invoice
 * sends per invoice, cards and kickoff events beyond one per journey, and the same deal status written twice.
 */
function duplicatesOf(measured) {
  const byKind = { welcomeEmails: 0, invoices: 0, invoiceSends: 0, cards: 0, kickoffs: 0, dealUpdates: 0 };
  for (const m of measured) {
    const { google, stripe, hubspot } = m.sandbox;
    const welcome = google.sent.filter((mail) => mail.subject.startsWith("Welcome, "));
    byKind.welcomeEmails += beyondOne(countBy(welcome, (mail) => mail.to.toLowerCase()));
    const invoices = [...stripe.invoices.values()];
    byKind.invoices += beyondOne(countBy(invoices, (i) => i.customer));
    const sends = m.sandbox.traffic.filter((t) => t.status < 300 && /^\/v1\/invoices\/[^/]+\/send$/.test(t.path));
    byKind.invoiceSends += beyondOne(countBy(sends, (t) => t.path));
    const cards = m.sandbox.traffic.filter(
      (t) => t.method === "POST" && t.path === "/notion/v1/pages" && t.status < 300,
    );
    byKind.cards += Math.max(0, cards.length - m.deals.length);
    byKind.kickoffs += Math.max(0, google.events.size - m.deals.length);
    const statuses = hubspot.requests.matching("PATCH", /^\/crm\/v3\/objects\/deals\/\d+$/).flatMap((r) => {
      const status = r.body?.properties?.clientflow_status;
      return status ? [`${r.path} ${status}`] : [];
    });
    byKind.dealUpdates += beyondOne(countBy(statuses, (s) => s));
  }
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}

/**
 * Calls per journey by provider and step (429s left out: they are counted apart), beside the minimum
 * the side effects need; a step above its minimum is flagged as a redundant read.
 */
export function perJourney(measured) {
  const journeys = measured.reduce((n, m) => n + m.deals.length, 0);
  const traffic = measured.flatMap((m) => m.sandbox.traffic.filter((t) => t.status !== 429));
  const byOperation = countBy(traffic, (t) => `${providerOf(t.path)}|${operationOf(t.method, t.path)}`);
  const bySteps = new Map();
  const unattributed = [];
  for (const [key, count] of byOperation) {
    const [provider, operation] = key.split("|");
    const name = step(operation);
    if (!name) {
      unattributed.push({ provider, operation, perJourney: Number((count / journeys).toFixed(2)) });
      continue;
    }
    const row = bySteps.get(`${provider}|${name}`) ?? { provider, step: name, calls: 0, minimum: 0 };
    row.calls += count;
    row.minimum += OPERATIONS[operation].min;
    bySteps.set(`${provider}|${name}`, row);
  }
  const rows = [...bySteps.values()]
    .map((r) => {
      const perJourney = Number((r.calls / journeys).toFixed(2));
      // 429s are counted apart. Beyond 0.05 a journey (token refreshes and the first property creates are shared
      // by a connection's journeys), a step calls more than its side effects need: a redundant read or a retry.
      const redundant = perJourney - r.minimum > 0.05 ? `${round2(perJourney - r.minimum)} above its minimum` : null;
      return { provider: r.provider, step: r.step, perJourney, minimum: r.minimum, redundant };
    })
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.step.localeCompare(b.step));
  return { rows, unattributed, duplicates: duplicatesOf(measured) };
}

const quantile = (sorted, q) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;

/**
 * Where a journey's drain time goes, from the traffic's timestamps (counters, no logs): per deal, the win
 * (`started`), its deal read (the Workflow ran its first step), then its deal PATCHes in order (deal-links after
 * the invoice, card and welcome email; agreement accepted; deposit paid). Answers p50 / p90 / max seconds of
 * each segment over the deals that reached it.
 */
export function journeySegments(measured, started) {
  const segments = { "win → deal read": [], "deal read → links": [], "links → accepted": [], "accepted → paid": [] };
  for (const m of measured) {
    const byDeal = new Map();
    for (const t of m.traffic) {
      const match = /^\/hubspot\/crm\/v3\/objects\/deals\/(\d+)$/.exec(t.path);
      if (!match || t.status >= 300) continue;
      const row = byDeal.get(match[1]) ?? { read: null, patches: [] };
      if (t.method === "GET" && row.read === null) row.read = t.at;
      if (t.method === "PATCH") row.patches.push(t.at);
      byDeal.set(match[1], row);
    }
    for (const { read, patches } of byDeal.values()) {
      const marks = [started, read, ...patches.slice(0, 3)];
      const names = Object.keys(segments);
      for (let i = 0; i < names.length; i++) {
        if (marks[i] != null && marks[i + 1] != null) segments[names[i]].push((marks[i + 1] - marks[i]) / 1000);
      }
    }
  }
  return Object.entries(segments).map(([segment, values]) => {
    const sorted = values.sort((a, b) => a - b);
    return {
      segment,
      deals: sorted.length,
      p50: round2(quantile(sorted, 0.5)),
      p90: round2(quantile(sorted, 0.9)),
      max: round2(sorted.at(-1) ?? 0),
    };
  });
}

/**
 * How busy each (workspace, provider) budget was over the drain: units used ÷ (documented rate × drain + burst),
 * and the longest stretch (s) in which it stayed at ≥ 80 % of its rate (1-second bins). A budget that binds the
 * drain runs near 100 % for most of it; one far below says the drain waited on something else.
 */
export function budgetUse(measured, limits, drainMs) {
  const rows = [];
  for (const m of measured) {
    for (const [provider, { prefix, units }] of Object.entries(LIMITED)) {
      const { rate, burst } = limits[provider];
      const bins = new Map();
      let used = 0;
      const first = m.traffic[0]?.at ?? 0;
      for (const t of m.traffic) {
        if (t.status === 429 || !t.path.startsWith(prefix)) continue;
        used += units(t.path);
        const bin = Math.floor((t.at - first) / 1000);
        bins.set(bin, (bins.get(bin) ?? 0) + units(t.path));
      }
      let longest = 0;
      let run = 0;
      for (let bin = 0; bin <= Math.ceil(drainMs / 1000); bin++) {
        run = (bins.get(bin) ?? 0) >= 0.8 * rate ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      const capacity = (rate * drainMs) / 1000 + burst;
      rows.push({ workspace: m.label, provider, units: used, use: round2(used / capacity), saturatedS: longest });
    }
  }
  return rows;
}

/** The most units in any `windowMs` (a rolling window from each request) of requests at the given times. */
function busiestWindow(requests, windowMs) {
  const sorted = [...requests].sort((a, b) => a.at - b.at);
  let busiest = 0;
  let inWindow = 0;
  let from = 0;
  for (const r of sorted) {
    inWindow += r.units;
    while ((sorted[from]?.at ?? r.at) <= r.at - windowMs) inWindow -= sorted[from++].units;
    busiest = Math.max(busiest, inWindow);
  }
  return busiest;
}

/**
 * When each workspace's requests to `provider` went, from the win: units per `binMs` bin (429s excluded), and
 * the second of the first one. A budget that binds the drain uses its full share in every bin; a bin below it
 * shows where that capacity went unused (a slow start, late permits on a busy machine, a tail). `busiest` is the
 * most units the provider answered in any one of its windows (`windowMs`, HubSpot's 10 s), against its limit:
 * how close the requests' arrival came to the limit the budget keeps with its margins.
 */
export function budgetTimeline(measured, started, drainMs, windowMs, provider = "hubspot", binMs = 10_000) {
  const { prefix, units } = LIMITED[provider];
  return measured.map((m) => {
    const bins = new Array(Math.ceil(drainMs / binMs)).fill(0);
    let first = null;
    const answered = [];
    for (const t of m.traffic) {
      if (t.status === 429 || !t.path.startsWith(prefix)) continue;
      first ??= t.at - started;
      answered.push({ at: t.at, units: units(t.path) });
      const bin = Math.min(bins.length - 1, Math.floor((t.at - started) / binMs));
      if (bin >= 0) bins[bin] += units(t.path);
    }
    const busiest = busiestWindow(answered, windowMs);
    return { workspace: m.label, provider, binS: binMs / 1000, firstS: round2((first ?? 0) / 1000), busiest, bins };
  });
}
