import csv
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.board.permissions import is_engineer_of
from orangefriday.feedback.charts import histogram, line_chart

from .queries import Insights, Series, product_insights

# Counts are columns; rates and times are lines on a fixed scale where there is one.
COLUMNS = {"fans", "posts", "votes", "adopted"}
TOPS = {"solved": 100.0, "stability": 10.0, "few-readers": 100.0}
# Wider than the results page's charts: twelve weeks' labels side by side.
WIDTH = 600


def chart_of(series: Series) -> tuple[str, Any]:
    """The chart's kind ("columns" or "line") and its shape (feedback.charts)."""
    rows = series.short_rows
    if series.key in COLUMNS:
        return "columns", histogram(
            [label for label, _ in rows], [int(v or 0) for _, v in rows], width=WIDTH
        )
    present = [v for _, v in rows if v is not None]
    top = TOPS.get(series.key) or max([*present, 1.0]) * 1.25
    return "line", line_chart(rows, top=top, width=WIDTH)


def _insights(request: HttpRequest, slug: str) -> Insights:
    product = get_object_or_404(Product, slug=slug)
    engineer = isinstance(request.user, User) and is_engineer_of(request.user, product)
    return product_insights(product, now=timezone.now(), engineer=engineer)


def insights(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's insights, public; its engineers see more."""
    found = _insights(request, slug)
    context = {
        "product": found.product,
        "insights": found,
        "charts": [(series, *chart_of(series)) for series in found.series],
    }
    return render(request, "insights/insights.html", context)


def insights_csv(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """One chart's figures as CSV (an engineers' chart is not found by others)."""
    series = _insights(request, slug).chart(key)
    if series is None:
        raise Http404("No such chart.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{key}.csv"'
    writer = csv.writer(response)
    writer.writerow([series.axis, series.unit])
    for label, value in series.rows:
        writer.writerow([label, "" if value is None else value])
    return response
