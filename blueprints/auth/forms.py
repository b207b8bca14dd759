
from portal.forms import PortalForm


class SignOutForm(PortalForm):
    """Signing out changes state, so it is a POST carrying the CSRF token."""
