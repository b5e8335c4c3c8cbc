-- Each step row keeps the words it was shown with when it opened ("Invoice the deposit — Stripe customer"),
-- so the dashboard needs no name tables and a later template edit does not rename a journey's past steps.
ALTER TABLE journey_steps ADD COLUMN label TEXT;  -- NULL on rows written before this migration
