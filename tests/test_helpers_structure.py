"""The shape of ``helpers/`` (CONTRIBUTING.md, "Helpers"): one concept per readable module,
listed in the index, dependencies in one direction, no reaching into a sibling's privates."""
import ast
from pathlib import Path

import helpers

HELPERS = Path(helpers.__file__).parent
MODULES = sorted(p for p in HELPERS.rglob("*.py") if p.name != "__init__.py")
#: "About 350 lines": a module a student can read in one sitting. A little over is tolerated.
MAX_LINES = 380


def _name(path: Path) -> str:
    return ".".join(("helpers",) + path.relative_to(HELPERS).with_suffix("").parts)


def _imports(path: Path) -> list[tuple[str, str]]:
    """(imported module, imported name) for every relative import in ``path``."""
    package = _name(path).rsplit(".", 1)[0].split(".")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            found += [(target, alias.name) for alias in node.names]
    return found


def test_every_module_is_short_enough_to_read_in_one_sitting():
    long = {_name(p): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules by concept (at most about {MAX_LINES} lines): {long}"


def test_no_module_imports_a_siblings_private_name():
    private = [(_name(p), target, name) for p in MODULES for target, name in _imports(p) if name.startswith("_")]
    assert not private, f"make these names public (or move the code): {private}"


def test_the_import_graph_has_no_cycle():
    graph = {_name(p): {t for t, _ in _imports(p) if t != _name(p)} for p in MODULES}

    def walk(node, path):
        for nxt in graph.get(node, ()):
            assert nxt not in path, f"import cycle: {' -> '.join(path + [nxt])}"
            walk(nxt, path + [nxt])

    for module in graph:
        walk(module, [module])


def test_the_index_lists_every_module():
    index = helpers.__doc__
    missing = [_name(p) for p in MODULES if "checks" not in _name(p) and f"``{_name(p)}``" not in index]
    assert not missing, f"add these modules to the index in helpers/__init__.py: {missing}"
