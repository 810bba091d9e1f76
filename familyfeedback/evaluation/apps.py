from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "familyfeedback.evaluation"
    label = "evaluation"
