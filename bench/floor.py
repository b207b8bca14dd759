"""The floor: a bare Flask + Jinja application that renders a GOV.UK Frontend page of the
board's size from memory, with no database, no session and no sign-in. What the
framework itself costs; bench/pages.py compares the portal's pages with it.

    gunicorn -w 2 -b 127.0.0.1:8001 'bench.floor:app'
"""

from flask import Flask, render_template_string
from jinja2 import PackageLoader, PrefixLoader

app = Flask(__name__)
app.jinja_loader = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})

ITEMS = [{"title": f"Planning officer {n}", "summary": "A secondment opportunity in the "
          "planning team, working with colleagues across the organisation on strategy.",
          "department": f"Department {n % 20}", "location": "Leeds", "grade": "Band 6",
          "closing": "closes in 12 days, on 15 December 2026 at midnight"}
         for n in range(20)]

PAGE = """{% extends "govuk_frontend_jinja/template.html" %}
{% from "govuk_frontend_jinja/components/header/macro.html" import govukHeader %}
{% from "govuk_frontend_jinja/components/footer/macro.html" import govukFooter %}
{% block pageTitle %}Secondment opportunities{% endblock %}
{% block header %}{{ govukHeader({"serviceName": "Secondments"}) }}{% endblock %}
{% block footer %}{{ govukFooter({}) }}{% endblock %}
{% block content %}
<h1 class="govuk-heading-xl">Secondment opportunities</h1>
<form method="get" class="portal-filters"><input class="govuk-input" name="q"></form>
<ul class="govuk-list">
{% for item in items %}
  <li class="portal-result">
    <h2 class="govuk-heading-s"><a class="govuk-link" href="/opportunities/{{ loop.index }}">{{ item.title }}</a></h2>
    <p class="govuk-body">{{ item.summary }}</p>
    <dl class="govuk-summary-list govuk-summary-list--no-border">
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Department</dt><dd class="govuk-summary-list__value">{{ item.department }}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Location</dt><dd class="govuk-summary-list__value">{{ item.location }}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Grade</dt><dd class="govuk-summary-list__value">{{ item.grade }}</dd></div>
    </dl>
    <p class="govuk-body-s">{{ item.closing }}</p>
  </li>
{% endfor %}
</ul>
{% endblock %}
"""


@app.get("/floor")
def floor():
    return render_template_string(PAGE, items=ITEMS)
