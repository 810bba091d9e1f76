"""Qualitative work through its pages: documents uploaded as .txt or .docx, the codebook, and
coding paragraphs or exact passages; with bad input refused in words, and evaluators only."""

import io
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry, Role
from familyfeedback.evaluation import texts
from familyfeedback.evaluation.models import Coding, Consent, Document, Response, Theme
from tests import factories
from tests.edit_pages import opened
from tests.evaluation.builders import open_baseline

INTERVIEW = "I used the ORS every week.\n\nThe families liked\nthe lines.\n\n\nIt took time."


@pytest.fixture
def trial(world, client):
    trial, _, _ = open_baseline(world, client)
    return trial


def upload(client, trial, name, content, **fields):
    data = {"kind": "interview", "title": "Interview 1",
            "participant": str(trial.practitioners.first().pk),
            "file": SimpleUploadedFile(name, content), **fields}
    return client.post(reverse("documents", args=[trial.pk]), data)


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_paragraphs_are_runs_of_lines_with_their_offsets():
    found = texts.paragraphs(INTERVIEW)
    assert [p.text for p in found] == ["I used the ORS every week.",
                                       "The families liked\nthe lines.", "It took time."]
    assert all(INTERVIEW[p.start:p.end] == p.text for p in found)


def test_an_evaluator_uploads_a_transcript_and_reading_it_is_audited(world, client, trial):
    response = upload(client, trial, "one.txt", INTERVIEW.encode())
    document = Document.objects.get()
    assert response.status_code == 302
    assert (document.kind, document.text, document.participant.trial_id) == (
        "interview", INTERVIEW, trial.pk)
    assert AuditEntry.objects.filter(action="document.add", object_id=document.pk).exists()
    page = client.get(reverse("document", args=[trial.pk, document.pk])).content.decode()
    assert "Paragraph 3" in page and "It took time." in page
    assert document.participant.practitioner_code in page
    assert AuditEntry.objects.filter(action="document.view", object_id=document.pk,
                                     actor=world.evaluator).count() == 1
    listing = client.get(reverse("documents", args=[trial.pk])).content.decode()
    assert "Interview 1" in listing


def test_a_word_document_gives_its_paragraphs_text(client, trial):
    upload(client, trial, "notes.DOCX", word_file("First part.", "", "Second part."),
           kind="observation", participant="", team=str(trial.teams.first().pk))
    document = Document.objects.get()
    assert document.text == "First part.\n\nSecond part."
    assert document.team == trial.teams.first() and document.participant is None


@pytest.mark.parametrize(("name", "content", "message"), [
    ("one.pdf", b"%PDF-1.4", "must be a .txt or a .docx"),
    ("one.txt", b"", "The file is empty"),
    ("one.txt", "caf\u00e9".encode("latin-1"), "not UTF-8 text"),
    ("one.docx", b"not a zip", "could not be read as a Word document"),
    ("one.txt", b"  \n\n  ", "has no text in it"),
    ("one.txt", b"a\x00b", "not text"),
])
def test_a_bad_file_is_refused_in_words_and_the_title_kept(client, trial, name, content,
                                                           message):
    response = upload(client, trial, name, content, title="Kept title")
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and "Kept title" in page
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(client, trial, monkeypatch):
    monkeypatch.setattr(texts, "MAX_UPLOAD_BYTES", 10)
    page = upload(client, trial, "one.txt", b"x" * 11).content.decode()
    assert "The file must be smaller than" in page
    assert not Document.objects.exists()


def test_an_interview_needs_its_participant(client, trial):
    page = upload(client, trial, "one.txt", b"Hello", participant="").content.decode()
    assert "Choose the participant interviewed" in page
    assert not Document.objects.exists()


def add_theme(client, trial, name, **fields):
    return client.post(reverse("codebook", args=[trial.pk]), {"name": name, **fields})


def test_the_codebook_has_themes_and_sub_themes_and_refuses_a_duplicate(client, trial):
    question = trial.questions_asked.get(number="1.1")
    assert add_theme(client, trial, "Barriers", description="What got in the way",
                     research_questions=[str(question.pk)]).status_code == 302
    barriers = Theme.objects.get(name="Barriers")
    assert list(barriers.research_questions.all()) == [question]
    assert add_theme(client, trial, "Time", parent=str(barriers.pk)).status_code == 302
    assert Theme.objects.get(name="Time").parent == barriers
    page = add_theme(client, trial, "barriers ").content.decode()
    assert "There is already a theme called barriers in the codebook" in page
    assert Theme.objects.filter(parent=None).count() == 1
    # The same name under another parent is another theme.
    assert add_theme(client, trial, "Time").status_code == 302
    page = client.get(reverse("codebook", args=[trial.pk])).content.decode()
    assert "What got in the way" in page and "Research questions 1.1" in page


@pytest.fixture
def coded(client, trial):
    upload(client, trial, "one.txt", INTERVIEW.encode())
    add_theme(client, trial, "Barriers")
    add_theme(client, trial, "Benefits")
    return Document.objects.get(), {t.name: t for t in Theme.objects.all()}


