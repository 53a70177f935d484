"""`doit lineage [ASSET]`: the asset graph as text, mermaid or dot."""

from __future__ import annotations

from doit.cmd_base import DoitCmdBase
from doit.exceptions import InvalidCommand

from pipeline.cli.base import OptionsAnywhere, format_option
from pipeline.runs import lineage, status


class Lineage(OptionsAnywhere, DoitCmdBase):
    name = "lineage"
    doc_purpose = "the asset graph (or one asset's upstream and downstream) as text, mermaid or dot"
    doc_usage = "[ASSET]"
    cmd_options = (format_option("text", "mermaid", "dot"),)

    def _execute(self, pos_args=None, format="text"):
        upstream = {t.name: list(t.meta["upstream"]) for t in status.asset_level_tasks({t.name: t for t in self.task_list})}
        if pos_args:
            try:
                upstream = lineage.neighbourhood(upstream, pos_args[0])
            except KeyError as exc:
                raise InvalidCommand(exc.args[0]) from None
        render = {"text": lineage.text, "mermaid": lineage.mermaid, "dot": lineage.dot}[format]
        self.outstream.write(render(upstream) + "\n")
        return 0
