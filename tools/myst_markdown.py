"""Turn the book's MyST Markdown into plain Markdown for notebooks that leave the book.

The web book renders MyST: ``{exercise}`` directives, ``{term}`` and ``{cite:t}`` roles,
``(label)=`` targets, admonitions and dropdowns. A notebook opened in classic Jupyter, Colab,
VS Code or JupyterLab without ``jupyterlab-myst`` shows all of that as raw text. The student
edition, the student kit and the web book's per-page download therefore pass every markdown
cell through :func:`to_markdown`, a small MyST-to-Markdown converter:

- ``{exercise}`` -> ``### Exercise 3.2 (modify): title`` (numbered as the book numbers them)
  followed by the exercise text;
- admonitions, ``{dropdown}`` and "Going deeper" / "Python note" boxes (backtick or colon
  fences, nested, with ``:class:`` options) -> a blockquote that starts with the bold title;
- ``{math}`` and amsmath environments -> ``$$ ... $$``; ``{figure}``/``{image}`` -> ``![alt](path)``;
- ``{term}`` -> its text; ``{cite:t}`` -> "Author (Year)", ``{cite:p}``/``{cite}`` ->
  "(Author, Year)" from ``references.bib``; ``{ref}``/``{numref}`` -> their text;
- ``(label)=`` lines and ``%`` comments are dropped; ``[text](label)`` becomes a link to the
  notebook that holds the label when that notebook travels along, plain text otherwise;
  links to the book's Markdown pages (``glossary.md``) become plain text;
- "hidden solution" wording is rewritten (the solutions stay in the web book).

Anything it does not know how to convert (``{glossary}``, ``{bibliography}``, ``{toctree}``,
an unknown role or directive, an unknown label) raises :class:`MystConversionError` naming
it: a guess could hand a reader broken markup. :func:`leftovers` finds any MyST markup or
solution wording left in a text, for tests and as a last check before a file is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MystConversionError", "BookIndex", "book_index", "to_markdown",
           "convert_notebook", "leftovers"]


class MystConversionError(ValueError):
    """MyST markup that has no faithful plain-Markdown form (or a broken reference)."""


@dataclass(frozen=True)
class Target:
    """Where a label points: the file that holds it, the text a reference shows, and the
    number ``{numref}`` substitutes for ``%s`` (exercises only)."""

    doc: str            # file name in the chapters folder: "02_lif_two_unit_systems.ipynb", "intro.md"
    title: str
    number: str | None = None


@dataclass
class BookIndex:
    """What the converter needs to know about the whole book."""

    labels: dict[str, Target] = field(default_factory=dict)
    chapter_numbers: dict[str, str] = field(default_factory=dict)   # notebook -> "3"
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (authors, year)
    notebooks: set[str] = field(default_factory=set)   # notebooks that travel together (links stay)


# --- reading the book -------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
LABEL_LINE = re.compile(r"^[ \t]*\((?P<label>[^()\s]+)\)=[ \t]*$")
HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
GRADE = re.compile(r"^(?P<grade>reproduce|modify|design)\s*:\s*(?P<title>.*)$", re.I)


def _markdown_sources(chapters: Path):
    """(file name, list of markdown texts) for every notebook and page in ``chapters``."""
    import nbformat

    for path in sorted(chapters.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        yield path.name, [c.source for c in nb.cells if c.cell_type == "markdown"]
    for path in sorted(chapters.glob("*.md")):
        yield path.name, [path.read_text(encoding="utf-8")]


def _chapter_numbers(toc_path: Path) -> dict[str, str]:
    """Notebook file name -> chapter number, as Jupyter Book numbers the chapters of the
    ``numbered: true`` parts of ``_toc.yml`` (one count across parts)."""
    if not toc_path.exists():
        return {}
    import yaml

    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8")) or {}
    numbers, count = {}, 0
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for chapter in part.get("chapters", []):
            if "file" not in chapter:
                continue
            count += 1
            numbers[Path(chapter["file"]).name] = str(count)
    # a file in the toc names no suffix: the numbers apply to NAME.ipynb and NAME.md
    return {f"{name}{suffix}": n for name, n in numbers.items() for suffix in (".ipynb", ".md")}


def _exercise_number(doc: str, position: int, chapter_numbers: dict[str, str]) -> str:
    chapter = chapter_numbers.get(doc)
    return f"{chapter}.{position}" if chapter else str(position)


def _clean_tex(text: str) -> str:
    """Bib text as a reader sees it: Sj{\\"o}str{\\"o}m -> Sjöström."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec; pybtex depends on it)

    try:
        text = codecs.decode(text, "ulatex")
    except ValueError:
        pass
    return text.replace("{", "").replace("}", "").replace("~", " ").strip()


