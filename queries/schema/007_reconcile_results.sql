-- Reconciliation runs kept for reuse (recon/engine/results.py): derived data, never a source. `key` is the
-- sha256 of everything a run depends on (the columns beside it); `part` is 'run' (the checks' raw rows and the
-- totals, as JSON) or a dashboard frame (Arrow IPC). The canonical dump and check-db leave this table out.
CREATE TABLE reconcile_results (
    key              VARCHAR NOT NULL,
    part             VARCHAR NOT NULL,
    content_version  VARCHAR NOT NULL,   -- the stored files and the schema
    fee_version      VARCHAR NOT NULL,   -- the fee table in force
    engine_version   VARCHAR NOT NULL,   -- the models', checks' and engine's code
    as_of            DATE NOT NULL,
    date_from        DATE,
    date_to          DATE,
    created_at       TIMESTAMPTZ NOT NULL,
    payload          BLOB NOT NULL,
    PRIMARY KEY (key, part)
);
