-- Which of some values are order numbers of stored receipts (evidence that a column holds order numbers).
SELECT DISTINCT order_number FROM receipts WHERE list_contains($values, order_number);
