-- One row per source → destination pair being copied right now, so that a second process (on
-- this machine or another sharing the job store) refuses to run the same migration at once.
-- A row whose process is gone (same host, pid not alive) or whose heartbeat is old is stale.
CREATE TABLE mf_run_lock (
    pair_key     VARCHAR(1100) NOT NULL PRIMARY KEY, -- "source account → destination account"
    owner_host   VARCHAR(255)  NOT NULL,
    owner_pid    BIGINT        NOT NULL,
    heartbeat_at TIMESTAMP     NOT NULL
);
