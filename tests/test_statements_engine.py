"""The account statements in the reconciliation: a generated quarter reconciles from statements alone, from
payout CSVs alone and from both; each injected fault is found exactly once, with its amounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from recon import i18n, views
from recon.engine import checks, reconcile
from recon.engine.model import ReconResult
from recon.fees.table import FeeTable, load_fee_table
from recon.importing import import_paths
from recon.money import percent_of
from recon.simulate.documents import BERLIN
from recon.simulate.quarter import Quarter, simulate
from recon.simulate.statements import Transaction, quarter_transactions, write_finance_files, write_statement
from recon.simulate.write import write_quarter
from recon.store import open_database

D = Decimal
Accounts = dict[str, list[Transaction]]
PAYMENT_FEE_RATE = D("1.20")
FEES_WITH_PAYMENT_FEE = f"""
[[payment_fee]]
rate = "{PAYMENT_FEE_RATE}"
valid_from = "2026-01-01"
"""


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Quarter, Path]:
    q = simulate(orders=150, seed=5, faults=False)
    folder = tmp_path_factory.mktemp("quarter")
    write_quarter(q, folder / "docs")
    write_finance_files(q, folder / "finance")
    return q, folder


def _reconcile(run: Path, docs: Path, q: Quarter, *, payouts: bool, statements: Path | None,
               fees: FeeTable | None = None) -> ReconResult:
    db = open_database(run / "books.duckdb")
    paths = [docs / sub for sub in ("invoices", "corrections", "receipts")]
    if payouts:
        paths.append(docs / "payouts")
    if statements is not None:
        paths.append(statements)
    report = import_paths(db, paths)
    assert report.exit_code == 0, [f.problems for f in report.files if f.problems]
    try:
        return reconcile(db, as_of=q.as_of, fees=fees)
    finally:
        db.close()


def _findings(result: ReconResult) -> list[tuple[str, str | None, object, object]]:
    return [(d.kind, d.document_number, d.expected, d.actual) for d in result.discrepancies]


@pytest.mark.parametrize(("payouts", "statements"), [(False, True), (True, False), (True, True)],
                         ids=["statements-alone", "payout-csvs-alone", "both"])
def test_the_generated_quarter_reconciles_with_no_finding(
    quarter: tuple[Quarter, Path], tmp_path: Path, payouts: bool, statements: bool
) -> None:
    q, folder = quarter
    source = folder / "finance" / "statements" if statements else None
    result = _reconcile(tmp_path, folder / "docs", q, payouts=payouts, statements=source)
    assert _findings(result) == []
    if statements:
        booked = [t for ts in quarter_transactions(q).values() for t in ts]
        assert len(booked) > 200
        # With the 99,90 € base fee some Thursday's fees exceed its sales: the account is debited that week.
        assert {t.transaction_type for t in booked} == {"PAY_IN", "PROVISION", "PROVISION_CORRECTION",
                                                        "PARTNER_PAYOUT", "DIRECT_DEBIT"}


def _write(accounts: Accounts, folder: Path) -> Path:
    out = folder / "statements"
    for account, transactions in accounts.items():
        write_statement(out / f"{account.replace(' ', '_')}.csv", account, transactions)
    return out


def _payout_after(ts: list[Transaction], index: int) -> int:
    return next(n for n in range(index, len(ts)) if ts[n].transaction_type in ("PARTNER_PAYOUT", "DIRECT_DEBIT"))


def _shift_payout(ts: list[Transaction], index: int, by: Decimal) -> None:
    """The payout closing the cycle of transaction `index` takes `by` more (it empties the account again)."""
    n = _payout_after(ts, index)
    ts[n] = replace(ts[n], amount=ts[n].amount - by)


def _first(ts: list[Transaction], kind: str, skip: int = 5) -> int:
    return [n for n, t in enumerate(ts) if t.transaction_type == kind][skip]


def _fault_run(quarter: tuple[Quarter, Path], run: Path, mutate: Callable[[list[Transaction]], object],
               *, payouts: bool = False, fees: FeeTable | None = None,
               edit: Callable[[Path], object] | None = None) -> ReconResult:
    """The quarter with its OTTO Payments transactions changed by `mutate` (and the file by `edit`)."""
    q, folder = quarter
    accounts = quarter_transactions(q)
    mutate(accounts["OTTO Payments"])
    run.mkdir(parents=True)
    statements = _write(accounts, run)
    if edit is not None:
        edit(statements / "OTTO_Payments.csv")
    return _reconcile(run, folder / "docs", q, payouts=payouts, statements=statements, fees=fees)


def test_a_balance_break_is_found_naming_both_lines(quarter: tuple[Quarter, Path], tmp_path: Path) -> None:
    """A transaction missing from the statement: the next line's balance does not follow from the one before."""
    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PAY_IN")
        ts.insert(n, Transaction(ts[n].booking_date, "GONE", "SERVICE", D("-1.50")))
        _shift_payout(ts, n, D("-1.50"))

    where: list[tuple[int, str, str, str]] = []

    def edit(path: Path) -> None:
        lines = path.read_bytes().split(b"\r\n")
        gone = next(i for i, line in enumerate(lines) if b";GONE;" in line)
        follower, before = lines[gone + 1].decode("cp1252").split(";"), lines[gone - 1].decode("cp1252").split(";")
        where.append((gone, follower[1], follower[5], before[6]))
        path.write_bytes(b"\r\n".join(lines[:gone] + lines[gone + 1:]))

    for payouts in (False, True):
        where.clear()
        result = _fault_run(quarter, tmp_path / str(payouts), mutate, payouts=payouts, edit=edit)
        (index, follower, amount, previous), = where  # the line after the gap is now physical line index + 1
        assert _findings(result) == [("STATEMENT_BALANCE_BREAK", follower, result.discrepancies[0].actual + D("1.50"),
                                      result.discrepancies[0].actual)]
        assert [e.line for e in result.discrepancies[0].evidence] == [index, index + 1]
        found = result.discrepancies[0]
        assert found.message == (
            f"Kontoauszug OTTO Payments: Transaktion {follower} (PAY_IN) bucht {amount} € auf einen Saldo von "
            f"{previous} €, der Saldo müsste {i18n.money(found.expected, 'de')} sein, der Kontoauszug sagt "
            f"{i18n.money(found.actual, 'de')}")


