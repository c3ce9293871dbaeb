-- needs: documents, statement_matches
-- Whether each document was settled: by a payout CSV line, by an account statement transaction, or both
-- (one settlement seen in both files is one settlement).
CREATE OR REPLACE TEMP TABLE settlements AS
WITH flags AS (
    SELECT d.number,
           EXISTS (SELECT 1 FROM payout_lines p WHERE p.document_number = d.number) AS in_payouts,
           EXISTS (SELECT 1 FROM statement_matches m WHERE m.matched_number = d.number) AS in_statements
    FROM documents d
)
SELECT *, in_payouts OR in_statements AS settled FROM flags;
