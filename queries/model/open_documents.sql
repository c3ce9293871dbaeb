-- needs: documents
-- Documents dated by as_of that no payout has settled yet, with the settlement day they are due for.
-- overdue: that day has passed (reconcile reports those as SETTLEMENT_MISSING). Reports and dashboard read it.
CREATE OR REPLACE TEMP TABLE open_documents AS
SELECT d.document_type, d.number AS document_number, d.document_date, d.due_date,
       d.settlement_day, d.order_number, d.amount,
       d.settlement_day <= getvariable('as_of') AS overdue
FROM documents d
WHERE d.document_date <= getvariable('as_of') AND NOT d.settled;