def test_an_evaluator_codes_a_whole_paragraph_with_two_themes(world, client, trial, coded):
    document, themes = coded
    response = client.post(reverse("code_passage", args=[trial.pk, document.pk]), {
        "paragraph": "2", "themes": [str(themes["Barriers"].pk), str(themes["Benefits"].pk)]})
    assert response.status_code == 302
    second = texts.paragraphs(INTERVIEW)[1]
    assert {(c.theme.name, c.start, c.end, c.coder) for c in Coding.objects.all()} == {
        ("Barriers", second.start, second.end, world.evaluator),
        ("Benefits", second.start, second.end, world.evaluator)}
    page = client.get(reverse("document", args=[trial.pk, document.pk])).content.decode()
    assert "Barriers</strong> by" in page and world.evaluator.full_name in page


def test_an_exact_passage_is_coded_by_its_offsets(client, trial, coded):
    document, themes = coded
    start = INTERVIEW.index("families")
    client.post(reverse("code_passage", args=[trial.pk, document.pk]), {
        "start": str(start), "end": str(start + 8), "themes": [str(themes["Benefits"].pk)]})
    coding = Coding.objects.get()
    assert document.text[coding.start:coding.end] == "families"
    page = client.get(reverse("document", args=[trial.pk, document.pk])).content.decode()
    assert "“families”" in page


@pytest.mark.parametrize("span", [(0, 10_000), (5, 5), (9, 3), (26, 28)])
def test_offsets_outside_the_text_or_of_nothing_are_refused(client, trial, coded, span):
    document, themes = coded
    response = client.post(reverse("code_passage", args=[trial.pk, document.pk]), {
        "start": str(span[0]), "end": str(span[1]), "themes": [str(themes["Benefits"].pk)]})
    assert response.status_code == 200
    assert "The passage is not in the document" in response.content.decode()
    assert not Coding.objects.exists()


def test_coding_without_a_theme_or_a_paragraph_says_what_is_missing(client, trial, coded):
    document, _ = coded
    page = client.post(reverse("code_passage", args=[trial.pk, document.pk]),
                       {"paragraph": ""}).content.decode()
    assert "Choose at least one theme" in page and "Choose a paragraph of the document" in page


def test_an_evaluator_removes_their_own_coding_and_not_a_colleagues(world, client, trial,
                                                                    coded):
    document, themes = coded
    url = reverse("code_passage", args=[trial.pk, document.pk])
    client.post(url, {"paragraph": "1", "themes": [str(themes["Barriers"].pk)]})
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    colleague.post(url, {"paragraph": "1", "themes": [str(themes["Barriers"].pk)]})
    mine = Coding.objects.get(coder=world.evaluator)
    theirs = Coding.objects.exclude(coder=world.evaluator).get()
    response = client.post(reverse("remove_coding", args=[trial.pk, theirs.pk]), follow=True)
    assert "Only the evaluator who made a coding can remove it" in response.content.decode()
    assert client.post(reverse("remove_coding", args=[trial.pk, mine.pk])).status_code == 302
    assert list(Coding.objects.all()) == [theirs]
    assert AuditEntry.objects.filter(action="coding.remove", object_id=mine.pk).exists()


def test_nobody_but_an_evaluator_reaches_the_qualitative_pages(world, client, trial, coded):
    document, themes = coded
    client.post(reverse("code_passage", args=[trial.pk, document.pk]),
                {"paragraph": "1", "themes": [str(themes["Barriers"].pk)]})
    coding = Coding.objects.get()
    client.force_login(world.practitioner)
    for url in (reverse("documents", args=[trial.pk]), reverse("codebook", args=[trial.pk]),
                reverse("document", args=[trial.pk, document.pk])):
        assert client.get(url).status_code == 404
    assert upload(client, trial, "one.txt", b"Hello").status_code == 404
    assert client.post(reverse("remove_coding", args=[trial.pk, coding.pk])).status_code == 404
    assert client.post(reverse("code_passage", args=[trial.pk, document.pk]),
                       {"paragraph": "1", "themes": [str(themes["Barriers"].pk)]}
                       ).status_code == 404
    assert Coding.objects.count() == 1 and Document.objects.count() == 1


def comments_trial(world, client):
    trial, _, _ = open_baseline(world, client, questions=[
        {"question_id": "comments", "wave": "baseline", "text": "Anything else?", "kind": "text"}])
    first, second = trial.practitioners.order_by("practitioner_code")[:2]
    return trial, first, second


def answer(trial, respondent, value):
    Response.objects.update_or_create(trial=trial, respondent=respondent, wave="baseline",
                                      item="comments", defaults={"value": value})


def gather(client, trial):
    return client.post(reverse("gather_open_text", args=[trial.pk]), follow=True)


