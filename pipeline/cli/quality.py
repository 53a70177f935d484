"""`doit quality`: fill rates and every asset check's figure, from the current outputs."""

from __future__ import annotations

import json

from doit.cmd_base import DoitCmdBase
from doit.exceptions import InvalidCommand

from pipeline.cli.base import OptionsAnywhere, format_option, run_history
from pipeline.config import load_settings


class Quality(OptionsAnywhere, DoitCmdBase):
    name = "quality"
    doc_purpose = "the catalog's quality: how full each field is, and every asset check's figures"
    doc_usage = ""
    doc_description = ("Read from the current outputs (nothing is rebuilt): per-field fill rates of the normalized "
                       "records, the relations of derived models, card flags, and each asset check with its figure.")
    cmd_options = (format_option("text", "json"),)

    def _execute(self, pos_args=None, format="text"):
        from pipeline.registry import load_registry
        from pipeline.runs import quality

        refs = {(t.meta or {}).get("registry") for t in self.task_list} - {None}
        self.dep_manager.close()
        if len(refs) != 1:
            raise InvalidCommand("this project's dodo.py declares no asset registry to report on")
        history = run_history()
        try:
            document = quality.report(load_registry(refs.pop()), load_settings(), history)
        finally:
            history.close()
        if format == "json":
            self.outstream.write(json.dumps(document, default=str) + "\n")
        else:
            self.outstream.write(quality.render(document) + "\n")
        return 0
