-- Working tables every check reads. Parameters arrive as variables set by recon.engine:
-- as_of, invoice_isodow, settlement_isodow, invoice_due_days, correction_due_days, receipt_due_days,
-- correction_grace_days, first_fee_month (DATE or NULL). The fee table is registered as `fee_schedule`.

CREATE OR REPLACE TEMP MACRO pct_of(base, rate) AS CAST(round(base * rate * 0.01, 2) AS DECIMAL(18, 2));
CREATE OR REPLACE TEMP MACRO eur(x) AS CAST(CAST(x AS DECIMAL(18, 2)) AS VARCHAR);
CREATE OR REPLACE TEMP MACRO pct(r) AS rtrim(rtrim(CAST(r AS VARCHAR), '0'), '.');
CREATE OR REPLACE TEMP MACRO berlin_day(ts) AS CAST(timezone('Europe/Berlin', ts) AS DATE);
-- The weekly invoice that must charge a shipment of this (local) day: the next invoice weekday, strictly after.
CREATE OR REPLACE TEMP MACRO invoice_day(d) AS
    CAST(d + to_days(CAST(((getvariable('invoice_isodow') - isodow(d) + 6) % 7) + 1 AS INTEGER)) AS DATE);
-- The settlement day of a due date: the first settlement weekday on or after it.
CREATE OR REPLACE TEMP MACRO settle_day(d) AS
    CAST(d + to_days(CAST((getvariable('settlement_isodow') - isodow(d) + 7) % 7 AS INTEGER)) AS DATE);
CREATE OR REPLACE TEMP MACRO ev(sha, line) AS {'sha': sha, 'line': CAST(line AS INTEGER)};

-- Fee rates flattened for joins (scalar subqueries per row would not scale to a million lines).
CREATE OR REPLACE TEMP TABLE commission_rates AS
SELECT category, value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'commission';
CREATE OR REPLACE TEMP TABLE vat_rates AS
SELECT value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'vat';
CREATE OR REPLACE TEMP TABLE shipping_rates AS
SELECT value AS rate, valid_from, valid_to FROM fee_schedule WHERE kind = 'shipping_commission' AND category IS NULL;

-- Sold position items: one row per unit on a PURCHASE receipt (the first one if a unit appears twice).
-- Nearly every unit appears once: only the repeated ones go through the (sorting) window.
CREATE OR REPLACE TEMP TABLE sold AS
WITH units AS MATERIALIZED (
    SELECT l.position_item_id, r.order_number, r.receipt_number, l.sku,
           coalesce(r.shipped_at, r.created_at) AS shipped_at,
           berlin_day(coalesce(r.shipped_at, r.created_at)) AS shipped_on,
           l.gross_amount AS gross, l.source_sha256 AS sha, l.source_line AS line, r.created_at AS created_at
    FROM receipt_lines l JOIN receipts r USING (receipt_number)
    WHERE r.receipt_type = 'PURCHASE' AND l.line_type = 'ITEM' AND l.position_item_id IS NOT NULL
), repeated AS (
    SELECT position_item_id FROM units GROUP BY position_item_id HAVING count(*) > 1
)
SELECT * EXCLUDE (created_at) FROM units ANTI JOIN repeated USING (position_item_id)
UNION ALL
SELECT * EXCLUDE (created_at) FROM (
    SELECT * FROM units SEMI JOIN repeated USING (position_item_id)
    QUALIFY row_number() OVER (PARTITION BY position_item_id ORDER BY created_at, receipt_number) = 1
);

-- Returned position items: on a REFUND receipt (partial refunds are price reductions, not returns).
CREATE OR REPLACE TEMP TABLE returned AS
SELECT l.position_item_id, r.order_number, r.receipt_number, berlin_day(r.created_at) AS returned_on,
       l.source_sha256 AS sha, l.source_line AS line
FROM receipt_lines l JOIN receipts r USING (receipt_number)
WHERE r.receipt_type = 'REFUND' AND l.line_type = 'ITEM' AND l.position_item_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY l.position_item_id ORDER BY r.created_at, r.receipt_number) = 1;

-- Shipping costs per order: the delivery fees of its purchase receipts (standard plus freight surcharge).
CREATE OR REPLACE TEMP TABLE order_shipping AS
SELECT r.order_number, sum(l.gross_amount) AS gross,
       min(berlin_day(coalesce(r.shipped_at, r.created_at))) AS shipped_on,
       arg_min(ev(l.source_sha256, l.source_line), coalesce(r.shipped_at, r.created_at)) AS evidence
FROM receipt_lines l JOIN receipts r USING (receipt_number)
WHERE r.receipt_type = 'PURCHASE' AND l.line_type = 'DELIVERY_FEE'
GROUP BY r.order_number;

