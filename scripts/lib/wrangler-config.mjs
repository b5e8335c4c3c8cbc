// Reads and edits wrangler.toml for the deploy scripts without loading wrangler itself (seconds per load).
// It understands the subset this project writes: [tables], [[arrays of tables]], `key = "string"`, numbers,
// booleans and one-line arrays of strings, with # comments. Anything else fails loudly rather than being
// misread; test/deploy/wrangler-config.test.ts compares its reading with wrangler's own for every environment.
import { readFileSync, writeFileSync } from "node:fs";

/** Keys wrangler does not inherit into `[env.*]` that these scripts act on (https://developers.cloudflare.com/workers/wrangler/environments/). */
const NOT_INHERITED = ["vars", "d1_databases", "workflows", "queues"];

/** Parses one TOML value of the supported subset. */
function parseValue(text, where) {
  const value = text.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(value)) return JSON.parse(value);
  if (value === "true" || value === "false") return value === "true";
  if (/^-?\d+$/.test(value)) return Number(value);
  if (value.startsWith("[") && value.endsWith("]")) {
    const inner = value.slice(1, -1).trim();
    if (!inner) return [];
    return inner
      .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
      .filter((item) => item.trim())
      .map((item) => parseValue(item, where));
  }
  throw new Error(`wrangler.toml ${where}: unsupported value ${value}`);
}

/** Drops a trailing comment outside quotes. */
function stripComment(line) {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== "\\") quoted = !quoted;
    if (line[i] === "#" && !quoted) return line.slice(0, i);
  }
  return line;
}

/** The table a dotted path names, created on the way; `[[x]]` paths end in a new array element. */
function tableAt(root, path, arrayElement) {
  let node = root;
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    if (last && arrayElement) {
      node[key] ??= [];
      node[key].push({});
      node = node[key].at(-1);
      return;
    }
    node[key] ??= {};
    node = Array.isArray(node[key]) ? node[key].at(-1) : node[key];
  });
  return node;
}

/** Parses wrangler.toml text into a plain object. */
export function parseToml(text) {
  const root = {};
  let table = root;
  text.split("\n").forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (!line) return;
    const header = /^(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?$/.exec(line);
    if (header) {
      table = tableAt(root, header[2].split("."), header[1] === "[[");
      return;
    }
    // A bare key, or a quoted one (module names in [alias], e.g. "zod").
    const pair = /^(?:([A-Za-z0-9_-]+)|"([^"\\]+)")\s*=\s*(.+)$/.exec(line);
    if (!pair) throw new Error(`wrangler.toml line ${index + 1}: cannot read ${JSON.stringify(line)}`);
    table[pair[1] ?? pair[2]] = parseValue(pair[3], `line ${index + 1}`);
  });
  return root;
}

/** Reads a wrangler.toml file. */
export function readToml(file) {
  return parseToml(readFileSync(file, "utf8"));
}

/**
 * What one environment deploys with: the Worker's name (`<name>-<env>` as wrangler names it), its vars,
 * D1 databases, Workflows and queue names (producers and consumers, dead-letter queues included), and
 * warnings for bindings the top level declares but the environment does not (wrangler would deploy
 * without them).
 */
export function environment(config, env) {
  const section = env ? config.env?.[env] : config;
  if (!section) throw new Error(`wrangler.toml has no [env.${env}] section`);
  const queues = section.queues ?? {};
  const queueNames = new Set();
  for (const producer of queues.producers ?? []) queueNames.add(producer.queue);
  for (const consumer of queues.consumers ?? []) {
    queueNames.add(consumer.queue);
    if (consumer.dead_letter_queue) queueNames.add(consumer.dead_letter_queue);
  }
  const warnings = [];
  if (env) {
    for (const key of NOT_INHERITED) {
      if (config[key] !== undefined && section[key] === undefined) {
        warnings.push(`[${key}] is declared at the top level but not in [env.${env}]: wrangler does not inherit it`);
      }
    }
  }
  return {
    name: env ? `${config.name}-${env}` : config.name,
    vars: section.vars ?? {},
    d1: section.d1_databases ?? [],
    workflows: section.workflows ?? [],
    queues: [...queueNames].filter(Boolean),
    warnings,
  };
}

/**
 * Sets one `key = "value"` line inside a section and leaves every other line (comments included) as it
 * was. The section is `[header]`, or the `[[header]]` element whose `match` key has `match` value.
 */
export function setTomlString(text, { header, match, key, value }) {
  const lines = text.split("\n");
  const sections = [];
  lines.forEach((raw, i) => {
    const opened = /^\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?$/.exec(stripComment(raw).trim());
    if (opened) sections.push({ header: opened[1], start: i, end: lines.length });
  });
  sections.forEach((section, i) => {
    section.end = sections[i + 1]?.start ?? lines.length;
  });
  const pairIn = (section, name) => {
    for (let i = section.start + 1; i < section.end; i++) {
      const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(stripComment(lines[i]).trim());
      if (pair?.[1] === name) return { index: i, value: parseValue(pair[2], `line ${i + 1}`) };
    }
    return null;
  };
  const found = sections.filter(
    (section) => section.header === header && (!match || pairIn(section, match.key)?.value === match.value),
  );
  if (found.length !== 1) {
    throw new Error(
      `wrangler.toml: ${found.length} [${header}] sections${match ? ` with ${match.key} = "${match.value}"` : ""}`,
    );
  }
  const section = found[0];
  const line = `${key} = ${JSON.stringify(value)}`;
  const existing = pairIn(section, key);
  if (existing) lines[existing.index] = lines[existing.index].replace(/^(\s*)\S.*$/, `$1${line}`);
  else lines.splice(section.start + 1, 0, line);
  return lines.join("\n");
}

/** Applies `setTomlString` to a file in place. */
export function writeTomlString(file, edit) {
  writeFileSync(file, setTomlString(readFileSync(file, "utf8"), edit));
}
