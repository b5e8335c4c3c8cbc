import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { renderEmail } from "../../src/email/render";
import { PROCESS_MERGE_FIELDS, processMergeData, renderProcessText } from "../../src/engine/merge-context";
import { PRESETS, presetTemplate } from "../../src/engine/presets";
import { validateTemplate } from "../../src/engine/validate-template";
import { parseWorkspaceSettings } from "../../src/settings/workspace-settings";
import { signIn } from "../browser";
import { setOwnerLinks, useWorld } from "../world";

const world = useWorld();

const deal: DealSnapshot = {
  dealId: "1",
  name: "Logo & <Brand>",
  amount: 900,
  currency: "eur",
  closeDate: "2026-11-02",
  description: null,
  pipeline: null,
  url: "https://app.hubspot.test/contacts/1/record/0-3/1",
  contact: { id: "9", email: "ana@client.test", firstName: "Ana", lastName: "Lima", company: null },
  lineItems: [
    { name: "Logo", quantity: 1, unitPrice: 600 },
    { name: "Revision", quantity: 3, unitPrice: 100 },
  ],
};

const data = () =>
  processMergeData({
    businessName: "Studio",
    settings: parseWorkspaceSettings(JSON.stringify({ senderName: "Ada" })),
    deal,
    project: { startDate: "2026-11-02", dueDate: "2026-12-02", url: "https://notion.test/card" },
    invoice: { url: "https://invoice.stripe.test/i/in_1", number: "CF-0001", amount: "€900.00", dueDate: "2026-11-09" },
    agreementUrl: "https://studio.test/agreement?v=2&lang=en",
    unsubscribeUrl: "https://app.test/u/x",
  });

/** A step of the onboarding preset, by id. */
const presetStep = (id: string) => {
  const step = PRESETS.onboarding.phases.flatMap((p) => p.steps).find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
};

/** The validation errors of the onboarding preset with one step changed. */
function errorsWith(id: string, change: (step: ReturnType<typeof presetStep>) => void): string[] {
  const template = presetTemplate("onboarding");
  const step = template.phases.flatMap((p) => p.steps).find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  change(step);
  const result = validateTemplate(template);
  return result.ok ? [] : result.errors;
}

describe("the shipped presets", () => {
  it("are valid templates", () => {
    for (const [id, template] of Object.entries(PRESETS)) {
      const result = validateTemplate(template);
      expect(result.ok ? [] : result.errors, id).toEqual([]);
    }
  });

  it("the onboarding welcome email has its four parts, the line items and clickable, escaped links", () => {
    const inputs = presetStep("welcome-email").inputs ?? {};
    const merge = data();
    const subject = renderProcessText(String(inputs.subject), merge, {});
    const body = renderProcessText(String(inputs.body), merge, {});
    expect(subject).toBe("Welcome, Ana: your next steps for Logo & <Brand>");
    expect(body).toContain("1. Your agreement\nPlease read and accept it: https://studio.test/agreement?v=2&lang=en");
    expect(body).toContain("2. Your invoice\n€900.00, due 2026-11-09: https://invoice.stripe.test/i/in_1");
    expect(body).toContain("3. What we will deliver\nYour engagement starts on 2026-11-02 and is due by 2026-12-02.");
    expect(body).toContain("- Logo\n- Revision × 3\n");
    expect(body).toContain(
      "4. Next steps\n1. Read and accept the agreement.\n2. Pay the invoice (€900.00) by 2026-11-09.",
    );
    expect(body.endsWith("\n\nAda")).toBe(true);
    const { html } = renderEmail({
      subject: "Welcome",
      body,
      branding: { businessName: "Bright Studio", brandColor: "#1f2937", accentColor: "#2563eb" },
    });
    expect(html).toContain("Logo &amp; &lt;Brand&gt;");
    expect(html).not.toContain("<Brand>");
    expect(html).toContain(
      '<a href="https://studio.test/agreement?v=2&amp;lang=en" rel="noopener noreferrer" style="color:#2563eb;text-decoration:underline">https://studio.test/agreement?v=2&amp;lang=en</a>',
    );
    expect(html).toMatch(
      /<a href="https:\/\/invoice.stripe.test\/i\/in_1" [^>]*>https:\/\/invoice.stripe.test\/i\/in_1<\/a>/,
    );
  });

  it("processMergeData fills exactly the merge fields templates may name", () => {
    const shape = Object.fromEntries(
      Object.entries(data()).map(([group, values]) => [group, Object.keys(values).sort()]),
    );
    const known = Object.fromEntries(
      Object.entries(PROCESS_MERGE_FIELDS).map(([group, keys]) => [group, [...keys].sort()]),
    );
    expect(shape).toEqual(known);
  });
});