def read_citations(bib_path: Path) -> dict[str, tuple[str, str]]:
    """Citation key -> ("Bi and Poo", "1998"), as the book's author-year style shows them."""
    if not bib_path.exists():
        return {}
    from pybtex.database import parse_file

    citations = {}
    for key, entry in parse_file(str(bib_path)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_clean_tex(" ".join(p.prelast_names + p.last_names)) for p in people]
        if not names:
            authors = _clean_tex(entry.fields.get("organization", key))
        elif len(names) == 1:
            authors = names[0]
        elif len(names) == 2:
            authors = f"{names[0]} and {names[1]}"
        else:
            authors = f"{names[0]} et al."
        citations[key] = (authors, _clean_tex(entry.fields.get("year", "n.d.")))
    return citations


def _labels_in(doc: str, texts: list[str], chapter_numbers: dict[str, str]) -> dict[str, Target]:
    labels: dict[str, Target] = {}
    exercises = 0
    for text in texts:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            m = LABEL_LINE.match(line)
            if m:
                following = next((l for l in lines[i + 1:] if l.strip()), "")
                h = HEADING.match(following)
                labels[m["label"]] = Target(doc, h["text"].strip() if h else m["label"])
                continue
            f = FENCE.match(line)
            if not f or not f["info"].strip().startswith("{"):
                continue
            name, _, args = f["info"].strip()[1:].partition("}")
            options = {}
            for option_line in lines[i + 1:]:
                o = OPTION.match(option_line.strip())
                if not o:
                    break
                options[o["key"]] = o["value"].strip()
            if name in {"exercise", "exercise-start"}:
                if "nonumber" in options:
                    number, title = None, args.strip()
                else:
                    exercises += 1
                    number = _exercise_number(doc, exercises, chapter_numbers)
                    title = f"Exercise {number}"
                if "label" in options:
                    labels[options["label"]] = Target(doc, title, number)
            elif "label" in options or "name" in options:
                label = options.get("label") or options.get("name")
                labels[label] = Target(doc, args.strip() or label)
    return labels


def book_index(chapters: Path, root: Path | None = None, notebooks: set[str] | None = None) -> BookIndex:
    """Read every label, exercise number and citation of the book in ``chapters``.

    ``root`` (default: the parent of ``chapters``) holds ``_toc.yml`` and ``references.bib``;
    ``notebooks`` are the notebooks that travel together (default: every notebook in
    ``chapters``), so links between them keep working.
    """
    root = chapters.parent if root is None else root
    index = BookIndex(chapter_numbers=_chapter_numbers(root / "_toc.yml"),
                      citations=read_citations(root / "references.bib"))
    for doc, texts in _markdown_sources(chapters):
        index.labels.update(_labels_in(doc, texts, index.chapter_numbers))
    index.notebooks = (set(notebooks) if notebooks is not None
                       else {p.name for p in chapters.glob("*.ipynb")})
    return index


# --- inline markup ----------------------------------------------------------------------

