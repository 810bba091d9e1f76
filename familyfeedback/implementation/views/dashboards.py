import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from familyfeedback import reporting
from familyfeedback.accounts import rate_limits
from familyfeedback.implementation import dashboard
from familyfeedback.implementation.access import dashboard_teams
from familyfeedback.implementation.forms import period_asked
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.spreadsheet import csv_cell, xlsx_append

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@reporting.reads()
def dashboards(request: HttpRequest) -> HttpResponse:
    teams = list(dashboard_teams(request.user))
    period = period_asked(request.GET, timezone.localdate())
    counted = dashboard.counts(teams, period.start, period.end)
    return render(request, "implementation/dashboards.html", {
        "teams": teams, "form": period.form, "start": period.start, "end": period.end,
        "tables": dashboard.build(teams, period.start, period.end, counted=counted),
        "refreshed": counted.refreshed,
        "errors": error_summary(period.form), "query": period.query,
    })


@require_safe
@rate_limits.limited("export")
@reporting.reads()
def download(request: HttpRequest, key: str, kind: str) -> HttpResponse:
    teams = list(dashboard_teams(request.user))
    period = period_asked(request.GET, timezone.localdate())
    start, end = period.start, period.end
    if key not in dashboard.KEYS or period.form.errors or kind not in ("csv", "xlsx"):
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
