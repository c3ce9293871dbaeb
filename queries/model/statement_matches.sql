-- needs: statement_chain, documents
-- Each statement transaction that settles a document (meaning receipt, invoice or correction), with the
-- document: by its Belegnummer, else (no Belegnummer) the document of the same order with the same signed
-- amount. status: 'no_document' (no such document), 'again' (an earlier statement transaction settled
-- it), 'other_amount' (another amount than the document's), else 'ok'.
CREATE OR REPLACE TEMP TABLE statement_matches AS
WITH settling AS (
    SELECT * FROM statement_chain WHERE meaning IN ('receipt', 'invoice', 'correction')
), by_order AS (
    SELECT s.account, s.transaction_id, min(d.number) AS number
    FROM settling s JOIN documents d ON d.order_number = s.order_number AND d.amount = s.amount
    WHERE s.document_number IS NULL
    GROUP BY ALL
), matched AS (
    SELECT s.*, coalesce(n.number, o.number) AS matched_number
    FROM settling s
    LEFT JOIN documents n ON n.number = s.document_number
    LEFT JOIN by_order o USING (account, transaction_id)
), ranked AS (
    SELECT m.*, row_number() OVER (PARTITION BY m.matched_number ORDER BY m.booking_date, m.account, m.seq) AS nth
    FROM matched m
)
SELECT r.*, d.document_type, d.amount AS document_amount, d.evidence AS document_evidence,
       CASE WHEN r.matched_number IS NULL THEN 'no_document'
            WHEN r.nth > 1 THEN 'again'
            WHEN r.amount <> d.amount THEN 'other_amount'
            ELSE 'ok' END AS status
FROM ranked r LEFT JOIN documents d ON d.number = r.matched_number;
