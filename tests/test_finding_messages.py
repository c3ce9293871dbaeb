"""Finding messages come from the catalogue: German by default with German amounts, rates and dates,
English with RECON_LANG=en (the contract's sentences, asserted in tests/test_engine_cases.py)."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest

from recon import i18n
from recon.engine import checks, messages
from recon.store import Database
from tests.casebook import Case, berlin
from tests.test_engine_cases import _thursday_case, _two_shipments


@pytest.fixture(autouse=True)
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECON_LANG", raising=False)


def test_contract_example_in_german(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    case.sale("ORD-1", "P1", "119.00", berlin(2026, 10, 29, 10, 15))
    case.charge("PR-2026-000042", date(2026, 11, 4), "ORD-1", "P1", berlin(2026, 10, 29, 10, 15), "119.00",
                rate="18")
    [d] = case.run(db, as_of=date(2026, 11, 10)).discrepancies
    assert d.message == "Provision 15 % von 119,00 € erwartet 17,85 €, berechnet 21,42 € (zu 18 %)"


def test_settlement_messages_in_german(db: Database, tmp_path: Path) -> None:
    result = _thursday_case(tmp_path, settle_first=False).run(db, as_of=date(2026, 11, 19))
    assert [d.message for d in result.discrepancies] == [
        "Kaufbeleg R-ORD-1-1 (80,00 €) war am 19.11.2026 fällig und hätte am 19.11.2026 ausgeglichen werden "
        "sollen, steht aber in keiner Auszahlung",
        "Auszahlung AZ-1 gleicht Kaufbeleg R-ORD-9-9 (1,00 €) aus, einen Beleg, der nie importiert wurde",
    ]


def test_shipping_charged_again_in_german(db: Database, tmp_path: Path) -> None:
    [d] = _two_shipments(tmp_path, charge_twice=True).run(db, as_of=date(2026, 11, 12)).discrepancies
    assert d.message == "Versand des Auftrags ORD-1 erneut berechnet (0,95 € netto); zuerst berechnet in PR-1"


def test_base_fee_messages_in_german(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    case.base_fee("GG-2026-09", date(2026, 9, 1))
    case.base_fee("GG-2026-10", date(2026, 10, 1))
    case.base_fee("GG-2026-10-B", date(2026, 10, 1))
    result = case.run(db, as_of=date(2026, 11, 2))
    assert [d.message for d in result.discrepancies if d.kind == "BASE_FEE_MISMATCH"] == [
        "Grundgebühr für 10.2026 erneut berechnet (39,90 € netto)",
        "keine Grundgebühr-Rechnung für 11.2026 (erwartet 39,90 € netto)"]


def test_the_same_finding_in_english(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    [d] = _two_shipments(tmp_path, charge_twice=True).run(db, as_of=date(2026, 11, 12)).discrepancies
    assert d.message == "shipping of order ORD-1 charged again (0.95 net); first charged in PR-1"


def test_render_formats_each_parameter_for_its_language() -> None:
    params = {"rate": "15.0000", "base": "1306.9", "expected": "-0.5", "day": "2026-09-05", "month": "2026-09-01",
              "category": None}
    template = "{rate}|{base}|{expected}|{day}|{month}|{category}"
    assert messages.render(template, params, "de") == "15 %|1.306,90 €|-0,50 €|05.09.2026|09.2026|"
    assert messages.render(template, params, "en") == "15|1306.90|-0.50|2026-09-05|2026-09|"
    with pytest.raises(KeyError, match="'colour' has no type"):
        messages.render("{colour}", {"colour": "red"}, "de")


def test_every_message_template_uses_typed_parameters_only() -> None:
    typed = (messages.AMOUNTS | messages.RATES | messages.DAYS | messages.MONTHS | messages.TEXTS
             | messages.TOTALS_CATEGORIES)
    for language in i18n.LANGUAGES:
        templates = {k: v for k, v in i18n.catalogue(language).items()
                     if k.startswith("finding.") and ".message." in k}
        assert {k.split(".")[1] for k in templates} == set(checks.kinds())
        for key, text in templates.items():
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert names <= typed, (language, key, names - typed)


def test_the_json_message_is_german_by_default_and_the_kind_stays_a_code(db: Database, tmp_path: Path) -> None:
    from recon.engine.output import discrepancy_dict

    case = Case(tmp_path)
    case.sale("ORD-1", "P1", "119.00", berlin(2026, 10, 29, 10, 15))
    case.charge("PR-2026-000042", date(2026, 11, 4), "ORD-1", "P1", berlin(2026, 10, 29, 10, 15), "119.00",
                rate="18")
    [d] = case.run(db, as_of=date(2026, 11, 10)).discrepancies
    shown = discrepancy_dict(d)
    assert (shown["kind"], shown["expected"], shown["actual"]) == ("COMMISSION_MISMATCH", "17.85", "21.42")
    assert shown["message"] == "Provision 15 % von 119,00 € erwartet 17,85 €, berechnet 21,42 € (zu 18 %)"
