import { Hono } from "hono";
import { requireSession, type SessionEnv } from "../auth/session";
import { NotFoundError, ValidationError } from "../errors";
import {
  DEFAULT_TEMPLATE_ID,
  getTemplate,
  listTemplates,
  listTemplateVersions,
  saveTemplate,
} from "../store/process-templates";
import { ACTION_CATALOG, PROCESS_EVENTS } from "./action-catalog";
import { validateTemplate } from "./validate-template";

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ValidationError("Body is not valid JSON");
  }
}

/**
 * The process template API (behind the owner's session; changes need the
 * CSRF header): read the current version and its history, validate a draft,
 * save a new version.
 */
export const processRoutes = new Hono<SessionEnv>()
  .use(requireSession({ redirect: false }))
  .get("/", async (c) => {
    const { workspaceId } = c.get("session");
    const current = await getTemplate(c.env.DB, workspaceId);
    return c.json({
      ...current,
      versions: await listTemplateVersions(c.env.DB, workspaceId),
      templates: (await listTemplates(c.env.DB, workspaceId)).map((t) => ({
        templateId: t.templateId,
        name: t.template.name,
        pipeline: t.template.pipeline ?? null,
        version: t.version,
      })),
      catalog: { actions: ACTION_CATALOG, events: PROCESS_EVENTS },
    });
  })
  .get("/templates/:templateId", async (c) => {
    const { workspaceId } = c.get("session");
    const templateId = c.req.param("templateId");
    const found = await getTemplate(c.env.DB, workspaceId, undefined, templateId);
    if (found.version === 0 && templateId !== DEFAULT_TEMPLATE_ID)
      throw new NotFoundError("unknown_template", `There is no template ${templateId}`);
    return c.json({ ...found, versions: await listTemplateVersions(c.env.DB, workspaceId, templateId) });
  })
  .put("/templates/:templateId", async (c) => {
    const session = c.get("session");
    const templateId = c.req.param("templateId");
    const version = await saveTemplate(
      c.env.DB,
      session.workspaceId,
      await jsonBody(c.req.raw),
      session.googleSub,
      templateId,
    );
    return c.json({ templateId, version }, 201);
  })
  .get("/versions/:version", async (c) => {
    const version = Number(c.req.param("version"));
    if (!Number.isInteger(version) || version < 1) throw new ValidationError("Versions are positive whole numbers");
    const found = await getTemplate(c.env.DB, c.get("session").workspaceId, version);
    if (found.version !== version) throw new NotFoundError("unknown_version", `There is no version ${version}`);
    return c.json(found);
  })
  .post("/validate", async (c) => {
    const result = validateTemplate(await jsonBody(c.req.raw));
    return c.json(result.ok ? { ok: true, errors: [] } : result, 200);
  })
  .put("/", async (c) => {
    const session = c.get("session");
    const version = await saveTemplate(c.env.DB, session.workspaceId, await jsonBody(c.req.raw), session.googleSub);
    return c.json({ version }, 201);
  });
