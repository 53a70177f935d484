"""`doit graph CYPHER`: a read-only query on whichever graph target is configured."""

from __future__ import annotations

import json
import sys

from doit.exceptions import InvalidCommand

from pipeline.cli.base import PipelineCommand
from pipeline.config import load_settings
from pipeline.errors import PipelineError


class Graph(PipelineCommand):
    name = "graph"
    raw_words = True  # Cypher is full of `=`
    doc_purpose = "run a read-only Cypher query on the loaded graph (Neo4j at NEO4J_URI, else the embedded graph)"
    doc_usage = "CYPHER"
    cmd_options = ()

    def execute(self, params, args):
        from pipeline.load.graph import query_graph
        if not args:
            raise InvalidCommand('give a Cypher query, e.g. doit graph "MATCH (m:MLModel) RETURN count(m)"')
        try:
            rows = query_graph(load_settings(), " ".join(args))
        except PipelineError as exc:
            sys.stderr.write(f"graph query failed: {exc}\n")
            return 1
        except Exception as exc:  # the engine's own error for a bad query: show it, not a traceback
            sys.stderr.write(f"graph query failed: {exc.__class__.__name__}: {str(exc).splitlines()[0]}\n")
            return 1
        for row in rows:
            self.outstream.write("\t".join(json.dumps(v, default=str) if not isinstance(v, str) else v for v in row) + "\n")
        return 0
