import { createRoute, z } from "@hono/zod-openapi";
import { apiRouter, errorResponses, json } from "../api/router";
import { ACTION_CATALOG, PROCESS_EVENTS } from "../engine/action-catalog";
import { getTemplate, listTemplates, saveTemplate } from "../engine/templates";
import { publicUrl } from "../links/public-url";
import { DEFAULT_TEMPLATE_ID, listTemplateVersions } from "../store/process-templates";
import { checkTemplateForSave, validateForEditor } from "./account-check";
import { notFoundTemplate, orProblems } from "./api-errors";
import {
  PreviewRequest,
  PreviewResponse,
  Problems,
  SampleResponse,
  TAGS,
  TemplateIdParam,
  TemplateInput,
  TemplateVersion,
  VersionEntry,
  WARNINGS,
} from "./api-schemas";
import { withVersionRoutes } from "./api-versions";
import { availableFields, previewEmail, stepsBefore, type TemplateOutline, workspaceSample } from "./preview";

/** The default template with every template and the catalog; reading and saving a template by id. */
const templateRoutes = apiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: TAGS,
      summary: "The default template's current version, its history, every template and the action catalog",
      responses: {
        200: json(
          TemplateVersion.extend({
            versions: z.array(VersionEntry),
            templates: z.array(
              z.object({
                templateId: z.string(),
                name: z.string(),
                pipeline: z.string().nullable(),
                version: z.number().int(),
              }),
            ),
            catalog: z.object({ actions: z.record(z.string(), z.unknown()), events: z.array(z.string()) }),
          }),
        ),
        ...errorResponses(),
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("session");
      const current = await getTemplate(c.env.DB, workspaceId);
      return c.json(
        {
          ...current,
          versions: await listTemplateVersions(c.env.DB, workspaceId),
          templates: (await listTemplates(c.env.DB, workspaceId)).map((t) => ({
            templateId: t.templateId,
            name: t.template.name,
            pipeline: t.template.pipeline ?? null,
            version: t.version,
          })),
          catalog: { actions: ACTION_CATALOG, events: [...PROCESS_EVENTS] },
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/templates/{templateId}",
      tags: TAGS,
      summary: "A template's current version and its versions",
      request: { params: TemplateIdParam },
      responses: {
        200: json(TemplateVersion.extend({ versions: z.array(VersionEntry) })),
        ...errorResponses(404),
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("session");
      const { templateId } = c.req.valid("param");
      const found = await getTemplate(c.env.DB, workspaceId, undefined, templateId);
      if (found.version === 0 && templateId !== DEFAULT_TEMPLATE_ID) throw notFoundTemplate(templateId);
      return c.json({ ...found, versions: await listTemplateVersions(c.env.DB, workspaceId, templateId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/templates/{templateId}",
      tags: TAGS,
      summary: "Save a new version of a template (created when new)",
      request: { params: TemplateIdParam, body: { ...json(TemplateInput, "The template"), required: true } },
      responses: {
        201: json(
          z.object({ templateId: z.string(), version: z.number().int(), warnings: WARNINGS }),
          "Saved as this version",
        ),
        422: json(Problems, "The template has problems; nothing was saved"),
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const session = c.get("session");
      const { templateId } = c.req.valid("param");
      const input = c.req.valid("json");
      const saved = await orProblems(async () => {
        const warnings = await checkTemplateForSave(c.env, session.workspaceId, input);
        return {
          warnings,
          version: await saveTemplate(c.env.DB, session.workspaceId, input, session.googleSub, templateId),
        };
      });
      if ("problems" in saved) return c.json(saved.problems, 422);
      return c.json({ templateId, ...saved.value }, 201);
    },
  );

/** The JSON API of process templates: read, history, validate, save, restore, and email previews. */
export const processApi = withVersionRoutes(templateRoutes)
  .openapi(
    createRoute({
      method: "post",
      path: "/validate",
      tags: TAGS,
      summary: "Check a draft template without saving it; every problem is listed",
      request: { body: { ...json(TemplateInput, "The draft"), required: true } },
      responses: {
        200: json(z.object({ ok: z.boolean(), errors: z.array(z.string()), warnings: WARNINGS }), "The verdict"),
        ...errorResponses(400),
      },
    }),
    async (c) => {
      return c.json(await validateForEditor(c.env, c.get("session").workspaceId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/",
      tags: TAGS,
      summary: "Save a new version of the default template",
      request: { body: { ...json(TemplateInput, "The template"), required: true } },
      responses: {
        201: json(z.object({ version: z.number().int(), warnings: WARNINGS }), "Saved as this version"),
        422: json(Problems, "The template has problems; nothing was saved"),
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const session = c.get("session");
      const input = c.req.valid("json");
      const saved = await orProblems(async () => {
        const warnings = await checkTemplateForSave(c.env, session.workspaceId, input);
        return { warnings, version: await saveTemplate(c.env.DB, session.workspaceId, input, session.googleSub) };
      });
      if ("problems" in saved) return c.json(saved.problems, 422);
      return c.json(saved.value, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/preview",
      tags: TAGS,
      summary: "Render an email's merge fields against the sample client, listing unknown fields",
      request: { body: { ...json(PreviewRequest, "The email's texts"), required: true } },
      responses: { 200: json(PreviewResponse, "The email as the sample client would get it"), ...errorResponses(400) },
    }),
    async (c) => {
      const { workspaceId } = c.get("session");
      const input = c.req.valid("json");
      let outline: TemplateOutline | undefined = input.template;
      if (!outline && input.templateId) {
        outline = (await getTemplate(c.env.DB, workspaceId, undefined, input.templateId)).template;
      }
      const steps = outline ? stepsBefore(outline, input.stepId) : [];
      const sample = await workspaceSample(
        c.env.DB,
        workspaceId,
        publicUrl(c.env, c.req.raw),
        outline ? steps : undefined,
      );
      return c.json({ ...previewEmail(sample, input), fields: availableFields(sample.outputs) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sample",
      tags: TAGS,
      summary: "The sample client previews render against",
      responses: { 200: json(SampleResponse, "The sample deal, contact and merge data"), ...errorResponses() },
    }),
    async (c) => {
      const sample = await workspaceSample(c.env.DB, c.get("session").workspaceId, publicUrl(c.env, c.req.raw));
      const { deal } = sample;
      return c.json(
        {
          deal: {
            dealId: deal.dealId,
            name: deal.name,
            amount: deal.amount,
            url: deal.url,
            description: deal.description,
            contact: deal.contact,
            lineItems: deal.lineItems,
          },
          data: Object.fromEntries(
            Object.entries(sample.data).map(([group, values]) => [
              group,
              Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? null])),
            ]),
          ),
          fields: availableFields(sample.outputs),
        },
        200,
      );
    },
  );
