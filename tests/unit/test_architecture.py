"""Facts about the code's shape that keep it easy to change, read from the source:
no import cycle among the portal's modules, the role and permission enums depend on
nothing of the portal, only the mail worker talks SMTP, loaders live in portal/loaders,
and no service module outgrows one concern."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "portal"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PORTAL.rglob("*.py")}


def imported_modules(name: str) -> set[str]:
    """The portal modules `name` imports, at the top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    found.add(f"{base}.{alias.name}")
                elif base in MODULES:
                    found.add(base)
    return found - {name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_among_the_portals_modules():
    assert cycles({name: imported_modules(name) for name in MODULES}) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_roles_and_permissions_import_nothing_of_the_portal():
    assert imported_modules("portal.roles") == set()


def test_only_the_mail_worker_talks_smtp():
    talking = sorted(name for name, path in MODULES.items() if "smtplib" in path.read_text())
    assert talking == ["portal.mail_worker"]


# Blueprint functions that answer 404 for something other than a record: each says why.
NOT_FOUND_WITHOUT_A_RECORD = {
    # An id or page number no column can hold, refused before Flask-Admin parses it.
    "blueprints/admin/views.py: _refuse_hostile_arguments",
    # A sign-in provider the deployment does not have.
    "blueprints/auth/views.py: sign_in",
    # A question page of the opportunity form that does not exist.
    "blueprints/vacancies/views.py: edit_opportunity",
    # An invitation link whose token is unknown, used or expired.
    "blueprints/host/views.py: accept_invitation",
    # A placement with no agreement version yet has no PDF to download.
    "blueprints/placements/agreement.py: agreement_pdf",
}


def _answers_not_found(function: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", "") == "abort"
               and node.args and getattr(node.args[0], "value", None) == 404
               for node in ast.walk(function))


def test_no_blueprint_loads_a_record_itself():
    """Loading a record for a purpose (404 where its existence is private, 403 where
    the action is not theirs) is portal/loaders' job, not a view's."""
    found = {f"{path.relative_to(ROOT)}: {node.name}"
             for path in (ROOT / "blueprints").rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.FunctionDef) and _answers_not_found(node)}
    assert found == NOT_FOUND_WITHOUT_A_RECORD


def test_no_service_module_outgrows_one_concern():
    sizes = {str(path.relative_to(ROOT)): len(path.read_text().splitlines())
             for path in (PORTAL / "services").rglob("*.py")}
    assert {path: lines for path, lines in sizes.items() if lines > 300} == {}


def test_pages_ask_the_engine_not_status_strings_or_owner_ids():
    """Buttons and links come from `allowed_actions`; templates and views never compare
    a status string or whose id a record carries."""
    import re

    comparing = re.compile(r"(?<!filters)\.status\s*(==|!=|in\b)|'application\.status'|"
                           r"_id\s*==\s*current_user\.id|current_user\.id\s*==")
    found = [f"{path.relative_to(ROOT)}:{n}"
             for folder, pattern in (("templates", "*.html"), ("blueprints", "*.py"))
             for path in (ROOT / folder).rglob(pattern)
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if comparing.search(line)]
    assert found == []
