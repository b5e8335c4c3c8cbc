import {
  CLIENTFLOW_DEAL_PROPERTIES,
  type ClientflowDealProperty,
} from "../../integrations/hubspot/actions/update-deal";

/** One line of a `properties` input: a Clientflow deal property and its value (merge fields not filled yet). */
export interface DealPropertyLine {
  name: ClientflowDealProperty;
  value: string;
}

const LINE = /^\s*([A-Za-z0-9_]+)\s*:\s?(.*)$/;
const isClientflowProperty = (name: string): name is ClientflowDealProperty =>
  Object.hasOwn(CLIENTFLOW_DEAL_PROPERTIES, name);

/**
 * Reads the `properties` input of `hubspot.update-deal`: one `name: value`
 * a line (blank lines ignored; the value runs to the end of the line, colons
 * included). Only Clientflow's own deal properties may be written; each
 * problem names its line.
 */
export function parseDealProperties(text: string): { lines: DealPropertyLine[]; errors: string[] } {
  const lines: DealPropertyLine[] = [];
  const errors: string[] = [];
  text.split("\n").forEach((raw, i) => {
    if (!raw.trim()) return;
    const match = LINE.exec(raw);
    const name = match?.[1] ?? "";
    if (!match) errors.push(`line ${i + 1} is not "name: value"`);
    else if (!isClientflowProperty(name))
      errors.push(`line ${i + 1}: ${name} is not one of ${Object.keys(CLIENTFLOW_DEAL_PROPERTIES).join(", ")}`);
    else if (lines.some((l) => l.name === name)) errors.push(`line ${i + 1}: ${name} is set twice`);
    else lines.push({ name, value: (match[2] ?? "").trim() });
  });
  return { lines, errors };
}
