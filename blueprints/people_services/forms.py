"""People Services' forms. Shape only: the rules live in portal.services.applications."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired


class ConflictActionForm(FlaskForm):
    action = TextAreaField(
        "What action was taken?",
        description="For example, who was kept off the selection panel and why, or the "
                    "advice given to the applicant",
        widget=GovTextArea(), validators=[InputRequired("Describe the action taken")])
    submit = SubmitField("Record the action", widget=GovSubmitInput())
