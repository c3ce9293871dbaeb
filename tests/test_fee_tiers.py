"""Tiered commissions: the marginal sum by hand, the fee-table syntax, and the errors a bad tier list gets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from recon.fees.table import FeeTableError, load_fee_table
from recon.fees.tiers import Tier, TierPart, commission_with_vat, effective_rate, tier_parts, tiered_commission

SCHMUCK = (Tier(D("100.00"), D("22.00")), Tier(D("200.00"), D("20.00")), Tier(None, D("18.00")))
BEKLEIDUNG = (Tier(D("25.00"), D("17.00")), Tier(D("50.00"), D("16.00")), Tier(D("75.00"), D("15.00")),
              Tier(None, D("14.00")))
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_issues_example_150_euro_of_jewellery() -> None:
    # 22 % of 100.00 + 20 % of 50.00 = 22.00 + 10.00
    assert tier_parts(D("150.00"), SCHMUCK) == [TierPart(D("22.00"), D("100.00")), TierPart(D("20.00"), D("50.00"))]
    assert tiered_commission(D("150.00"), SCHMUCK) == D("32.00")


def test_exactly_on_a_bound_stays_in_the_lower_tier() -> None:
    assert tier_parts(D("100.00"), SCHMUCK) == [TierPart(D("22.00"), D("100.00"))]
    assert tiered_commission(D("100.00"), SCHMUCK) == D("22.00")
    assert commission_with_vat(D("22.00"), D("19.00")) == (D("4.18"), D("26.18"))
    # 4.25 + 4.00 + 3.75
    assert tiered_commission(D("75.00"), BEKLEIDUNG) == D("12.00")


def test_one_cent_above_a_bound_puts_only_that_cent_in_the_next_tier() -> None:
    # 22.00 + 20 % of 0.01 = 22.002 -> 22.00 (a rate picked by price, 20 % of 100.01, would be 20.00)
    assert tier_parts(D("100.01"), SCHMUCK) == [TierPart(D("22.00"), D("100.00")), TierPart(D("20.00"), D("0.01"))]
    assert tiered_commission(D("100.01"), SCHMUCK) == D("22.00")
    # 22.00 + 20.00 + 18 % of 0.01 = 42.0018 -> 42.00
    assert tiered_commission(D("200.01"), SCHMUCK) == D("42.00")
    # 4.25 + 4.00 + 3.75 + 14 % of 0.01 = 12.0014 -> 12.00
    assert tiered_commission(D("75.01"), BEKLEIDUNG) == D("12.00")
    # 4.25 + 16 % of 0.03 = 4.2548 -> 4.25; one more euro: 4.25 + 16 % of 1.03 = 4.4148 -> 4.41
    assert tiered_commission(D("25.03"), BEKLEIDUNG) == D("4.25")
    assert tiered_commission(D("26.03"), BEKLEIDUNG) == D("4.41")


def test_a_discounted_item_is_tiered_on_its_price_after_the_discount() -> None:
    # listed 230.00 (22 + 20 + 18 % of 30 = 47.40), sold at 190.00 after a 40.00 partner discount:
    # 22 % of 100 + 20 % of 90 = 22.00 + 18.00 = 40.00; VAT 7.60
    assert tiered_commission(D("230.00"), SCHMUCK) == D("47.40")
    sold = D("230.00") - D("40.00")
    assert tier_parts(sold, SCHMUCK) == [TierPart(D("22.00"), D("100.00")), TierPart(D("20.00"), D("90.00"))]
    assert tiered_commission(sold, SCHMUCK) == D("40.00")
    assert commission_with_vat(D("40.00"), D("19.00")) == (D("7.60"), D("47.60"))


def test_the_sum_is_rounded_once_not_per_tier() -> None:
    tiers = (Tier(D("0.05"), D("5.00")), Tier(None, D("25.00")))
    # 5 % of 0.05 = 0.0025 and 25 % of 0.01 = 0.0025: each alone rounds to 0.00, their sum 0.005 to 0.01
    assert tiered_commission(D("0.06"), tiers) == D("0.01")
    # VAT half-up on the rounded net: 19 % of 12.50 = 2.375 -> 2.38
    assert commission_with_vat(D("12.50"), D("19.00")) == (D("2.38"), D("14.88"))


def test_effective_rate_for_the_invoice_column() -> None:
    assert effective_rate(D("32.00"), D("150.00")) == D("21.33")
    assert effective_rate(D("0.00"), D("0.00")) is None


def test_a_tier_schedule_starting_mid_week_is_chosen_by_the_german_shipping_day() -> None:
    table = load_fee_table()
    # 2024-10-01 is a Tuesday: Monday's and Tuesday's shipments land on the same weekly invoice (Wed 2024-10-02).
    before = datetime(2024, 9, 30, 21, 30, tzinfo=ZoneInfo("UTC")).astimezone(BERLIN).date()  # 23:30 Monday
    after = datetime(2024, 9, 30, 22, 30, tzinfo=ZoneInfo("UTC")).astimezone(BERLIN).date()  # 00:30 Tuesday
    assert (before, after) == (date(2024, 9, 30), date(2024, 10, 1))
    monday = table.lookup("commission", before, "Schmuck")
    tuesday = table.lookup("commission", after, "Schmuck")
    assert monday is not None and tuesday is not None
    assert (monday.value, monday.tiers) == (D("21.00"), ())
    assert tuesday.value is None and tuesday.tiers == SCHMUCK
    assert monday.commission_on(D("150.00")) == D("31.50")  # 21 % of 150
    assert tuesday.commission_on(D("150.00")) == D("32.00")  # 22 % of 100 + 20 % of 50


def test_a_tiered_category_keeps_its_flat_rate_before_the_tiers_start() -> None:
    table = load_fee_table()
    flat = table.lookup("commission", date(2024, 9, 30), "Uhren")
    tiered = table.lookup("commission", date(2024, 10, 1), "Uhren")
    assert flat is not None and tiered is not None
    assert flat.commission_on(D("300.00")) == D("48.00")  # 16 % of 300
    assert tiered.commission_on(D("300.00")) == D("52.00")  # 18 % of 250 + 14 % of 50 = 45.00 + 7.00
    assert tiered.commission_on(D("250.00")) == D("45.00")
    with pytest.raises(ValueError, match="tiered: it has no single rate"):
        _ = tiered.rate


def test_an_override_can_write_tiers_in_the_issues_syntax() -> None:
    table = load_fee_table("""
