"""Data migrations hold a frozen copy of their data and code: the code they run never imports the
apps' modules, so a later change to an app cannot change what an old migration does. (Schema
operations may name a field class or a validator: Django needs those to build the state.)"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["dvpp", "participants", "sessions", "partners", "consent", "outcomes", "evidence"]
APPS += ["coalition", "library"]


def imported_modules(function: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(function):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.append(node.args[0].value)
    return names


def test_code_run_by_a_data_migration_imports_no_app_module():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app / "migrations").glob("[0-9]*.py")):
            tree = ast.parse(path.read_text())
            for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
                for module in imported_modules(function):
                    top, _, rest = module.partition(".")
                    if top in APPS and not rest.startswith("migrations."):
                        found.append(f"{path.relative_to(ROOT)}: {function.name} imports {module}")
    assert found == []
