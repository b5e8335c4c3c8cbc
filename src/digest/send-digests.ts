import { workspaceBranding } from "../email/render";
import type { AppEnv } from "../env";
import { publicUrl } from "../links/public-url";
import { log } from "../log";
import { createOnce } from "../runtime/platform";
import { parseWorkspaceSettings } from "../settings/workspace-settings";
import { digestRecipients, readDigestRows } from "../store/digest-rows";
import { taskInstanceId } from "../tasks/task-workflow";
import { composeDigest, previousWeek, STUCK_AFTER_MS } from "./compose";

/** The Cron Trigger of the weekly digest (wrangler.toml `[triggers]`): Mondays 07:23 UTC. */
export const WEEKLY_DIGEST_CRON = "23 7 * * 1";

/** How the run went: digests started, already started for this week, and workspaces that turned it off. */
export interface DigestReport {
  started: number;
  duplicate: number;
  off: number;
}

/**
 * Starts each owner's weekly digest (issue 15, Deliver 4): the last week's
 * rows, composed to text and handed to the TaskWorkflow, which sends it from
 * the owner's own Gmail in a retried step. The instance id derives from the
 * workspace and the ISO week, so a second run in the same week (a retried
 * cron, a manual run) starts nothing: one digest per workspace per week.
 * Workspaces whose owner turned `weeklyDigest` off are skipped.
 */
export async function sendWeeklyDigests(env: AppEnv, now: number): Promise<DigestReport> {
  const report: DigestReport = { started: 0, duplicate: 0, off: 0 };
  const week = previousWeek(now);
  const today = new Date(now).toISOString().slice(0, 10);
  const stuckBefore = new Date(now - STUCK_AFTER_MS).toISOString();
  for (const recipient of await digestRecipients(env.DB)) {
    const settings = parseWorkspaceSettings(recipient.settings);
    if (!settings.weeklyDigest) {
      report.off += 1;
      continue;
    }
    const { workspaceId } = recipient;
    const rows = await readDigestRows(env.DB, workspaceId, { start: week.start, end: week.end, stuckBefore, today });
    const email = composeDigest({ workspaceName: recipient.workspaceName, week, rows, appUrl: publicUrl(env) });
    const outcome = await createOnce(env.TASKS, {
      id: await taskInstanceId(workspaceId, `owner-digest:${week.label}`),
      params: {
        workspaceId,
        journeyId: null,
        fromName: "Clientflow",
        branding: workspaceBranding(recipient.workspaceName, settings),
        tasks: [
          {
            kind: "owner-email",
            step: `digest.${week.label}`,
            to: { name: "", email: recipient.ownerEmail },
            ...email,
          },
        ],
      },
    });
    report[outcome === "created" ? "started" : "duplicate"] += 1;
  }
  log.info("weekly digests", { week: week.label, ...report });
  return report;
}
