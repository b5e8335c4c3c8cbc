-- Versioned process templates. Documented in docs/storage-schema.md.
CREATE TABLE process_templates (
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  template_id   TEXT NOT NULL DEFAULT 'default',  -- a workspace may keep several (e.g. one per service)
  version       INTEGER NOT NULL,            -- 1, 2, … per template; rows are never changed
  body          TEXT NOT NULL,               -- the validated template JSON
  created_by    TEXT,                        -- owner's Google sub, NULL for the default
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (workspace_id, template_id, version)
);
-- The template version a journey started with; later edits do not change it.
ALTER TABLE journeys ADD COLUMN template_version INTEGER;
ALTER TABLE journeys ADD COLUMN template_id TEXT;
-- Which Workflow runs the journey: the fixed onboarding flow or the process interpreter.
ALTER TABLE journeys ADD COLUMN workflow TEXT NOT NULL DEFAULT 'onboarding' CHECK (workflow IN ('onboarding', 'process', 'lead'));