def test_open_text_answers_are_gathered_one_paragraph_each_without_the_withdrawn(world, client):
    trial, first, second = comments_trial(world, client)
    answer(trial, first, "Good training.\n\nMore time, please.")
    answer(trial, second, "Too busy.")
    Consent.objects.create(trial=trial, practitioner=second, activity="surveys",
                           given_on=date(2026, 1, 1), information_sheet_version="1",
                           withdrawn_on=date(2026, 2, 1))
    page = gather(client, trial).content.decode()
    document = Document.objects.get(kind="open_text")
    assert document.text == f"{first.practitioner_code}: Good training.\nMore time, please."
    assert document.gathered_from == [first.practitioner_code]
    assert (document.wave, document.question_code) == ("baseline", "comments")
    assert "1 documents written" in page
    assert AuditEntry.objects.filter(action="document.gather").exists()


def test_gathering_again_once_coded_only_adds_new_answers_at_the_end(world, client):
    trial, first, second = comments_trial(world, client)
    answer(trial, first, "Good training.")
    gather(client, trial)
    document = Document.objects.get(kind="open_text")
    add_theme(client, trial, "Training")
    theme = Theme.objects.get()
    client.post(reverse("code_passage", args=[trial.pk, document.pk]),
                {"paragraph": "1", "themes": [str(theme.pk)]})
    coding = Coding.objects.get()
    coded = document.text[coding.start:coding.end]
    answer(trial, first, "Changed my mind.")
    answer(trial, second, "Too busy.")
    page = gather(client, trial).content.decode()
    document.refresh_from_db()
    assert document.text == (f"{first.practitioner_code}: Good training.\n\n"
                             f"{second.practitioner_code}: Too busy.")
    assert document.text[coding.start:coding.end] == coded
    assert "1 coded documents given new answers" in page
    # Someone in a coded document withdraws: it is left alone and named.
    Consent.objects.create(trial=trial, practitioner=first, activity="surveys",
                           given_on=date(2026, 1, 1), information_sheet_version="1",
                           withdrawn_on=date(2026, 2, 1))
    page = gather(client, trial).content.decode()
    document.refresh_from_db()
    assert first.practitioner_code in document.text
    assert "Remove their codings, then gather again" in page
    # With the codings removed it is written afresh, without them.
    client.post(reverse("remove_coding", args=[trial.pk, coding.pk]))
    gather(client, trial)
    document.refresh_from_db()
    assert document.text == f"{second.practitioner_code}: Too busy."


def test_the_agreement_page_shows_kappa_per_theme_and_overall(world, client, trial, coded):
    document, themes = coded
    url = reverse("code_passage", args=[trial.pk, document.pk])
    barriers = str(themes["Barriers"].pk)
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    # Barriers: me [T, T, F], colleague [T, F, F]: po 2/3, pe 2/3·1/3 + 1/3·2/3 = 4/9,
    # kappa (6/9 − 4/9) / (5/9) = 0.4. Benefits: nobody, so it cannot be computed.
    client.post(url, {"paragraph": "1", "themes": [barriers]})
    client.post(url, {"paragraph": "2", "themes": [barriers]})
    start = INTERVIEW.index("used")
    colleague.post(url, {"start": str(start), "end": str(start + 4), "themes": [barriers]})
    page = client.get(reverse("agreement", args=[trial.pk, document.pk])).content.decode()
    barriers_row = page[page.index(">Barriers<"):page.index(">Benefits<")]
    assert "0.40" in barriers_row and "2 of 3" in barriers_row
    assert "Both coders gave every paragraph the same answer" in page
    assert "Evan and" in page or "and Evan" in page
    refused = client.get(reverse("agreement", args=[trial.pk, document.pk]),
                         {"first": str(world.evaluator.pk), "second": str(world.evaluator.pk)})
    assert "Choose two different evaluators" in refused.content.decode()


def test_a_theme_is_renamed_described_and_relinked(client, trial):
    add_theme(client, trial, "Barriers")
    add_theme(client, trial, "Time")
    theme = Theme.objects.get(name="Barriers")
    url = reverse("change_theme", args=[trial.pk, theme.pk])
    assert client.post(url, {"name": "Obstacles", "description": "In the way",
                             "research_questions": ["1.2", "1.1"],
                             **opened(client, url)}).status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.description) == ("Obstacles", "In the way")
    assert sorted(theme.research_questions.values_list("number", flat=True)) == ["1.1", "1.2"]
    assert AuditEntry.objects.filter(action="theme.change", object_id=theme.pk).exists()
    page = client.post(url, {"name": "time", **opened(client, url)}).content.decode()
    assert "There is already a theme called time there" in page


def test_two_evaluators_changing_a_theme_at_once_overwrite_nothing(client, trial):
    add_theme(client, trial, "Barriers")
    theme = Theme.objects.get()
    url = reverse("change_theme", args=[trial.pk, theme.pk])
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    mine, theirs = opened(client, url), opened(colleague, url)
    assert colleague.post(url, {"name": "Obstacles", **theirs}).status_code == 302
    response = client.post(url, {"name": "Barriers", "description": "Mine", **mine})
    page = response.content.decode()
    theme.refresh_from_db()
    assert response.status_code == 200
    assert (theme.name, theme.description) == ("Obstacles", "")
    assert "Changed by someone else since you opened this page" in page
    assert "Obstacles" in page and "Mine" in page
