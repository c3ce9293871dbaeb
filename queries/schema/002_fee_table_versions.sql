-- Fee tables saved by accountants (dashboard or CLI): every save is a new version, none is overwritten.
-- `toml` is an override file applied on top of the shipped reference table.
CREATE TABLE fee_table_versions (
    version     INTEGER PRIMARY KEY,
    label       VARCHAR NOT NULL,
    toml        VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  VARCHAR NOT NULL
);
