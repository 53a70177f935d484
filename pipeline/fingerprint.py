"""Code fingerprints derived from the code: what a build function runs, followed through the package.

An asset is stale when the code that builds it changes. Rather than a hand-kept list of modules, the
fingerprint follows the build function's references: names it uses from its own module, modules it
imports (inside the function or at the top of its module), attributes it reads from those modules
(`modelcard.parse_card`) and names imported from them (`from pipeline.transform.ids import repo_id`),
and so on through every function, class and constant they use in turn, as long as it lives in the
package. Each symbol counts by its syntax tree (comments, docstrings and layout do not count), and a
module's top-level statements that are not definitions (a regex compiled at import, a loader
configured there) count for any symbol of it that is used. Only code reached by name is seen:
`getattr` or a registry entry made elsewhere is not, which is what an asset's `code=` adds.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE = "pipeline"


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def normalized_code(source: str | ast.AST) -> str:
    """The code's syntax tree without comments, docstrings or formatting: what it does, not how it reads."""
    tree = ast.parse(textwrap.dedent(source)) if isinstance(source, str) else source
    return ast.dump(_strip_docstrings(tree), annotate_fields=False, include_attributes=False)


@dataclass
class _Module:
    """One in-package module, parsed once: its top-level symbols and what names mean in it."""

    name: str
    symbols: dict[str, ast.AST] = field(default_factory=dict)  # def / class / assigned name -> node
    preamble: list[ast.AST] = field(default_factory=list)  # top-level statements that define nothing by name
    modules: dict[str, str] = field(default_factory=dict)  # local name -> in-package module it names
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (module, name there)


_ROOT = Path(__file__).resolve().parent  # the package's own folder: modules are found without importing them
# The frame, not what an asset does: how fingerprints are computed (a build stamping its outputs uses it),
# how files are handed to a build, and the settings object (settings are values: what an asset depends
# on is declared in its `config=` and compared as values).
NOT_FOLLOWED = {("pipeline.registry", "code_fingerprint"), ("pipeline.registry", "checks_fingerprint"),
                ("pipeline.build_context", "BuildContext"), ("pipeline.config", "Settings"),
                ("pipeline.config", "load_settings")}
Ref = tuple  # ("symbol", module, name) or ("module", module)


def _in_package(name: str | None) -> bool:
    return bool(name) and (name == PACKAGE or name.startswith(PACKAGE + "."))


_ROOTS: set[str] = set()  # modules outside the package a closure starts from (a project's own registry)


