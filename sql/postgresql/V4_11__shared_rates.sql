-- Rates and login spacing shared by every process of a remote run (mailferry worker): one token
-- bucket per key, refilled and taken in one UPDATE by the database's own clock, so the machines'
-- clocks need not agree. No lease: a process that dies simply stops taking.
CREATE TABLE mf_rate (
    rate_key    VARCHAR(1000)    NOT NULL PRIMARY KEY, -- "destination imap.example.org messages"
    per_second  DOUBLE PRECISION NOT NULL,
    -- The strictest rate asked for lately holds until then; after that the next taker sets its own,
    -- so a row left by an earlier run with another rate does not outlive it by more than moments.
    rate_until  TIMESTAMPTZ      NOT NULL,
    tokens      DOUBLE PRECISION NOT NULL, -- below 0: a debt the latest takers are waiting off
    refilled_at TIMESTAMPTZ      NOT NULL -- with the zone: sessions of machines in other zones agree
);
