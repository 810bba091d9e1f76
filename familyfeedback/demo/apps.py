from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo service. It sits above every other app (it fills them all), so it is
    its own app that nothing imports."""

    name = "familyfeedback.demo"
    label = "demo"
