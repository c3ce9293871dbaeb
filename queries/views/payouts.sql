-- Each payout with its tie-out: total against the sum of its lines, and every line against its document
-- (model payout_line_status). Period: payout date between date_from and date_to.
SELECT l.payout_number, any_value(l.payout_date) AS payout_date, any_value(l.payout_total) AS payout_total,
       sum(l.amount) AS line_sum, count(*) AS lines, count(*) FILTER (WHERE l.status <> 'ok') AS lines_off,
       (any_value(l.payout_total) = sum(l.amount) AND count(*) FILTER (WHERE l.status <> 'ok') = 0) AS ties_out,
       any_value(f.original_name) AS file
FROM payout_line_status l JOIN source_files f ON f.sha256 = l.source_sha256
WHERE l.payout_date BETWEEN getvariable('date_from') AND getvariable('date_to')
GROUP BY l.payout_number
ORDER BY payout_date, l.payout_number;
