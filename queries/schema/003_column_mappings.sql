-- Column mappings confirmed by a person (dashboard or `recon columns --save`) for files whose header names
-- columns differently from the reference layouts. Every save is a new version, none is overwritten; for one
-- header (`header_key`: its folded column names, sorted) the newest version is the one imports use.
-- `toml` is a `--columns` file: extra names (aliases) per field of `kind`.
CREATE TABLE column_mappings (
    version     INTEGER PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    header_key  VARCHAR NOT NULL,
    headers     VARCHAR NOT NULL,
    toml        VARCHAR NOT NULL,
    label       VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  VARCHAR NOT NULL
);
