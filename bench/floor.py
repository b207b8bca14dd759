"""The floor: a bare Flask + Jinja application that renders a GOV.UK Frontend page of the
board's size from memory, with no database, no session and no sign-in. What the
framework itself costs; bench/pages.py compares the portal's pages with it.

    gunicorn -w 2 -b 127.0.0.1:8001 'bench.floor:app'
"""

from pathlib import Path

from flask import Flask, render_template
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

app = Flask(__name__)
app.jinja_loader = ChoiceLoader([
    PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    FileSystemLoader(Path(__file__).parent),
])

ITEMS = [{"title": f"Planning officer {n}", "summary": "A secondment opportunity in the "
          "planning team, working with colleagues across the organisation on strategy.",
          "department": f"Department {n % 20}", "location": "Leeds", "grade": "Band 6",
          "closing": "closes in 12 days, on 15 December 2026 at midnight"}
         for n in range(20)]



@app.get("/floor")
def floor():
    return render_template("floor.html", items=ITEMS)
