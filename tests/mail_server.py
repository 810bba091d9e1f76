"""A real SMTP server on the loopback for tests that send mail (aiosmtpd), and a port nothing
listens on, for tests of an unreachable one. Tests using either switch Django from its test
outbox to the SMTP backend, so the product's own connection code runs."""

import socket

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(r for m in self.messages for r in m.rcpt_tos)


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def no_mail_server(settings) -> int:
    """Mail goes by SMTP to a port on this machine where nothing listens: connection refused."""
    port = free_port()
    use_smtp(settings, port)
    return port


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    try:
        yield inbox
    finally:
        controller.stop()