INLINE = re.compile(
    r"(?P<role>\{(?P<name>[A-Za-z][\w:.+-]*)\}(?P<rt>`+)(?P<content>.*?)(?P=rt))"
    r"|(?P<code>(?P<ct>`+).*?(?P=ct))"
    r"|(?P<link>(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\s]*)\))"
)
TEXT_AND_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
URL = re.compile(r"^[a-zA-Z][\w+.-]*:")
CODE_ROLES = {"code", "command", "file", "samp", "program", "envvar", "class", "func", "meth",
              "mod", "attr", "obj", "data", "exc", "option", "literal"}
BOLD_ROLES = {"guilabel", "menuselection"}
SOLUTION_WORDING = [
    (re.compile(r"\ba hidden solution\b"), "a solution (in the web book, not in this notebook)"),
    (re.compile(r"\bhidden solutions\b"), "solutions (in the web book)"),
    (re.compile(r"\bhidden solution\b"), "solution (in the web book)"),
    (re.compile(r"\bsolutions? (is|are) hidden\b"), r"solutions \1 in the web book"),
    (re.compile(r"behind (a|the) [\"“]?Solution[\"”]? buttons?"), "in the web book"),
]


@dataclass
class _Context:
    doc: str
    index: BookIndex
    exercises: int = 0


def _text_and_target(content: str) -> tuple[str, str]:
    m = TEXT_AND_TARGET.match(content.strip())
    return (m["text"].strip(), m["target"].strip()) if m else ("", content.strip())


def _link(text: str, url: str, ctx: _Context) -> str:
    """A Markdown link that works outside the book, or its text."""
    if URL.match(url) or url.startswith("#"):
        return f"[{text}]({url})"
    file, _, _fragment = url.partition("#")
    if file.endswith(".ipynb"):
        name = Path(file).name
        if name == ctx.doc:
            return text
        return f"[{text}]({name})" if name in ctx.index.notebooks else text
    if file.endswith(".md"):
        return text  # a page of the web book (glossary, references): not in this notebook's folder
    target = ctx.index.labels.get(url)
    if target is not None:
        if target.doc == ctx.doc or target.doc not in ctx.index.notebooks:
            return text
        return f"[{text}]({target.doc})"
    if "." in Path(file).name or "/" in file:
        return f"[{text}]({url})"  # a file next to the notebook (an image, data)
    raise MystConversionError(f"{ctx.doc}: link to an unknown label {url!r} ([{text}]({url}))")


def _cite(name: str, content: str, ctx: _Context) -> str:
    keys = [k.strip() for k in content.split(",") if k.strip()]
    missing = [k for k in keys if k not in ctx.index.citations]
    if missing:
        raise MystConversionError(f"{ctx.doc}: citation key(s) {missing} not in references.bib")
    pairs = [ctx.index.citations[k] for k in keys]
    kind = name.partition(":")[2] or "p"
    if kind in {"t", "ts"}:
        return ", ".join(f"{a} ({y})" for a, y in pairs)
    if kind in {"p", "ps"}:
        return "(" + "; ".join(f"{a}, {y}" for a, y in pairs) + ")"
    if kind == "author":
        return ", ".join(a for a, _ in pairs)
    if kind == "year":
        return ", ".join(y for _, y in pairs)
    raise MystConversionError(f"{ctx.doc}: unknown citation role {{{name}}}")


def _role(name: str, content: str, ctx: _Context) -> str:
    if name == "term":
        text, target = _text_and_target(content)
        return text or target
    if name in {"ref", "numref"}:
        text, label = _text_and_target(content)
        target = ctx.index.labels.get(label)
        if target is None:
            raise MystConversionError(f"{ctx.doc}: {{{name}}} to an unknown label {label!r}")
        if name == "numref":
            number = target.number or ""
            text = (text.replace("%s", number).replace("{number}", number)
                    .replace("{name}", target.title)) if text else target.title
        return _link(text or target.title, label, ctx)
    if name == "doc":
        text, target = _text_and_target(content)
        return _link(text or Path(target).name, f"{Path(target).name}.ipynb"
                     if not Path(target).suffix else target, ctx)
    if name == "download":
        text, target = _text_and_target(content)
        return f"[{text or target}]({target})"
    if name == "cite" or name.startswith("cite:"):
        return _cite(name, content, ctx)
    if name == "math":
        return f"${content}$"
    if name in {"sub", "sup"}:
        return f"<{name}>{content}</{name}>"
    if name == "kbd":
        return f"<kbd>{content}</kbd>"
    if name == "abbr":
        return re.sub(r"\s*\(.*\)\s*$", "", content)
    if name in BOLD_ROLES:
        return f"**{content}**"
    if name in CODE_ROLES or name.startswith("py:"):
        return f"`{content}`"
    raise MystConversionError(f"{ctx.doc}: the role {{{name}}} has no plain-Markdown form; "
                              "add it to tools/myst_markdown.py")


