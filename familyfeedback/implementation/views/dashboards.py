import csv
import io
from datetime import date, timedelta

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from familyfeedback.implementation import dashboard
from familyfeedback.implementation.access import dashboard_teams
from familyfeedback.lib.dateinput import DatePartsField
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.spreadsheet import csv_cell, xlsx_append

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    start = DatePartsField(subject="The start date", required=False)
    end = DatePartsField(subject="The end date", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned


def default_period(today: date) -> tuple[date, date]:
    """The last six whole months and this one so far."""
    first = today.replace(day=1)
    for _ in range(6):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    """The period asked for, or the default one when none is asked for or it is wrong (the
    form then carries the message and what was typed)."""
    start, end = default_period(timezone.localdate())
    form = PeriodForm(request.GET if "start-year" in request.GET else None,
                      initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


@require_safe
def dashboards(request: HttpRequest) -> HttpResponse:
    teams = list(dashboard_teams(request.user))
    form, start, end = _period(request)
    return render(request, "implementation/dashboards.html", {
        "teams": teams, "form": form, "start": start, "end": end,
        "tables": dashboard.build(teams, start, end, with_alerts="alerts" in request.GET),
        "alerts_shown": "alerts" in request.GET,
        # The download links are for the period shown: the default one when the typed is wrong.
        "errors": error_summary(form), "query": "" if form.errors else request.GET.urlencode(),
    })


@require_safe
def download(request: HttpRequest, key: str, kind: str) -> HttpResponse:
    teams = list(dashboard_teams(request.user))
    form, start, end = _period(request)
    if key not in dashboard.KEYS or form.errors or kind not in ("csv", "xlsx"):
        raise Http404("No such table")
    table = dashboard.build(teams, start, end, only=key)[0]
    name = f"{key}-{start.isoformat()}-to-{end.isoformat()}"
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(table.headers)
        writer.writerows([csv_cell(value) for value in row] for row in table.rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        # Imported here: openpyxl is slow to load and only an Excel download needs it.
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = key[:31]
        sheet.append(table.headers)
        for row in table.rows:
            xlsx_append(sheet, row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
