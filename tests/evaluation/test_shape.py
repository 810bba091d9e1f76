"""The evaluation app keeps casework's shape (issue 9): its views check access first through an
access helper, read input only through forms, change data only through actions, leave queries to
query functions and shaping to presenters; each of its rules is defined once. Read from the
source, so a shortcut fails the build."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent.parent / "familyfeedback" / "evaluation"
VIEWS = sorted((APP / "views").glob("*.py"))
# What the ORM's related managers and querysets are asked in a view that should be a query's.
QUERY_METHODS = {"all", "filter", "exclude", "count", "exists", "first", "values_list",
                 "select_related", "order_by"}


def view_functions():
    for path in VIEWS:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                yield path, node


def where(path: Path, node: ast.AST) -> str:
    return f"{path.name}:{node.lineno}"


def test_views_are_short():
    long = [f"{where(p, f)} {f.name}" for p, f in view_functions()
            if f.end_lineno - f.lineno + 1 > 30]
    assert long == []


def test_views_make_no_queries_and_write_no_audit_entries():
    offenders = []
    for path in VIEWS:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{where(path, node)} .objects")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in QUERY_METHODS
                  and isinstance(node.func.value, ast.Attribute)):
                offenders.append(f"{where(path, node)} .{node.func.value.attr}."
                                 f"{node.func.attr}()")
            elif isinstance(node, ast.ImportFrom) and node.module == "familyfeedback.accounts" \
                    and any(alias.name == "audit" for alias in node.names):
                offenders.append(f"{where(path, node)} imports audit")
    assert offenders == []


# What a view may use of its own app: everything else it needs comes through these.
VIEW_LAYERS = {"access", "actions", "forms", "presenters", "models"}


def test_views_change_data_only_through_actions():
    """A view reaches writes through evaluation.actions alone (reads through presenters)."""
    offenders = []
    for path in VIEWS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "familyfeedback.evaluation":
                names = {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "familyfeedback.evaluation."):
                names = {node.module.split(".")[2]}
            else:
                continue
            offenders += [f"{where(path, node)} {name}" for name in names - VIEW_LAYERS]
    assert offenders == []


def test_views_read_no_request_field_by_hand():
    offenders = []
    for path in VIEWS:
        for node in ast.walk(ast.parse(path.read_text())):
            reads = (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
                     and node.value.attr in ("POST", "GET")) or (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "getlist")
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in ("POST", "GET"))
            if reads:
                offenders.append(where(path, node))
    assert offenders == []


def test_views_refuse_by_raising_not_by_drawing_the_404_page():
    drawn = [where(p, node) for p in VIEWS for node in ast.walk(ast.parse(p.read_text()))
             if isinstance(node, ast.Constant) and node.value == "errors/404.html"]
    assert drawn == []


def test_no_view_uses_a_query_as_its_guard():
    """A bare call whose answer is thrown away (`trials_for(request.user)  # evaluators only`)
    is a query used as a guard: a guard is a require_ helper."""
    guards = [f"{where(p, s)}" for p, f in view_functions() for s in f.body
              if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
              and isinstance(s.value.func, ast.Name)
              and not s.value.func.id.startswith("require_")]
    assert guards == []


def test_every_view_checks_access_first():
    """The first thing a view does is an access helper: a require_ guard, a get_..._for
    object-or-404, a ..._for list of what this user may see, or the survey link's holder."""
    from familyfeedback.evaluation import access

    helpers = {name for name in dir(access) if name.startswith("require_")
               or name.endswith("_for")
               or name in ("follow_survey_link", "respondent_by_link")}
    unchecked = []
    for path, function in view_functions():
        if function.name.startswith("_"):
            continue  # a helper of views, reached only from a view that has checked
        first = function.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            first = function.body[1]  # the docstring
        calls = [n.func.id for n in ast.walk(first)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
        if not any(name in helpers for name in calls):
            unchecked.append(f"{where(path, function)} {function.name}")
    assert unchecked == []


def test_arms_and_waves_are_defined_once():
    definitions: dict[str, list[str]] = {"ARMS": [], "WAVES": []}
    for path in sorted(APP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        named = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id in definitions:
                        definitions[target.id].append(where(path, node))
                        named.add(id(node.value))
            elif id(node) not in named and isinstance(node, ast.List | ast.Tuple) and [
                    getattr(e, "value", None) for e in node.elts] == ["intervention",
                                                                       "comparison"]:
                definitions["ARMS"].append(f"{where(path, node)} (a literal)")
    assert [len(found) for found in definitions.values()] == [1, 1], definitions