def _inline(text: str, ctx: _Context) -> str:
    def replace(m: re.Match) -> str:
        if m["role"]:
            return _role(m["name"], m["content"], ctx)
        if m["code"]:
            return m["code"]
        return _link(_inline(m["text"], ctx), m["url"], ctx)

    text = INLINE.sub(replace, text)
    if "{{" in _without_code(text):
        raise MystConversionError(f"{ctx.doc}: a MyST substitution ({{{{ ... }}}}) has no "
                                  "plain-Markdown form")
    for pattern, replacement in SOLUTION_WORDING:
        text = pattern.sub(replacement, text)
    return text


def _without_code(text: str) -> str:
    return re.sub(r"(`+).*?\1", "", text)


# --- blocks -----------------------------------------------------------------------------

ADMONITION_TITLES = {
    "note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
    "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
    "seealso": "See also",
}
TITLED_BOXES = {"admonition", "dropdown", "sidebar", "topic", "margin"}
QUOTES = {"epigraph", "pull-quote", "highlights"}
CODE_DIRECTIVES = {"code", "code-block", "sourcecode", "code-cell"}
SOLUTION_DIRECTIVES = {"solution", "solution-start", "solution-end"}
AMSMATH = re.compile(r"^\s*\\begin\{(?P<env>(equation|multline|gather|align|alignat|flalign|"
                     r"eqnarray|split)\*?)\}")


def _quote(lines: list[str]) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in lines]


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":   # a YAML block of options
        import yaml

        end = next((i for i in range(1, len(body)) if body[i].strip() == "---"), None)
        if end is None:
            raise MystConversionError("a directive's --- option block is never closed")
        options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(body[1:end])) or {}).items()}
        return options, body[end + 1:]
    i = 0
    while i < len(body):
        m = OPTION.match(body[i].strip())
        if not m:
            break
        options[m["key"]] = m["value"].strip()
        i += 1
    return options, body[i:]


