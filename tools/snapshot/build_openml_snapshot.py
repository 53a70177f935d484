"""Write the bundled OpenML snapshot (`pipeline/snapshot/openml/`) from a git copy of `openml/openml-python`,
whose `tests/files/` keeps responses of OpenML's REST API (XML, `/api/v1/xml/...`).

    python -m tools.snapshot.build_openml_snapshot /path/to/openml-python

The snapshot lays the responses out by the API paths that return them (`api/v1/xml/<path>.xml`). Files
are copied byte for byte except `flow/list.xml`: the flow listing is assembled from the flows the copied
responses name, with the values they give (id, full name, name, version, uploader) and nothing else.
PROVENANCE.md lists each file's repository, path and commit.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import xmltodict

OUT = Path(__file__).resolve().parents[2] / "pipeline" / "snapshot" / "openml"
REPO = "openml/openml-python"
# (API path, repository path, commit): recorded responses of OpenML's test server (test.openml.org)
FILES = [
    ("evaluation/list/function/predictive_accuracy",
     "tests/files/mock_responses/studies/publish_study/"
     "get_evaluation_list_function_predictive_accuracy_limit_10000_offset_0_study_157.xml",
     "8de04a455f3ed8fe3a48fa53abb57ca7ba5036ca"),
    ("flow/3", "tests/files/mock_responses/flows/flow_3.xml", "0deb95d68f0e711aea228a2acd094f249ff3e9a1"),
    ("data/20", "tests/files/mock_responses/datasets/data_description_20.xml",
     "984e564b3cb771b6463b332f7f9f91d58b2e2ac4"),
]
_VERSION = re.compile(r"^(?P<name>.*)\((?P<version>\d+)\)$")


def git(mirror: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(mirror), *args], check=True, capture_output=True).stdout


def _items(document: dict, outer: str, inner: str) -> list[dict]:
    found = (document.get(outer) or {}).get(inner) or []
    return found if isinstance(found, list) else [found]


def flow_listing(responses: dict[str, bytes]) -> tuple[bytes, list[str]]:
    """`flow/list` of the flows the responses name: from a flow's own description, else from its runs'
    evaluations (`flow_name` is the flow's full name, `name(version)`)."""
    flows: dict[int, dict] = {}
    for path, body in responses.items():
        document = xmltodict.parse(body)
        if path.startswith("flow/"):
            flow = document["oml:flow"]
            flows[int(flow["oml:id"])] = {"id": flow["oml:id"], "full_name": f"{flow['oml:name']}({flow['oml:version']})",
                                          "name": flow["oml:name"], "version": flow["oml:version"],
                                          "external_version": flow.get("oml:external_version"),
                                          "uploader": flow.get("oml:uploader")}
        elif path.startswith("evaluation/"):
            for evaluation in _items(document, "oml:evaluations", "oml:evaluation"):
                match = _VERSION.match(evaluation["oml:flow_name"])
                flows.setdefault(int(evaluation["oml:flow_id"]), {
                    "id": evaluation["oml:flow_id"], "full_name": evaluation["oml:flow_name"],
                    "name": match["name"] if match else evaluation["oml:flow_name"],
                    "version": match["version"] if match else None, "uploader": evaluation.get("oml:uploader")})
    lines = ['<oml:flows xmlns:oml="http://openml.org/openml">']
    for key in sorted(flows):
        lines.append("  <oml:flow>")
        lines += [f"    <oml:{field}>{escape(value)}</oml:{field}>" for field, value in flows[key].items() if value]
        lines.append("  </oml:flow>")
    lines.append("</oml:flows>")
    return ("\n".join(lines) + "\n").encode(), [str(k) for k in sorted(flows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirror", type=Path, help="a git copy of openml/openml-python")
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    responses = {}
    rows = []
    for api_path, repo_path, commit in FILES:
        body = git(args.mirror, "show", f"{commit}:{repo_path}")
        target = OUT / "api" / "v1" / "xml" / f"{api_path}.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        responses[api_path] = body
        rows.append(f"| `api/v1/xml/{api_path}.xml` | `{repo_path}` | `{commit}` |")
    listing, flow_ids = flow_listing(responses)
    (OUT / "api" / "v1" / "xml" / "flow" / "list.xml").write_bytes(listing)
    lines = ["# Provenance of the bundled OpenML snapshot", "",
             f"Responses of OpenML's REST API kept by `{REPO}` in `tests/files/` (recorded from OpenML's test "
             "server, test.openml.org), copied byte for byte by `python -m tools.snapshot.build_openml_snapshot`.", "",
             "| file here | repository path | commit |", "|---|---|---|", *rows, "",
             f"`api/v1/xml/flow/list.xml` is assembled, not copied: one `oml:flow` per flow the files above name "
             f"({', '.join(flow_ids)}), with the id, full name, name, version, external version and uploader they "
             "give (a flow known only from its runs' evaluations: `flow_name` is `name(version)`)."]
    (OUT / "PROVENANCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(FILES)} responses and a listing of {len(flow_ids)} flows to {OUT}")


if __name__ == "__main__":
    main()
