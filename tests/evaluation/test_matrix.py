"""The framework matrix: participants by themes, each cell an evaluator's summary with the
passages coded there; filtered by research question, arm and role; downloaded as a workbook
with the same filters; edited without overwriting a colleague; evaluators' alone."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from familyfeedback.accounts.models import AuditEntry, Role
from familyfeedback.evaluation import presenters
from familyfeedback.evaluation.models import MatrixCell, Theme
from tests import factories
from tests.edit_pages import opened, version_in
from tests.evaluation.matrix_data import qualitative_trial


@pytest.fixture
def qual(world):
    return qualitative_trial(world.evaluator)


@pytest.fixture
def evaluator(world, client):
    client.force_login(world.evaluator)
    return client


def whole(qual, **filters):
    return presenters.framework_matrix(qual.trial, {**presenters.NO_FILTERS, **filters},
                                       with_text=True)


def grid(matrix) -> dict[str, list[tuple[str, int]]]:
    """Each row's participant and, in column order, each cell's (summary, excerpts)."""
    return {row["participant"]["code"]: [(c["summary"], c["excerpts"]) for c in row["cells"]]
            for row in matrix["rows"]}


# The presenter's shape -------------------------------------------------------------------------

def test_the_matrix_has_a_row_per_interviewed_participant_and_its_themes_grouped(qual, world):
    MatrixCell.objects.create(trial=qual.trial, participant=qual.p001, theme=qual.barriers,
                              summary="Short of time; unsure at first.")
    matrix = whole(qual)
    assert [c["heading"] for c in matrix["columns"]] == [
        "Barriers", "Barriers: Confidence", "Barriers: Time", "Family engagement"]
    assert [c["label"] for c in matrix["columns"]] == [
        "The theme as a whole", "Confidence", "Time", "The theme as a whole"]
    assert matrix["groups"] == [{"name": "Barriers", "span": 3},
                                {"name": "Family engagement", "span": 1}]
    # P003 has no document and no summary: no row. The passage both evaluators coded under
    # Time is one excerpt.
    assert grid(matrix) == {
        "P001": [("Short of time; unsure at first.", 0), ("", 1), ("", 1), ("", 0)],
        "P002": [("", 0), ("", 0), ("", 0), ("", 1)]}
    assert matrix["rows"][0]["participant"] == {
        "pk": qual.p001.pk, "code": "P001", "role": "Family support worker",
        "team": "North 1", "arm": "Intervention"}
    time = next(p for p in matrix["passages"] if p.theme_id == qual.time.pk)
    assert (time.text, time.document, time.coders) == (qual.time_passage,
                                                       "Interview with P001", 2)


def test_a_participant_with_a_summary_but_no_document_has_a_row(qual):
    MatrixCell.objects.create(trial=qual.trial, participant=qual.p003, theme=qual.engagement,
                              summary="Observed only.")
    assert grid(whole(qual))["P003"] == [("", 0), ("", 0), ("", 0), ("Observed only.", 0)]


def test_a_long_summary_is_shortened_in_the_matrix_at_a_word(qual):
    words = "word " * 100
    MatrixCell.objects.create(trial=qual.trial, participant=qual.p001, theme=qual.time,
                              summary=words)
    cell = whole(qual)["rows"][0]["cells"][2]
    assert cell["summary"] == words
    assert cell["short"].endswith("word…") and len(cell["short"]) <= presenters.SHORT_SUMMARY + 1


def test_the_page_counts_the_excerpts_without_reading_the_documents_text(qual):
    matrix = presenters.framework_matrix(qual.trial, presenters.NO_FILTERS)
    assert {p.text for p in matrix["passages"]} == {""}
    assert grid(matrix)["P001"] == [("", 0), ("", 1), ("", 1), ("", 0)]


# Filters ---------------------------------------------------------------------------------------

def test_a_research_question_shows_its_themes_and_their_sub_themes(qual):
    one_one = qual.trial.questions_asked.get(number="1.1")
    assert [c["heading"] for c in whole(qual, question=one_one)["columns"]] == [
        "Barriers", "Barriers: Confidence", "Barriers: Time"]


def test_a_sub_theme_linked_alone_comes_under_its_themes_name(qual):
    one_four = qual.trial.questions_asked.get(number="1.4")
    qual.confidence.research_questions.add(one_four)
    matrix = whole(qual, question=one_four)
    assert [c["heading"] for c in matrix["columns"]] == ["Barriers: Confidence"]
    assert matrix["groups"] == [{"name": "Barriers", "span": 1}]


def test_arm_and_role_choose_the_rows(qual):
    assert list(grid(whole(qual, arm="comparison"))) == ["P002"]
    assert list(grid(whole(qual, role="fsw"))) == ["P001"]
    assert list(grid(whole(qual, arm="comparison", role="fsw"))) == []


def test_the_filter_form_works_by_get_and_keeps_its_choices_in_the_links(qual, evaluator):
    url = reverse("framework_matrix", args=[qual.trial.pk])
    page = evaluator.get(url, {"question": "3.3", "arm": "", "role": "senior_fsw"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Family engagement" in text and "Barriers" not in text
    assert "P002" in text and "P001" not in text
    assert "?question=3.3&amp;role=senior_fsw" in text
    assert '<option value="senior_fsw" selected>Senior family support worker</option>' in text
    assert f'{reverse("matrix_download", args=[qual.trial.pk])}?question=3.3&amp;role=' in text


def test_filters_not_in_the_lists_are_refused_plainly_over_the_whole_matrix(qual, evaluator):
    url = reverse("framework_matrix", args=[qual.trial.pk])
    page = evaluator.get(url, {"question": "9.9", "arm": "neither", "role": "\x00"})
    text = page.content.decode()
    assert page.status_code == 200
    for message in ("Choose a research question from the list", "Choose an arm from the list",
                    "Choose a role from the list"):
        assert message in text
    assert "P001" in text and "P002" in text and "Family engagement" in text
    assert "Download the matrix" not in text


def test_an_empty_codebook_says_so(world, evaluator):
    qual = qualitative_trial(world.evaluator, name="Empty")
    Theme.objects.filter(trial=qual.trial).delete()
    text = evaluator.get(reverse("framework_matrix", args=[qual.trial.pk])).content.decode()
    assert "The codebook has no themes yet." in text


# The download ----------------------------------------------------------------------------------

def download(client, qual, **query):
    response = client.get(reverse("matrix_download", args=[qual.trial.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == presenters.XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="framework-matrix-{qual.trial.pk}.xlsx"')
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_download_reads_back_as_the_matrix_and_its_excerpts(qual, evaluator, world):
    MatrixCell.objects.create(trial=qual.trial, participant=qual.p002, theme=qual.engagement,
                              summary="Scores opened up talk with the family.")
    book = download(evaluator, qual)
    assert book.sheetnames == ["Matrix", "Excerpts"]
    assert rows_of(book["Matrix"]) == [
        ["Participant", "Role", "Team", "Arm", "Barriers", "Barriers: Confidence",
         "Barriers: Time", "Family engagement"],
        ["P001", "Family support worker", "North 1", "Intervention", None, None, None, None],
        ["P002", "Senior family support worker", "South 2", "Comparison", None, None, None,
         "Scores opened up talk with the family."]]
    assert rows_of(book["Excerpts"]) == [
        ["Participant", "Theme", "Document", "Passage"],
        ["P001", "Barriers: Time", "Interview with P001", qual.time_passage],
        ["P001", "Barriers: Confidence", "Interview with P001", qual.confidence_passage],
        ["P002", "Family engagement", "Interview with P002", qual.engagement_passage]]
    entry = AuditEntry.objects.get(action="matrix.download")
    assert (entry.actor, entry.object_id) == (world.evaluator, qual.trial.pk)
    assert entry.changes == {"question": "", "arm": "", "role": ""}


def test_the_download_takes_the_filters(qual, evaluator):
    book = download(evaluator, qual, arm="intervention", question="1.1")
    assert [r[0] for r in rows_of(book["Matrix"])] == ["Participant", "P001"]
    assert rows_of(book["Matrix"])[0][4:] == ["Barriers", "Barriers: Confidence",
                                              "Barriers: Time"]
    assert [r[1] for r in rows_of(book["Excerpts"])[1:]] == ["Barriers: Time",
                                                             "Barriers: Confidence"]
    assert AuditEntry.objects.get(action="matrix.download").changes == {
        "question": "1.1", "arm": "intervention", "role": ""}


def test_a_summary_that_looks_like_a_formula_downloads_as_text(qual, evaluator):
    formula = '=HYPERLINK("http://example.test","click")'
    MatrixCell.objects.create(trial=qual.trial, participant=qual.p001, theme=qual.time,
                              summary=formula)
    qual.engagement.name = "@SUM(1)"
    qual.engagement.save()
    sheet = download(evaluator, qual)["Matrix"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[4] == "@SUM(1)" and sheet["E1"].data_type == "s"  # sorted first, as text
    cell = sheet.cell(row=2, column=headers.index("Barriers: Time") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (formula, "s", True)


def test_a_control_character_in_a_summary_does_not_stop_the_download(qual, evaluator):
    MatrixCell.objects.create(trial=qual.trial, participant=qual.p001, theme=qual.time,
                              summary="Bell\x07 rang")
    assert download(evaluator, qual)["Matrix"]["G2"].value == "Bell\ufffd rang"


def test_refused_filters_download_nothing_and_say_why(qual, evaluator):
    response = evaluator.get(reverse("matrix_download", args=[qual.trial.pk]), {"arm": "x"})
    assert response["Content-Type"].startswith("text/html")
    assert "Choose an arm from the list" in response.content.decode()
    assert not AuditEntry.objects.filter(action="matrix.download").exists()


# A cell's page and its summary -------------------------------------------------------------------

def cell_url(qual, participant=None, theme=None) -> str:
    return reverse("matrix_cell", args=[qual.trial.pk, (participant or qual.p001).pk,
                                        (theme or qual.time).pk])


def test_a_cell_shows_the_participants_passages_under_the_theme(qual, evaluator):
    text = evaluator.get(cell_url(qual)).content.decode()
    assert qual.time_passage in text and "From Interview with P001" in text
    assert "coded here by 2 evaluators" in text
    assert qual.confidence_passage not in text and qual.engagement_passage not in text
    assert "P001 on Barriers: Time" in text


def test_an_evaluator_writes_a_summary_and_it_is_audited_without_its_words(qual, evaluator,
                                                                          world):
    url = cell_url(qual) + "?arm=intervention"
    response = evaluator.post(url, {"summary": "  Never enough time.  ", **opened(evaluator, url)})
    assert response.status_code == 302
    assert response["Location"] == (reverse("framework_matrix", args=[qual.trial.pk])
                                    + f"?arm=intervention#participant-{qual.p001.pk}")
    cell = MatrixCell.objects.get(participant=qual.p001, theme=qual.time)
    assert (cell.summary, cell.updated_by, cell.trial) == ("Never enough time.",
                                                           world.evaluator, qual.trial)
    entry = AuditEntry.objects.get(action="matrix_cell.save")
    assert entry.object_id == cell.pk
    assert entry.changes == {"participant": "P001", "theme": str(qual.time.pk),
                             "summary": "(changed)"}
    page = evaluator.get(response["Location"]).content.decode()
    assert "Summary saved for P001 on Time" in page and "Never enough time." in page


def test_reading_the_matrix_and_a_cells_excerpts_is_audited(qual, evaluator, world):
    evaluator.get(reverse("framework_matrix", args=[qual.trial.pk]))
    evaluator.get(cell_url(qual))
    reads = AuditEntry.objects.filter(action__in=["matrix.view", "matrix_cell.view"])
    assert [(e.action, e.object_id, e.actor) for e in reads.order_by("id")] == [
        ("matrix.view", qual.trial.pk, world.evaluator),
        ("matrix_cell.view", qual.p001.pk, world.evaluator)]


def test_two_evaluators_writing_one_cell_never_overwrite_each_other(qual, evaluator):
    url = cell_url(qual)
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    mine, theirs = opened(evaluator, url), opened(colleague, url)
    assert colleague.post(url, {"summary": "Theirs: time pressure.", **theirs}).status_code == 302
    response = evaluator.post(url, {"summary": "Mine: never enough time.", **mine})
    page = response.content.decode()
    assert response.status_code == 200
    assert MatrixCell.objects.get(participant=qual.p001, theme=qual.time).summary == (
        "Theirs: time pressure.")
    assert "Changed by someone else since you opened this page" in page
    assert "was blank, now Theirs: time pressure." in page
    assert "Mine: never enough time." in page  # what this evaluator typed is kept
    assert AuditEntry.objects.filter(action="matrix_cell.save").count() == 1
    # Having seen theirs, saving again replaces it, knowingly.
    assert evaluator.post(url, {"summary": "Mine: never enough time.",
                                **version_in(page)}).status_code == 302
    assert MatrixCell.objects.get(participant=qual.p001, theme=qual.time).summary == (
        "Mine: never enough time.")


def test_the_same_summary_sent_twice_is_saved_once_not_refused(qual, evaluator):
    url = cell_url(qual)
    sent = {"summary": "Once.", **opened(evaluator, url)}
    response = evaluator.post(url, sent)
    assert response["Location"] == (reverse("framework_matrix", args=[qual.trial.pk])
                                    + f"#participant-{qual.p001.pk}")
    assert evaluator.post(url, sent).status_code == 302
    assert AuditEntry.objects.filter(action="matrix_cell.save").count() == 1


def test_a_summary_too_long_is_refused_plainly_and_kept(qual, evaluator):
    url = cell_url(qual)
    typed = "x" * 10_001
    response = evaluator.post(url, {"summary": typed, **opened(evaluator, url)})
    text = response.content.decode()
    assert response.status_code == 200
    assert "The summary must be 10,000 characters or fewer" in text and typed in text
    assert not MatrixCell.objects.exists()


def test_a_page_without_its_version_is_refused_plainly(qual, evaluator):
    response = evaluator.post(cell_url(qual), {"summary": "Typed", "version": "forged"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "This page is out of date" in text and "Typed" in text
    assert not MatrixCell.objects.exists()


# Who may reach it --------------------------------------------------------------------------------

def test_nobody_but_an_evaluator_reaches_the_matrix_its_cells_or_the_download(qual, client,
                                                                            world):
    urls = [reverse("framework_matrix", args=[qual.trial.pk]),
            reverse("matrix_download", args=[qual.trial.pk]), cell_url(qual)]
    for person in (world.practitioner, world.manager, world.data_team, world.administrator,
                   world.outsider):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert client.post(cell_url(qual), {"summary": "x"}).status_code == 404
    assert not MatrixCell.objects.exists()


def test_a_theme_or_participant_of_another_trial_is_no_such_cell(qual, world, evaluator):
    other = qualitative_trial(world.evaluator, name="Another")
    assert evaluator.get(cell_url(qual, theme=other.time)).status_code == 404
    assert evaluator.get(cell_url(qual, participant=other.p001)).status_code == 404
    assert evaluator.get(cell_url(qual)).status_code == 200
