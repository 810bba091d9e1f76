from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "familyfeedback.implementation"
    label = "implementation"
