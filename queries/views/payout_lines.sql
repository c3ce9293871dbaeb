-- Every payout line with the document it settles and whether it matches. Needs engine/prepare.
SELECT p.payout_number, p.payout_date, p.payout_total, p.document_type, p.document_number, p.document_date,
       p.due_date, p.order_number, p.amount, d.amount AS document_amount,
       CASE WHEN d.number IS NULL THEN 'unbekannt'
            WHEN row_number() OVER (PARTITION BY p.document_number
                                    ORDER BY p.payout_date, p.payout_number, p.source_line) > 1 THEN 'doppelt'
            WHEN p.amount <> d.amount THEN 'abweichend'
            ELSE 'ok' END AS status,
       f.original_name AS file, p.source_line AS line
FROM payout_lines p
LEFT JOIN documents d ON d.number = p.document_number
JOIN source_files f ON f.sha256 = p.source_sha256
WHERE p.payout_date BETWEEN getvariable('date_from') AND getvariable('date_to')
ORDER BY p.payout_date, p.payout_number, p.source_line;
