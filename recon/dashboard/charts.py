"""The overview's weekly chart. Amounts become floats here for drawing only; every number a person reads
(tooltips, axis labels) is German text made from the Decimal values or formatted with a German locale."""

from __future__ import annotations

import altair as alt
import polars as pl

from recon.ui.fmt import date_de, eur

SERIES = {"sales_gross": "Sales", "fees_gross": "Fees invoiced", "payouts_total": "Payouts"}
COLOURS = ["#2e7d32", "#c62828", "#1565c0"]


def weekly_long(weekly: pl.DataFrame) -> pl.DataFrame:
    """week x series rows with a float for the bar and the exact German text for the tooltip."""
    rows = []
    for record in weekly.iter_rows(named=True):
        for column, label in SERIES.items():
            value = record[column]
            rows.append((record["week"], date_de(record["week"]), label, float(value), eur(value)))
    return pl.DataFrame(rows, orient="row", schema={
        "week": pl.Date, "week_label": pl.String, "series": pl.String, "eur": pl.Float64, "amount": pl.String})


def german_locale() -> alt.Locale:
    """Vega's d3 locale for de-DE: decimal comma, dot for thousands, euro after the number."""
    return alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["", " €"]))


def weekly_chart(weekly: pl.DataFrame) -> alt.Chart:
    data = weekly_long(weekly)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week_label:N", title="Week starting", sort=None, axis=alt.Axis(labelAngle=-45)),
            xOffset=alt.XOffset("series:N", sort=list(SERIES.values())),
            y=alt.Y("eur:Q", title="EUR (gross)", axis=alt.Axis(format=",.0f")),
            color=alt.Color("series:N", title=None, sort=list(SERIES.values()),
                            scale=alt.Scale(domain=list(SERIES.values()), range=COLOURS),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("week_label:N", title="Week"), alt.Tooltip("series:N", title="Series"),
                     alt.Tooltip("amount:N", title="Amount")],
        )
        .properties(height=320)
    )
    configured: alt.Chart = chart.configure(locale=german_locale())
    return configured
