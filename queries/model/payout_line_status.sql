-- needs: documents
-- Every payout line with the document it settles and its status: 'unbekannt' (no such document was
-- imported), 'doppelt' (the document was settled before), 'abweichend' (another amount than the
-- document's), else 'ok'. nth: which settlement of its document the line is, by payout date.
CREATE OR REPLACE TEMP TABLE payout_line_status AS
WITH ranked AS (
    SELECT p.*, row_number() OVER (PARTITION BY p.document_number
                                   ORDER BY p.payout_date, p.payout_number, p.source_line) AS nth
    FROM payout_lines p
)
SELECT p.*, d.amount AS document_amount, d.order_number AS document_order_number,
       d.evidence AS document_evidence,
       CASE WHEN d.number IS NULL THEN 'unbekannt'
            WHEN p.nth > 1 THEN 'doppelt'
            WHEN p.amount <> d.amount THEN 'abweichend'
            ELSE 'ok' END AS status
FROM ranked p LEFT JOIN documents d ON d.number = p.document_number;
