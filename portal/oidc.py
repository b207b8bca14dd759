"""OpenID Connect relying party: Authlib's Flask client with the gaps it leaves closed.

Authlib adds state, nonce and PKCE and checks the ID token's signature, expiry and
nonce. It does not, by default: compare the discovery document's issuer with the one
configured, pin the accepted signing algorithms (it takes the provider's word, which
may include `none`), pin `aud` to our client id and `iss` at the same time (passing any
claims options drops its issuer check), or compare userinfo's `sub` with the ID token's.
`PortalOIDCClient` and `complete_sign_in` do those.
"""

from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from flask import current_app, session

from portal.config import ProviderSettings


class SignInError(Exception):
    """A sign-in that must be refused. `reason` is for the audit trail, never tokens."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PortalOIDCClient(FlaskOAuth2App):
    def __init__(self, framework, name, settings: ProviderSettings, **kwargs):
        self.settings = settings
        super().__init__(framework, name, **kwargs)

    def load_server_metadata(self):
        fresh = "_loaded_at" not in self.server_metadata
        metadata = super().load_server_metadata()
        if fresh:
            if metadata.get("issuer") != self.settings.issuer:
                # Forget the document so that a corrected provider is read again.
                self.server_metadata.clear()
                raise SignInError(
                    "discovery document issuer does not match the configured issuer"
                )
            # Only the algorithms this deployment accepts, whatever the provider offers.
            metadata["id_token_signing_alg_values_supported"] = list(
                self.settings.signing_algs
            )
        return metadata


def init_oidc(app) -> None:
    """One OAuth registry per application, with a client per configured provider."""
    oauth = OAuth(app)
    for settings in app.config["OIDC_PROVIDERS"].values():
        oauth.register(
            settings.name,
            client_cls=PortalOIDCClient,
            settings=settings,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=settings.discovery_url,
            client_kwargs={"scope": settings.scopes, "code_challenge_method": "S256"},
        )
    app.extensions["portal_oauth"] = oauth


def provider_names() -> list[str]:
    return list(current_app.config["OIDC_PROVIDERS"])


def oidc_client(name: str) -> PortalOIDCClient:
    return current_app.extensions["portal_oauth"].create_client(name)


# Sign-ins a browser has started and not finished that it keeps the state of: a second
# tab or a second try. Each is kept in the session cookie, and a cookie past 4 KB is
# silently dropped by browsers, which would end every sign-in from then on.
PENDING_SIGN_INS = 3
_STATE = "_state_"  # how Authlib names a started sign-in's entry in the session


def _forget_oldest_sign_ins() -> None:
    pending = sorted((key for key in session if key.startswith(_STATE)),
                     key=lambda key: (session[key] or {}).get("exp", 0))
    for key in pending[:max(0, len(pending) - PENDING_SIGN_INS + 1)]:
        session.pop(key)


def start_sign_in(name: str, redirect_uri: str):
    """Redirect to the provider with state, nonce and a PKCE (S256) challenge."""
    _forget_oldest_sign_ins()
    return oidc_client(name).authorize_redirect(redirect_uri)


def complete_sign_in(name: str) -> tuple[dict, str | None]:
    """Check the provider's answer on the callback; return the claims and the ID token.

    Raises SignInError for every answer that must be refused.
    """
    from authlib.integrations.base_client.errors import OAuthError
    from joserfc.errors import JoseError

    client = oidc_client(name)
    settings = client.settings
    claims_options = {
        "iss": {"essential": True, "value": settings.issuer},
        "aud": {"essential": True, "value": settings.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }
    try:
        token = client.authorize_access_token(claims_options=claims_options)
    except SignInError:
        raise
    except OAuthError as error:
        raise SignInError(f"provider answer refused: {error.error}") from error
    except JoseError as error:
        # The description names the claim at fault (e.g. "Invalid claim: 'aud'").
        raise SignInError(f"ID token refused: {error.error}: {error.description}") from error
    except (ValueError, KeyError) as error:
        raise SignInError(f"ID token refused: {type(error).__name__}") from error
    except Exception as error:  # network failure, unreadable answer
        raise SignInError(f"provider unreachable or unreadable: {type(error).__name__}") \
            from error
    if "userinfo" not in token or not token["userinfo"].get("sub"):
        raise SignInError("provider returned no ID token")
    claims = dict(token["userinfo"])

    if client.load_server_metadata().get("userinfo_endpoint"):
        try:
            info = client.userinfo(token=token)
        except Exception as error:
            raise SignInError(f"userinfo unavailable: {type(error).__name__}") from error
        if info.get("sub") != claims["sub"]:
            raise SignInError("userinfo sub does not match the ID token")
        for key, value in info.items():
            claims.setdefault(key, value)
    return claims, token.get("id_token")


def end_session_url(name: str, id_token: str | None, post_logout_redirect_uri: str):
    """The provider's RP-initiated logout URL, or None when it offers none."""
    try:
        client = oidc_client(name)
        endpoint = client.load_server_metadata().get("end_session_endpoint")
    except Exception:  # a provider that is down must not stop a local sign-out
        return None
    if not endpoint:
        return None
    return client.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=client.client_id,
    )["url"]
