-- The first schema: one table per imported kind, every row traceable to (source_sha256, source_line).
CREATE TABLE source_files (
    sha256          VARCHAR PRIMARY KEY,
    original_name   VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    encoding        VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,
    row_count       BIGINT NOT NULL,
    amount_total    DECIMAL(18,2),
    imported_at     TIMESTAMPTZ NOT NULL,
    imported_by     VARCHAR NOT NULL
);

CREATE TABLE invoice_lines (
    source_sha256     VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    invoice_number    VARCHAR NOT NULL,
    invoice_date      DATE NOT NULL,
    due_date          DATE NOT NULL,
    period_from       DATE,
    period_to         DATE,
    service_type      VARCHAR NOT NULL,
    order_number      VARCHAR,
    position_item_id  VARCHAR,
    shipped_at        TIMESTAMPTZ,
    sku               VARCHAR,
    category          VARCHAR,
    base_gross        DECIMAL(18,2) NOT NULL,
    commission_rate   DECIMAL(9,4),
    commission_net    DECIMAL(18,2) NOT NULL,
    vat_rate          DECIMAL(9,4) NOT NULL,
    vat               DECIMAL(18,2) NOT NULL,
    commission_gross  DECIMAL(18,2) NOT NULL,
    currency          VARCHAR NOT NULL,
    extra             JSON
);

CREATE TABLE correction_lines (
    source_sha256     VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    correction_number VARCHAR NOT NULL,
    correction_date   DATE NOT NULL,
    due_date          DATE NOT NULL,
    ref_invoice_number VARCHAR,
    service_type      VARCHAR NOT NULL,
    order_number      VARCHAR,
    position_item_id  VARCHAR,
    returned_on       DATE,
    category          VARCHAR,
    base_gross        DECIMAL(18,2) NOT NULL,
    commission_rate   DECIMAL(9,4),
    commission_net    DECIMAL(18,2) NOT NULL,
    vat_rate          DECIMAL(9,4) NOT NULL,
    vat               DECIMAL(18,2) NOT NULL,
    commission_gross  DECIMAL(18,2) NOT NULL,
    currency          VARCHAR NOT NULL,
    extra             JSON
);

CREATE TABLE payout_lines (
    source_sha256     VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    payout_number     VARCHAR NOT NULL,
    payout_date       DATE NOT NULL,
    payout_total      DECIMAL(18,2) NOT NULL,
    document_type     VARCHAR NOT NULL,
    document_number   VARCHAR NOT NULL,
    document_date     DATE,
    due_date          DATE,
    order_number      VARCHAR,
    amount            DECIMAL(18,2) NOT NULL,
    currency          VARCHAR NOT NULL,
    extra             JSON
);

-- One row per customer receipt; `raw` keeps everything the API sent.
CREATE TABLE receipts (
    source_sha256     VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    receipt_number    VARCHAR NOT NULL PRIMARY KEY,
    receipt_type      VARCHAR NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    shipped_at        TIMESTAMPTZ,
    order_number      VARCHAR NOT NULL,
    sales_order_id    VARCHAR,
    linked_receipt_number VARCHAR,
    currency          VARCHAR NOT NULL,
    total_gross       DECIMAL(18,2),
    content_sha256    VARCHAR NOT NULL,
    raw               JSON NOT NULL
);

-- Items and delivery fees of a receipt, one row each. Amounts carry the receipt's sign as sent.
CREATE TABLE receipt_lines (
    source_sha256     VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    receipt_number    VARCHAR NOT NULL,
    line_no           INTEGER NOT NULL,
    line_type         VARCHAR NOT NULL,      -- 'ITEM' or 'DELIVERY_FEE'
    position_item_id  VARCHAR,
    sku               VARCHAR,
    article_number    VARCHAR,
    title             VARCHAR,
    category          VARCHAR,
    fee_type          VARCHAR,
    gross_amount      DECIMAL(18,2) NOT NULL, -- what the customer paid for the line, VAT included
    discount_gross    DECIMAL(18,2),
    vat_rate          DECIMAL(9,4),
    vat_amount        DECIMAL(18,2),
    currency          VARCHAR NOT NULL,
    PRIMARY KEY (receipt_number, line_no)
);