def test_a_transaction_for_an_unknown_document(quarter: tuple[Quarter, Path], tmp_path: Path) -> None:
    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PAY_IN")
        ts.insert(n, Transaction(ts[n].booking_date, "OP-99999999", "PAY_IN", D("12.34"), "ORD-424242",
                                 "R-DE-ORD-424242-1"))
        _shift_payout(ts, n, D("12.34"))

    result = _fault_run(quarter, tmp_path / "run", mutate)
    assert _findings(result) == [("SETTLEMENT_UNKNOWN", "R-DE-ORD-424242-1", None, D("12.34"))]
    assert result.discrepancies[0].message == (
        "Transaktion OP-99999999 im Kontoauszug OTTO Payments (PAY_IN, 12,34 €) gleicht den Beleg "
        "R-DE-ORD-424242-1 aus, der nie importiert wurde")


def test_a_settled_amount_off_by_a_cent(quarter: tuple[Quarter, Path], tmp_path: Path) -> None:
    changed: list[Transaction] = []

    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PAY_IN")
        changed.append(ts[n])
        ts[n] = replace(ts[n], amount=ts[n].amount - D("0.01"))
        _shift_payout(ts, n, D("-0.01"))

    result = _fault_run(quarter, tmp_path / "run", mutate)
    t = changed[0]
    assert _findings(result) == [("PAYOUT_MISMATCH", t.document_number, t.amount, t.amount - D("0.01"))]


def test_a_payout_that_does_not_empty_the_account(quarter: tuple[Quarter, Path], tmp_path: Path) -> None:
    changed: list[Transaction] = []

    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PARTNER_PAYOUT", skip=2)
        changed.append(ts[n])
        ts[n] = replace(ts[n], amount=ts[n].amount + D("5.00"))  # 5,00 stay on the account ...
        _shift_payout(ts, n + 1, D("5.00"))  # ... and go with the next payout

    for payouts in (False, True):  # the payout CSV's documents still add up: one finding either way
        result = _fault_run(quarter, tmp_path / str(payouts), mutate, payouts=payouts)
        t = changed[0]
        assert _findings(result) == [("PAYOUT_MISMATCH", t.transaction_id, t.amount, t.amount + D("5.00"))]
        changed.clear()


