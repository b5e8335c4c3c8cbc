import type { HubspotFake } from "../emulators/hubspot";
import type { NotionFake } from "../emulators/notion";
import { SANDBOX_BOARD_ID } from "./providers";

/** Open deals of a small studio, at different stages of the default pipeline. */
const SAMPLE_DEALS = [
  {
    dealname: "Website refresh",
    amount: "4800",
    dealstage: "contractsent",
    contact: { email: "lin.park@client.test", firstname: "Lin", lastname: "Park" },
    lineItems: [
      { name: "Design sprint", quantity: "1", price: "1800" },
      { name: "Build and launch", quantity: "1", price: "3000" },
    ],
  },
  {
    dealname: "Brand identity",
    amount: "3200",
    dealstage: "decisionmakerboughtin",
    contact: { email: "sam.okafor@client.test", firstname: "Sam", lastname: "Okafor" },
    lineItems: [{ name: "Identity package", quantity: "1", price: "3200" }],
  },
  {
    dealname: "Monthly retainer",
    amount: "1500",
    dealstage: "presentationscheduled",
    contact: { email: "ana.silva@client.test", firstname: "Ana", lastname: "Silva" },
    lineItems: [{ name: "Retainer (first month)", quantity: "1", price: "1500" }],
  },
];

/** Seeds the HubSpot emulator with contacts and open deals (amounts, line items). */
export function seedHubspot(hubspot: HubspotFake): void {
  for (const sample of SAMPLE_DEALS) {
    const { contact, lineItems, ...properties } = sample;
    const id = hubspot.nextId();
    hubspot.addDeal(id, {
      properties: {
        ...properties,
        pipeline: "default",
        closedate: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      },
      contact,
      lineItems: lineItems.map((item) => ({ ...item, amount: String(Number(item.price) * Number(item.quantity)) })),
    });
  }
}

/** A new deal for a new contact, as if a salesperson had created it in HubSpot. */
export function addSandboxDeal(
  hubspot: HubspotFake,
  input: { name: string; amount: number; email: string; firstName: string; lastName: string },
): string {
  const id = hubspot.nextId();
  hubspot.addDeal(id, {
    properties: {
      dealname: input.name,
      amount: String(input.amount),
      dealstage: "appointmentscheduled",
      pipeline: "default",
      closedate: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    },
    contact: { email: input.email, firstname: input.firstName, lastname: input.lastName },
    lineItems: [{ name: input.name, quantity: "1", price: String(input.amount), amount: String(input.amount) }],
  });
  return id;
}

/** One card of an earlier client, so the board is not empty before the first won deal. */
export function seedNotion(notion: NotionFake): void {
  const id = "5a4db0a2-0000-4000-8000-0000000ca4d1";
  const text = (content: string) => [{ text: { content } }];
  notion.pages.set(id, {
    object: "page",
    id,
    url: `https://www.notion.so/Harbor-Bakery-${id.replace(/-/g, "")}`,
    parent: { type: "data_source_id", data_source_id: SANDBOX_BOARD_ID },
    in_trash: false,
    properties: {
      Name: { title: text("Harbor Bakery: menu redesign") },
      Status: { status: { name: "In progress" } },
      Client: { rich_text: text("Harbor Bakery") },
      "Clientflow ID": { rich_text: text("sample-card") },
    },
    children: [],
    last_edited_time: new Date().toISOString(),
  });
}
