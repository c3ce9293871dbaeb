-- Receipt lines whose receipt is not stored: (receipt_number, lines).
SELECT receipt_number, count(*) AS n
FROM receipt_lines
WHERE receipt_number NOT IN (SELECT receipt_number FROM receipts)
GROUP BY ALL
ORDER BY 1
LIMIT 50;
