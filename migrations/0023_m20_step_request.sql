-- When the running attempt of a step sent its first provider request (ISO), for actions whose re-run safety
-- depends on knowing that (today Gmail's send): a re-run that finds the row still `running` with this set
-- knows an earlier attempt may have sent and died unrecorded. NULL: no request of an unrecorded attempt left.
ALTER TABLE journey_steps ADD COLUMN request_started_at TEXT;
-- Rows left `running` by attempts before this column existed keep the old meaning (their outcome is unknown).
UPDATE journey_steps SET request_started_at = updated_at WHERE status = 'running';
