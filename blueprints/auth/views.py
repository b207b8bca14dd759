from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from blueprints.auth import bp, rate_limits
from blueprints.auth.forms import SignOutForm
from portal.extensions import db, limiter
from portal.oidc import (
    SignInError,
    complete_sign_in,
    end_session_url,
    provider_names,
    start_sign_in,
)
from portal.permissions import public
from portal.services import identity, sessions
from portal.services.audit import record
from portal.services.invitations import INVITATION_KEY
from portal.urls import external_url, safe_next_path

PROVIDER_KEY = "sign_in_provider"
NEXT_KEY = "sign_in_next"


def _limited_like_sign_in(view):
    """Per address as for an office; per browser as for a person (see rate_limits)."""
    view = limiter.limit(rate_limits.PER_BROWSER, key_func=rate_limits.browser_key,
                         exempt_when=rate_limits.has_no_browser_mark,
                         scope="sign-in-browser")(view)
    return limiter.limit(rate_limits.per_address, scope="sign-in-address")(view)


@bp.get("/sign-in")
@_limited_like_sign_in
@public
def sign_in():
    rate_limits.mark_browser()
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    names = provider_names()
    chosen = request.args.get("provider") or (names[0] if len(names) == 1 else None)
    if chosen is None:
        return render_template("auth/choose_provider.html", next_path=next_path)
    if chosen not in names:
        abort(404)
    session[PROVIDER_KEY] = chosen
    session[NEXT_KEY] = next_path
    try:
        return start_sign_in(chosen, external_url("auth.callback"))
    except SignInError as error:
        identity.record_failed_sign_in(chosen, error.reason)
        return render_template("auth/sign_in_failed.html"), 502
    except Exception as error:  # the provider cannot be reached
        identity.record_failed_sign_in(chosen, f"provider unreachable: {type(error).__name__}")
        return render_template("auth/sign_in_failed.html"), 502


@bp.get("/auth/callback")
@_limited_like_sign_in
@limiter.limit(rate_limits.PER_SIGN_IN, key_func=rate_limits.sign_in_key,
               exempt_when=rate_limits.has_no_state, scope="sign-in-state")
@public
def callback():
    # Only the provider this browser started with may answer (state is kept per provider).
    provider = session.pop(PROVIDER_KEY, None)
    next_path = safe_next_path(session.pop(NEXT_KEY, None))
    invitation_token = session.pop(INVITATION_KEY, None)
    if provider not in provider_names():
        identity.record_failed_sign_in(None, "callback without a sign-in in progress")
        return render_template("auth/sign_in_failed.html"), 400
    try:
        claims, id_token = complete_sign_in(provider)
        user = identity.sign_in(provider, claims, id_token, invitation_token)
    except SignInError as error:
        identity.record_failed_sign_in(provider, error.reason)
        return render_template("auth/sign_in_failed.html"), 400
    # A fresh session at sign-in: nothing from before it survives.
    session.clear()
    login_user(user)
    return redirect(next_path)


@bp.post("/sign-out")
@public
def sign_out():
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    key = current_user.get_id() if current_user.is_authenticated else None
    record_ = sessions.end_session(key)
    if current_user.is_authenticated:
        record("sign_out", actor=current_user, obj=current_user)
    db.session.commit()
    logout_user()
    session.clear()
    if record_ is not None:
        url = end_session_url(
            record_.provider, record_.id_token, external_url("auth.signed_out")
        )
        if url:
            return redirect(url)
    return redirect(url_for("auth.signed_out"))


@bp.get("/signed-out")
@public
def signed_out():
    return render_template("auth/signed_out.html")
