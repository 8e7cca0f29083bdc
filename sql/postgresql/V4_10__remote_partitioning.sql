-- Remote partitioning (mailferry worker, migrate --workers remote): everything the manager and
-- its workers share lives here, in the job store's own PostgreSQL, so a deployment needs nothing else.

-- The queue of partition requests: Spring Integration's JDBC channel message store (table prefix
-- MF_), read by the workers with SELECT ... FOR UPDATE SKIP LOCKED.
CREATE SEQUENCE mf_message_seq START WITH 1 INCREMENT BY 1 NO CYCLE;
CREATE TABLE mf_channel_message (
    message_id       CHAR(36)     NOT NULL,
    group_key        CHAR(36)     NOT NULL,
    created_date     BIGINT       NOT NULL,
    message_priority BIGINT,
    message_sequence BIGINT       NOT NULL DEFAULT nextval('mf_message_seq'),
    message_content  BYTEA,
    region           VARCHAR(100) NOT NULL,
    CONSTRAINT mf_channel_message_pk PRIMARY KEY (region, group_key, created_date, message_sequence)
);
CREATE INDEX mf_channel_message_delete_idx ON mf_channel_message (region, group_key, message_id);

-- Workers alive (or recently so): what `mailferry status --workers` lists.
CREATE TABLE mf_worker (
    worker_id    VARCHAR(300) NOT NULL PRIMARY KEY, -- name@host:pid
    started_at   TIMESTAMP    NOT NULL,
    heartbeat_at TIMESTAMP    NOT NULL
);

-- One row per partition a worker is running, renewed while it runs. A row past its expiry is a
-- dead (or cut-off) worker's: the partition is sent again for another worker.
CREATE TABLE mf_partition_lease (
    step_execution_id BIGINT       NOT NULL PRIMARY KEY,
    job_execution_id  BIGINT       NOT NULL,
    step_name         VARCHAR(100) NOT NULL,
    folder            VARCHAR(1000),
    worker_id         VARCHAR(300) NOT NULL,
    taken_at          TIMESTAMP    NOT NULL,
    expires_at        TIMESTAMP    NOT NULL
);

-- Connection slots per (side, host) shared by every process: a row is one open connection.
-- A holder renews its rows; rows past their expiry belong to a dead process and are free again.
CREATE TABLE mf_host_slot (
    host_key   VARCHAR(600) NOT NULL, -- "source imap.example.org:993"
    slot       INT          NOT NULL,
    holder     VARCHAR(400) NOT NULL,
    expires_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (host_key, slot)
);
