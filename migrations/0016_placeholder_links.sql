-- Client links (agreement, booking, review) have no placeholder default any more: a stored
-- placeholder (the sandbox seed wrote https://example.com/agreement) is removed, so the link reads
-- as unset and the dashboard asks for it. Any other placeholder host also reads as unset
-- (src/settings/workspace-settings.ts readWorkspaceSettings); this cleans the rows themselves.
UPDATE workspaces SET settings = json_remove(settings, '$.agreementUrl')
  WHERE json_valid(settings) AND json_extract(settings, '$.agreementUrl') LIKE 'https://example.com/%';
UPDATE workspaces SET settings = json_remove(settings, '$.bookingUrl')
  WHERE json_valid(settings) AND json_extract(settings, '$.bookingUrl') LIKE 'https://example.com/%';
UPDATE workspaces SET settings = json_remove(settings, '$.reviewUrl')
  WHERE json_valid(settings) AND json_extract(settings, '$.reviewUrl') LIKE 'https://example.com/%';
