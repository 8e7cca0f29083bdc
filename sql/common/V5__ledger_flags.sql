-- Issue 19: a re-run follows the source's flag changes by a three-way merge (the source now, the
-- destination now, and what mailferry last wrote there). dest_flags is that last-written state:
-- the system flags and keywords, space-separated in a fixed order; null when not known (a message
-- found at the destination rather than copied, a row written before this column, or flags too long
-- to keep), and then the next re-run reads the destination's flags and records them.
ALTER TABLE mf_ledger ADD COLUMN dest_flags VARCHAR(4000);

-- What a --mirror pass has decided for the message and not yet finished: null (nothing), 'GONE'
-- (gone from the source: to be expunged at the destination) or 'MOVING' (moved at the source: being
-- moved at the destination). Written and committed before the destination is touched, so a run
-- killed half-way finishes the same decision on its next start and never another one.
ALTER TABLE mf_ledger ADD COLUMN mirror_state VARCHAR(16);

-- A message copied into one folder that the ledger holds from another source folder of the same
-- pair was moved (or copied) there at the source: found by its Message-ID.
CREATE INDEX mf_ledger_message_id ON mf_ledger (source_account, dest_account, message_id);
