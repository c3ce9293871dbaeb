"""The catalogue: both languages carry the same keys with the same placeholders; formats per language."""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import Decimal

import pytest

from recon import i18n


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    de, en = i18n.catalogue("de"), i18n.catalogue("en")
    assert sorted(set(de) ^ set(en)) == []
    wrong = [key for key in de if _fields(de[key]) != _fields(en[key])]
    assert wrong == []


def test_german_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECON_LANG", raising=False)
    assert i18n.lang() == "de"
    assert i18n.t("common.none") == "keine"
    monkeypatch.setenv("RECON_LANG", "en")
    assert i18n.t("common.none") == "none"
    monkeypatch.setenv("RECON_LANG", "fr")
    assert i18n.lang() == "de"


def test_missing_key_raises() -> None:
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


def test_formats() -> None:
    assert i18n.money(Decimal("1306.885"), "de") == "1.306,89 €"
    assert i18n.money(Decimal("-1306.8"), "en") == "-EUR 1,306.80"
    assert i18n.number(Decimal("1234567.5"), 2, "de") == "1.234.567,50"
    assert i18n.percent(Decimal("15.00"), "de") == "15 %"
    assert i18n.percent(Decimal("14.50"), "de") == "14,5 %"
    assert i18n.percent(Decimal("14.50"), "en") == "14.5%"
    assert i18n.day(date(2026, 9, 5), "de") == "05.09.2026"
    assert i18n.day(date(2026, 9, 5), "en") == "2026-09-05"
    assert i18n.day(datetime(2026, 9, 5, 7, 3), "de") == "05.09.2026 07:03"
    assert i18n.money(None) == "–"
