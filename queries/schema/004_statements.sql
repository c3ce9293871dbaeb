-- Account statements (Kontoauszug) of OTTO Payments and Ratepay: one row per transaction, the key is
-- (account, transaction_id) across every statement file (monthly downloads overlap).
CREATE TABLE statement_lines (
    source_sha256     VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    account           VARCHAR NOT NULL,      -- 'OTTO Payments' or 'Ratepay' (from the header's language)
    booking_date      DATE NOT NULL,
    transaction_id    VARCHAR NOT NULL,
    transaction_type  VARCHAR NOT NULL,      -- as in the file, unknown types included
    meaning           VARCHAR NOT NULL,      -- receipt, invoice, correction, payment_fee, ..., other
    order_number      VARCHAR,
    document_number   VARCHAR,
    amount            DECIMAL(18,2) NOT NULL, -- signed effect on the balance (+ credit to the seller)
    balance           DECIMAL(18,2) NOT NULL, -- balance after this transaction
    currency          VARCHAR NOT NULL,
    description       VARCHAR,
    extra             JSON,
    PRIMARY KEY (account, transaction_id)
);
