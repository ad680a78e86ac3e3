"""The layout's rules, each a test that names what breaks it: no import cycle among the
project's modules (imports inside functions and under TYPE_CHECKING count), package roots
that import nothing, modules under 500 lines, and an orchestration that knows the
simulators only through their public modules. The layers themselves are import-linter
contracts (pyproject.toml, `make lint`); these are the rules it has no contract type for.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("simcore", "okta_sim", "cybozu_sim", "lab", "bench")
SIMULATORS = ("okta_sim", "cybozu_sim")
MAX_LINES = 500
# What the orchestration may import of a simulator: its public module, and (lab.wiring only) its factory.
PUBLIC = {f"{sim}.public" for sim in SIMULATORS}
FACTORIES = {f"{sim}.app" for sim in SIMULATORS}
WIRING = "lab.wiring"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(graph: grimp.ImportGraph, module: str) -> set[str]:
    """What importing ``module`` runs: the modules it imports and, for each, its parent packages."""
    found = set()
    for imported in graph.find_modules_directly_imported_by(module):
        parts = imported.split(".")
        found.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    found.discard(module)
    return {m for m in found if m in graph.modules and not module.startswith(m + ".")}


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    edges = {m: sorted(imports_of(graph, m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_among_the_projects_modules(graph: grimp.ImportGraph) -> None:
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    """The check above cannot pass by finding nothing: a two-module cycle through a lazy import is caught."""
    package = tmp_path / "cyclic_example"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic_example import b\n")
    (package / "b.py").write_text("def later():\n    from cyclic_example import a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        assert cycles(grimp.build_graph("cyclic_example", cache_dir=None)) == [
            ["cyclic_example.a", "cyclic_example.b"]
        ]
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.parametrize("path", [p for p in sources() if p.name == "__init__.py"], ids=module_name)
def test_a_package_root_imports_nothing(path: Path) -> None:
    """Importing any module runs its package roots: an import there makes cycles with the views."""
    tree = ast.parse(path.read_text())
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) and n.module != "__future__"]
    assert imports == [], f"{path.relative_to(ROOT)} imports {[ast.unparse(n) for n in imports]}"


@pytest.mark.parametrize("path", sources(), ids=module_name)
def test_no_module_over_500_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it along its seams"


def test_the_orchestration_knows_the_simulators_only_through_their_public_modules(
    graph: grimp.ImportGraph,
) -> None:
    wrong = []
    for module in sorted(graph.find_descendants("lab") | {"lab"}):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.split(".")[0] not in SIMULATORS:
                continue
            allowed = PUBLIC | (FACTORIES if module == WIRING else set())
            if imported not in allowed:
                lines = [d["line_number"] for d in graph.get_import_details(importer=module, imported=imported)]
                wrong.append(f"{module} imports {imported} (line {', '.join(map(str, lines))})")
    assert wrong == []
