-- Each payout with its tie-out: total against the sum of its lines, and every line against its document.
-- Needs engine/prepare. Period: payout date between date_from and date_to.
WITH lines AS (
    SELECT p.payout_number, p.payout_date, p.payout_total, p.amount, p.source_sha256,
           d.number IS NULL
           OR row_number() OVER (PARTITION BY p.document_number
                                 ORDER BY p.payout_date, p.payout_number, p.source_line) > 1
           OR p.amount <> d.amount AS off
    FROM payout_lines p LEFT JOIN documents d ON d.number = p.document_number
)
SELECT l.payout_number, any_value(l.payout_date) AS payout_date, any_value(l.payout_total) AS payout_total,
       sum(l.amount) AS line_sum, count(*) AS lines, count(*) FILTER (WHERE l.off) AS lines_off,
       (any_value(l.payout_total) = sum(l.amount) AND count(*) FILTER (WHERE l.off) = 0) AS ties_out,
       any_value(f.original_name) AS file
FROM lines l JOIN source_files f ON f.sha256 = l.source_sha256
WHERE l.payout_date BETWEEN getvariable('date_from') AND getvariable('date_to')
GROUP BY l.payout_number
ORDER BY payout_date, l.payout_number;
