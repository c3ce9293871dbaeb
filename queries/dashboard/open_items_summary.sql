-- Open documents per settlement day and type: count and amount. Reads the model open_documents.
-- The aggregate the payouts page shows first; the single documents come from open_items_page.
SELECT settlement_day, document_type, count(*) AS documents, sum(amount)::DECIMAL(18, 2) AS amount,
       bool_or(overdue) AS overdue
FROM open_documents
GROUP BY ALL
ORDER BY settlement_day, document_type;
