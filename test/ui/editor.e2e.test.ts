import { describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { setClientLinks, useSandboxUi } from "./sandbox-ui";

const ui = useSandboxUi();

/** Each edit is a round trip to `wrangler dev` on a shared machine: allow it time. */
const WAIT = { timeout: 20_000 };

/** The ids of the follow-up phase's steps, in the order the page shows them. */
const followUpIds = () =>
  ui.page
    .locator('section[data-phase="follow_up"] details.step')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.stepId));

describe("the process editor's shape edits in Chromium", () => {
  it("adds a step, changes its action, moves it up, removes another, saves, and sees the saved version", async () => {
    // The process sends the client links: the owner sets them on the Connections page before saving it.
    await setClientLinks(ui.page);
    await ui.page.goto("/process");
    const before = await followUpIds();
    expect(before.length).toBeGreaterThanOrEqual(2);

    // Add an email step at the end of Follow-up.
    await ui.page.getByLabel("Action of a new step in Follow-up").selectOption("gmail.send-email");
    await ui.page.getByRole("button", { name: "Add a step to Follow-up" }).click();
    await expect.poll(async () => (await followUpIds()).length, WAIT).toBe(before.length + 1);
    const added = ui.page.locator('section[data-phase="follow_up"] details.step').last();
    expect(await added.getAttribute("data-step-id")).toMatch(/^send-email-\d+$/);
    expect(await added.getAttribute("open")).not.toBeNull(); // brought into view, open

    // Change its action: the inputs become the survey's.
    await added.getByLabel("Action").selectOption("survey.send");
    await added.getByRole("button", { name: "Change action" }).click();
    await expect.poll(() => added.getAttribute("data-action"), WAIT).toBe("survey.send");
    const id = (await added.getAttribute("data-step-id")) ?? "";
    expect(id).toMatch(/^send-\d+$/);
    await expect.poll(() => added.getByLabel("Question (required)").count(), WAIT).toBe(1);
    expect(await added.getByLabel("Subject (required)").count()).toBe(0);
    await added.getByLabel("Step name").fill("Ask how it went");
    await added.getByLabel("Question (required)").fill("How did we do?");

    // Move it up one place, then remove the step that was before it.
    const previous = before.at(-1) ?? "";
    const previousName = await ui.page.locator(`details[data-step-id="${previous}"] .step-title`).innerText();
    await ui.page.getByRole("button", { name: "Move up (New step)" }).click();
    await expect.poll(followUpIds, WAIT).toEqual([...before.slice(0, -1), id, previous]);
    // The moved step keeps what was typed (the draft travels with the edit) and its button keeps focus.
    const moved = ui.page.locator(`details[data-step-id="${id}"]`);
    expect(await moved.getByLabel("Question (required)").inputValue()).toBe("How did we do?");
    expect(await ui.page.evaluate(() => document.activeElement?.textContent)).toContain("Move up");
    const removed = before.at(-2) ?? "";
    const removedName = await ui.page.locator(`details[data-step-id="${removed}"] .step-title`).innerText();
    await ui.page.getByRole("button", { name: `Remove step ${removedName}` }).click();
    const expected = [...before.slice(0, -2), id, previous];
    await expect.poll(followUpIds, WAIT).toEqual(expected);
    expect(previousName).not.toBe("");

    // The edited page passes the same accessibility check as the other pages.
    expect(await axeViolations(ui.page)).toEqual([]);

    // Save: a new version; reloaded, the page shows it as saved.
    await ui.page.getByRole("button", { name: "Save" }).first().click();
    await expect.poll(() => ui.page.locator("#editor-status").innerText(), WAIT).toMatch(/Saved as version \d+/);
    const version = (await ui.page.locator("#editor-status").innerText()).match(/version (\d+)/)?.[1];
    await ui.page.goto("/process");
    expect(await followUpIds()).toEqual(expected);
    expect(await ui.page.locator(`details[data-step-id="${id}"] .step-title`).innerText()).toBe("Ask how it went");
    expect(await ui.page.locator("#history-list li[aria-current=true] strong").innerText()).toBe(`Version ${version}`);
    const saved = (await (await ui.page.request.get("/api/process")).json()) as {
      version: number;
      template: { phases: { id: string; steps: { id: string; inputs: Record<string, unknown> }[] }[] };
    };
    expect(String(saved.version)).toBe(version);
    const followUp = saved.template.phases.find((p) => p.id === "follow_up");
    expect(followUp?.steps.map((s) => s.id)).toEqual(expected);
    expect(followUp?.steps.find((s) => s.id === id)?.inputs).toEqual({ question: "How did we do?" });
    expect(await axeViolations(ui.page)).toEqual([]);
  });
});
