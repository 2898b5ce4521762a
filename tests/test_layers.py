"""The import rule (ARCHITECTURE.md): a module imports only from its own layer or the layers below.

    core        errors, validate, params, figures, levels, axes, records
    formulas    taf.formulas.*            (pure: numbers and records in, numbers out)
    data        catalog, config_import, rsrc (leaderboard ingestion and scoring), glossary
    quantities  quantities                (one function per quantity)
    recipes     taf.recipes.*             (one module per decision)
    views       profile, compare, diagnose
    boundary    api, cli, report, seed, rsrc.cli, taf/__init__, __main__

Every import statement counts, including ones inside functions (lazy imports)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "py"
LAYERS = ["core", "formulas", "data", "quantities", "recipes", "views", "boundary"]
EXACT = {
    "taf.errors": "core", "taf.validate": "core", "taf.params": "core", "taf.figures": "core",
    "taf.levels": "core", "taf.axes": "core", "taf.records": "core", "taf.catalog": "data", "taf.config_import": "data", "taf.glossary": "data",
    "taf.quantities": "quantities",
    "taf.deployment": "quantities", "taf.corpus": "data", "taf.accuracy": "views",
    "taf.profile": "views", "taf.compare": "views", "taf.diagnose": "views", "taf.api": "boundary",
    "taf.cli": "boundary", "taf.report": "boundary", "taf.seed": "boundary", "taf.rsrc.cli": "boundary",
    "taf": "boundary", "taf.__main__": "boundary",
}
PACKAGES = {"taf.formulas": "formulas", "taf.recipes": "recipes", "taf.rsrc": "data"}


def layer_of(module: str) -> str:
    if module in EXACT:
        return EXACT[module]
    for package, layer in PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return layer
    raise AssertionError(f"{module} has no layer: add it to ARCHITECTURE.md and this test")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported_modules(path: Path, source: str | None = None):
    """(line, module) for every taf module the file imports, relative imports resolved."""
    here = module_name(path)
    package = here if is_package(path) else here.rpartition(".")[0]
    source = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "taf" or alias.name.startswith("taf."):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not (target == "taf" or target.startswith("taf.")):
                continue
            for alias in node.names:  # `from . import catalog` imports the module taf.catalog
                candidate = f"{target}.{alias.name}"
                as_file = ROOT / Path(*candidate.split("."))
                yield node.lineno, candidate if (as_file.with_suffix(".py").is_file() or
                                                 (as_file / "__init__.py").is_file()) else target


SOURCES = sorted(ROOT.joinpath("taf").rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_upward_import(path, source=None):
    mine = LAYERS.index(layer_of(module_name(path)))
    text = path.read_text(encoding="utf-8") if source is None else source
    assert "importlib" not in text and "__import__" not in text, "imports the walker cannot see"
    for line, target in imported_modules(path, text):
        theirs = LAYERS.index(layer_of(target))
        assert theirs <= mine, (f"{path.relative_to(ROOT)}:{line} imports {target} "
                                f"({LAYERS[theirs]}) from the {LAYERS[mine]} layer")


def test_the_walker_sees_lazy_and_relative_imports():
    """The rule would catch the old `taf/formulas/__init__.py`, which imported recipes lazily."""
    probe = ROOT / "taf" / "formulas" / "_layer_probe.py"  # never written: the source is given
    source = "def f():\n    from .. import recipes\n    from ..catalog import gpu\n"
    assert [target for _, target in imported_modules(probe, source)] == ["taf.recipes", "taf.catalog"]
    with pytest.raises(AssertionError):
        test_no_upward_import(probe, source)
    with pytest.raises(AssertionError):
        test_no_upward_import(probe, "import importlib\n")


def test_formulas_export_every_seed_formula_without_upper_layers():
    import taf.formulas as F
    assert not hasattr(F, "__getattr__")  # no lazy door to the layers above
    assert all(callable(getattr(F, name)) for name in F.__all__)
