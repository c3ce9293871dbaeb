-- needs:
-- Each payout once: its date, its stated total and the sum of its lines.
CREATE OR REPLACE TEMP TABLE payout_totals AS
SELECT payout_number, any_value(payout_date) AS payout_date, any_value(payout_total) AS payout_total,
       sum(amount) AS line_sum, count(*) AS lines, arg_min(ev(source_sha256, source_line), source_line) AS evidence
FROM payout_lines GROUP BY payout_number;
