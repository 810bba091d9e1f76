"""A fake GOV.UK Notify on the loopback for tests that send text messages or emails: a real HTTP
server in a thread, answering POST /v2/notifications/sms and /email as Notify's v2 API does, and
keeping every request it was sent. Like Notify it refuses a request whose bearer token is not a
JWT signed with the key's secret, issued by the key's service, within 30 seconds of now."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

SERVICE_ID = "6f1ad7c2-6a44-4d1e-9a43-1f0c5e0b8a11"
SECRET = "0d3c9a27-7d55-4c0e-8f5b-2b7f31a0c9de"
API_KEY = f"family_feedback_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL_TEMPLATE = "a9f3e1c4-0b6d-4a35-9e9a-3f1f6c2d7b40"
SURVEY_TEMPLATE = "5c2e8d1a-7f40-4b9e-a6d3-0e8b1f2c4a97"


class FakeNotify:
    def __init__(self):
        self.received: list[dict] = []  # each: {"path": ..., "body": ...}
        self.refuse_with: int | None = None  # answer every request with this status instead
        self.jwt_problems: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                problem = server.check_jwt(self.headers.get("Authorization", ""))
                if problem:
                    server.jwt_problems.append(problem)
                    return self.reply(403, _errors(403, "AuthError", problem))
                server.received.append({"path": self.path, "body": body})
                if server.refuse_with is not None:
                    return self.reply(server.refuse_with, _errors(
                        server.refuse_with, "BadRequestError" if server.refuse_with < 500
                        else "Exception", "Refused by the test"))
                kind = self.path.rsplit("/", 1)[-1]
                if self.path not in ("/v2/notifications/sms", "/v2/notifications/email"):
                    return self.reply(404, _errors(404, "NotFound", "No such endpoint"))
                self.reply(201, _notification(kind, body))

            def reply(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @staticmethod
    def check_jwt(header: str) -> str:
        if not header.startswith("Bearer "):
            return "Unauthorized: authentication token must be provided"
        try:
            claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"],
                                options={"verify_iat": False})
        except jwt.InvalidTokenError:
            return "Invalid token: signature, api token not found"
        if claims.get("iss") != SERVICE_ID:
            return "Invalid token: service not found"
        if abs(time.time() - int(claims.get("iat", 0))) > 30:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return ""

    def sms(self) -> list[dict]:
        return [r["body"] for r in self.received if r["path"] == "/v2/notifications/sms"]


def _errors(status: int, kind: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": kind, "message": message}]}


def _notification(kind: str, body: dict) -> dict:
    notification_id = str(uuid.uuid4())
    template = body.get("template_id")
    content = ({"body": f"Link: {body.get('personalisation', {}).get('link')}",
                "from_number": "FamilyFb"} if kind == "sms" else
               {"body": "Link", "subject": "Your session rating",
                "from_email": "family.feedback@notifications.service.gov.uk"})
    return {"id": notification_id, "reference": body.get("reference"), "content": content,
            "uri": f"https://api.notifications.service.gov.uk/v2/notifications/{notification_id}",
            "template": {"id": template, "version": 1,
                         "uri": f"https://api.notifications.service.gov.uk/services/"
                                f"{SERVICE_ID}/templates/{template}"}}


def use_notify(settings, url: str) -> None:
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    settings.NOTIFY_SURVEY_TEMPLATE_ID = SURVEY_TEMPLATE
    settings.NOTIFY_BASE_URL = url


@pytest.fixture
def fake_notify(settings):
    notify = FakeNotify()
    notify.thread.start()
    use_notify(settings, notify.url)
    try:
        yield notify
    finally:
        notify.httpd.shutdown()
        notify.httpd.server_close()


@pytest.fixture
def notify_unreachable(settings):
    """Notify's address is a port on this machine where nothing listens."""
    from tests.mail_server import free_port

    use_notify(settings, f"http://127.0.0.1:{free_port()}")
