"""Text messages and emails through GOV.UK Notify, with every way a send can fail turned into one
plain-English reason (NotSent), so that a page says what happened and nothing is marked sent."""

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

# Seconds to wait for Notify: a page must not hang on a service that never answers.
TIMEOUT = 10


class NotSent(Exception):
    def __init__(self, reason: str, status: int = 0):
        super().__init__(reason)
        # Only a 400 is about this one number or address: after any other refusal (the key, too
        # many, no answer) a batch of sends would only wait on each of the rest in turn.
        self.only_this_address = status == 400


def can_send(how: str) -> bool:
    """Whether this deployment has a Notify key and a template for sending this way."""
    return bool(settings.NOTIFY_API_KEY and _template(how))


def send(how: str, to: str, personalisation: dict, reference: str) -> str:
    """Send by "sms" (to a phone number), or "email" or "survey" (an evaluation's survey email)
    to an address; Notify's id for the notification. Raises NotSent with the reason, in words a
    practitioner can act on."""
    if not can_send(how):
        raise NotSent("Sending by text message or email is not set up in this service. Show the "
                      "QR code or the link instead")
    client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL,
                                    timeout=TIMEOUT)
    try:
        if how == "sms":
            sent = client.send_sms_notification(to, _template(how), personalisation, reference)
        else:
            sent = client.send_email_notification(to, _template(how), personalisation,
                                                  reference)
    except APIError as error:  # a refusal, no answer, or an answer that is not Notify's
        raise NotSent(_reason(error.status_code), error.status_code) from None
    if not isinstance(sent, dict) or not sent.get("id"):
        raise NotSent(_reason(502))
    return str(sent["id"])


def _template(how: str) -> str:
    return {"sms": settings.NOTIFY_SMS_TEMPLATE_ID,
            "email": settings.NOTIFY_EMAIL_TEMPLATE_ID,
            "survey": settings.NOTIFY_SURVEY_TEMPLATE_ID}.get(how, "")


def _reason(status: int) -> str:
    # Notify's own messages can quote what was typed; ours never do.
    nothing = "Nothing was sent"
    if status == 400:
        return (f"GOV.UK Notify would not send to the number or address given. {nothing}: check "
                "it, or show the QR code instead")
    if status == 403:
        return (f"GOV.UK Notify refused this service's key. {nothing}: ask your administrator "
                "to check it, and show the QR code instead")
    if status == 429:
        return (f"GOV.UK Notify is taking no more messages from this service just now. "
                f"{nothing}: try again in a minute, or show the QR code instead")
    return (f"GOV.UK Notify could not be reached or did not answer. {nothing}: try again in a "
            "few minutes, or show the QR code instead")