def _strip_blank_edges(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _math_block(lines: list[str]) -> list[str]:
    out, chunk = [], []
    for line in lines + [""]:
        if line.strip():
            chunk.append(line)
        elif chunk:
            out += (["", "$$"] if out else ["$$"]) + chunk + ["$$"]
            chunk = []
    return out


def _directive(name: str, args: str, body: list[str], ctx: _Context) -> list[str]:
    options, body = _options(body)
    if name in SOLUTION_DIRECTIVES:
        raise MystConversionError(f"{ctx.doc}: a {{{name}}} directive is still here: solutions "
                                  "must be removed before the conversion")
    if name == "exercise-end":
        return []   # the end of a gated exercise: its text was the cells in between
    if name in {"exercise", "exercise-start"}:
        title = args.strip()
        m = GRADE.match(title)
        if "nonumber" in options:
            heading = "Exercise"
        else:
            ctx.exercises += 1
            heading = f"Exercise {_exercise_number(ctx.doc, ctx.exercises, ctx.index.chapter_numbers)}"
        if m:
            heading += f" ({m['grade'].lower()})"
            title = m["title"].strip()
        heading += f": {_inline(title, ctx)}" if title else ""
        return [f"### {heading}", ""] + _blocks(_strip_blank_edges(body), ctx)
    if name in ADMONITION_TITLES or name in TITLED_BOXES:
        if name in ADMONITION_TITLES:
            title = ADMONITION_TITLES[name]
            if args.strip():   # {note} Some text: the text is the first line of the body
                body = [args.strip()] + body
        else:
            title = args.strip()
        content = _blocks(_strip_blank_edges(body), ctx)
        head = [f"**{_inline(title, ctx)}**", ""] if title else []
        return _quote(head + content)
    if name in QUOTES:
        return _quote(_blocks(_strip_blank_edges(body), ctx))
    if name == "math":
        return _math_block(_strip_blank_edges(body))
    if name in CODE_DIRECTIVES:
        language = args.strip() or ("python" if name == "code-cell" else "")
        return [f"```{language}"] + body + ["```"]
    if name in {"figure", "image"}:
        path = args.strip()
        alt = options.get("alt", "")
        if not path:
            raise MystConversionError(f"{ctx.doc}: {{{name}}} without a file")
        out = [f"![{alt}]({path})"]
        caption = _blocks(_strip_blank_edges(body), ctx) if name == "figure" else []
        if caption:
            out += [""] + [f"*{line.strip()}*" if line.strip() else "" for line in caption]
        return out
    if name == "raw" and args.strip() == "html":
        return body
    raise MystConversionError(
        f"{ctx.doc}: the directive {{{name}}} has no plain-Markdown form here "
        "(pages with it stay in the web book; or teach tools/myst_markdown.py to convert it)")


def _closing(lines: list[str], start: int, char: str, length: int) -> int | None:
    closer = re.compile(rf"^[ \t]*{re.escape(char)}{{{length},}}[ \t]*$")
    for j in range(start, len(lines)):
        if closer.match(lines[j]):
            return j
    return None


def _dedent(lines: list[str], indent: str) -> list[str]:
    return [line[len(indent):] if line.startswith(indent) else line.lstrip(" \t") for line in lines]


def _blocks(lines: list[str], ctx: _Context) -> list[str]:
    out: list[str] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            out.extend(_inline("\n".join(paragraph), ctx).split("\n"))
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        info = fence["info"].strip() if fence else ""
        if fence and (fence["fence"][0] != ":" or info.startswith("{")):
            flush()
            char, length, indent = fence["fence"][0], len(fence["fence"]), fence["indent"]
            end = _closing(lines, i + 1, char, length)
            if info.startswith("{"):
                if end is None:
                    raise MystConversionError(f"{ctx.doc}: the directive {info} is never closed")
                name, _, args = info[1:].partition("}")
                converted = _directive(name.strip(), args, _dedent(lines[i + 1:end], indent), ctx)
                out.extend(f"{indent}{l}" if l else "" for l in converted)
            else:  # a code block: verbatim
                end = len(lines) - 1 if end is None else end
                out.extend(lines[i:end + 1])
            i = end + 1
            continue
        stripped = line.strip()
        if stripped.startswith("$$"):
            flush()
            end = i
            if not (len(stripped) > 2 and stripped.endswith("$$")):
                end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip().endswith("$$")),
                           len(lines) - 1)
            out.extend(lines[i:end + 1])
            i = end + 1
            continue
        ams = AMSMATH.match(line)
        if ams and not paragraph:
            flush()
            closer = f"\\end{{{ams['env']}}}"
            end = next((j for j in range(i, len(lines)) if closer in lines[j]), None)
            if end is None:
                raise MystConversionError(f"{ctx.doc}: \\begin{{{ams['env']}}} is never ended")
            out.extend(["$$"] + lines[i:end + 1] + ["$$"])
            i = end + 1
            continue
        if LABEL_LINE.match(line) or stripped.startswith("%") or stripped == "+++":
            i += 1   # a target, a MyST comment or a block break: nothing to show
            continue
        if re.match(r"^:\s", line) and paragraph:   # a definition list: "term" / ": definition"
            term = paragraph.pop()
            flush()
            out.append(f"**{_inline(term.strip(), ctx)}**")
            paragraph.append(f"> {line[1:].strip()}")
            i += 1
            continue
        if not stripped:
            flush()
            out.append(line)
        else:
            paragraph.append(line)
        i += 1
    flush()
    return out


