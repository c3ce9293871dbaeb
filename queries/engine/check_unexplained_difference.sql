-- UNEXPLAINED_DIFFERENCE: a totals category whose invoiced − expected is not what its findings explain.
-- Reads the tie-out (registered as `tie_out` once every other check has run): expected + explained is what
-- the findings account for, actual what the documents say; the difference is the unexplained amount.
SELECT 'UNEXPLAINED_DIFFERENCE' AS kind, NULL AS order_number, NULL AS position_item_id,
       category AS document_number, NULL::DATE AS document_date,
       CAST(expected + explained AS DECIMAL(18, 2)) AS expected, invoiced AS actual,
       NULL::DATE AS expected_date, NULL::DATE AS actual_date, [] AS evidence,
       'unexplained' AS message_key,
       MAP {'totals_category': category, 'invoiced': txt(invoiced), 'expected': txt(expected),
            'explained': txt(explained), 'unexplained': txt(unexplained)} AS params
FROM tie_out
WHERE unexplained <> 0;
