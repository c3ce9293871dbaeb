-- The engine's parameters, one statement each (recon.engine.run binds $name from the same key).
SET VARIABLE as_of = $as_of::DATE;
SET VARIABLE date_from = $date_from::DATE;
SET VARIABLE date_to = $date_to::DATE;
SET VARIABLE invoice_isodow = $invoice_isodow::INTEGER;
SET VARIABLE settlement_isodow = $settlement_isodow::INTEGER;
SET VARIABLE invoice_due_days = $invoice_due_days::INTEGER;
SET VARIABLE correction_due_days = $correction_due_days::INTEGER;
SET VARIABLE receipt_due_days = $receipt_due_days::INTEGER;
SET VARIABLE correction_grace_days = $correction_grace_days::INTEGER;
SET VARIABLE payment_account_live = $payment_account_live::DATE;
SET VARIABLE payment_fee_in_commission = $payment_fee_in_commission::BOOLEAN;
