-- A CM recording decided from a read without locks is written in one statement (ADR 018).
-- The statement ends by asking this function whether the enrolment's state was written,
-- which it is only if the history version is still the one read. When it was not, the
-- function raises a serialization failure and PostgreSQL undoes the whole statement: the
-- screen, event, entries and audit row with it. The recording then runs under the locks.
CREATE FUNCTION cm_require_current_history(written bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  IF written = 0 THEN
    RAISE EXCEPTION 'the enrolment''s CM history changed after it was read' USING ERRCODE = '40001';
  END IF;
  RETURN written;
END
$$;
