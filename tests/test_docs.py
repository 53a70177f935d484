"""The docs keep up with the code: every command, option and setting is documented, and links resolve."""

import re
import tomllib
from dataclasses import fields
from importlib import import_module

import pytest

from pipeline.config import _TARGET_VARIABLES, Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text()
DOCS = {path.name: path.read_text() for path in sorted((REPO / "docs").glob("*.md"))}
ALL = README + "\n".join(DOCS.values())
COMMANDS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["doit"]["plugins"]["command"]


def _command(name: str):
    module, _, cls = COMMANDS[name].partition(":")
    return getattr(import_module(module), cls)


@pytest.mark.parametrize("name", ["run", "list", *COMMANDS])
def test_every_command_is_in_the_readme_command_table(name):
    table = README.split("## Everyday commands", 1)[1].split("\n## ", 1)[0]
    spelled = "`doit`" if name == "run" else f"`doit {name}"
    assert spelled in table, f"doit {name} is not in the README's command table"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_option_of_a_command_is_documented(name):
    for option in _command(name).cmd_options:
        flags = [f"--{option['long']}"] + ([f"-{option['short']}"] if option.get("short") else [])
        assert any(re.search(r"`[^`]*" + re.escape(flag) + r"\b", ALL) for flag in flags), \
            f"doit {name} {flags[0]} is in no document"


def test_every_setting_is_in_the_configuration_guide():
    guide = DOCS["configuration.md"]
    special = {"hf_offline": "HF_HUB_OFFLINE", "hf_endpoint": "HF_ENDPOINT", "hf_token": "HF_TOKEN"}
    for setting in fields(Settings):
        if setting.name == "root":
            continue
        if setting.name in special:
            variable = special[setting.name]
        elif setting.name in _TARGET_VARIABLES:
            variable = setting.name.upper()
        else:
            variable = f"MLENTORY_{setting.name.upper()}"
        assert f"`{variable}`" in guide, f"{variable} is not in docs/configuration.md"


@pytest.mark.parametrize("name", ["README.md", *DOCS])
def test_links_to_files_and_headings_resolve(name):
    path = REPO / name if name == "README.md" else REPO / "docs" / name
    text = path.read_text()
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if "://" in target or target == "...":  # `[X](...)`: prose quoting a card
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.exists(), f"{name} links to {target}, which does not exist"
        if anchor and linked.suffix == ".md":
            headings = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                        for h in re.findall(r"^#+ (.+)$", linked.read_text(), re.M)}
            assert anchor in headings, f"{name} links to {target}: no such heading"
