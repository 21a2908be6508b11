#!/usr/bin/env python3
"""Rewrites the per-package file index of docs/ARCHITECTURE.md from the sources.

Each main-source file is listed under its module and package with the first sentence of its top-level type's
Javadoc, so the index says what each file holds in the code's own words and cannot drift: ArchitectureIndexTest
fails when a file is missing from the page or the page names a file that no longer exists. Run it after adding,
moving or removing a file:  python3 tools/architecture_index.py
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN, END = "<!-- file index: begin (tools/architecture_index.py) -->", "<!-- file index: end -->"
DECLARATION = re.compile(r"^(public |final |abstract |sealed |non-sealed )*(class|interface|record|enum|@interface) ", re.M)


def first_sentence(source: str) -> str:
    match = DECLARATION.search(source)
    head = source[: match.start()] if match else source
    docs = re.findall(r"/\*\*(.*?)\*/", head, re.S)
    if not docs:
        return ""
    text = " ".join(line.strip().lstrip("*").strip() for line in docs[-1].splitlines())
    text = re.sub(r"\{@code ([^}]*)\}", r"\1", text)
    text = re.sub(r"\{@(?:link|linkplain) ([^}\s]*)\s*([^}]*)\}", lambda m: m.group(2) or m.group(1).replace("#", "."), text)
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    text = re.split(r"\s@(?:param|return|see|throws)\b", text)[0]
    text = re.split(r"(?<=\.)\s+(?=[A-Z(])", text.strip())[0].strip()
    if len(text) > 240:
        text = text[:237].rsplit(" ", 1)[0] + "..."
    return text.replace("|", "\\|")


def modules() -> list:
    """The build's modules, in the root pom's order."""
    return re.findall(r"<module>([^<]+)</module>", (ROOT / "pom.xml").read_text(encoding="utf-8"))


def index() -> str:
    lines = []
    for module in modules():
        base = ROOT / module / "src" / "main" / "java"
        if not base.exists():
            continue
        lines.append(f"### `{module}`\n")
        packages = sorted({p.parent for p in base.rglob("*.java")})
        for package in packages:
            name = ".".join(package.relative_to(base).parts)
            lines.append(f"#### `{name}`\n")
            lines.append("| file | holds |")
            lines.append("| --- | --- |")
            for source in sorted(package.glob("*.java")):
                summary = first_sentence(source.read_text(encoding="utf-8")) or "(no class comment)"
                lines.append(f"| `{source.name}` | {summary} |")
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    page = PAGE.read_text(encoding="utf-8")
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    PAGE.write_text(page[:start] + "\n" + index() + "\n" + page[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
