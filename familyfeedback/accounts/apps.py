from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "familyfeedback.accounts"
    label = "accounts"
