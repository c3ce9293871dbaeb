-- Payment fees per order as the account statements charge and refund them, next to what the fee table's
-- [[payment_fee]] rate expects (NULL without a rate): model payment_fees. Period: the fee's (or its
-- refund's) booking day between date_from and date_to, as the totals count them.
SELECT order_number,
       CASE WHEN booked_on BETWEEN getvariable('date_from') AND getvariable('date_to') THEN charged ELSE 0.00 END
           AS charged,
       CASE WHEN booked_on BETWEEN getvariable('date_from') AND getvariable('date_to') THEN expected END AS expected,
       CASE WHEN refund_booked_on BETWEEN getvariable('date_from') AND getvariable('date_to') THEN refunded
            ELSE 0.00 END AS refunded,
       CASE WHEN refund_booked_on BETWEEN getvariable('date_from') AND getvariable('date_to') THEN expected_refund END
           AS expected_refund,
       rate, booked_on, refund_booked_on
FROM payment_fees
WHERE booked_on BETWEEN getvariable('date_from') AND getvariable('date_to')
   OR refund_booked_on BETWEEN getvariable('date_from') AND getvariable('date_to')
ORDER BY booked_on, order_number;
