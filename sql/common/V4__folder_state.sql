-- A source folder's STATUS when a run last copied all of it: every message it held is in the ledger.
-- A re-run that finds the same UIDVALIDITY, UIDNEXT and MESSAGES knows nothing was added or removed,
-- and skips listing the folder. Only a hint: a row that is missing or differs means "list it".
CREATE TABLE mf_folder_state (
    source_account  VARCHAR(512)  NOT NULL,
    dest_account    VARCHAR(512)  NOT NULL,
    source_folder   VARCHAR(1024) NOT NULL,
    uidvalidity     BIGINT        NOT NULL,
    uidnext         BIGINT        NOT NULL,
    messages        BIGINT        NOT NULL,
    highest_modseq  BIGINT,                 -- RFC 7162; null when the source lacks CONDSTORE
    size_bytes      BIGINT        NOT NULL, -- what the folder held, for the report of a skipped folder
    recorded_at     TIMESTAMP     NOT NULL,
    PRIMARY KEY (source_account, dest_account, source_folder)
);