[[commission]]
category = "Möbel"
valid_from = "2026-01-01"
tiers = [{up_to = "100.00", rate = "20.00"}, {rate = "10.00"}]
""", "contract.toml")
    entry = table.lookup("commission", date(2026, 3, 1), "Möbel")
    assert entry is not None and entry.origin == "contract.toml"
    assert entry.commission_on(D("250.00")) == D("35.00")  # 20.00 + 15.00
    before = table.lookup("commission", date(2025, 12, 31), "Möbel")
    assert before is not None and before.value == D("16.00") and before.origin == "reference"
    tiers = table.tier_schedule().filter(category="Möbel").select("tier", "lower", "upper", "rate").rows()
    assert tiers == [(1, D("0.00"), D("100.00"), D("20.0000")), (2, D("100.00"), None, D("10.0000"))]


BAD = [
    ('tiers = [{up_to = "100.00", rate = "22.00"}, {up_to = "50.00", rate = "20.00"}, {rate = "18.00"}]',
     "Stufe 2: up_to 50.00 steigt nicht an (Stufe 1 endet bei 100.00)"),
    ('tiers = [{up_to = "100.00", rate = "22.00"}, {up_to = "100.00", rate = "20.00"}, {rate = "18.00"}]',
     "Stufe 2: up_to 100.00 steigt nicht an (Stufe 1 endet bei 100.00)"),
    ('tiers = [{up_to = "100.00", rate = "22.00"}, {up_to = "200.00", rate = "20.00"}]',
     "Stufe 2: die letzte Stufe muss offen sein (ohne 'up_to'), damit jeder Preis einen Satz hat"),
    ('tiers = [{rate = "22.00"}, {up_to = "200.00", rate = "20.00"}, {rate = "18.00"}]',
     "Stufe 1: nur die letzte Stufe darf offen sein (ohne 'up_to')"),
    ("tiers = []", "'tiers' ist leer"),
    ('tiers = [{up_to = "100.00"}, {rate = "18.00"}]', "Stufe 1: braucht eine 'rate'"),
    ('tiers = [{up_to = "100.00", rate = "22.00", ab = "0"}, {rate = "18.00"}]',
     "Stufe 1: unbekannte(r) Schlüssel ab"),
    ('tiers = [{up_to = 100.0, rate = "22.00"}, {rate = "18.00"}]',
     "Stufe 1: up_to: Beträge und Sätze in Anführungszeichen schreiben (\"15.00\"), nicht als TOML-Kommazahl"),
    ('tiers = [{up_to = "100.005", rate = "22.00"}, {rate = "18.00"}]',
     "Stufe 1: up_to 100.005 ist kein Betrag in ganzen Cent"),
    ('tiers = [{up_to = "0.00", rate = "22.00"}, {rate = "18.00"}]', "Stufe 1: up_to 0.00 muss größer als 0 sein"),
    ('tiers = [{up_to = "100.00", rate = "122.00"}, {rate = "18.00"}]',
     "Stufe 1: rate 122.00 liegt nicht zwischen 0 und 100"),
    ('tiers = [{rate = "18.00"}]\nrate = "18.00"', "hat 'rate' und 'tiers'; schreiben Sie nur eines davon"),
    ('tiers = "22 % bis 100"',
     "'tiers' muss eine Liste von Tabellen sein wie {up_to = \"100.00\", rate = \"22.00\"}"),
]

BAD_ENGLISH = [
    ('tiers = [{up_to = "100.00", rate = "22.00"}, {up_to = "50.00", rate = "20.00"}, {rate = "18.00"}]',
     "tier 2: up_to 50.00 does not ascend (tier 1 ends at 100.00)"),
    ('tiers = [{up_to = 100.0, rate = "22.00"}, {rate = "18.00"}]',
     "tier 1: up_to: write amounts and rates as strings (\"15.00\"), not as TOML floats"),
    ('tiers = [{up_to = "100.00", rate = "22.00", from = "0"}, {rate = "18.00"}]', "tier 1: unknown key(s) from"),
]


def _two_entries(tiers: str) -> str:
    return f"""