@lru_cache(maxsize=None)
def _module_file(name: str) -> Path | None:
    if not _in_package(name):
        file = getattr(sys.modules.get(name), "__file__", None) if name in _ROOTS else None
        return Path(file) if file and file.endswith(".py") else None
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    for candidate in (_ROOT / relative.with_suffix(".py") if "." in name else None, _ROOT / relative / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _is_module(name: str) -> bool:
    return _module_file(name) is not None


def _record_import(node: ast.AST, into: _Module) -> None:
    """What an import statement binds, where it binds in-package modules or names."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if _in_package(alias.name):
                into.modules[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else PACKAGE
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and _in_package(node.module):
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            if _is_module(full):
                into.modules[alias.asname or alias.name] = full
            else:
                into.imported[alias.asname or alias.name] = (node.module, alias.name)


def _assigned_names(node: ast.AST) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


@lru_cache(maxsize=None)
def _parse(name: str) -> _Module | None:
    path = _module_file(name)
    if path is None or name == __name__:
        return None
    module = _Module(name)
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            module.symbols[node.name] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            _record_import(node, module)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _assigned_names(node):
            for target in _assigned_names(node):
                module.symbols[target] = node
        elif not (isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant)):
            module.preamble.append(node)  # e.g. `Loader.resolvers = ...`, `if TYPE_CHECKING:`
    return module


def _attribute_chain(node: ast.Attribute) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id] + parts[::-1] if isinstance(node, ast.Name) else None


def _attribute_refs(module_name: str, attributes: list[str]) -> list[Ref]:
    """`pipeline.transform.ids.repo_id`, `modelcard.parse_card`: the submodules walked, then the symbol."""
    refs: list[Ref] = []
    for attribute in attributes:
        sub = f"{module_name}.{attribute}"
        if _is_module(sub):
            module_name = sub
            refs.append(("module", sub))
            continue
        refs.append(("symbol", module_name, attribute))
        break
    return refs


def _references(node: ast.AST, module: _Module) -> list[Ref]:
    """Every in-package thing the node uses: local symbols, imported names and modules, attributes of
    modules, and what imports made inside it bind."""
    local = _Module(module.name, module.symbols, module.preamble, dict(module.modules), dict(module.imported))
    nodes = list(ast.walk(node))
    refs: list[Ref] = []
    for inner in nodes:
        if isinstance(inner, (ast.Import, ast.ImportFrom)):
            _record_import(inner, local)
            for alias in inner.names:
                bound = alias.asname or (alias.name.split(".")[0] if isinstance(inner, ast.Import) else alias.name)
                if bound in local.imported:
                    refs.append(("symbol",) + local.imported[bound])
                elif bound in local.modules:
                    refs.append(("module", local.modules[bound]))
    for inner in nodes:
        if isinstance(inner, ast.Attribute):
            chain = _attribute_chain(inner)
            if chain and chain[0] in local.modules:
                refs += _attribute_refs(local.modules[chain[0]], chain[1:])
        elif isinstance(inner, ast.Name):
            if inner.id in local.imported:
                refs.append(("symbol",) + local.imported[inner.id])
            elif inner.id in local.modules:
                refs.append(("module", local.modules[inner.id]))
            elif inner.id in module.symbols:
                refs.append(("symbol", module.name, inner.id))
    return list(dict.fromkeys(refs))


@lru_cache(maxsize=None)
def _symbol(module_name: str, symbol: str) -> tuple[str | None, tuple[Ref, ...]]:
    """(normalized code or None, references) of one symbol of a module, worked out once per process."""
    module = _parse(module_name)
    if module is None or (module_name, symbol) in NOT_FOLLOWED:
        return None, ()
    if symbol in module.modules:  # a submodule reached as an attribute of its package
        return None, (("module", module.modules[symbol]),)
    if symbol in module.imported:
        return None, (("symbol",) + module.imported[symbol],)
    node = module.symbols.get(symbol)
    if node is None:
        return None, ((("module", f"{module_name}.{symbol}"),) if _is_module(f"{module_name}.{symbol}") else ())
    code = normalized_code(ast.Module(body=[node], type_ignores=[]))
    return code, (("module", module_name),) + tuple(_references(node, module))


@lru_cache(maxsize=None)
def _preamble(module_name: str) -> tuple[str | None, tuple[Ref, ...]]:
    """A module's top-level statements that define nothing by name, and what they use."""
    module = _parse(module_name)
    if module is None or not module.preamble:
        return None, ()
    body = ast.Module(body=module.preamble, type_ignores=[])
    return normalized_code(body), tuple(_references(body, module))


def closure(function) -> dict[str, str]:
    """`module:symbol` -> normalized code of everything in the package a function runs (itself included)."""
    return closure_and_files(function)[0]


def closure_and_files(function) -> tuple[dict[str, str], set[Path]]:
    """The closure, and the files it was read from (what a cached fingerprint must be checked against)."""
    if not _in_package(function.__module__) and function.__module__ not in _ROOTS:
        _ROOTS.add(function.__module__)
        _module_file.cache_clear()
    code: dict[str, str] = {}
    seen: set[Ref] = set()
    stack: list[Ref] = [("symbol", function.__module__, function.__name__)]
    while stack:
        ref = stack.pop()
        if ref in seen:
            continue
        seen.add(ref)
        if ref[0] == "module":  # a module in use: its top-level statements count
            text, refs = _preamble(ref[1])
            key = f"{ref[1]}:<module>"
        else:
            text, refs = _symbol(ref[1], ref[2])
            key = f"{ref[1]}:{ref[2]}"
        if text is not None:
            code[key] = text
        stack.extend(refs)
    files = {_module_file(ref[1]) for ref in seen}
    return code, {f for f in files if f is not None}


class DiskCache:
    """Fingerprints kept between processes (doit computes every asset's on every command): one is reused
    while none of the files it was computed from changed size or mtime."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    @staticmethod
    def _stamp(files) -> dict[str, list[int]]:
        stamps = {}
        for file in files:
            stat = Path(file).stat()
            stamps[str(file)] = [stat.st_mtime_ns, stat.st_size]
        return stamps

    def get(self, key: str) -> str | None:
        entry = self.entries.get(key)
        if not entry:
            return None
        try:
            return entry["digest"] if self._stamp(entry["files"]) == entry["files"] else None
        except OSError:
            return None

    def put(self, key: str, value: str, files) -> None:
        self.entries[key] = {"digest": value, "files": self._stamp(files)}
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        staging.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
        os.replace(staging, self.path)
        self.changed = False


def digest(parts: dict[str, str], extra=()) -> str:
    value = hashlib.sha256()
    for key in sorted(parts):
        value.update(key.encode() + b"\0" + parts[key].encode() + b"\0")
    for item in extra:
        value.update(item.encode() + b"\0")
    return value.hexdigest()


def module_file(name: str) -> Path | None:
    return _module_file(name)


def module_code(name: str) -> str:
    """A whole module's normalized code (for modules an asset names in `code=`: code reached otherwise)."""
    path = _module_file(name)
    if path is None:
        raise ValueError(f"unknown code module {name}")
    return normalized_code(path.read_text(encoding="utf-8"))