def test_a_payment_fee_off_by_the_configured_rate(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    fees = load_fee_table(FEES_WITH_PAYMENT_FEE)
    q = simulate(orders=60, seed=3, faults=False, fees=fees)
    folder = tmp_path_factory.mktemp("feequarter")
    write_quarter(q, folder / "docs")
    clean = quarter_transactions(q)
    charged = [t for ts in clean.values() for t in ts if t.transaction_type == "PAYMENTFEE"]
    assert len(charged) > 30
    assert all(t.amount < 0 for t in charged)
    changed: list[Transaction] = []

    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PAYMENTFEE", skip=3)
        changed.append(ts[n])
        ts[n] = replace(ts[n], amount=ts[n].amount * 2)  # charged at twice the rate
        _shift_payout(ts, n, ts[n].amount - changed[0].amount)

    ok = _fault_run((q, folder), tmp_path / "ok", lambda ts: None, payouts=True, fees=fees)
    assert _findings(ok) == []
    assert ok.totals.payment_fees_charged == -sum((t.amount for t in charged), D("0"))
    assert ok.totals.expected_payment_fees == ok.totals.payment_fees_charged
    result = _fault_run((q, folder), tmp_path / "bad", mutate, payouts=True, fees=fees)
    t = changed[0]
    order_fees = -sum((x.amount for x in charged if x.order_number == t.order_number), D("0"))
    assert _findings(result) == [("PAYMENT_FEE_MISMATCH", None, order_fees, order_fees - t.amount)]
    assert result.discrepancies[0].order_number == t.order_number
    gross = sum((x.amount for x in clean["OTTO Payments"] + clean["Ratepay"]
                 if x.order_number == t.order_number and x.transaction_type == "PAY_IN" and x.amount > 0), D("0"))
    assert result.discrepancies[0].message == (
        f"Payment-Gebühren von Auftrag {t.order_number}: 1,2 % von {i18n.money(gross, 'de')} = "
        f"{i18n.money(order_fees, 'de')} erwartet, die Kontoauszüge berechnen "
        f"{i18n.money(order_fees - t.amount, 'de')}")
    assert percent_of(next(x.amount for x in clean["OTTO Payments"] if x.document_number == t.document_number
                           and x.transaction_type == "PAY_IN"), PAYMENT_FEE_RATE) == -t.amount
    # Without the fee-table entry the same statements are not checked, only totalled.
    unchecked = _fault_run((q, folder), tmp_path / "unchecked", mutate, payouts=True)
    assert _findings(unchecked) == []
    assert unchecked.totals.payment_fees_charged == ok.totals.payment_fees_charged - t.amount
    assert unchecked.totals.expected_payment_fees == 0


def test_a_receipt_whose_csv_and_json_differ_rejects_the_csv(quarter: tuple[Quarter, Path], tmp_path: Path) -> None:
    q, folder = quarter
    csv = (folder / "finance" / "kundenbelege" / "kundenbelege.csv").read_bytes().decode("cp1252").split("\r\n")
    fields = csv[5].split(";")
    fields[9] = fields[9][:-1] + ("1" if fields[9][-1] != "1" else "2")  # Preis brutto, one cent off
    csv[5] = ";".join(fields)
    changed = tmp_path / "kundenbelege.csv"
    changed.write_bytes("\r\n".join(csv).encode("cp1252"))
    db = open_database(tmp_path / "b.duckdb")
    assert import_paths(db, [folder / "docs" / "receipts"]).exit_code == 0
    report = import_paths(db, [changed])
    earlier = db.con.execute("SELECT f.original_name, r.source_line FROM receipts r JOIN source_files f "
                             "ON f.sha256 = r.source_sha256 WHERE receipt_number = ?", [fields[0]]).fetchone()
    first_line = next(n for n, line in enumerate(csv, start=1) if line.startswith(fields[0] + ";"))
    assert report.files[0].problems == [
        f"{changed}:{first_line}: field 'Belegnummer': receipt {fields[0]} differs from the one already imported "
        f"from '{earlier[0]}' (position {earlier[1]}); receipts are never changed after the fact"
    ]
    db.close()


FEES_IN_COMMISSION = FEES_WITH_PAYMENT_FEE + """
[settings]
payment_fee_in_commission = true
"""


@pytest.fixture(scope="module")
def fee_quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Quarter, Path, FeeTable]:
    """A quarter whose commission invoices carry the category commission minus the payment fee."""
    fees = load_fee_table(FEES_IN_COMMISSION)
    assert fees.settings.payment_fee_in_commission
    q = simulate(orders=60, seed=3, faults=False, fees=fees)
    folder = tmp_path_factory.mktemp("incommission")
    write_quarter(q, folder / "docs")
    return q, folder, fees


