-- MISSING_CORRECTION: a returned item whose commission no correction refunded (and, when the whole order
-- came back, its shipping commission), once the grace period for booking the correction has passed.
-- Reads what corrections owe (expected_corrections).
SELECT 'MISSING_CORRECTION' AS kind, e.order_number, e.position_item_id, e.invoice_number AS document_number,
       e.returned_on AS document_date, e.net AS expected, 0.00::DECIMAL(18, 2) AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, e.evidence,
       CASE WHEN e.service_type = 'Verkaufsprovision' THEN
                format('returned on {}, but the commission of {} net charged in {} was not refunded by any correction',
                       e.returned_on, eur(-e.net), e.invoice_number)
            ELSE format('every item of order {} was returned (last on {}), but the shipping commission of {} net ' ||
                        'charged in {} was not refunded', e.order_number, e.returned_on, eur(-e.net), e.invoice_number)
       END AS message
FROM expected_corrections e
WHERE e.due AND NOT e.refunded;
