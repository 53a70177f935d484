"""Build, and stop, a test server that runs from Maven Central jars (tests/neo4j_launcher/, tests/es_launcher/): the
jars its `pom.xml` names fetched into `lib/` once per pom version, its Java sources compiled into
`classes/` once per change. Needs Java 17 and Maven (`.ci/run` installs them if missing)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(what: str, command: list[str], **kwargs) -> None:
    """Run a build step; a failure is one line naming the step and the tool's first error line."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        lines = [l.strip() for l in (result.stdout + result.stderr).splitlines() if l.strip()]
        errors = [l for l in lines if "ERROR" in l or "error:" in l] or lines or ["no output"]
        raise RuntimeError(f"{what} failed ({command[0]} exited with {result.returncode}): {errors[0][:300]}")


def ensure_built(folder: Path, sources: list[Path], server: str) -> tuple[Path, Path]:
    """(lib, classes) of the launcher in `folder`, fetched and compiled if they are not up to date."""
    for tool in ("java", "javac", "mvn"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed: the test {server} needs Java 17 and Maven")
    lib, classes = folder / "lib", folder / "classes"
    pom = _digest(folder / "pom.xml")
    stamp = lib / ".pom-sha256"
    if not stamp.exists() or stamp.read_text() != pom:
        shutil.rmtree(lib, ignore_errors=True)
        _run(f"fetching the test {server}'s jars from Maven Central",
             ["mvn", "-q", "-B", "dependency:copy-dependencies", f"-DoutputDirectory={lib}"], cwd=folder)
        stamp.write_text(pom)
    compiled = classes / ".source-sha256"
    if not compiled.exists() or compiled.read_text() != _digest(*sources) + pom:
        shutil.rmtree(classes, ignore_errors=True)
        classes.mkdir()
        _run(f"compiling the test {server}'s launcher",
             ["javac", "-d", str(classes), "-cp", f"{lib}/*", *map(str, sources)])
        compiled.write_text(_digest(*sources) + pom)
    return lib, classes


def stop_launcher(process: subprocess.Popen) -> None:
    """End a launcher (it exits when its stdin closes), killing it if it has not within a minute."""
    if process.poll() is None:
        process.stdin.close()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
