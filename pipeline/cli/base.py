"""What every command plugin shares: options anywhere on the line, raw words for queries, output to
`outstream` (so tests run a command in-process and read what it printed), a quiet end on a closed pipe."""

from __future__ import annotations

import os
import sys

from doit.cmd_base import Command
from doit.exceptions import InvalidCommand

from pipeline.config import load_settings
from pipeline.errors import SettingsError
from pipeline.runs.history import History


def opt(name, default, help_text, kind=str, short="", choices=None) -> dict:
    """A doit command option whose long flag is its name."""
    option = {"name": name, "short": short, "long": name.replace("_", "-"), "type": kind, "default": default,
              "help": help_text}
    if choices:
        option["choices"] = tuple((choice, "") for choice in choices)
    return option


def format_option(*forms: str) -> dict:
    return opt("format", forms[0], " or ".join(forms), choices=forms)


def run_history() -> History:
    """The project's run history (data/.doit/history.sqlite3 under the current project)."""
    return History(load_settings().paths.run_history)


def _reader_gone() -> None:
    """The reader of stdout went away (`doit logs | head`): send the rest of the output nowhere, so
    neither this command nor Python's exit flush fails on it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class OptionsAnywhere:
    """doit parses options only before the first positional argument; accept them after it too.

    A command with `raw_words` reads its words from the command line itself: doit turns every
    `name=value` word into a variable before a command sees it, and queries are full of `=`.
    Output into a pipe closed early (`| head`) ends the command quietly, without a traceback."""

    raw_words = False

    def parse_execute(self, in_args):
        try:
            result = self._parse_execute(in_args)
            self.outstream.flush()
            return result
        except SettingsError as exc:  # one line, as for a bad option
            raise InvalidCommand(f"{exc} (from the environment, .env or pyproject.toml [tool.mlentory])") from None
        except BrokenPipeError:
            _reader_gone()
            return 0

    def _raw_args(self, in_args):
        argv = sys.argv[1:]
        if self.raw_words and self.name in argv:
            return argv[argv.index(self.name) + 1:]
        return in_args

    def _parse_execute(self, in_args):
        in_args = self._raw_args(in_args)
        takes_value = {}
        for option in self.get_options():
            for flag in (f"--{option.long}" if option.long else None, f"-{option.short}" if option.short else None):
                if flag:
                    takes_value[flag] = option.type is not bool
        options, words, index = [], [], 0
        while index < len(in_args):
            token = in_args[index]
            flag = token.split("=", 1)[0]
            if flag in takes_value:
                options.append(token)
                if takes_value[flag] and "=" not in token and index + 1 < len(in_args):
                    options.append(in_args[index + 1])
                    index += 1
            else:
                words.append(token)
            index += 1
        return super().parse_execute(options + words)


class PipelineCommand(OptionsAnywhere, Command):
    """A command that needs no tasks (doit's `Command`), printing to `outstream` like doit's own."""

    def __init__(self, *args, outstream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.outstream = outstream or sys.stdout

    def write(self, text: str) -> None:
        self.outstream.write(text + "\n")
