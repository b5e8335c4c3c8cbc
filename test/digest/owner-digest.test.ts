import {
  createExecutionContext,
  createScheduledController,
  introspectWorkflowInstance,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { composeDigest, previousWeek } from "../../src/digest/compose";
import { sendWeeklyDigests, WEEKLY_DIGEST_CRON } from "../../src/digest/send-digests";
import { renderEmail } from "../../src/email/render";
import worker from "../../src/index";
import { publicUrl } from "../../src/links/public-url";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { recordConnectionCheck } from "../../src/store/connection-checks";
import { readDigestRows } from "../../src/store/digest-rows";
import { seedOwner } from "../../src/store/owners";
import { taskInstanceId } from "../../src/tasks/task-workflow";
import { connectWorkspace, SENDER_EMAIL, useWorld } from "../world";

const world = useWorld();
// Monday 2026-11-30 07:23 UTC: the digest of the week 2026-11-23 … 2026-11-29 (ISO week 48).
const NOW = Date.parse("2026-11-30T07:23:00Z");

/** Runs SQL statements with their parameters (the test's fixtures). */
async function sql(statement: string, ...params: unknown[]) {
  await env.DB.prepare(statement)
    .bind(...params)
    .run();
}

/** A workspace with an owner, Google connected, and a week of activity. */
async function busyWorkspace(ws: string, portal: string, owner: string) {
  await connectWorkspace(env, ws, portal);
  await seedOwner(env.DB, { googleSub: `sub-${ws}`, email: owner, workspaceId: ws });
  const journey = (id: string, name: string, status: string, createdAt: string) =>
    sql(
      "INSERT INTO journeys (id, workspace_id, deal_id, client_name, status, workflow_instance_id, created_at) VALUES (?1, ?2, ?1, ?3, ?4, ?1, ?5)",
      `${ws}-${id}`,
      ws,
      name,
      status,
      createdAt,
    );
  await journey("new", "Ada Lovelace", "running", "2026-11-24T10:00:00.000Z");
  await journey("old", "Grace Hopper", "waiting", "2026-10-01T10:00:00.000Z");
  await journey("failed", "Alan Turing", "failed", "2026-10-05T10:00:00.000Z");
  await journey("done", "Edsger Dijkstra", "complete", "2026-10-02T10:00:00.000Z");
  const step = (j: string, name: string, status: string, updatedAt: string, result: string | null = null) =>
    sql(
      "INSERT INTO journey_steps (journey_id, name, status, updated_at, result) VALUES (?1, ?2, ?3, ?4, ?5)",
      `${ws}-${j}`,
      name,
      status,
      updatedAt,
      result,
    );
  await step("new", "wait-agreement", "waiting", "2026-11-28T10:00:00.000Z"); // two days: not stuck
  await step("old", "wait-deposit", "waiting", "2026-11-10T10:00:00.000Z"); // twenty days: stuck
  await step("failed", "notion.create-card", "failed", "2026-11-26T09:00:00.000Z");
  const invoice = (id: string, amountDue: number, dueDate: string) =>
    JSON.stringify({ invoiceId: id, amountDue, currency: "usd", dueDate });
  await step(
    "old",
    "stripe.deposit-invoice",
    "succeeded",
    "2026-11-01T10:00:00.000Z",
    invoice("in_overdue", 150000, "2026-11-15"),
  );
  await step(
    "done",
    "stripe.balance-invoice",
    "succeeded",
    "2026-11-01T10:00:00.000Z",
    invoice("in_paid", 90000, "2026-11-15"),
  );
  await sql(
    "INSERT INTO journey_invoices (workspace_id, invoice_id, journey_id, purpose) VALUES (?1, 'in_overdue', ?2, 'deposit')",
    ws,
    `${ws}-old`,
  );
  await sql(
    "INSERT INTO journey_invoices (workspace_id, invoice_id, journey_id, purpose) VALUES (?1, 'in_paid', ?2, 'balance')",
    ws,
    `${ws}-done`,
  );
  await sql(
    "INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, payload) VALUES ('stripe', ?1, ?2, 'invoice.paid', ?3)",
    ws,
    `evt-${ws}-paid`,
    JSON.stringify({ type: "stripe.invoice.paid", invoiceId: "in_paid" }),
  );
  await sql(
    "INSERT INTO surveys (id, workspace_id, journey_id, token_hash, question, status, answered_at, score, comment) VALUES (?1, ?2, ?3, ?1, 'Recommend us?', 'answered', '2026-11-27T12:00:00.000Z', 9, 'Lovely work')",
    `srv-${ws}`,
    ws,
    `${ws}-done`,
  );
  await recordConnectionCheck(env.DB, {
    workspaceId: ws,
    provider: "stripe",
    kind: "stripe_endpoint",
    status: "warning",
    checkedAt: "2026-11-29T03:17:00.000Z",
    errorClass: "stripe_endpoint_disabled",
    hint: "Clientflow's webhook endpoint is disabled in Stripe.",
  });
}

describe("the weekly owner digest", () => {
  it("names the previous ISO week", () => {
    expect(previousWeek(NOW)).toEqual({
      start: "2026-11-23T00:00:00.000Z",
      end: "2026-11-30T00:00:00.000Z",
      label: "2026-W48",
    });
    // Any moment of the week after gives the same week: a late or repeated run keeps its key.
    expect(previousWeek(Date.parse("2026-12-06T23:59:00Z")).label).toBe("2026-W48");
    expect(previousWeek(Date.parse("2027-01-04T07:23:00Z")).label).toBe("2026-W53");
  });

  it("holds new clients, stuck and failed journeys, overdue invoices, survey answers and connection warnings", async () => {
    const ws = "ws-digest-contents";
    await busyWorkspace(ws, "digest-portal-1", "owner@contents.test");
    const week = previousWeek(NOW);
    const rows = await readDigestRows(env.DB, ws, {
      start: week.start,
      end: week.end,
      stuckBefore: "2026-11-23T07:23:00.000Z",
      today: "2026-11-30",
    });
    const digest = composeDigest({ workspaceName: "Bright Studio", week, rows, appUrl: "https://clientflow.test" });
    const branding = { businessName: "Bright Studio", brandColor: "#1f2937", accentColor: "#2563eb" };
    const { subject, text } = renderEmail({ ...digest, body: digest.text, branding });
    expect(subject).toBe("Bright Studio: your week in Clientflow (2026-W48) — 4 to look at");
    expect(text).toContain("Your week from 2026-11-23 to 2026-11-29.");
    const open = (j: string) => `\n  Open the client: https://clientflow.test/journeys/${ws}-${j}`;
    expect(text).toContain(`New clients (1)\n- Ada Lovelace, started 2026-11-24${open("new")}`);
    expect(text).toContain(
      `Stuck or failed journeys (2)\n- Grace Hopper: wait-deposit has waited since 2026-11-10${open("old")}\n- Alan Turing: notion.create-card failed since 2026-11-26${open("failed")}`,
    );
    expect(text).toContain(
      `Overdue invoices (1)\n- Grace Hopper: $1,500.00 USD was due 2026-11-15 (in_overdue)${open("old")}`,
    );
    expect(text).toContain(`Survey answers (1)\n- Edsger Dijkstra: 9/10 — "Lovely work"${open("done")}`);
    expect(text).toContain(
      "Connection warnings (1)\n- Stripe, Stripe webhook endpoint (warning): Clientflow's webhook endpoint is disabled in Stripe.\n  Fix it on Connections: https://clientflow.test/connections",
    );
    expect(text).not.toContain("in_paid");
    expect(text).not.toContain("wait-agreement");
  });

  it("is sent once per workspace per week from the owner's Gmail, and not at all when turned off", async () => {
    const ws = "ws-digest-send";
    const OWNER = "owner@brightstudio.test";
    await busyWorkspace(ws, "digest-portal-2", OWNER);
    await upsertWorkspace(env.DB, { id: "ws-digest-off", name: "Off Studio", settings: { weeklyDigest: false } });
    await connectWorkspace(env, "ws-digest-off", "digest-portal-3", { weeklyDigest: false });
    await seedOwner(env.DB, { googleSub: "sub-digest-off", email: "off@studio.test", workspaceId: "ws-digest-off" });

    const taskId = await taskInstanceId(ws, "owner-digest:2026-W48");
    await using task = await introspectWorkflowInstance(env.TASKS, taskId);
    await task.modify((m) => m.disableRetryDelays());
    // Started by the Cron Trigger itself, on the digest's schedule.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: WEEKLY_DIGEST_CRON }), env, ctx);
    await waitOnExecutionContext(ctx);
    await task.waitForStatus("complete");

    const mails = world.google.sent.filter((m) => m.to.includes(OWNER));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.from).toContain(SENDER_EMAIL);
    expect(mails[0]?.subject).toBe("Bright Studio: your week in Clientflow (2026-W48) — 4 to look at");
    expect(mails[0]?.text).toContain("Ada Lovelace");
    // The HTML part comes from the one renderer: the sections as headings and lists, links to the pages.
    expect(mails[0]?.html).toContain(">New clients (1)</h2>");
    expect(mails[0]?.html).toContain(`href="${publicUrl(env)}/journeys/${ws}-new"`);
    expect(world.google.sent.filter((m) => m.to.includes("off@studio.test"))).toEqual([]);

    // A second run the same week (a retried cron) starts nothing: this workspace's digest and the
    // one of the workspace of the test before (also an owner with Google) were started by the first.
    expect(await sendWeeklyDigests(env, NOW + 60 * 60_000)).toEqual({ started: 0, duplicate: 2, off: 1 });
    expect(world.google.sent.filter((m) => m.to.includes(OWNER))).toHaveLength(1);
  });
});
