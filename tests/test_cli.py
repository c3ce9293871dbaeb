"""The command line as the contract describes it: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recon.cli import main
from tests.conftest import SAMPLES


def _db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.duckdb")


def test_import_prints_a_summary_and_exits_0_then_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--db", _db(tmp_path), str(SAMPLES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == ("9 importiert, 0 übersprungen, 0 abgelehnt; gespeichert: 1 Korrekturzeile, 5 Rechnungszeilen, "
                       "5 Auszahlungszeilen, 5 Belegzeilen, 3 Belege, 9 Kontoauszugszeilen")
    assert main(["import", "--db", _db(tmp_path), str(SAMPLES / "payout_AZ-2026-000030.csv")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == ("0 importiert, 1 übersprungen, 0 abgelehnt; "
                                                        "gespeichert: keine Zeilen")


def test_rejected_file_prints_file_line_field_reason_to_stderr_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes((SAMPLES / "payout_AZ-2026-000030.csv").read_bytes().replace(b"249,00", b"249,0O"))
    assert main(["import", "--db", _db(tmp_path), str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"{bad}:3: field 'Betrag': kein Betrag: '249,0O' (erwartet z. B. 1.234,56)"]
    assert "0 importiert, 0 übersprungen, 1 abgelehnt" in captured.out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--db", _db(tmp_path), str(tmp_path / "nope.csv")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["reconcile", "--db", _db(tmp_path), "--as-of", "2026-13-01"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", "--db", _db(tmp_path), "--kind", "bank", str(SAMPLES)])
    assert exc.value.code == 2


@pytest.mark.usefixtures("english")  # the contract's English messages
def test_samples_reconcile_clean_then_late_with_exact_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path)
    assert main(["import", "--db", db, str(SAMPLES)]) == 0
    out = tmp_path / "clean.json"
    assert main(["reconcile", "--db", db, "--as-of", "2026-11-24", "--json", str(out)]) == 0
    clean = json.loads(out.read_text(encoding="utf-8"))
    assert clean["discrepancies"] == []
    assert {k: clean["totals"][k] for k in ("sales_gross", "refunds_gross", "invoiced_commission_gross",
                                            "expected_commission_gross", "invoiced_base_fee_gross",
                                            "corrections_gross", "payouts_total", "invoiced_net_to_seller")} == {
        "sales_gross": "423.90", "refunds_gross": "249.00", "invoiced_commission_gross": "92.05",
        "expected_commission_gross": "92.05", "invoiced_base_fee_gross": "118.88", "corrections_gross": "-60.48",
        "payouts_total": "-37.16", "invoiced_net_to_seller": "23.32",
    }
    late = tmp_path / "late.json"
    assert main(["reconcile", "--db", db, "--as-of", "2026-12-01", "--json", str(late)]) == 0
    assert "BASE_FEE_MISMATCH" in capsys.readouterr().out
    result = json.loads(late.read_text(encoding="utf-8"))
    assert result["as_of"] == "2026-12-01"
    assert result["discrepancies"] == [
        {"kind": "BASE_FEE_MISMATCH", "order_number": None, "position_item_id": None, "document_number": None,
         "document_date": "2026-12-01", "expected": "99.90", "actual": "0.00", "difference": "-99.90",
         "in_favour_of": "seller", "evidence": [], "message": "no base fee invoice for 2026-12 (expected 99.90 net)"},
        {"kind": "SETTLEMENT_MISSING", "order_number": None, "position_item_id": None,
         "document_number": "PK-2026-000007", "document_date": "2026-11-06", "expected": "60.48", "actual": "0.00",
         "difference": "-60.48", "in_favour_of": "OTTO",
         "evidence": [{"file": "correction_PK-2026-000007.csv", "line": 2,
                       "sha256": result["discrepancies"][1]["evidence"][0]["sha256"]}],
         "message": "Provisionskorrektur PK-2026-000007 (60.48) was due on 2026-11-20 and should have been settled "
                    "on 2026-11-26, but is in no payout"},
    ]


def test_period_filter_keeps_findings_of_documents_dated_inside(tmp_path: Path) -> None:
    db = _db(tmp_path)
    main(["import", "--db", db, str(SAMPLES)])
    out = tmp_path / "r.json"
    main(["reconcile", "--db", db, "--as-of", "2026-12-01", "--from", "2026-12-01", "--to", "2026-12-31",
          "--json", str(out)])
    assert [d["kind"] for d in json.loads(out.read_text())["discrepancies"]] == ["BASE_FEE_MISMATCH"]


def test_fees_file_errors_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fees = tmp_path / "fees.toml"
    fees.write_text('[[commission]]\ncategory = "Möbel"\nrate = 15.5\nvalid_from = "2026-01-01"\n', encoding="utf-8")
    assert main(["reconcile", "--db", _db(tmp_path), "--fees", str(fees)]) == 2
    assert capsys.readouterr().err.strip() == (
        'recon reconcile: fees.toml: [[commission]] Eintrag 1: Beträge und Sätze in Anführungszeichen schreiben '
        '("15.00"), nicht als TOML-Kommazahl')


def test_fees_save_refuses_a_bad_file_in_german_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _db(tmp_path)
    main(["import", "--db", db, str(SAMPLES)])
    overlap = tmp_path / "overlap.toml"
    overlap.write_text('[[base_fee]]\nnet = "99.90"\nvalid_from = "2026-01-01"\n'
                       '[[base_fee]]\nnet = "89.90"\nvalid_from = "2026-06-01"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["fees", "--db", db, "save", str(overlap)]) == 2
    assert capsys.readouterr().err.strip() == (
        "recon fees: overlap.toml: zwei Einträge base_fee überschneiden sich (01.01.2026 und 01.06.2026)")
    assert main(["fees", "--db", db, "save", str(tmp_path / "fehlt.toml")]) == 2
    assert capsys.readouterr().err.strip() == f"recon fees: {tmp_path / 'fehlt.toml'}: nicht lesbar: keine solche Datei"
    assert main(["fees", "--db", db, "versions"]) == 0
    assert capsys.readouterr().out.strip() == "keine gespeicherten Versionen: es gilt die Referenztabelle"


def test_fees_versions_are_saved_never_overwritten_and_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path)
    main(["import", "--db", db, str(SAMPLES)])
    capsys.readouterr()
    assert main(["fees", "--db", db, "versions"]) == 0
    assert capsys.readouterr().out.strip() == "keine gespeicherten Versionen: es gilt die Referenztabelle"
    contract = tmp_path / "contract.toml"
    contract.write_text('[[commission]]\ncategory = "Schmuck"\nrate = "20.00"\nvalid_from = "2026-01-01"\n',
                        encoding="utf-8")
    assert main(["fees", "--db", db, "save", str(contract), "--label", "Vertrag 2026"]) == 0
    assert main(["fees", "--db", db, "save", str(contract)]) == 0
    capsys.readouterr()
    main(["fees", "--db", db, "versions"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["2", "1"]
    assert lines[0].endswith("contract.toml") and lines[1].endswith("Vertrag 2026")
    out = tmp_path / "r.json"
    main(["reconcile", "--db", db, "--as-of", "2026-11-24", "--json", str(out)])
    found = json.loads(out.read_text())["discrepancies"]
    assert [(d["kind"], d["expected"], d["actual"]) for d in found] == [("COMMISSION_MISMATCH", "49.80", "50.82")]
    main(["fees", "--db", db, "show", "--on", "2026-06-01"])
    shown = [line for line in capsys.readouterr().out.splitlines() if "Schmuck" in line]
    assert len(shown) == 1 and " 20 % " in shown[0]
    assert "[gespeicherte Gebührentabelle Version 2 (contract.toml)]" in shown[0]
