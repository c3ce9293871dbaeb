-- One page of open documents (as views/open_items), at most $limit rows. Reads the model open_documents.
SELECT * FROM open_documents ORDER BY settlement_day, document_type, document_number LIMIT $limit;
