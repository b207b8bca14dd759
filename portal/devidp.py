"""The embedded development identity provider (`oidc-provider-mock`), for the demo and
the tests. Never used in production: it signs in anyone who clicks a name."""

from contextlib import ExitStack, contextmanager

from portal.demo import PERSONAS


def provider_users(provider: str):
    from oidc_provider_mock import User

    return [User(sub=p.subject, claims=p.claims()) for p in PERSONAS if p.provider == provider]


@contextmanager
def running_providers(ports: dict[str, int]):
    """Start one mock provider per entry of `ports` ({"staff": 9400, ...}) in threads.

    Yields {provider name: issuer URL}. The mock names itself after the host it is
    reached on, so the issuer is always http://localhost:PORT.
    """
    from oidc_provider_mock import run_server_in_thread

    with ExitStack() as stack:
        issuers = {}
        for name, port in ports.items():
            server = stack.enter_context(
                run_server_in_thread(port=port, require_nonce=True,
                                     user_claims=provider_users(name))
            )
            issuers[name] = f"http://localhost:{server.server_port}"
        yield issuers
