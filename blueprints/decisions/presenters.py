"""How a decision is put back to its decider to check before its letter is sent: the
rows, with a Change for each, the answers the page carries, and who is told."""

from flask import url_for


def decision_to_check(application, form, *, step: str | None = None,
                      approve: bool = False, appeal: bool = False,
                      overturn: bool = False) -> dict:
    choice = dict(form.decision.choices)[form.decision.data]
    rows = [{"key": form.decision.label.text, "text": choice, "anchor": "decision",
             "what": "your decision"}]
    carried = [("decision", form.decision.data)]
    if appeal:
        rows.append({"key": "Your reasons", "text": form.rationale.data,
                     "anchor": "rationale", "what": "your reasons"})
        carried.append(("rationale", form.rationale.data))
        here = url_for("decisions.decide_appeal", application_id=application.id)
        return {"rows": rows, "carried": carried, "here": here, "to_people_services": True,
                "back_url": url_for("decisions.appeals_to_decide"),
                "back_text": "Appeals to decide",
                "next_step": ("The application reopens where the refusal stopped it."
                              if overturn else "The refusal stands; this is final within "
                              "the secondments process.")}
    if approve:
        rows.append({"key": "Comments", "text": form.comments.data, "anchor": "comments",
                     "what": "your comments"})
        carried.append(("comments", form.comments.data or ""))
    else:
        chosen = form.grounds.data or []
        rows.append({"key": "Grounds for refusing", "anchor": "grounds",
                     "what": "the grounds for refusing",
                     "bullets": [label for key, label in form.grounds.choices
                                 if key in chosen]})
        rows.append({"key": "Your reasons for refusing", "text": form.rationale.data,
                     "anchor": "rationale", "what": "your reasons for refusing"})
        carried += [("grounds", key) for key in chosen]
        carried.append(("rationale", form.rationale.data))
    if not approve:
        next_step = ("The letter tells the applicant that they may appeal, and how.")
    elif step == "support":
        head = application.head_of_department
        next_step = (f"{head.name if head else 'The head of department'} will be asked to "
                     "decide on the release.")
    else:
        next_step = "The application goes to the hiring side for shortlisting."
    return {"rows": rows, "carried": carried, "to_people_services": not approve,
            "here": url_for("decisions.decide_application", application_id=application.id),
            "back_url": url_for("decisions.to_decide"),
            "back_text": "Applications to decide", "next_step": next_step}
