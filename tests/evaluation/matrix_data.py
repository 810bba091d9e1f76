"""A small qualitative trial, built through the ORM as test data: three participants (two
interviewed), a codebook of two themes (one with two sub-themes), and the passages two
evaluators coded. The documents and codebook pages are another part's; these tests need only
their rows."""

from dataclasses import dataclass

from familyfeedback.accounts.models import Role, User
from familyfeedback.evaluation.actions import add_default_questions
from familyfeedback.evaluation.models import (
    Coding,
    Document,
    Theme,
    Trial,
    TrialPractitioner,
    TrialTeam,
)
from tests import factories

P001_TEXT = ("I never have the time to do it properly.\n\nThe families like the charts, "
             "but I was not sure what to say at first.")
P002_TEXT = "Mum asked to see her scores every week. She said it helped her talk about it."


@dataclass
class Qualitative:
    trial: Trial
    p001: TrialPractitioner  # family support worker, intervention, interviewed
    p002: TrialPractitioner  # senior family support worker, comparison, interviewed
    p003: TrialPractitioner  # family support worker, intervention, not interviewed
    barriers: Theme  # linked to research question 1.1
    time: Theme  # a sub-theme of barriers
    confidence: Theme  # a sub-theme of barriers
    engagement: Theme  # linked to 3.3
    time_passage: str
    confidence_passage: str
    engagement_passage: str


def coded(document: Document, theme: Theme, coder: User, words: str) -> Coding:
    """A coding of the document's passage that is these words."""
    start = document.text.index(words)
    return Coding.objects.create(document=document, theme=theme, coder=coder, start=start,
                                 end=start + len(words))


def qualitative_trial(evaluator: User, name: str = "Pilot") -> Qualitative:
    trial = Trial.objects.create(name=name, created_by=evaluator)
    add_default_questions(trial)
    north = TrialTeam.objects.create(trial=trial, team_code="T1", team_name="North 1",
                                     arm="intervention")
    south = TrialTeam.objects.create(trial=trial, team_code="T2", team_name="South 2",
                                     arm="comparison")
    p001, p002, p003 = (
        TrialPractitioner.objects.create(trial=trial, practitioner_code=code, team=team,
                                         role=role)
        for code, team, role in (("P001", north, "fsw"), ("P002", south, "senior_fsw"),
                                 ("P003", north, "fsw")))
    questions = {q.number: q for q in trial.questions_asked.all()}
    barriers = Theme.objects.create(trial=trial, name="Barriers")
    barriers.research_questions.set([questions["1.1"]])
    time = Theme.objects.create(trial=trial, parent=barriers, name="Time")
    confidence = Theme.objects.create(trial=trial, parent=barriers, name="Confidence")
    engagement = Theme.objects.create(trial=trial, name="Family engagement")
    engagement.research_questions.set([questions["3.3"]])
    first = Document.objects.create(trial=trial, kind="interview", title="Interview with P001",
                                    participant=p001, text=P001_TEXT)
    second = Document.objects.create(trial=trial, kind="interview",
                                     title="Interview with P002", participant=p002,
                                     text=P002_TEXT)
    colleague = factories.user(f"cody-{trial.pk}@example.test", Role.EVALUATOR)
    time_words = "I never have the time to do it properly."
    confidence_words = "I was not sure what to say at first."
    engagement_words = "Mum asked to see her scores every week."
    # Both evaluators coded the same passage under Time: one excerpt, coded twice.
    for coder in (evaluator, colleague):
        coded(first, time, coder, time_words)
    coded(first, confidence, evaluator, confidence_words)
    coded(second, engagement, colleague, engagement_words)
    return Qualitative(trial, p001, p002, p003, barriers, time, confidence, engagement,
                       time_words, confidence_words, engagement_words)
