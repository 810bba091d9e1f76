from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "familyfeedback.privacy"
    label = "privacy"
