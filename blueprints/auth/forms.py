from flask_wtf import FlaskForm


class SignOutForm(FlaskForm):
    """Signing out changes state, so it is a POST carrying the CSRF token."""