-- Orders with receipts: what shipped first, and whether every sold item came back.
CREATE OR REPLACE TEMP TABLE orders AS
SELECT s.order_number, min(s.shipped_on) AS first_shipped_on,
       count(*) = count(x.position_item_id) AS fully_returned, max(x.returned_on) AS last_returned_on
FROM sold s LEFT JOIN returned x USING (position_item_id)
GROUP BY s.order_number;

-- Product commission lines, numbered per position item (the first is the charge, the rest duplicates).
-- (Lines whose item is charged once are nth 1 without the window. NULL ids count as one item, as in a window.)
CREATE OR REPLACE TEMP TABLE charges AS
WITH lines AS MATERIALIZED (
    SELECT i.*, berlin_day(i.shipped_at) AS shipped_on FROM invoice_lines i WHERE i.service_type = 'Verkaufsprovision'
), repeated AS (
    SELECT position_item_id FROM lines GROUP BY position_item_id HAVING count(*) > 1
)
SELECT l.*, 1::BIGINT AS nth FROM lines l
ANTI JOIN repeated x ON l.position_item_id IS NOT DISTINCT FROM x.position_item_id
UNION ALL
SELECT l.*, row_number() OVER (PARTITION BY l.position_item_id
                               ORDER BY l.invoice_date, l.invoice_number, l.source_line) AS nth
FROM lines l SEMI JOIN repeated x ON l.position_item_id IS NOT DISTINCT FROM x.position_item_id;

-- Each product commission line with what it should have been.
CREATE OR REPLACE TEMP TABLE charge_check AS
WITH base AS (
    SELECT c.*, s.gross AS sold_gross, s.sha AS sold_sha, s.line AS sold_line,
           coalesce(c.shipped_on, s.shipped_on, c.invoice_date) AS rate_day,
           coalesce(s.gross, c.base_gross) AS expected_base
    FROM charges c LEFT JOIN sold s USING (position_item_id)
), rated AS (
    SELECT b.*, r.rate AS table_rate, v.rate AS vat_rate_table
    FROM base b
    LEFT JOIN commission_rates r ON r.category = b.category AND b.rate_day BETWEEN r.valid_from AND r.valid_to
    LEFT JOIN vat_rates v ON b.rate_day BETWEEN v.valid_from AND v.valid_to
)
SELECT *, pct_of(expected_base, table_rate) AS exp_net,
       pct_of(pct_of(expected_base, table_rate), vat_rate_table) AS exp_vat,
       pct_of(expected_base, table_rate) + pct_of(pct_of(expected_base, table_rate), vat_rate_table) AS exp_gross
FROM rated;

-- Shipping commission lines, numbered per order.
CREATE OR REPLACE TEMP TABLE shipping_charges AS
SELECT i.*, berlin_day(i.shipped_at) AS shipped_on,
       row_number() OVER (PARTITION BY i.order_number ORDER BY i.invoice_date, i.invoice_number, i.source_line) AS nth
FROM invoice_lines i WHERE i.service_type = 'Versandkostenprovision';

-- Every document that moves money on the settlement account, with its signed effect for the seller.
CREATE OR REPLACE TEMP TABLE documents AS
SELECT receipt_number AS number,
       CASE receipt_type WHEN 'PURCHASE' THEN 'Kaufbeleg' ELSE 'Erstattungsbeleg' END AS document_type,
       CASE receipt_type WHEN 'PURCHASE' THEN total_gross ELSE -total_gross END AS amount,
       berlin_day(created_at) AS document_date,
       CAST(berlin_day(created_at) + to_days(CAST(getvariable('receipt_due_days') AS INTEGER)) AS DATE) AS due_date,
       order_number, ev(source_sha256, source_line) AS evidence
FROM receipts
UNION ALL
SELECT invoice_number,
       CASE WHEN bool_and(service_type = 'Grundgebühr') THEN 'Grundgebühr' ELSE 'Provisionsrechnung' END,
       -sum(commission_gross), min(invoice_date), min(due_date), NULL,
       arg_min(ev(source_sha256, source_line), source_line)
FROM invoice_lines GROUP BY invoice_number
UNION ALL
SELECT correction_number, 'Provisionskorrektur', -sum(commission_gross), min(correction_date), min(due_date), NULL,
       arg_min(ev(source_sha256, source_line), source_line)
FROM correction_lines GROUP BY correction_number;

-- Documents dated by as_of that no payout has settled yet, with the settlement day they are due for.
-- overdue: that day has passed (reconcile reports those as SETTLEMENT_MISSING). Reports and dashboard read it.
CREATE OR REPLACE TEMP VIEW open_documents AS
SELECT d.document_type, d.number AS document_number, d.document_date, d.due_date,
       settle_day(d.due_date) AS settlement_day, d.order_number, d.amount,
       settle_day(d.due_date) <= getvariable('as_of') AS overdue
FROM documents d
WHERE d.document_date <= getvariable('as_of')
  AND NOT EXISTS (SELECT 1 FROM payout_lines p WHERE p.document_number = d.number);
