import { hubspotClient } from "../../integrations/hubspot/client";
import { readDealPipelines } from "../../integrations/hubspot/pipelines";
import { readBoardStatuses } from "../../integrations/notion/boards";
import { withConnection } from "../connections/action-context";
import type { AccountFacts } from "../engine/account-checks";
import type { AppEnv } from "../env";
import { ConnectionError, IntegrationError } from "../errors";
import { log } from "../log";
import { getWorkspace } from "../settings/workspaces";
import { readLeadForm } from "../store/lead-forms";

/** The facts and the warnings about checks that were skipped. */
export interface ReadFacts {
  facts: AccountFacts;
  warnings: string[];
}

/**
 * One provider's read: its value, or null with a warning. A provider that
 * is not connected (or whose board is not picked) and a provider that fails
 * (down, rate limited, refusing) only skip their checks: the owner can
 * still save, and a read failure is never the save's 500.
 */
async function read<T>(
  name: string,
  what: string,
  warnings: string[],
  workspaceId: string,
  fn: () => Promise<T>,
): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConnectionError) {
      warnings.push(`${what} were not checked against ${name}: ${error.message}.`);
    } else {
      const status = error instanceof IntegrationError && error.httpStatus ? ` (error ${error.httpStatus})` : "";
      warnings.push(
        `${what} were not checked against ${name}: it could not be read${status}. Save again later to check them.`,
      );
      log.warn("template check read failed", { tenant: workspaceId, provider: name.toLowerCase() });
    }
    return null;
  }
}

/**
 * Reads what a template is checked against when it is saved: the Notion
 * board's Status options, the HubSpot deal pipelines and their stages, the
 * workspace settings and the lead form's booking link.
 */
export async function readAccountFacts(env: AppEnv, workspaceId: string): Promise<ReadFacts> {
  // One list per provider, joined in a fixed order: the reads run at once.
  const notionWarnings: string[] = [];
  const hubspotWarnings: string[] = [];
  const [board, pipelines, workspace, leadForm] = await Promise.all([
    read("Notion", "Card statuses", notionWarnings, workspaceId, () =>
      withConnection(env, workspaceId, "notion", readBoardStatuses),
    ),
    read("HubSpot", "Deal pipelines and stages", hubspotWarnings, workspaceId, () =>
      withConnection(env, workspaceId, "hubspot", (ctx) => readDealPipelines(hubspotClient(ctx))),
    ),
    getWorkspace(env.DB, workspaceId),
    readLeadForm(env.DB, workspaceId),
  ]);
  const warnings = [...notionWarnings, ...hubspotWarnings];
  let checkedBoard = board;
  if (board && board.statuses.length === 0) {
    warnings.push(`Card statuses were not checked: the board "${board.name}" has no Status property.`);
    checkedBoard = null;
  }
  return {
    facts: {
      board: checkedBoard,
      pipelines,
      settings: workspace.settings,
      leadBookingUrl: leadForm?.bookingUrl ?? null,
    },
    warnings,
  };
}
