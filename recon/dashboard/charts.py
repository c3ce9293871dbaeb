"""The overview's weekly chart. Amounts become floats here for drawing only; every number a person reads
(tooltips, axis labels) is German text made from the Decimal values or formatted with a German locale."""

from __future__ import annotations

import altair as alt
import polars as pl

from recon import i18n
from recon.ui.fmt import date_de, eur

SERIES = ("sales_gross", "fees_gross", "payouts_total")
COLOURS = ["#2e7d32", "#c62828", "#1565c0"]


def weekly_long(weekly: pl.DataFrame) -> pl.DataFrame:
    """week x series rows with a float for the bar and the exact German text for the tooltip."""
    rows = []
    labels = series_labels()
    for record in weekly.iter_rows(named=True):
        for column, label in labels.items():
            value = record[column]
            rows.append((record["week"], date_de(record["week"]), label, float(value), eur(value)))
    return pl.DataFrame(rows, orient="row", schema={
        "week": pl.Date, "week_label": pl.String, "series": pl.String, "eur": pl.Float64, "amount": pl.String})


def series_labels() -> dict[str, str]:
    return {column: i18n.t(f"ui.chart.{column}") for column in SERIES}


def german_locale() -> alt.Locale:
    """Vega's d3 locale for de-DE: decimal comma, dot for thousands, euro after the number."""
    return alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["", " €"]))


def weekly_chart(weekly: pl.DataFrame) -> alt.Chart:
    data = weekly_long(weekly)
    names = list(series_labels().values())
    t = i18n.t
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week_label:N", title=t("ui.chart.week_starting"), sort=None, axis=alt.Axis(labelAngle=-45)),
            xOffset=alt.XOffset("series:N", sort=names),
            y=alt.Y("eur:Q", title=t("ui.chart.eur_gross"), axis=alt.Axis(format=",.0f")),
            color=alt.Color("series:N", title=None, sort=names, scale=alt.Scale(domain=names, range=COLOURS),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("week_label:N", title=t("ui.chart.week")),
                     alt.Tooltip("series:N", title=t("ui.chart.series")),
                     alt.Tooltip("amount:N", title=t("ui.chart.amount"))],
        )
        .properties(height=320)
    )
    configured: alt.Chart = chart.configure(locale=german_locale()) if i18n.lang() == "de" else chart
    return configured
