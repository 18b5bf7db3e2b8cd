"""The package's shape, as issue 13 asks for it: the library never names a command-line
option (the CLI adds it), no module over 500 lines, no import circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "iro_stats"
CLI = PACKAGE / "cli"
OPTION = re.compile(r"(?<![\w-])--[a-z]")  # --profile, not a dash line ("-----") or "a--b"


def modules() -> dict[str, Path]:
    """Return every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def library() -> list[Path]:
    """Return the modules outside the CLI package."""
    return [path for path in modules().values() if CLI not in path.parents]


def docstrings(tree: ast.AST) -> set[int]:
    """Return the ids of the docstring nodes in a module (the words for its readers)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def option_texts(path: Path) -> list[str]:
    """Return the string literals of a module, docstrings aside, that name an option."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return [f"{path.name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip and OPTION.search(node.value)]


def test_the_scan_finds_an_option_in_a_message_but_not_in_a_docstring(tmp_path):
    path = tmp_path / "example.py"
    path.write_text('"""Read with --profile."""\n\n'
                    'def f(path):\n'
                    '    """Return it; --source says which."""\n'
                    '    # a comment may say --force\n'
                    '    raise ValueError(f"{path}: no header; map it with --profile")\n'
                    'LINE = "-" * 10 + "----"\n', encoding="utf-8")
    assert option_texts(path) == ["example.py:6: ': no header; map it with --profile'"]


def test_no_library_text_names_a_command_line_option():
    # The library says what to fix in words and names the setting (IroStatsError.option);
    # iro_stats/cli adds the option. Committee text never names one either.
    assert [line for path in library() for line in option_texts(path)] == []


def test_every_setting_a_library_error_asks_for_has_its_option_in_the_cli():
    from iro_stats.cli import OPTIONS

    asked = set()
    for path in library():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                asked |= {k.value.value for k in node.keywords if k.arg == "option"
                          and isinstance(k.value, ast.Constant)}
    assert asked and asked <= set(OPTIONS)


def test_no_module_is_over_500_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the package's modules a module imports, anywhere in it but under
    `if TYPE_CHECKING:` (hints only, never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
             and "TYPE_CHECKING" in ast.unparse(node.test) for b in node.body
             for n in ast.walk(b)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m in known and m != name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one circle through each module that is on one (depth-first search)."""
    found, done = [], set()

    def visit(node, trail):
        if node in trail:
            found.append(trail[trail.index(node):] + [node])
            return
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, trail + [node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_import_circle():
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    assert circles(graph) == []
