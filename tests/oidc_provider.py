"""A small OpenID Connect provider on 127.0.0.1 for the single sign-on tests: a real HTTP server in
a thread with discovery, the authorisation redirect, a token endpoint issuing an id token signed
RS256 with a real key, userinfo and the key set. Whoever the test says is at the keyboard
(`signs_in`) is who the provider vouches for."""

import json
import secrets
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "family-feedback"
CLIENT_SECRET = "not-a-real-secret"
KEY_ID = "test-key-1"


@contextmanager
def configured(settings):
    """A provider running for the test, and the service (pytest-django's settings) set up to sign
    people in through it, as a council's FF_OIDC_* variables set it up."""
    with Provider() as running:
        settings.SINGLE_SIGN_ON = True
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_DISCOVERY_URL = running.discovery_url
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                            "familyfeedback.accounts.sso.InvitedPeopleOnly"]
        yield running


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signs_in = ""  # the email of the person the provider has just signed in
        self.audience = CLIENT_ID  # whom its id tokens are for
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, str] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def discovery(self) -> dict:
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks", "id_token_signing_alg_values_supported": ["RS256"]}

    def authorize(self, query: dict) -> str:
        """Where the provider sends the browser back: the client's redirect with a code."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query["nonce"], "email": self.signs_in,
                            "redirect_uri": query["redirect_uri"]}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict) -> dict | None:
        grant = self.codes.pop(form.get("code", ""), None)
        if (grant is None or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]):
            return None
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant["email"]
        now = int(time.time())
        id_token = jwt.encode(
            {"iss": self.url, "aud": self.audience, "sub": grant["email"], "iat": now,
             "exp": now + 300, "nonce": grant["nonce"], "email": grant["email"]},
            self.key, algorithm="RS256", headers={"kid": KEY_ID})
        return {"access_token": access_token, "token_type": "Bearer", "expires_in": 300,
                "id_token": id_token}

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider.discovery())
                elif url.path == "/jwks":
                    self._json(provider.jwks())
                elif url.path == "/authorize":
                    self.send_response(302)
                    self.send_header("Location", provider.authorize(query))
                    self.end_headers()
                elif url.path == "/userinfo":
                    bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    email = provider.access_tokens.get(bearer)
                    if email is None:
                        self._json({"error": "invalid_token"}, 401)
                    else:
                        self._json({"sub": email, "email": email})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                answer = provider.token(form) if self.path == "/token" else None
                if answer is None:
                    self._json({"error": "invalid_grant"}, 400)
                else:
                    self._json(answer)

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # the test's output is for the test
                pass

        return Handler
