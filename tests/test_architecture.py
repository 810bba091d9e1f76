"""The layering rules of DESIGN.md and the one shape of docs/architecture.md, checked on the
source so that a shortcut fails the build: a view checks access first, reads input through a
form, changes data through an action and shows it through queries and presenters; layers import
only downwards. A rule that has a good reason to bend says so in ALLOWED."""

import ast
import inspect
import textwrap
from pathlib import Path

import pytest

from tests.routes import routes

PACKAGE = Path(__file__).resolve().parent.parent / "familyfeedback"


# Lowest first: a module imports only from its own layer and those before it.
LAYERS = ["measures", "stats", "lib", "accounts", "casework", "implementation", "evaluation",
          "privacy", "demo"]
PURE = {"measures", "stats"}
MAX_VIEW_LINES = 30
RELATED_QUERIES = {"all", "filter", "get", "exclude", "count", "first", "exists", "values_list",
                   "create", "update", "delete"}
# A form's or request's own dictionaries, not managers.
NOT_MANAGERS = {"cleaned_data", "data", "errors", "GET", "POST", "FILES", "META", "session"}

ALLOWED = {
    ("health", "access"): "a load balancer's probe: public by design, and it shows nothing",
    ("family_guide", "access"): "the families' guide: public, linked from a phone's page, and "
                                "it shows nothing of anyone's",
    ("survey_link", "access"): "a personal link: the token is the check, once "
                               "(follow_survey_link); it lets its holder in for the session",
    ("survey_by_link", "access"): "after a personal link: the link kept in the session is the "
                                  "check, again on every page (respondent_by_link)",
    ("survey_link_answer", "access"): "after a personal link: the link kept in the session is "
                                      "the check (respondent_by_link)",
    ("reminders", "access"): "a signed-in person's own choice: signing in is the check",
    ("oidc_authentication_init", "access"): "the way in: mozilla-django-oidc's view, whose "
                                             "dispatch asks access.single_sign_on first",
    ("oidc_authentication_callback", "access"): "the way in, as oidc_authentication_init",
    ("sso_refused", "access"): "for someone the provider vouched for but nobody invited: they "
                               "are not signed in, and it shows nothing of theirs",
    ("feedback_link", "access"): "a self-completion link opened on a family member's phone: the "
                                 "token is the check (followed_link), and it opens one form once",
    ("feedback_thanks", "access"): "the thank-you after a self-completion link: it shows nothing "
                                   "of anyone",
    ("accept_invitation", "access"): "a set-up link: the token is the check (invited_person)",
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_views_never_use_a_model_manager_directly():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "views" not in path.parts and path.name != "views.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def url_views():
    for route in routes():
        view = inspect.unwrap(route.callback)
        if view.__module__.startswith("familyfeedback") and inspect.isfunction(view):
            yield route.name, view


def problems_of(view) -> list[str]:
    node = ast.parse(textwrap.dedent(inspect.getsource(view))).body[0]
    body = [s for s in node.body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    found = []
    if body[-1].end_lineno - body[0].lineno + 1 > MAX_VIEW_LINES:
        found.append("over 30 lines")
    for part in ast.walk(node):
        if _reads_request_by_key(part):
            found.append("reads GET by key" if "GET" in ast.unparse(part) else
                         "reads POST by key")
        if isinstance(part, ast.Attribute) and part.attr == "objects":
            found.append("uses a model manager")
        if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute):
            owner = part.func.value
            if isinstance(owner, ast.Name) and owner.id == "audit":
                found.append("writes the audit log itself")
            if (part.func.attr in RELATED_QUERIES and isinstance(owner, ast.Attribute)
                    and owner.attr not in NOT_MANAGERS | {"objects"}):
                found.append(f"queries a related manager ({ast.unparse(part.func)})")
    decorators = {ast.unparse(d) for d in node.decorator_list}
    if "login_not_required" in decorators or not _checks_access_first(body[0], view):
        found.append("access")
    return sorted(set(found))


def _reads_request_by_key(part) -> bool:
    def is_request_data(expr):
        return (isinstance(expr, ast.Attribute) and expr.attr in ("GET", "POST")
                and isinstance(expr.value, ast.Name) and expr.value.id == "request")

    if isinstance(part, ast.Subscript):
        return is_request_data(part.value)
    if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute):
        return is_request_data(part.func.value) and part.func.attr not in ("copy", "urlencode")
    if isinstance(part, ast.Compare):
        return any(is_request_data(c) for c in part.comparators)
    return False


def _checks_access_first(statement, view) -> bool:
    """The view's first statement calls an access helper: a function from an `access` module."""
    for part in ast.walk(statement):
        if isinstance(part, ast.Call):
            name = ast.unparse(part.func).split(".")[0]
            called = view.__globals__.get(name)
            module = getattr(called, "__module__", "") or ""
            if module.endswith(".access"):
                return True
    return False


@pytest.mark.parametrize(("name", "view"), list(url_views()),
                         ids=lambda v: getattr(v, "__name__", v))
def test_every_view_has_the_one_shape(name, view):
    unexplained = [p for p in problems_of(view) if (name, p) not in ALLOWED]
    assert unexplained == [], f"{view.__module__}.{view.__name__}: {unexplained}"


def test_layers_import_only_downwards():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in LAYERS:
            continue
        for module in imports_of(path):
            if not module.startswith("familyfeedback."):
                if parts[0] in PURE and module.split(".")[0] == "django":
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
                continue
            top = module.split(".")[1]
            if top in LAYERS and (LAYERS.index(top) > LAYERS.index(parts[0])
                                  or (parts[0] in PURE and top != parts[0])):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []


def test_a_view_written_the_wrong_way_is_caught():
    from tests.fixtures.bad_views import shortcut

    assert problems_of(shortcut) == [
        "access", "queries a related manager (family.people.all)", "reads POST by key",
        "uses a model manager", "writes the audit log itself"]