def _order_fees(accounts: Accounts, order: str, kind: str = "PAYMENTFEE") -> Decimal:
    return -sum((t.amount for ts in accounts.values() for t in ts
                 if t.order_number == order and t.transaction_type == kind), D("0"))


def test_payment_fee_in_commission_reconciles_from_statements_payout_csvs_and_both(
    fee_quarter: tuple[Quarter, Path, FeeTable], tmp_path: Path
) -> None:
    q, folder, fees = fee_quarter
    category = sum((i.product.gross for o in q.orders for i in o.items if i.charge), D("0"))
    assert category  # the quarter charged commissions
    lowered = [o for o in q.orders if o.items[0].charge and
               o.items[0].charge.net != (fees.lookup("commission", o.items[0].shipped_at.astimezone(
                   BERLIN).date(), o.items[0].product.category).commission_on(o.items[0].product.gross))]
    assert len(lowered) > 30
    for name, payouts, mutate in (("statements", False, True), ("payouts", True, False), ("both", True, True)):
        if mutate:
            result = _fault_run((q, folder), tmp_path / name, lambda ts: None, payouts=payouts, fees=fees)
        else:
            result = _reconcile(tmp_path / name, folder / "docs", q, payouts=True, statements=None, fees=fees)
        assert _findings(result) == [], name
        assert result.totals.expected_commission_net == result.totals.invoiced_commission_net
        assert result.totals.invoiced_commission_net == sum(
            (line.net for inv in q.invoices for line in inv.lines if line.service_type == "Verkaufsprovision"), D("0"))
    # The same files read without the setting: each lowered order's first line is a net mismatch by its fee.
    plain = _fault_run((q, folder), tmp_path / "plain", lambda ts: None, payouts=True,
                       fees=load_fee_table(FEES_WITH_PAYMENT_FEE))
    assert {d.kind for d in plain.discrepancies} == {"COMMISSION_MISMATCH"}
    assert len(plain.discrepancies) == len(lowered)


