"""`doit sparql QUERY`: a SPARQL query on the embedded RDF store the `hf_rdf` asset loads."""

from __future__ import annotations

import csv
import json
import sys

from doit.exceptions import InvalidCommand

from pipeline.cli.base import PipelineCommand, format_option
from pipeline.config import load_settings
from pipeline.errors import PipelineError

FORMATS = ("table", "json", "csv")


def render(variables: list[str], rows: list[list[str]], form: str, out) -> None:
    if form == "json":
        out.write(json.dumps([dict(zip(variables, row)) for row in rows], ensure_ascii=False) + "\n")
    elif form == "csv":
        writer = csv.writer(out)
        writer.writerow(variables)
        writer.writerows(rows)
    else:
        widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
        out.write("  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip() + "\n")
        for row in rows:
            out.write("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' * (len(rows) != 1)})\n")


class Sparql(PipelineCommand):
    name = "sparql"
    doc_purpose = "run a SPARQL query on the catalog's RDF store (built by the hf_rdf asset)"
    doc_usage = "QUERY"
    raw_words = True  # SPARQL is full of `=`
    doc_description = ("Prefixes schema:, fair4ml: and mlentory: are declared for you. Example: doit sparql "
                       "\"SELECT ?m WHERE { ?m fair4ml:fineTunedFrom ?b . ?b schema:url "
                       "<https://huggingface.co/Qwen/Qwen2.5-1.5B> }\"")
    cmd_options = (format_option(*FORMATS),)

    def execute(self, params, args):
        from pipeline.load import rdf_store

        words = list(args)
        if not words:
            raise InvalidCommand('give a SPARQL query, e.g. doit sparql "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"')
        settings = load_settings()
        store = rdf_store.SparqlStore(settings.paths.sparql_store)
        if not (store.path / rdf_store.LOADED_FILE).exists():
            sys.stderr.write("the SPARQL store is empty: build it with `doit hf_rdf`\n")
            return 1
        prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in rdf_store.PREFIXES.items())
        try:
            store.open()
            variables, rows = rdf_store.rows(store.query(prefixes + " ".join(words)))
        except PipelineError as exc:
            sys.stderr.write(f"sparql query failed: {exc}\n")
            return 1
        finally:
            if getattr(store, "_store", None) is not None:
                store.close()
        render(variables, rows, params["format"], self.outstream)
        return 0
