-- DUE_DATE_MISMATCH: a document whose due date is not its issue date plus the due days.
SELECT 'DUE_DATE_MISMATCH' AS kind, NULL AS order_number, NULL AS position_item_id,
       invoice_number AS document_number, invoice_date AS document_date,
       NULL::DECIMAL(18, 2) AS expected, NULL::DECIMAL(18, 2) AS actual,
       CAST(invoice_date + to_days(CAST(getvariable('invoice_due_days') AS INTEGER)) AS DATE) AS expected_date,
       due_date AS actual_date, [ev(source_sha256, source_line)] AS evidence,
       'invoice' AS message_key,
       MAP {'issued': txt(invoice_date), 'due': txt(due_date),
            'expected_due': txt(CAST(invoice_date + to_days(CAST(getvariable('invoice_due_days') AS INTEGER)) AS DATE)),
            'days': txt(getvariable('invoice_due_days'))} AS params
FROM (SELECT invoice_number, invoice_date, due_date, source_sha256, source_line FROM invoice_lines
      QUALIFY row_number() OVER (PARTITION BY invoice_number ORDER BY source_line) = 1)
WHERE due_date <> invoice_date + to_days(CAST(getvariable('invoice_due_days') AS INTEGER))
UNION ALL
SELECT 'DUE_DATE_MISMATCH', NULL, NULL, correction_number, correction_date, NULL, NULL,
       CAST(correction_date + to_days(CAST(getvariable('correction_due_days') AS INTEGER)) AS DATE), due_date,
       [ev(source_sha256, source_line)],
       'correction',
       MAP {'issued': txt(correction_date), 'due': txt(due_date),
            'expected_due': txt(CAST(correction_date + to_days(CAST(getvariable('correction_due_days') AS INTEGER))
                                     AS DATE)),
            'days': txt(getvariable('correction_due_days'))}
FROM (SELECT correction_number, correction_date, due_date, source_sha256, source_line FROM correction_lines
      QUALIFY row_number() OVER (PARTITION BY correction_number ORDER BY source_line) = 1)
WHERE due_date <> correction_date + to_days(CAST(getvariable('correction_due_days') AS INTEGER));