def test_payment_fee_in_commission_finds_the_order_whose_fee_is_off(
    fee_quarter: tuple[Quarter, Path, FeeTable], tmp_path: Path
) -> None:
    q, folder, fees = fee_quarter
    clean = quarter_transactions(q)
    changed: list[Transaction] = []

    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PAYMENTFEE", skip=3)
        changed.append(ts[n])
        ts[n] = replace(ts[n], amount=ts[n].amount - D("0.01"))  # one cent more fee
        _shift_payout(ts, n, D("-0.01"))

    result = _fault_run((q, folder), tmp_path / "bad", mutate, payouts=True, fees=fees)
    t = changed[0]
    order = next(o for o in q.orders if o.number == t.order_number)
    line = order.items[0].charge
    assert line is not None
    fee = _order_fees(clean, t.order_number)
    invoiced = sum((i.charge.net for i in order.items if i.charge), D("0"))
    category = invoiced + fee
    invoice = next(inv.number for inv in q.invoices if any(x is line for x in inv.lines))
    assert _findings(result) == [
        ("COMMISSION_MISMATCH", invoice, category - fee - D("0.01"), invoiced),
        ("PAYMENT_FEE_MISMATCH", None, fee, fee + D("0.01")),
    ]
    commission = result.discrepancies[0]
    assert commission.order_number == t.order_number and commission.difference == D("0.01")
    assert commission.in_favour_of == "OTTO"  # invoice + fee charge a cent more than the category rate
    assert commission.message == (
        f"Auftrag {t.order_number}: Provision der Kategorie {i18n.money(category, 'de')} abzüglich "
        f"Payment-Gebühr {i18n.money(fee + D('0.01'), 'de')} = {i18n.money(category - fee - D('0.01'), 'de')} "
        f"erwartet, die Rechnung berechnet {i18n.money(invoiced, 'de')} netto")
    english = checks.by_kind()["COMMISSION_MISMATCH"].message("payment_fee", {
        "order_number": t.order_number, "commission": str(category), "payment_fee": str(fee + D("0.01")),
        "expected": str(category - fee - D("0.01")), "actual": str(invoiced)}, "en")
    assert english == (f"order {t.order_number}: category commission {category:.2f} minus payment fee "
                       f"{fee + D('0.01'):.2f} = {category - fee - D('0.01'):.2f} expected, the invoice charges "
                       f"{invoiced:.2f} net")
    files = {e.file.rsplit("/", 1)[-1] for e in commission.evidence}
    assert f"{invoice}.csv" in files and files & {"OTTO_Payments.csv", "Ratepay.csv"}
    assert result.discrepancies[1].in_favour_of == "OTTO"


def test_payment_fee_refunds_are_checked_and_totalled(tmp_path_factory: pytest.TempPathFactory,
                                                      tmp_path: Path) -> None:
    fees = load_fee_table(FEES_WITH_PAYMENT_FEE)
    q = simulate(orders=60, seed=3, faults=False, fees=fees)
    folder = tmp_path_factory.mktemp("refundquarter")
    write_quarter(q, folder / "docs")
    clean = quarter_transactions(q)
    refunds = [t for ts in clean.values() for t in ts if t.transaction_type == "PAYMENTFEE_REFUND"]
    assert len(refunds) >= 3 and all(t.amount > 0 for t in refunds)
    ok = _fault_run((q, folder), tmp_path / "ok", lambda ts: None, payouts=True, fees=fees)
    assert _findings(ok) == []
    assert ok.totals.payment_fees_refunded == sum((t.amount for t in refunds), D("0"))
    assert ok.totals.expected_payment_fee_refunds == ok.totals.payment_fees_refunded
    db = open_database(tmp_path / "ok" / "books.duckdb")
    try:  # per order, as the totals add them up
        per_order = views.payment_fees(views.prepared(db, q.as_of, fees=fees))
    finally:
        db.close()
    assert per_order["refunded"].sum() == ok.totals.payment_fees_refunded
    assert per_order["charged"].sum() == ok.totals.payment_fees_charged
    assert per_order["expected_refund"].sum() == ok.totals.expected_payment_fee_refunds
    refunded_orders = {t.order_number for t in refunds}
    assert set(per_order.filter(pl.col("refunded") > 0)["order_number"]) == refunded_orders
    changed: list[Transaction] = []

    def mutate(ts: list[Transaction]) -> None:
        n = _first(ts, "PAYMENTFEE_REFUND", skip=0)
        changed.append(ts[n])
        ts[n] = replace(ts[n], amount=ts[n].amount - D("0.01"))  # a cent too little back
        _shift_payout(ts, n, D("-0.01"))

    result = _fault_run((q, folder), tmp_path / "bad", mutate, payouts=True, fees=fees)
    t = changed[0]
    refunded = -_order_fees(clean, t.order_number, "PAYMENTFEE_REFUND")
    assert _findings(result) == [("PAYMENT_FEE_MISMATCH", None, -refunded, -refunded + D("0.01"))]
    found = result.discrepancies[0]
    assert found.order_number == t.order_number and found.in_favour_of == "OTTO"
    gross = -sum((x.amount for ts in clean.values() for x in ts if x.order_number == t.order_number
                  and x.transaction_type == "PAY_IN" and x.amount < 0), D("0"))
    assert found.message == (
        f"Erstattete Payment-Gebühren von Auftrag {t.order_number}: 1,2 % von {i18n.money(gross, 'de')} erstattet "
        f"= {i18n.money(refunded, 'de')} erwartet, die Kontoauszüge erstatten "
        f"{i18n.money(refunded - D('0.01'), 'de')}")
    assert result.totals.payment_fees_refunded == ok.totals.payment_fees_refunded - D("0.01")


