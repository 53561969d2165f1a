"""No import circles anywhere in our code: import-linter checks the order between
modules; this checks that no file imports itself back through any chain."""

from __future__ import annotations

import sys

import grimp

PACKAGES = ("modules", "config", "contracts")


def import_circles() -> list[list[str]]:
    graph = grimp.build_graph(*PACKAGES)
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in imports[module]:
            if imported not in imports:
                continue
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            component = []
            while (member := stack.pop()) != module:
                component.append(member)
            if component:
                circles.append(sorted([module, *component]))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(imports):
        if module not in order:
            visit(module)
    return circles


def test_no_module_imports_itself_back() -> None:
    assert import_circles() == []


def test_a_circle_would_be_found(tmp_path, monkeypatch) -> None:
    package = tmp_path / "circle_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circle_pkg import b\n")
    (package / "b.py").write_text("from circle_pkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ("circle_pkg",))
    assert import_circles() == [["circle_pkg.a", "circle_pkg.b"]]
