"""Count the words of each chapter's main path: what a reader meets without opening anything.

Usage (from the book's folder; `make test` runs the check)::

    .venv/bin/python tools/main_path_words.py chapters/*.ipynb          # print the counts
    .venv/bin/python tools/main_path_words.py --check chapters/*.ipynb  # and fail above the limit

The main path of a chapter is the prose of its markdown cells as the book renders it,
without:

- code cells (their code and their outputs);
- solutions: cells tagged ``solution`` and every cell from a ``{solution-start}`` to its
  ``{solution-end}``;
- markdown cells tagged ``remove-cell`` or ``remove-input`` (the book does not show them);
- the body of every collapsed box: a ``{dropdown}`` directive, or any directive whose
  ``:class:`` option contains ``dropdown`` ("Going deeper" and "Python note" boxes). Their
  titles stay visible, so their titles count;
- code blocks, display math, directive options, target labels ``(label)=`` and HTML comments.

Inline code, inline math and a citation count as one word each; a link counts the words of
its text. The count is an estimate of reading time (about 170 words a minute for technical
prose), not a typesetting measure: it is the same for everyone and cheap to recompute.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# At about 170 words a minute, 2,500 words read in about 15 minutes.
MAIN_PATH_LIMIT = 2500

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,}|~{3,})\s*(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:(\s.*)?$")
_LABEL = re.compile(r"^\s*\([\w:.-]+\)=\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`]*)`")
_INLINE_MATH = re.compile(r"\$[^$\n]+\$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")


def _is_collapsed(name: str, options: list[str]) -> bool:
    if name in {"dropdown", "solution", "toggle"}:
        return True
    for option in options:
        key, _, value = option.strip().partition(":")[2].partition(":")
        if key == "class" and "dropdown" in value.split():
            return True
    return False


def _visible_lines(source: str) -> list[str]:
    """The lines of one markdown cell a reader sees without opening a collapsed box."""
    lines = source.splitlines()
    visible: list[str] = []
    # Each open fence: (fence string, whether its body is hidden from the main path).
    stack: list[tuple[str, bool]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        hidden = any(is_hidden for _, is_hidden in stack)
        match = _FENCE.match(line)
        if match:
            fence, info = match["fence"], match["info"].strip()
            if stack and fence[0] == stack[-1][0][0] and len(fence) >= len(stack[-1][0]) and not info:
                stack.pop()                        # the closing fence of the innermost block
                i += 1
                continue
            directive = _DIRECTIVE.match(info)
            if directive is None:                  # a plain code block (```python or ```)
                stack.append((fence, True))
                i += 1
                continue
            name, argument = directive["name"], directive["argument"]
            options = []
            j = i + 1
            while j < len(lines) and _OPTION.match(lines[j]):
                options.append(lines[j])
                j += 1
            body_hidden = _is_collapsed(name, options) or name in {"math", "code", "code-block", "code-cell"}
            if not hidden and argument:
                visible.append(argument)           # a box's title is on the main path
            stack.append((fence, body_hidden))
            i = j
            continue
        if line.strip().startswith("$$"):
            # display math: skip up to the closing $$ (possibly on the same line)
            rest = line.strip()[2:]
            if "$$" not in rest:
                i += 1
                while i < len(lines) and "$$" not in lines[i]:
                    i += 1
            i += 1
            continue
        if not hidden and not _LABEL.match(line) and not _TABLE_RULE.match(line):
            visible.append(line)
        i += 1
    return visible


def count_words(text: str) -> int:
    """Words in rendered prose: inline code, math and roles count as one word each."""
    text = _COMMENT.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _ROLE.sub(" W ", text)
    text = _INLINE_CODE.sub(" W ", text)
    text = _INLINE_MATH.sub(" W ", text)
    return sum(1 for token in text.split() if _WORD.search(token))


def main_path_words(notebook: Path | str) -> int:
    """The number of words on the main path of one chapter notebook (see the module docstring)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    total = 0
    in_solution = False
    for cell in cells:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "markdown":
            continue
        if "{solution-start}" in source:
            in_solution = True
        if in_solution:
            if "{solution-end}" in source:
                in_solution = False
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"solution", "remove-cell", "remove-input"}:
            continue
        total += count_words("\n".join(_visible_lines(source)))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 if a chapter's main path is over {MAIN_PATH_LIMIT} words")
    parser.add_argument("--limit", type=int, default=MAIN_PATH_LIMIT)
    args = parser.parse_args(argv)
    over = []
    print(f"Main path words per chapter (limit {args.limit}, about 15 minutes of reading):")
    for notebook in sorted(args.notebooks):
        words = main_path_words(notebook)
        flag = "  OVER THE LIMIT" if words > args.limit else ""
        print(f"  {words:6d}  {notebook.name}{flag}")
        if words > args.limit:
            over.append(notebook.name)
    if args.check and over:
        print(f"Too long: {', '.join(over)}. Move derivations, bounds and extra checks into "
              "collapsed 'Going deeper' boxes (see CONTRIBUTING.md).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
