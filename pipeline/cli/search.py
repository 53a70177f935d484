"""`doit search QUERY`: the loaded catalog's search, from whichever search target is configured."""

from __future__ import annotations

import sys

from pipeline.cli.base import PipelineCommand, opt
from pipeline.config import load_settings
from pipeline.errors import PipelineError


class Search(PipelineCommand):
    name = "search"
    raw_words = True
    doc_purpose = "search the loaded catalog (Elasticsearch at ELASTICSEARCH_URL, else the embedded index)"
    doc_usage = "QUERY..."
    cmd_options = (opt("limit", 10, "how many models", kind=int, short="n"),
                   opt("task", None, "only models with this ML task"),
                   opt("license", None, "only models with this license"))

    def execute(self, params, args):
        from pipeline.load.search import format_results, search_models
        filters = {k: params[k] for k in ("task", "license") if params[k]}
        try:
            hits, facets, _ = search_models(load_settings(), " ".join(args), params["limit"], filters)
        except PipelineError as exc:
            sys.stderr.write(f"search failed: {exc}\n")
            return 1
        self.outstream.write(format_results(hits, facets) + "\n")
        return 0
