-- Documents no payout has settled yet (model open_documents), by settlement day.
SELECT * FROM open_documents ORDER BY settlement_day, document_type, document_number;
