import { raw } from "hono/html";
import { DashboardLayout, Notice, PageHeader, When } from "../dashboard/dashboard-layout";
import type { TemplateVersion } from "../engine/templates";
import type { TemplateHistoryEntry } from "../store/process-templates";
import { Style } from "../ui/style-tag";
import { EditorForm } from "./editor-form";
import { EDITOR_SCRIPT } from "./editor-script";
import type { StepPreview } from "./editor-steps";
import { EDITOR_STYLES } from "./editor-styles";
import type { SampleClient } from "./sample-client";

export interface EditorPageProps {
  csrf: string;
  sandbox: boolean;
  templateId: string;
  /** The version shown: the current one, or an old one (read-only). */
  shown: TemplateVersion;
  readOnly: boolean;
  history: TemplateHistoryEntry[];
  templates: { templateId: string; name: string }[];
  previews: Map<string, StepPreview>;
  sample: SampleClient;
  notice?: string;
}

/** JSON inside a script element: `<` escaped so no text can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const editorHref = (templateId: string) => (templateId === "default" ? "/process" : `/process/${templateId}`);

function TemplateSwitcher(props: { current: string; templates: EditorPageProps["templates"] }) {
  if (props.templates.length < 2) return null;
  return (
    <nav class="filters" aria-label="Templates">
      {props.templates.map((t) => (
        <a href={editorHref(t.templateId)} aria-current={t.templateId === props.current ? "page" : undefined}>
          {t.name} <span class="mono small">({t.templateId})</span>
        </a>
      ))}
    </nav>
  );
}

function RestoreForm(props: { templateId: string; version: number; csrf: string; label: string }) {
  return (
    <form method="post" action={`/process/${props.templateId}/versions/${props.version}/restore`} class="inline-form">
      <input type="hidden" name="_csrf" value={props.csrf} />
      <button type="submit" class="btn btn-small" aria-label={`${props.label} (version ${props.version})`}>
        {props.label}
      </button>
    </form>
  );
}

function HistoryPanel(props: { templateId: string; history: TemplateHistoryEntry[]; current: number; csrf: string }) {
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">Version history</h2>
      {props.history.length === 0 ? (
        <p class="muted small">Not saved yet: journeys run the built-in default. Saving makes version 1.</p>
      ) : (
        <ol class="history" id="history-list">
          {props.history.map((h) => (
            <li aria-current={h.version === props.current ? "true" : undefined}>
              <div>
                <strong>Version {h.version}</strong>
                {h.version === props.current && <span class="muted small"> (shown)</span>}
              </div>
              <div class="muted small">
                <When at={h.savedAt} /> · {h.savedBy ?? "built in"}
              </div>
              <div class="small">{h.name}</div>
              <div class="actions">
                <a class="btn btn-small" href={`/process/${props.templateId}/versions/${h.version}`}>
                  View<span class="visually-hidden"> version {h.version}</span>
                </a>
                {h.version !== props.history[0]?.version && (
                  <RestoreForm templateId={props.templateId} version={h.version} csrf={props.csrf} label="Restore" />
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function SamplePanel(props: { sample: SampleClient }) {
  const { deal } = props.sample;
  return (
    <section class="card" aria-labelledby="sample-title">
      <h2 id="sample-title">Sample client</h2>
      <p class="small">Email previews render against this client, with your business settings.</p>
      <dl class="sample small">
        <dt>Client</dt>
        <dd>
          {deal.contact.firstName} {deal.contact.lastName}, {deal.contact.company}
        </dd>
        <dt>Email</dt>
        <dd>{deal.contact.email}</dd>
        <dt>Deal</dt>
        <dd>{deal.name}</dd>
        <dt>Line items</dt>
        <dd>
          {deal.lineItems.map((i) => i.name).join(", ")}: {String(props.sample.data.invoice?.amount ?? "")} in all
        </dd>
        <dt>Business</dt>
        <dd>
          {String(props.sample.data.business?.name ?? "")}, signed by {String(props.sample.data.business?.senderName)}
        </dd>
      </dl>
      <a class="small" href="/api/process/sample">
        All sample values (JSON)
      </a>
    </section>
  );
}

/**
 * The process editor: the template's phases and steps (each step collapsible,
 * every field labelled, email steps with a live preview), validation errors
 * inline and summarised at the top, and the version history beside it. An
 * old version renders the same way, read-only, with a restore button.
 */
export function ProcessEditorPage(props: EditorPageProps) {
  const { shown, readOnly, templateId } = props;
  const template = shown.template;
  const subtitle = readOnly
    ? `Version ${shown.version}, read-only. Restoring saves a copy of it as the new current version.`
    : shown.version === 0
      ? "The built-in default: not saved yet. Saving makes version 1; running journeys keep the version they started with."
      : `Version ${shown.version}. Saving makes a new version; running journeys keep the version they started with.`;
  return (
    <DashboardLayout title={`Process: ${template.name}`} section="process" csrf={props.csrf} sandbox={props.sandbox}>
      <Style css={EDITOR_STYLES} />
      <PageHeader title={readOnly ? `${template.name} (version ${shown.version})` : template.name} subtitle={subtitle}>
        {readOnly ? (
          <>
            <a class="btn" href={editorHref(templateId)}>
              Back to the editor
            </a>
            <RestoreForm
              templateId={templateId}
              version={shown.version}
              csrf={props.csrf}
              label="Restore this version"
            />
          </>
        ) : (
          <button type="submit" form="process-editor" class="btn btn-primary">
            Save
          </button>
        )}
      </PageHeader>
      <TemplateSwitcher current={templateId} templates={props.templates} />
      {props.notice && <Notice tone="info">{props.notice}</Notice>}
      <p id="editor-status" class="notice notice-info" role="status" hidden />
      <div id="editor-summary" class="notice notice-error" role="alert" tabindex={-1} hidden />
      <div class="editor-layout">
        <EditorForm templateId={templateId} template={template} previews={props.previews} readOnly={readOnly} />
        <aside class="editor-side" aria-label="Versions and sample">
          <HistoryPanel templateId={templateId} history={props.history} current={shown.version} csrf={props.csrf} />
          <SamplePanel sample={props.sample} />
        </aside>
      </div>
      <script type="application/json" id="template-data">
        {raw(scriptJson(template))}
      </script>
      {!readOnly && <script>{raw(EDITOR_SCRIPT)}</script>}
    </DashboardLayout>
  );
}
