-- needs: documents, statement_matches
-- Whether each document was settled: by a payout CSV line, by an account statement transaction, or both
-- (one settlement seen in both files is one settlement). settled_on: the first day it was settled (the
-- payout date of the payout CSV, the booking day of the statement transaction, the earlier of the two).
CREATE OR REPLACE TEMP TABLE settlements AS
WITH paid AS (
    SELECT document_number AS number, min(payout_date) AS paid_on FROM payout_lines GROUP BY ALL
), booked AS (
    SELECT matched_number AS number, min(booking_date) AS booked_on
    FROM statement_matches WHERE matched_number IS NOT NULL GROUP BY ALL
), flags AS (
    SELECT d.number, p.paid_on IS NOT NULL AS in_payouts, b.booked_on IS NOT NULL AS in_statements,
           least(p.paid_on, b.booked_on) AS settled_on
    FROM documents d LEFT JOIN paid p USING (number) LEFT JOIN booked b USING (number)
)
SELECT number, in_payouts, in_statements, in_payouts OR in_statements AS settled, settled_on FROM flags;