[[commission]]
category = "Möbel"
rate = "16.00"
valid_from = "2025-01-01"
valid_to = "2025-12-31"

[[commission]]
category = "Schmuck"
valid_from = "2026-01-01"
{tiers}
"""


@pytest.mark.parametrize(("tiers", "problem"), BAD)
def test_a_bad_tier_list_is_rejected_naming_file_entry_and_problem(tiers: str, problem: str) -> None:
    with pytest.raises(FeeTableError) as raised:
        load_fee_table(_two_entries(tiers), "contract.toml")
    assert str(raised.value) == f"contract.toml: [[commission]] Eintrag 2 (Schmuck, ab 01.01.2026): {problem}"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("tiers", "problem"), BAD_ENGLISH)
def test_a_bad_tier_list_is_rejected_in_english_with_recon_lang_en(tiers: str, problem: str) -> None:
    with pytest.raises(FeeTableError) as raised:
        load_fee_table(_two_entries(tiers), "contract.toml")
    assert str(raised.value) == f"contract.toml: [[commission]] entry 2 (Schmuck, from 2026-01-01): {problem}"


def test_a_commission_entry_without_rate_or_tiers_says_it_needs_one() -> None:
    with pytest.raises(FeeTableError) as raised:
        load_fee_table('[[commission]]\ncategory = "Möbel"\nvalid_from = "2026-01-01"\n', "contract.toml")
    assert str(raised.value) == "contract.toml: [[commission]] Eintrag 1: braucht 'rate' oder 'tiers' und 'valid_from'"


def test_shipping_commission_per_delivery_cost_type_when_the_table_has_one() -> None:
    parts = {"DELIVERY_FEE_STANDARD": D("5.95"), "DELIVERY_FEE_FREIGHT_SURCHARGE": D("34.00")}
    reference = load_fee_table()
    # the reference's freight rate equals the general 16 %: 16 % of 39.95 = 6.392 -> 6.39
    assert reference.shipping_commission_on(parts, date(2025, 1, 1)) == D("6.39")
    contract = load_fee_table("""
[[shipping_commission]]
delivery_cost_type = "DELIVERY_FEE_FREIGHT_SURCHARGE"
rate = "20.00"
valid_from = "2025-01-01"
""", "contract.toml")
    # 16 % of 5.95 = 0.952 plus 20 % of 34.00 = 6.80: 7.752 -> 7.75 (rounded once)
    assert contract.shipping_commission_on(parts, date(2025, 1, 1)) == D("7.75")
    # before the contract's entry, the reference's 16 % for both
    assert contract.shipping_commission_on(parts, date(2024, 12, 31)) == D("6.39")
    # a standard-only order is untouched: 16 % of 5.95 = 0.952 -> 0.95
    assert contract.shipping_commission_on({"DELIVERY_FEE_STANDARD": D("5.95")}, date(2025, 1, 1)) == D("0.95")
    assert "DELIVERY_FEE_FREIGHT_SURCHARGE" not in contract.categories()
