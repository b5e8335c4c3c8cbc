import { type Context, Hono } from "hono";
import { requireSession, type SessionEnv } from "../auth/session";
import { DashboardLayout, Notice, PageHeader } from "../dashboard/dashboard-layout";
import { sandboxEnabled } from "../dashboard/sandbox/mode";
import { type ProcessTemplate, templateSchema } from "../engine/template-schema";
import {
  getTemplate,
  listTemplates,
  restoreTemplateVersion,
  TEMPLATE_ID,
  TemplateValidationError,
} from "../engine/templates";
import { validateTemplate } from "../engine/validate-template";
import { publicUrl } from "../links/public-url";
import { DEFAULT_TEMPLATE_ID, listTemplateHistory } from "../store/process-templates";
import { checkTemplateForSave } from "./account-check";
import { EditRequest, editDraft } from "./edit-draft";
import { EditorForm } from "./editor-form";
import { ProcessEditorPage } from "./editor-page";
import { placeProblems } from "./editor-problems";
import type { StepPreview } from "./editor-steps";
import { availableFields, previewEmail, stepsBefore, workspaceSample } from "./preview";

type Ctx = Context<SessionEnv>;

/** The rendered preview of every email step, each against what runs before it. */
async function stepPreviews(c: Ctx, template: ProcessTemplate): Promise<Map<string, StepPreview>> {
  const previews = new Map<string, StepPreview>();
  const origin = publicUrl(c.env, c.req.raw);
  const { workspaceId } = c.get("session");
  for (const step of template.phases.flatMap((p) => p.steps)) {
    if (step.action !== "gmail.send-email") continue;
    const sample = await workspaceSample(c.env.DB, workspaceId, origin, stepsBefore(template, step.id));
    const rendered = previewEmail(sample, {
      subject: String(step.inputs.subject ?? ""),
      body: String(step.inputs.body ?? ""),
    });
    previews.set(step.id, { ...rendered, fields: availableFields(sample.outputs) });
  }
  return previews;
}

function missing(c: Ctx, title: string, message: string, status: 404 | 422 = 404) {
  const session = c.get("session");
  return c.html(
    <DashboardLayout title={title} section="process" csrf={session.csrfToken} sandbox={sandboxEnabled(c.env)}>
      <PageHeader title={title} />
      <Notice tone="error">{message}</Notice>
      <p>
        <a href="/process">Back to the process</a>
      </p>
    </DashboardLayout>,
    status,
  );
}

/** The editor (current version) or a read-only old version of a template. */
async function renderEditor(c: Ctx, templateId: string, version?: number) {
  const session = c.get("session");
  const db = c.env.DB;
  if (!TEMPLATE_ID.test(templateId)) return missing(c, "No such template", `There is no template ${templateId}.`);
  const shown = await getTemplate(db, session.workspaceId, version, templateId);
  if (version !== undefined && shown.version !== version)
    return missing(c, "No such version", `There is no version ${version} of the template ${templateId}.`);
  if (shown.version === 0 && templateId !== DEFAULT_TEMPLATE_ID)
    return missing(c, "No such template", `There is no template ${templateId}.`);
  const saved = await listTemplates(db, session.workspaceId);
  const templates = [
    ...(saved.some((t) => t.templateId === DEFAULT_TEMPLATE_ID)
      ? []
      : [{ templateId: DEFAULT_TEMPLATE_ID, name: (await getTemplate(db, session.workspaceId)).template.name }]),
    ...saved.map((t) => ({ templateId: t.templateId, name: t.template.name })),
  ].sort((a, b) => (a.templateId === DEFAULT_TEMPLATE_ID ? -1 : b.templateId === DEFAULT_TEMPLATE_ID ? 1 : 0));
  const restored = c.req.query("restored");
  return c.html(
    <ProcessEditorPage
      csrf={session.csrfToken}
      sandbox={sandboxEnabled(c.env)}
      templateId={templateId}
      shown={shown}
      readOnly={version !== undefined}
      history={await listTemplateHistory(db, session.workspaceId, templateId)}
      templates={templates}
      previews={await stepPreviews(c, shown.template)}
      sample={await workspaceSample(db, session.workspaceId, publicUrl(c.env, c.req.raw))}
      notice={restored ? `Restored version ${c.req.query("from") ?? ""} as version ${restored}.` : undefined}
    />,
  );
}

