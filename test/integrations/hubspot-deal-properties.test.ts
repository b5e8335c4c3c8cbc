import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import type { StepIdentity } from "../../integrations/core/context";
import { IntegrationError } from "../../integrations/core/errors";
import { hubspot } from "../../integrations/hubspot";
import { propertiesNotFound } from "../../integrations/hubspot/client";
import { runStepAction } from "../../src/connections/action-context";
import { TEST_BINDINGS as B } from "../bindings";
import { connectWorkspace, HUBSPOT_TOKEN, useWorld } from "../world";

/**
 * Clientflow's deal properties are written first and created only when
 * HubSpot answers that they do not exist: no property read before a write.
 */
const world = useWorld();
const WS = "ws-deal-properties";
beforeAll(() => connectWorkspace(env, WS, "4470301"));

const step = (journeyId: string): StepIdentity => ({
  workspaceId: WS,
  journeyId,
  idempotencyKey: `${journeyId}:onboarding.deal-links`,
});

const OWNED = ["clientflow_status", "clientflow_invoice_url", "clientflow_project_url"];

/** Removes Clientflow's deal properties from the emulated account (files share the emulators' isolate). */
function forgetOwned() {
  for (const name of OWNED) world.hubspot.dealProperties.delete(name);
}

/** The HubSpot requests since `from`, as `METHOD path`. */
const since = (from: number) => world.hubspot.requests.all.slice(from).map((r) => `${r.method} ${r.path}`);

