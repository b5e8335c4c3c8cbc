import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Schema } from "hono";
import { errorResponses, json } from "../api/router";
import type { SessionEnv } from "../auth/session";
import { getTemplate, restoreTemplateVersion } from "../engine/templates";
import { NotFoundError } from "../errors";
import { DEFAULT_TEMPLATE_ID, listTemplateHistory } from "../store/process-templates";
import { checkTemplateForSave } from "./account-check";
import { notFoundTemplate, orProblems } from "./api-errors";
import { HistoryEntry, Problems, TAGS, TemplateIdParam, TemplateVersion, VersionParam, WARNINGS } from "./api-schemas";

/**
 * Registers the process API's version routes on `app`, after the routes it
 * has so far: a template's history, one saved version (of a template or of
 * the default template), and restoring an old version as the current one.
 */
export function withVersionRoutes<S extends Schema>(app: OpenAPIHono<SessionEnv, S>) {
  return app
    .openapi(
      createRoute({
        method: "get",
        path: "/templates/{templateId}/versions",
        tags: TAGS,
        summary: "A template's version history: who saved each version, when, under which name",
        request: { params: TemplateIdParam },
        responses: {
          200: json(z.object({ templateId: z.string(), versions: z.array(HistoryEntry) })),
          ...errorResponses(404),
        },
      }),
      async (c) => {
        const { templateId } = c.req.valid("param");
        const versions = await listTemplateHistory(c.env.DB, c.get("session").workspaceId, templateId);
        if (versions.length === 0 && templateId !== DEFAULT_TEMPLATE_ID) throw notFoundTemplate(templateId);
        return c.json({ templateId, versions }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/templates/{templateId}/versions/{version}",
        tags: TAGS,
        summary: "One saved version of a template",
        request: { params: TemplateIdParam.extend(VersionParam.shape) },
        responses: { 200: json(TemplateVersion), ...errorResponses(400, 404) },
      }),
      async (c) => {
        const { templateId, version } = c.req.valid("param");
        const found = await getTemplate(c.env.DB, c.get("session").workspaceId, version, templateId);
        if (found.version !== version)
          throw new NotFoundError("unknown_version", `There is no version ${version} of ${templateId}`);
        return c.json(found, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/templates/{templateId}/versions/{version}/restore",
        tags: TAGS,
        summary: "Save a copy of an old version as the template's new current version",
        request: { params: TemplateIdParam.extend(VersionParam.shape) },
        responses: {
          201: json(
            z.object({
              templateId: z.string(),
              version: z.number().int(),
              restoredFrom: z.number().int(),
              warnings: WARNINGS,
            }),
            "Saved as this version",
          ),
          422: json(Problems, "The old version no longer validates; nothing was saved"),
          ...errorResponses(400, 404),
        },
      }),
      async (c) => {
        const session = c.get("session");
        const { templateId, version } = c.req.valid("param");
        const saved = await orProblems(async () => {
          // Restoring makes an old version current: it is checked against the accounts as they are now.
          const old = await getTemplate(c.env.DB, session.workspaceId, version, templateId);
          const warnings =
            old.version === version ? await checkTemplateForSave(c.env, session.workspaceId, old.template) : [];
          const restored = await restoreTemplateVersion(
            c.env.DB,
            session.workspaceId,
            templateId,
            version,
            session.googleSub,
          );
          return restored === null ? null : { version: restored, warnings };
        });
        if ("problems" in saved) return c.json(saved.problems, 422);
        if (saved.value === null)
          throw new NotFoundError("unknown_version", `There is no version ${version} of ${templateId}`);
        return c.json({ templateId, ...saved.value, restoredFrom: version }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/versions/{version}",
        tags: TAGS,
        summary: "One saved version of the default template",
        request: { params: VersionParam },
        responses: { 200: json(TemplateVersion), ...errorResponses(400, 404) },
      }),
      async (c) => {
        const { version } = c.req.valid("param");
        const found = await getTemplate(c.env.DB, c.get("session").workspaceId, version);
        if (found.version !== version) throw new NotFoundError("unknown_version", `There is no version ${version}`);
        return c.json(found, 200);
      },
    );
}