def to_markdown(text: str, doc: str = "notebook.ipynb", index: BookIndex | None = None,
                _ctx: _Context | None = None) -> str:
    """Plain Markdown for the MyST ``text`` of one markdown cell (or page) of file ``doc``.

    Example:
        >>> to_markdown("(sec-x)=\\n## Title\\n\\nA {term}`spike <Spike>`.")
        '## Title\\n\\nA spike.'
    """
    ctx = _ctx or _Context(doc, index or BookIndex())
    if _ctx is None and index is None:
        ctx.index.labels.update(_labels_in(doc, [text], {}))
    result = "\n".join(_blocks(text.split("\n"), ctx))
    # Dropped label lines leave blank runs at the edges
    return result.strip("\n") if text.strip() else text


def convert_notebook(nb, doc: str, index: BookIndex):
    """Convert every markdown cell of notebook ``nb`` (file name ``doc``) in place.

    Exercise numbers count the ``{exercise}`` directives of the whole notebook in order, so
    convert a notebook whose solutions were removed (solutions hold no exercises).
    """
    if doc not in {t.doc for t in index.labels.values()}:
        index.labels.update(_labels_in(doc, [c.source for c in nb.cells
                                             if c.cell_type == "markdown"], index.chapter_numbers))
    ctx = _Context(doc, index)
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        try:
            cell.source = to_markdown(cell.source, doc, index, _ctx=ctx)
        except MystConversionError as err:
            raise MystConversionError(f"{err} (markdown cell {number})") from None
    return nb


# --- finding what is left ---------------------------------------------------------------

ROLE_OR_CODE = re.compile(r"(?P<role>\{[A-Za-z][\w:.+-]*\}`+[^`\n]*`+)|(?P<code>(`+)[^\n]*?\3)")
LEFTOVERS = [
    ("directive", re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})[ \t]*\{", re.M)),
    ("label", re.compile(r"^[ \t]*\([^()\s]+\)=[ \t]*$", re.M)),
    ("link to a label or page", re.compile(
        r"(?<!!)\[[^\]\n]*\]\((?![a-zA-Z][\w+.-]*:|#)(?P<url>[^)\s.#]+|[^)\s]*\.md(#[^)\s]*)?)\)")),
    ("solution", re.compile(r"hidden solution|solution-start|solution-end|\{solution\}|"
                            r"[\"“]Solution[\"”] button", re.I)),
]


def leftovers(text: str) -> list[str]:
    """Every piece of MyST markup or solution wording in ``text`` that plain Markdown would
    show raw or that points nowhere, as ``"kind: excerpt"`` strings (empty: clean).

    Fenced code blocks are not looked into (their text is code); inline code is.
    """
    found = []
    prose = _code_blocks_removed(text)
    for m in ROLE_OR_CODE.finditer(prose):   # a role; `{x:spec}` inside inline code is code
        if m["role"]:
            found.append(f"role: {m['role']}")
    for kind, pattern in LEFTOVERS:
        for m in pattern.finditer(prose):
            start = max(0, m.start() - 30)
            found.append(f"{kind}: ...{prose[start:m.end() + 30]}...".replace("\n", " "))
    return found


QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")


def _code_blocks_removed(text: str) -> str:
    """``text`` without the contents of fenced code blocks (also inside quotes); a directive
    fence stays, with its body, so leftovers inside it are still found."""
    lines = text.split("\n")
    unquoted = [line[len(QUOTE_PREFIX.match(line).group()):] for line in lines]
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(unquoted[i])
        if m and (m["fence"][0] != ":" or m["info"].strip().startswith("{")):
            end = _closing(unquoted, i + 1, m["fence"][0], len(m["fence"]))
            end = len(lines) - 1 if end is None else end
            if m["info"].strip().startswith("{"):
                out.extend(lines[i:end])       # a directive: keep it (not its closing fence)
            i = end + 1
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)
