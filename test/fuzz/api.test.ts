import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../src/api";
import { type Browser, signIn } from "../browser";
import { OutcomeTally } from "../reliability/outcome-tally";
import { useWorld } from "../world";
import {
  brief,
  expectEscaped,
  expectNothingStored,
  fuzz,
  hostileText,
  malformedJson,
  rowCounts,
  wrongContentType,
  wrongType,
} from "./fuzz-kit";

/**
 * The JSON API, from its own OpenAPI document (every operation it serves):
 * bodies generated from the request schemas with hostile text in every
 * string, broken bodies, hostile path and query parameters. Never a 5xx;
 * a refusal is a 4xx with the app's error body and stores nothing.
 */
const world = useWorld();
const doc = openApiDocument("https://clientflow.test/api");
type Schema = Record<string, unknown>;
const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;
let owner: { browser: Browser; csrf: string };

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema: Schema }[];
  body?: Schema;
}
const operations: Operation[] = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item ?? {}).map(([method, op]) => {
    const o = op as {
      parameters?: Operation["parameters"];
      requestBody?: { content?: Record<string, { schema?: Schema }> };
    };
    return {
      method: method.toUpperCase(),
      path,
      parameters: o.parameters ?? [],
      body: o.requestBody?.content?.["application/json"]?.schema,
    };
  }),
);
const withBody = operations.filter((op) => op.body);

/** A value of the schema's shape whose strings are hostile (depth-bounded; enums stay enums). */
function shaped(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const ref = schema.$ref;
  if (typeof ref === "string") return shaped(components[ref.split("/").pop() ?? ""] ?? {}, depth);
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return fc.oneof(...options.map((s) => shaped(s, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if ("const" in schema) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (depth > 5) return fc.constant(null);
  if (type === "string") return hostileText;
  if (type === "integer") return fc.integer({ min: -5, max: 1000 });
  if (type === "number") return fc.double({ noNaN: true, noDefaultInfinity: true });
  if (type === "boolean") return fc.boolean();
  if (type === "null") return fc.constant(null);
  if (type === "array") return fc.array(shaped((schema.items as Schema) ?? {}, depth + 1), { maxLength: 3 });
  if (type === "object" || schema.properties) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, value] of Object.entries(properties)) record[key] = shaped(value, depth + 1);
    return fc.record(record, { requiredKeys: required.filter((k) => k in properties) });
  }
  return fc.jsonValue({ maxDepth: 2 });
}

/** A path segment as a client would send it (a lone surrogate cannot be encoded: sent as its escape). */
function segment(value: string): string {
  try {
    return encodeURIComponent(value) || "x";
  } catch {
    return encodeURIComponent(JSON.stringify(value));
  }
}

const path = (op: Operation, value: (name: string) => string) =>
  `/api${op.path.replace(/\{(\w+)\}/g, (_m, name: string) => segment(value(name)))}`;

/** The schema behind a `$ref`. */
const resolve = (schema: Schema): Schema =>
  typeof schema.$ref === "string" ? resolve(components[schema.$ref.split("/").pop() ?? ""] ?? {}) : schema;

/** A value that is not of the schema's type (so the field is invalid whatever else the body holds). */
function notOfType(schema: Schema): fc.Arbitrary<unknown> {
  const others: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.integer(), fc.boolean(), fc.constant([1]), fc.constant({ a: 1 })),
    array: fc.oneof(fc.string(), fc.integer(), fc.constant({ a: 1 })),
    object: fc.oneof(fc.string(), fc.integer(), fc.constant([1])),
  };
  return others[String(resolve(schema).type)] ?? fc.oneof(fc.constant([1]), fc.constant({ a: 1 }));
}

/** A body with one of the operation's own fields given a value of the wrong type. */
function wrongTypedField(op: Operation): fc.Arbitrary<string> {
  const body = resolve(op.body ?? {});
  // An object schema, or a union of them: the fields of each.
  const variants = [body, ...((body.anyOf ?? body.oneOf ?? body.allOf ?? []) as Schema[]).map(resolve)];
  const properties = Object.assign({}, ...variants.map((v) => v.properties ?? {})) as Record<string, Schema>;
  if (Object.keys(properties).length === 0) return fc.constant("[1]");
  return fc
    .constantFrom(...Object.keys(properties))
    .chain((key) => notOfType(properties[key] ?? {}).map((value) => JSON.stringify({ subject: "s", [key]: value })));
}

