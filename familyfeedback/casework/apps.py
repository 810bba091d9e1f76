from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "familyfeedback.casework"
    label = "casework"