describe("hubspot.update-deal writes first", () => {
  it("with the properties already there: exactly one request, the PATCH; no property read", async () => {
    for (const name of OWNED) world.hubspot.dealProperties.add(name);
    world.hubspot.addDeal("7801", { properties: { dealname: "Known", dealstage: "closedwon" } });
    const from = world.hubspot.requests.all.length;
    const input = { dealId: "7801", properties: { clientflow_status: "Onboarding", clientflow_project_url: "u" } };
    expect(await runStepAction(env, hubspot.actions.updateDeal, step("onb-dp1"), input)).toEqual({ dealId: "7801" });
    expect(since(from)).toEqual(["PATCH /crm/v3/objects/deals/7801"]);
    expect(world.hubspot.deals.get("7801")?.properties).toMatchObject({ clientflow_status: "Onboarding" });
  });

  it("with properties missing: PATCH → 400 → one POST per missing property → PATCH, once each", async () => {
    forgetOwned();
    world.hubspot.dealProperties.add("clientflow_status");
    world.hubspot.addDeal("7802", { properties: { dealname: "Fresh", dealstage: "closedwon" } });
    const from = world.hubspot.requests.all.length;
    const properties = { clientflow_status: "Onboarding", clientflow_invoice_url: "i", clientflow_project_url: "p" };
    await runStepAction(env, hubspot.actions.updateDeal, step("onb-dp2"), { dealId: "7802", properties });
    expect(since(from)).toEqual([
      "PATCH /crm/v3/objects/deals/7802",
      "POST /crm/v3/properties/deals",
      "POST /crm/v3/properties/deals",
      "PATCH /crm/v3/objects/deals/7802",
    ]);
    const patches = world.hubspot.requests.matching("PATCH", "/crm/v3/objects/deals/7802");
    expect(patches.map((r) => world.hubspot.refused.has(r))).toEqual([true, false]);
    const creates = world.hubspot.requests.all.slice(from).filter((r) => r.method === "POST");
    expect(creates.map((r) => r.body)).toEqual([
      {
        name: "clientflow_invoice_url",
        label: "Clientflow invoice",
        type: "string",
        fieldType: "text",
        groupName: "dealinformation",
      },
      {
        name: "clientflow_project_url",
        label: "Clientflow project card",
        type: "string",
        fieldType: "text",
        groupName: "dealinformation",
      },
    ]);
    expect(world.hubspot.deals.get("7802")?.properties).toMatchObject(properties);
  });

  it("a 409 on the property create (another run made it meanwhile) still ends in one successful PATCH", async () => {
    forgetOwned();
    world.hubspot.addDeal("7803", { properties: { dealname: "Raced", dealstage: "closedwon" } });
    // Another journey creates the property between this one's refused PATCH and its create: the emulator answers 409.
    world.network.use(
      http.post(
        `${B.HUBSPOT_API_BASE}/crm/v3/properties/deals`,
        async ({ request }) => {
          world.hubspot.dealProperties.add(((await request.clone().json()) as { name: string }).name);
          return undefined;
        },
        { once: true },
      ),
    );
    const from = world.hubspot.requests.all.length;
    const input = { dealId: "7803", properties: { clientflow_status: "Deposit paid" } };
    expect(await runStepAction(env, hubspot.actions.updateDeal, step("onb-dp3"), input)).toEqual({ dealId: "7803" });
    expect(since(from)).toEqual([
      "PATCH /crm/v3/objects/deals/7803",
      "POST /crm/v3/properties/deals",
      "PATCH /crm/v3/objects/deals/7803",
    ]);
    expect(world.hubspot.deals.get("7803")?.properties.clientflow_status).toBe("Deposit paid");
  });

  it("another 400 (an invalid value) is thrown as before: not retried, no property created", async () => {
    for (const name of OWNED) world.hubspot.dealProperties.add(name);
    world.hubspot.addDeal("7804", { properties: { dealname: "Refused", dealstage: "closedwon" } });
    let patches = 0;
    // HubSpot's answer to a value an admin's validation rule refuses (Developer Changelog, "Property
    // Validations Rules will be enforced for APIs and Integrations").
    const results = [
      { isValid: false, message: "Enter only letters", error: "INVALID_ALPHA", name: "clientflow_status" },
    ];
    world.network.use(
      http.patch(`${B.HUBSPOT_API_BASE}/crm/v3/objects/deals/7804`, () => {
        patches += 1;
        return HttpResponse.json(
          {
            status: "error",
            message: `Property values were not valid: ${JSON.stringify(results)}`,
            correlationId: "11061cd3-cf3b-45f7-98d4-27f10a99ece6",
            category: "VALIDATION_ERROR",
          },
          { status: 400 },
        );
      }),
    );
    const from = world.hubspot.requests.all.length;
    const error = await runStepAction(env, hubspot.actions.updateDeal, step("onb-dp4"), {
      dealId: "7804",
      properties: { clientflow_status: "Onboarding 1" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ httpStatus: 400, retryable: false, unknownFields: undefined });
    expect((error as Error).message).toContain("Property values were not valid");
    expect(patches).toBe(1);
    expect(since(from)).toEqual([]);
  });
});

describe("HubSpot's answer to an unknown property", () => {
  it("the emulator answers a PATCH naming unknown properties as HubSpot documents it; the client reads the names", async () => {
    forgetOwned();
    world.hubspot.addDeal("7805", { properties: { dealname: "Shape", dealstage: "closedwon" } });
    const response = await fetch(`${B.HUBSPOT_API_BASE}/crm/v3/objects/deals/7805`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ properties: { clientflow_status: "x", dealname: "Shape", clientflow_project_url: "p" } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: "error",
      category: "VALIDATION_ERROR",
      errors: [
        {
          message: 'Property "clientflow_status" does not exist',
          code: "PROPERTY_DOESNT_EXIST",
          context: { propertyName: ["clientflow_status"] },
        },
        {
          message: 'Property "clientflow_project_url" does not exist',
          code: "PROPERTY_DOESNT_EXIST",
          context: { propertyName: ["clientflow_project_url"] },
        },
      ],
    });
    expect(body.correlationId).toEqual(expect.any(String));
    expect(String(body.message)).toMatch(/^Property values were not valid: \[\{"isValid":false,/);
    expect(propertiesNotFound(body)).toEqual(["clientflow_status", "clientflow_project_url"]);
    expect(world.hubspot.deals.get("7805")?.properties.dealname).toBe("Shape");
  });

  it("reads the names from the message alone (the older answer), and nothing from other validation errors", () => {
    const entry = (error: string, name: string) => ({ isValid: false, message: "m", error, name });
    const message = (entries: unknown[]) => `Property values were not valid: ${JSON.stringify(entries)}`;
    expect(
      propertiesNotFound({
        status: "error",
        message: message([entry("PROPERTY_DOESNT_EXIST", "clientflow_status"), entry("INVALID_ALPHA", "dealname")]),
        category: "VALIDATION_ERROR",
      }),
    ).toEqual(["clientflow_status"]);
    expect(
      propertiesNotFound({ message: message([entry("INVALID_OPTION", "x")]), category: "VALIDATION_ERROR" }),
    ).toEqual([]);
    expect(propertiesNotFound({ message: "Property values were not valid", category: "VALIDATION_ERROR" })).toEqual([]);
    expect(
      propertiesNotFound({
        message: message([entry("PROPERTY_DOESNT_EXIST", "x")]),
        category: "OBJECT_NOT_FOUND",
      }),
    ).toEqual([]);
    expect(propertiesNotFound("Bad Request")).toEqual([]);
  });
});