def test_the_simulated_statements_are_consistent_with_the_payouts(quarter: tuple[Quarter, Path]) -> None:
    """Each payout day's statement payouts (both accounts) pay exactly that day's payout CSV, every document
    of the payout CSVs is settled once on a statement, and the monthly files chain their balances."""
    q, folder = quarter
    accounts = quarter_transactions(q)
    for payout in q.payouts:
        paid = [t for ts in accounts.values() for t in ts
                if t.booking_date == payout.day and t.transaction_type in ("PARTNER_PAYOUT", "DIRECT_DEBIT")]
        assert -sum((t.amount for t in paid), D("0")) == payout.total
    settled = sorted(t.document_number for ts in accounts.values() for t in ts
                     if t.transaction_type in ("PAY_IN", "PROVISION", "PROVISION_CORRECTION"))
    assert settled == sorted(line.document_number for p in q.payouts for line in p.lines)
    files = sorted((folder / "finance" / "statements").glob("statement_otto-payments_*.csv"))
    assert len(files) >= 3
    closing = D("0.00")
    for path in files:
        rows = [line.split(";") for line in path.read_bytes().decode("cp1252").split("\r\n")[1:] if line]
        first_amount, first_balance = (D(rows[0][n].replace(".", "").replace(",", ".")) for n in (5, 6))
        assert first_balance - first_amount == closing  # the opening balance is last month's closing one
        closing = D(rows[-1][6].replace(".", "").replace(",", "."))
    assert closing == 0  # the quarter ends with a payout that empties the account


def test_payment_fee_in_commission_without_statements_or_rate_names_the_unknown_fee(
    fee_quarter: tuple[Quarter, Path, FeeTable], tmp_path: Path
) -> None:
    """Payout CSVs alone and no [[payment_fee]] rate: recon cannot know the fee, so each order whose invoice
    is below the category commission is reported, with the fee counted as 0 and the reason in the message."""
    q, folder, _ = fee_quarter
    fees = load_fee_table("[settings]\npayment_fee_in_commission = true\n")
    result = _reconcile(tmp_path, folder / "docs", q, payouts=True, statements=None, fees=fees)
    lowered = {o.number for o in q.orders if o.items[0].charge and o.items[0].charge.net != (
        fees.lookup("commission", o.items[0].shipped_at.astimezone(BERLIN).date(),
                    o.items[0].product.category).commission_on(o.items[0].product.gross))}
    assert {d.kind for d in result.discrepancies} == {"COMMISSION_MISMATCH"}
    assert {d.order_number for d in result.discrepancies} == lowered
    first = result.discrepancies[0]
    assert isinstance(first.expected, Decimal) and isinstance(first.actual, Decimal)
    assert first.message == (
        f"Auftrag {first.order_number}: Provision der Kategorie {i18n.money(first.expected, 'de')} abzüglich "
        f"Payment-Gebühr 0,00 € = {i18n.money(first.expected, 'de')} erwartet, die Rechnung berechnet "
        f"{i18n.money(first.actual, 'de')} netto; die Payment-Gebühr eines Kaufbelegs ist unbekannt (kein "
        f"Kontoauszug zahlt ihn aus und die Gebührentabelle hat keinen Satz [[payment_fee]])")
    assert result.totals.expected_commission_net - result.totals.invoiced_commission_net == sum(
        (d.expected - d.actual for d in result.discrepancies if isinstance(d.expected, Decimal)
         and isinstance(d.actual, Decimal)), D("0"))
    assert not [d for d in result.discrepancies if d.kind == "UNEXPLAINED_DIFFERENCE"]
