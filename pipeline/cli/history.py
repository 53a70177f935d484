"""`doit history MODEL_ID`: how a model's record changed, version by version, and when."""

from __future__ import annotations

import json
import sys

from doit.exceptions import InvalidCommand

from pipeline.catalog.versions import differences, versions
from pipeline.cli.base import PipelineCommand, format_option
from pipeline.config import load_settings


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


class History(PipelineCommand):
    name = "history"
    doc_purpose = "how a model's record changed: each version with when it was valid, and what changed"
    doc_usage = "MODEL_ID"
    cmd_options = (format_option("text", "json"),)

    def execute(self, params, args):
        words, form = list(args), params["format"]
        if len(words) != 1:
            raise InvalidCommand("give one model id, e.g. doit history google-bert/bert-base-uncased [--format json]")
        found = versions(load_settings(), words[0])
        if not found:
            sys.stderr.write(f"no record of {words[0]} in the catalog or its history (ids are case-sensitive)\n")
            return 1
        if form == "json":
            self.outstream.write(json.dumps(found, ensure_ascii=False, default=str) + "\n")
            return 0
        lines = [f"{words[0]}: {len(found)} version{'s' * (len(found) != 1)}"]
        for version in found:
            until = version["valid_to"] or "now"
            lines.append(f"  {version['valid_from'] or 'before history'}  ..  {until}  ({version['change']})")
        for before, after in zip(found, found[1:]):
            changes = differences(before["record"], after["record"])
            shown = "; ".join(f"{k}: {_short(a)} -> {_short(b)}" for k, (a, b) in list(changes.items())[:12])
            more = f" (+{len(changes) - 12} more)" if len(changes) > 12 else ""
            lines.append(f"changed at {before['valid_to']}: {shown or 'nothing the record shows'}{more}")
        if found[-1]["change"] == "removed":
            lines.append(f"left the catalog at {found[-1]['valid_to']}")
        self.write("\n".join(lines))
        return 0
