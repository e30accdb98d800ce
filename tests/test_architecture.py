"""The package's layers (docs/architecture.md): a lower layer never imports a higher one.

Read from the source with ``ast`` (every import, also those inside functions), so a
lazy import cannot hide an upward arrow. Each module is also imported alone in a
fresh interpreter, so none depends on another having been imported first.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "briefgen"

# Lowest first. A unit is a module or sub-package of briefgen (of briefgen.build inside
# the engine); a unit may import its own modules and any unit of a lower layer.
LAYERS: list[set[str]] = [
    {"briefgen", "errors"},
    {"model", "slugs", "files", "links", "yamlsafe", "progress", "cachekey", "leftovers",
     "clock", "sections"},
    {"times"},
    {"taxonomies"},
    {"config", "figures", "leadfigure", "imaging"},
    {"sources", "indexes", "publication"},
    {"annotate", "render", "draft"},
    {"build.parse", "build.heap", "build.swap"},
    {"build.incremental"},
    {"build.write"},
    {"build.parallel"},
    {"build.read"},
    {"build.images"},
    {"build.memory"},
    {"build.changes"},
    {"build.partial"},
    {"build.orchestrator"},
    {"build"},
    {"check", "serve", "publish"},
    {"commands"},
    {"cli"},
    {"__main__"},
]
RANK = {unit: rank for rank, layer in enumerate(LAYERS) for unit in layer}


def unit_of(module: str) -> str:
    """``briefgen.build.incremental.cache`` -> ``build.incremental``; ``briefgen.render.pages``
    -> ``render``; ``briefgen`` -> ``briefgen``."""
    parts = module.split(".")[1:]
    if not parts:
        return "briefgen"
    if parts[0] == "build" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """Every briefgen module ``path`` imports (``from X import name`` counts X.name when
    that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "briefgen"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "briefgen":
            subs = {f"{node.module}.{a.name}" for a in node.names}
            modules = {s for s in subs if _is_module(s)}
            found |= modules or {node.module}
    return found


def _is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_unit_has_a_layer() -> None:
    units = {unit_of(module_name(path)) for path in MODULES}
    assert units <= RANK.keys(), f"give these a layer in LAYERS: {sorted(units - RANK.keys())}"


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for path in MODULES:
        here = unit_of(module_name(path))
        for target in imported(path):
            there = unit_of(target)
            if there != here and RANK[there] >= RANK[here] and there != "briefgen":
                upward.append(f"{module_name(path)} imports {target} ({here} -> {there})")
    assert not upward, "imports that run up or sideways:\n" + "\n".join(upward)


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    """The walk sees imports inside functions too (a lazy import is still an arrow)."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from briefgen.build import Builder\n    return Builder\n")
    assert imported(module) == {"briefgen.build"}
    assert RANK[unit_of("briefgen.build")] > RANK[unit_of("briefgen.render.pages")]


@pytest.mark.parametrize("name", [module_name(p) for p in MODULES
                                  if p.name != "__main__.py"])
def test_each_module_imports_alone(name: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {name}"], check=False, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
