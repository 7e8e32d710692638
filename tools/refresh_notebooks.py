"""Re-run chapter notebooks top to bottom and save them with fresh outputs.

Usage: python tools/refresh_notebooks.py [--force] chapters/01_*.ipynb [...]
(`make refresh` runs it on every chapter, `make refresh FORCE=1` adds ``--force``,
`make refresh NOTEBOOKS=chapters/03_pacemakers.ipynb` runs only that one.)

Each notebook runs in a new kernel (``python3``) from its own folder, exactly as nbval runs
it, so the stored outputs are the ones the strict nbval check expects. Per-cell timing
metadata is not recorded, ``language_info`` keeps only the language name and consecutive
printed outputs are joined into one (how they are split depends on timing), so a refresh
that changes no output changes no byte. Run it through ``make refresh``, which also sets
``NPY_DISABLE_CPU_FEATURES`` (see the Makefile) so the numbers do not depend on the CPU.

All or nothing: every notebook is executed first, in memory. Only when all of them ran
without an error are they written (each file atomically). If a cell fails, no notebook is
written and the message names the notebook and the cell; every requested notebook is still
run, so one pass reports every failure.

Nothing unsaved is overwritten. Before running anything it refuses, unless ``--force``,
every notebook whose file holds changes git does not have: a file git does not track, or one
that differs from the version in git's index (the last commit, or what ``git add`` stored).
Stage or commit the notebook first; afterwards ``git diff`` shows exactly what the refresh
changed and ``git checkout -- FILE`` undoes it. And if a notebook's file changes on disk
while the notebooks run (saved from Jupyter, say), nothing is written.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
TIMEOUT = 900  # seconds per cell, as in `make nbval`


class RefreshFailed(Exception):
    """A cell of a notebook raised (or timed out, or the kernel died) during the refresh."""

    def __init__(self, path: Path, cell_index: int | None, cell_source: str, error: str):
        self.path, self.cell_index, self.cell_source, self.error = path, cell_index, cell_source, error
        super().__init__(self.describe())

    def describe(self) -> str:
        if self.cell_index is None:
            return f"{self.path}: could not run ({self.error})"
        first_line = next((ln for ln in self.cell_source.splitlines() if ln.strip()), "")
        return (f"{self.path}: cell {self.cell_index} failed (cells counted from 0, markdown included; "
                f"it starts with `{first_line.strip()[:80]}`):\n    {self.error}")


@dataclass(frozen=True)
class Unsaved:
    """A notebook whose current file git could not give back after a refresh."""

    path: Path
    reason: str


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)


def unsaved_in_git(paths: list[Path]) -> list[Unsaved]:
    """The notebooks among ``paths`` whose file differs from what git holds (index or commit)."""
    found = []
    for path in paths:
        folder, name = path.resolve().parent, path.name
        try:
            inside = _git(folder, "rev-parse", "--is-inside-work-tree")
        except FileNotFoundError:
            found.append(Unsaved(path, "git is not installed, so no earlier version could be restored"))
            continue
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            found.append(Unsaved(path, "is not in a git repository, so no earlier version could be restored"))
        elif _git(folder, "ls-files", "--error-unmatch", "--", name).returncode != 0:
            found.append(Unsaved(path, "is not tracked by git (new, or ignored)"))
        elif _git(folder, "diff", "--quiet", "--", name).returncode != 0:
            found.append(Unsaved(path, "has changes that are neither committed nor staged"))
    return found


def execute(path: Path):
    """Run notebook ``path`` top to bottom in a fresh ``python3`` kernel started in the
    notebook's folder; return the executed notebook (the file is not touched).

    Raises:
        RefreshFailed: a cell raised (cells tagged ``raises-exception`` may), timed out, or the
            kernel died; it names the cell.
    """
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    running: dict[str, int | None] = {"index": None}

    def note_cell(cell, cell_index, **_):
        running["index"] = cell_index

    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.resolve().parent)}},
        on_cell_execute=note_cell,
    )
    try:
        client.execute()
    except Exception as err:  # CellExecutionError, CellTimeoutError, DeadKernelError, kernel start-up
        index = running["index"]
        source = nb.cells[index].source if index is not None else ""
        if isinstance(err, CellExecutionError):
            error = f"{err.ename}: {err.evalue}"
        else:
            error = f"{type(err).__name__}: {err}".strip()
        raise RefreshFailed(path, index, source, error) from err
    # language_info carries the exact Python patch version; keep only what is stable.
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return nb


def merge_streams(outputs: list) -> list:
    """Join consecutive ``stdout`` (or ``stderr``) outputs into one, as Jupyter shows them.

    How a cell's printing is split into stream messages depends on timing (a busy machine
    splits more), so without this the stored notebook, and the book's page, would change
    from one refresh to the next. nbval joins them the same way before comparing.
    """
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def notebook_bytes(nb) -> bytes:
    """The bytes ``nbformat.write`` would write for ``nb``."""
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refresh_all(paths: list[Path], force: bool = False, log=print) -> int:
    """Refresh ``paths`` all or nothing. Returns the exit status: 0 all written, 1 a notebook
    failed or changed while running (nothing written), 2 refused (nothing run, nothing written)."""
    missing = [p for p in paths if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        log("refresh refused: not a notebook file: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    if not force:
        unsaved = unsaved_in_git(paths)
        if unsaved:
            log("refresh refused: it would rewrite notebooks whose current state git could not give back:",
                file=sys.stderr)
            for item in unsaved:
                log(f"  {item.path} {item.reason}", file=sys.stderr)
            log("Nothing was run or written. Stage them first (`git add FILE`; afterwards `git diff FILE` shows "
                "what the refresh changed and `git checkout -- FILE` undoes it), or commit them, "
                "or run again with `make refresh FORCE=1` (`--force`) to rewrite them anyway.",
                file=sys.stderr)
            return 2
    before = {p: p.read_bytes() for p in paths}
    executed, failures = {}, []
    for number, path in enumerate(paths, start=1):
        log(f"running {path} ({number}/{len(paths)}) ...", flush=True)
        try:
            executed[path] = notebook_bytes(execute(path))
        except RefreshFailed as err:
            failures.append(err)
            log(f"  FAILED: {err.describe()}", file=sys.stderr)
    if failures:
        log("", file=sys.stderr)
        log(f"refresh failed in {len(failures)} of {len(paths)} notebooks; no notebook was written, "
            "every file is exactly as it was:", file=sys.stderr)
        for err in failures:
            log("  " + err.describe(), file=sys.stderr)
        log("Fix the cell (or tag it `raises-exception` if it is meant to fail, see CONTRIBUTING.md) "
            "and run the refresh again.", file=sys.stderr)
        return 1
    changed = [p for p in paths if p.read_bytes() != before[p]]
    if changed:
        log("refresh not written: these notebooks changed on disk while the refresh ran "
            "(saved from Jupyter?): " + ", ".join(map(str, changed)), file=sys.stderr)
        log("No notebook was written. Save and close them, then run the refresh again.", file=sys.stderr)
        return 1
    for path in paths:
        if executed[path] == before[path]:
            log(f"unchanged {path}")
            continue
        _atomic_write(path, executed[path])
        log(f"refreshed {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Re-run notebooks top to bottom and save their outputs, all or nothing.")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK.ipynb")
    parser.add_argument("--force", action="store_true",
                        help="also rewrite notebooks with changes git does not have")
    args = parser.parse_args(argv)
    return refresh_all(args.notebooks, force=args.force)


if __name__ == "__main__":
    sys.exit(main())