describe("what the template language gained for the preset", () => {
  it("checks hubspot.update-deal's properties: Clientflow's own, one `name: value` a line, each once", () => {
    expect(
      errorsWith("update-deal", (s) => {
        s.inputs = { properties: "clientflow_status: ok\nnot a line\ndealstage: closedwon\nclientflow_status: again" };
      }),
    ).toEqual([
      'phases[0].steps[3] (update-deal): input "properties": line 2 is not "name: value"',
      'phases[0].steps[3] (update-deal): input "properties": line 3: dealstage is not one of clientflow_status, clientflow_invoice_url, clientflow_project_url',
      'phases[0].steps[3] (update-deal): input "properties": line 4: clientflow_status is set twice',
    ]);
    expect(
      errorsWith("update-deal", (s) => {
        s.inputs = { status: "Paid", properties: "clientflow_status: Paid\nclientflow_project_url: {{project.link}}" };
      }),
    ).toEqual([
      'phases[0].steps[3] (update-deal): input "properties": clientflow_status is already set by the input "status"',
      "phases[0].steps[3] (update-deal).inputs.properties: Unknown merge field {{project.link}}",
    ]);
  });

  it("checks an event wait's timeout path, and {{reminder.number}} only in reminders", () => {
    /** The payment step waiting for `event`, its timeout ending in `outcome`. */
    const paymentWaiting = (event: string, outcome: string) =>
      errorsWith("payment", (s) => {
        s.trigger = { type: "event", event, timeout: { after: { amount: 3, unit: "days" }, outcome } } as never;
      });
    expect(paymentWaiting("contract.signed", "end_unpaid")).toEqual([
      "phases[0].steps[4] (payment).trigger.timeout.outcome: the outcome end_unpaid needs a stripe.invoice.paid trigger, not contract.signed",
    ]);
    expect(paymentWaiting("stripe.invoice.paid", "give_up")).toEqual([
      expect.stringMatching(/^phases\.0\.steps\.4\.trigger\.timeout\.outcome: /),
    ]);
    expect(
      errorsWith("welcome-email", (s) => {
        s.inputs = { ...s.inputs, subject: "Reminder {{reminder.number}}" };
      }),
    ).toEqual(["phases[0].steps[2] (welcome-email).inputs.subject: Unknown merge field {{reminder.number}}"]);
  });
});

describe("the editor with the onboarding preset", () => {
  it("saves it and shows its new fields as ordinary inputs: deal properties, the wait's timeout path", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-preset", email: "preset@studio.test" });
    // The preset's welcome email sends the settings' agreement link: the owner has set it.
    await setOwnerLinks(env, "owner-preset");
    const put = await browser.fetch("/api/process/templates/default", {
      method: "PUT",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(PRESETS.onboarding),
    });
    expect(put.status).toBe(201);
    const html = await (await browser.fetch("/process")).text();
    const tagOf = (id: string) => html.match(new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`))?.[0] ?? "";

    expect(html).toContain('<label for="f-phases-0-steps-3-inputs-properties">Deal properties');
    expect(html).toMatch(/<textarea[^>]*id="f-phases-0-steps-3-inputs-properties"[^>]*>clientflow_status: Onboarding/);
    expect(tagOf("f-phases-0-steps-4-trigger-timeout-after-amount")).toContain('value="72"');
    expect(html).toMatch(
      /id="f-phases-0-steps-4-trigger-timeout-after-unit"[^>]*>.*?<option value="hours" selected="">/s,
    );
    expect(html).toMatch(
      /id="f-phases-0-steps-4-trigger-timeout-outcome"[^>]*>.*?<option value="end_unpaid" selected="">/s,
    );
    expect(tagOf("f-phases-0-steps-4-trigger-timeout-dealStatus")).toContain('value="Unpaid"');
    expect(html).toContain("on stripe.invoice.paid; if none within 72 hours, the journey ends as unpaid");
    // The editor's script sends the timeout back with the trigger it rebuilds from the form.
    expect(html).toContain(`value(".trigger.timeout.after.amount")`);
    expect(html).toContain("t.timeout = timeout");
  });
});
