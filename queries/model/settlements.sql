-- needs: documents, statement_matches
-- Whether each document was settled: by a payout CSV line, by an account statement transaction, or both
-- (one settlement seen in both files is one settlement). settled_on: the first day it was settled (the
-- payout date of the payout CSV, the booking day of the statement transaction, the earlier of the two).
CREATE OR REPLACE TEMP TABLE settlements AS
WITH flags AS (
    SELECT d.number,
           (SELECT min(p.payout_date) FROM payout_lines p WHERE p.document_number = d.number) AS paid_on,
           (SELECT min(m.booking_date) FROM statement_matches m WHERE m.matched_number = d.number) AS booked_on
    FROM documents d
)
SELECT number, paid_on IS NOT NULL AS in_payouts, booked_on IS NOT NULL AS in_statements,
       paid_on IS NOT NULL OR booked_on IS NOT NULL AS settled, least(paid_on, booked_on) AS settled_on
FROM flags;
