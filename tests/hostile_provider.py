"""A small OpenID Provider for the tests that lies in exactly one way at a time.

With `fault` left as None it is an honest provider, so a sign-in through it succeeds;
each fault changes one thing about its answer, so a refusal can only be because of that
one thing. It signs ID tokens with a throwaway RSA key (joserfc) and, like a careless or
compromised provider, advertises `none` among its signing algorithms.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SUBJECT = "hostile-sam"

# Each fault is one thing wrong with the provider's answer.
FAULTS = (
    "wrong_issuer",               # ID token from another issuer
    "wrong_audience",             # ID token for another client
    "audience_without_us",        # aud lists another client; our id only in azp
    "missing_subject",
    "missing_issued_at",
    "expired",                    # well beyond any clock-skew leeway
    "bad_signature",              # signed by another key under the published kid
    "unknown_key",                # signed by a key the provider never publishes
    "alg_none",                   # unsigned token
    "signed_with_client_secret",  # HS256 keyed with our own client secret
    "wrong_nonce",                # a token minted for another sign-in
    "missing_nonce",
    "no_id_token",                # plain OAuth answer, no identity at all
    "userinfo_other_subject",     # userinfo describes someone else
    "discovery_other_issuer",     # discovery document names another issuer
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _signing_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class HostileProvider:
    def __init__(self):
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._key = _signing_key("hostile-1")
        # Same kid as the real key, so the portal picks the real public key to check it.
        self._forger = _signing_key("hostile-1")
        self.reset()

    # -- what a test controls ------------------------------------------------------

    def reset(self) -> None:
        """Honest again, with the original key, and nothing remembered."""
        self.fault: str | None = None
        self.published_keys = [self._key]
        self.current_key = self._key
        self.discovery_algorithms = ["RS256", "none"]
        self.requests: list[str] = []
        self._grants: dict[str, dict] = {}
        self._access_tokens: set[str] = set()

    def rotate_keys(self) -> None:
        """Start signing with a new key that only the new key set publishes."""
        self.current_key = _signing_key(f"hostile-{secrets.token_hex(4)}")
        self.published_keys = [self.current_key]

    def fetches(self, path: str) -> int:
        return self.requests.count(path)

    # -- serving -------------------------------------------------------------------

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @Request.application
    def _wsgi(self, request: Request) -> Response:
        self.requests.append(request.path)
        handler = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
            "/logout": lambda _request: Response("Signed out"),
        }.get(request.path)
        if handler is None:
            return Response("Not found", status=404)
        return handler(request)

    def _discovery(self, _request) -> Response:
        issuer = self.issuer
        if self.fault == "discovery_other_issuer":
            issuer = "https://login.other-provider.example"
        return _json({
            "issuer": issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "end_session_endpoint": self.issuer + "/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": self.discovery_algorithms,
            "code_challenge_methods_supported": ["S256"],
        })

    def _jwks(self, _request) -> Response:
        return _json({"keys": [k.as_dict(private=False) for k in self.published_keys]})

    def _authorize(self, request: Request) -> Response:
        query = request.args
        code = secrets.token_urlsafe(16)
        self._grants[code] = {
            "client_id": query.get("client_id"),
            "nonce": query.get("nonce"),
            "code_challenge": query.get("code_challenge"),
        }
        back = urlencode({"code": code, "state": query.get("state", "")})
        return Response(status=302, headers={"Location": f"{query['redirect_uri']}?{back}"})

    def _token(self, request: Request) -> Response:
        # Codes are single use, and PKCE is checked, so that the honest path is honest.
        grant = self._grants.pop(request.form.get("code", ""), None)
        verifier = request.form.get("code_verifier", "")
        if grant is None or grant["code_challenge"] != _b64url(
                hashlib.sha256(verifier.encode("ascii")).digest()):
            return _json({"error": "invalid_grant"}, status=400)
        client_secret = (request.authorization.password if request.authorization
                         else request.form.get("client_secret", ""))
        access_token = secrets.token_urlsafe(16)
        self._access_tokens.add(access_token)
        answer = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300}
        if self.fault != "no_id_token":
            answer["id_token"] = self.mint_id_token(grant, client_secret)
        return _json(answer)

    def _userinfo(self, request: Request) -> Response:
        auth = request.headers.get("Authorization", "")
        if auth.removeprefix("Bearer ") not in self._access_tokens:
            return _json({"error": "invalid_token"}, status=401)
        claims = self.person()
        if self.fault == "userinfo_other_subject":
            claims["sub"] = "someone-else"
        return _json(claims)

    # -- the ID token --------------------------------------------------------------

    @staticmethod
    def person() -> dict:
        return {"sub": SUBJECT, "name": "Sam Hostile", "email": "sam.hostile@example.org",
                "email_verified": True}

    def id_token_claims(self, grant: dict) -> dict:
        now = int(time.time())
        claims = self.person() | {
            "iss": self.issuer,
            "aud": grant["client_id"],
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
        }
        fault = self.fault
        if fault == "wrong_issuer":
            claims["iss"] = "https://login.other-provider.example"
        elif fault == "wrong_audience":
            claims["aud"] = "other-client"
        elif fault == "audience_without_us":
            claims["aud"] = ["other-client"]
            claims["azp"] = grant["client_id"]
        elif fault == "missing_subject":
            del claims["sub"]
        elif fault == "missing_issued_at":
            del claims["iat"]
        elif fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif fault == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif fault == "missing_nonce":
            del claims["nonce"]
        return claims

    def mint_id_token(self, grant: dict, client_secret: str = "") -> str:
        claims = self.id_token_claims(grant)
        if self.fault == "alg_none":
            header = json.dumps({"alg": "none"}).encode()
            return f"{_b64url(header)}.{_b64url(json.dumps(claims).encode())}."
        if self.fault == "signed_with_client_secret":
            secret = OctKey.import_key(client_secret)
            return jwt.encode({"alg": "HS256"}, claims, secret)
        key = self.current_key
        if self.fault == "bad_signature":
            key = self._forger
        elif self.fault == "unknown_key":
            key = _signing_key("never-published")
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


@contextmanager
def running_hostile_provider():
    """A HostileProvider served on a free loopback port for as long as the block runs."""
    provider = HostileProvider()
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()