async function call(op: Operation, url: string, body: string | undefined, contentType = "application/json") {
  return owner.browser.fetch(url, {
    method: op.method,
    headers: { "content-type": contentType, "x-csrf-token": owner.csrf, accept: "application/json" },
    body: op.method === "GET" ? undefined : (body ?? "{}"),
  });
}

/** A 4xx with the app's error body, or a success; never a 5xx. */
async function expectClearAnswer(response: Response, where: string) {
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    expect(typeof body.error, where).toBe("string");
    expect(typeof body.message, where).toBe("string");
  }
}

beforeAll(async () => {
  owner = await signIn(world, { sub: "fuzz-api-owner", email: "fuzz-api@studio.test" });
});

describe("fuzzing the JSON API from its OpenAPI document", () => {
  it("covers every operation of the document", () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(withBody.map((op) => `${op.method} ${op.path}`).sort()).toEqual([
      "POST /process/preview",
      "POST /process/validate",
      "PUT /process",
      "PUT /process/templates/{templateId}",
    ]);
  });

  it("schema-shaped bodies with hostile text in every string: never a 5xx", async ({ task }) => {
    const tally = new OutcomeTally();
    const cases = fc
      .constantFrom(...withBody)
      .chain((op) => fc.tuple(fc.constant(op), shaped(op.body ?? {}), hostileText));
    await fuzz(cases, async ([op, value, param]) => {
      const body = JSON.stringify(value);
      const response = await call(
        op,
        path(op, () => param),
        body,
      );
      tally.add(response.status);
      await expectClearAnswer(response, `${op.method} ${op.path} ${brief(body)} → ${response.status}`);
    });
    // Whatever was saved shows escaped on the owner's pages.
    for (const page of ["/process", "/process/default", "/journeys"]) {
      const response = await owner.browser.fetch(page);
      expect(response.status, page).toBe(200);
      expectEscaped(await response.text(), [], page);
    }
    tally.record(task, "fuzz: API");
  });

  it("broken bodies (not JSON, wrong types, wrong content type, huge): 4xx with a message; nothing stored", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    const broken = (op: Operation) =>
      fc.oneof(
        fc.record({ body: malformedJson, type: fc.constant("application/json") }),
        fc.record({ body: wrongType.map((v) => JSON.stringify(v)), type: fc.constant("application/json") }),
        fc.record({ body: wrongTypedField(op), type: fc.constant("application/json") }),
        fc.record({ body: fc.constant('{"name":"x"}'), type: wrongContentType }),
        fc.record({
          body: fc.constant(`{"name":"${"x".repeat(2 * 1024 * 1024)}"}`),
          type: fc.constant("application/json"),
        }),
      );
    const cases = fc.constantFrom(...withBody).chain((op) => fc.tuple(fc.constant(op), broken(op)));
    await fuzz(cases, async ([op, { body, type }]) => {
      const response = await call(
        op,
        path(op, () => "default"),
        body,
        type,
      );
      tally.add(response.status);
      const where = `${op.method} ${op.path} ${type} ${brief(body)} → ${response.status}`;
      expect(response.status, where).toBeGreaterThanOrEqual(400);
      await expectClearAnswer(response, where);
    });
    await expectNothingStored(before, "broken API bodies");
    tally.record(task, "fuzz: API");
  });

  it("hostile path and query parameters on every operation: 4xx or an empty answer, never a 5xx; nothing stored", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    await fuzz(
      fc.tuple(fc.constantFrom(...operations.filter((op) => !op.body)), hostileText, hostileText),
      async ([op, value, query]) => {
        const url = `${path(op, () => value)}?${new URLSearchParams(op.parameters.filter((p) => p.in === "query").map((p) => [p.name, query]))}`;
        const response = await call(op, url, undefined);
        tally.add(response.status);
        await expectClearAnswer(response, `${op.method} ${brief(url)} → ${response.status}`);
      },
      60,
    );
    await expectNothingStored(before, "hostile API parameters");
    tally.record(task, "fuzz: API");
  });
});