/**
 * An edit of the draft (add, remove, move a step, change its action, include
 * or leave out a phase, start from a preset), answered as JSON: the edited
 * draft, its problems placed at their fields, and the form rendered for it.
 * Nothing is saved; a draft whose shape is broken (say an empty name) is
 * refused with its problems, so the owner fixes them first.
 */
async function editTemplate(c: Ctx, templateId: string) {
  const { workspaceId } = c.get("session");
  const db = c.env.DB;
  const current = TEMPLATE_ID.test(templateId) ? await getTemplate(db, workspaceId, undefined, templateId) : null;
  if (!current || (current.version === 0 && templateId !== DEFAULT_TEMPLATE_ID))
    return c.json({ error: "unknown_template", message: `There is no template ${templateId}` }, 404);
  const request = EditRequest.safeParse(await c.req.json().catch(() => null));
  if (!request.success) return c.json({ error: "invalid_edit", message: "Send the draft template and one edit" }, 400);
  const edited = await editDraft(db, workspaceId, templateId, request.data);
  if ("refused" in edited) return c.json({ error: "edit_refused", message: edited.refused, problems: [] }, 422);
  const verdict = validateTemplate(edited.template);
  const problems = verdict.ok ? [] : placeProblems(verdict.errors);
  const shaped = templateSchema.safeParse(edited.template);
  if (!shaped.success) {
    const message = "Fix these problems first: the draft cannot change shape while they remain";
    return c.json({ error: "invalid_template", message, problems }, 422);
  }
  const form = (
    <EditorForm
      templateId={templateId}
      template={shaped.data}
      previews={await stepPreviews(c, shaped.data)}
      readOnly={false}
    />
  );
  return c.json(
    { template: edited.template, stepId: edited.stepId, problems, form: String(await form.toString()) },
    200,
  );
}

const positive = (text: string) => (/^[1-9]\d{0,8}$/.test(text) ? Number(text) : null);

/** The process editor pages: /process (the default template), /process/:templateId, old versions, restore. */
export const processEditorRoutes = new Hono<SessionEnv>()
  .use("/", requireSession({ redirect: true }))
  .use("/*", requireSession({ redirect: true }))
  .get("/", (c) => renderEditor(c, DEFAULT_TEMPLATE_ID))
  .get("/:templateId", (c) => renderEditor(c, c.req.param("templateId")))
  .get("/:templateId/versions/:version", (c) => {
    const version = positive(c.req.param("version"));
    if (version === null) return missing(c, "No such version", "Versions are positive whole numbers.");
    return renderEditor(c, c.req.param("templateId"), version);
  })
  .post("/:templateId/edit", (c) => editTemplate(c, c.req.param("templateId")))
  .post("/:templateId/versions/:version/restore", async (c) => {
    const session = c.get("session");
    const templateId = c.req.param("templateId");
    const version = positive(c.req.param("version"));
    if (version === null || !TEMPLATE_ID.test(templateId))
      return missing(c, "No such version", "There is no such version to restore.");
    try {
      // Restoring makes an old version current: checked against the connected accounts as they are now.
      const old = await getTemplate(c.env.DB, session.workspaceId, version, templateId);
      if (old.version === version) await checkTemplateForSave(c.env, session.workspaceId, old.template);
      const saved = await restoreTemplateVersion(c.env.DB, session.workspaceId, templateId, version, session.googleSub);
      if (saved === null) return missing(c, "No such version", `There is no version ${version} of ${templateId}.`);
      const page = templateId === DEFAULT_TEMPLATE_ID ? "/process" : `/process/${templateId}`;
      return c.redirect(`${page}?restored=${saved}&from=${version}`, 303);
    } catch (error) {
      if (!(error instanceof TemplateValidationError)) throw error;
      return missing(c, "Cannot restore", `Version ${version} no longer validates: ${error.errors.join("; ")}`, 422);
    }
  });
