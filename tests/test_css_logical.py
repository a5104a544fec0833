"""The stylesheets name no physical side, so every page mirrors under dir="rtl" (Urdu): margins,
paddings, borders, corners and offsets are logical (margin-inline-start, border-inline-start,
border-start-end-radius, inset-inline-end), text aligns to start or end, floats to inline-start or
inline-end. A physical side stays only where a comment on the same line says why, starting
"physical:" (print.css, say: WeasyPrint, which draws the PDF, has no logical properties)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "facilitator" / "static" / "css"

COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
# A declaration: after "{" or ";", a property, a colon and a value ending at ";" or "}" (so that a
# selector such as a:hover, which ends at "{", is not one).
DECLARATION = re.compile(r"(?<=[{;])(\s*)(-{0,2}[a-zA-Z][\w-]*)\s*:([^;{}]*)(?=[;}])")
# An explanation: a comment starting "physical:" with a reason after it.
EXPLAINED = re.compile(r"/\*\s*physical:\s*\S+(?:\s+\S+){2,}.*?\*/")

SIDE = re.compile(r"\b(left|right)\b", re.I)
PHYSICAL_PROPERTY = re.compile(r"^(?:.*-)?(left|right)(?:-.*)?$")  # margin-left, border-top-right-radius, left
# Shorthands whose four values go top, right, bottom, left: physical when right and left differ.
FOUR_SIDES = {
    "margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin", "scroll-padding",
}
SHADOWS = {"box-shadow", "text-shadow"}
LENGTH = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)[a-z%]*$", re.I)


def words(value: str) -> list[str]:
    """The value's top-level words: calc(1rem + 2px) is one."""
    out, depth, current = [], 0, ""
    for char in value.strip():
        depth += char == "("
        depth -= char == ")"
        if char.isspace() and depth == 0:
            if current:
                out.append(current)
            current = ""
        else:
            current += char
    return out + ([current] if current else [])


def split_top(value: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in value:
        depth += char == "("
        depth -= char == ")"
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def is_zero(word: str) -> bool:
    return LENGTH.match(word) is not None and float(re.match(r"-?[\d.]+", word).group()) == 0


def asymmetric_radius(value: str) -> bool:
    """border-radius goes top-left, top-right, bottom-right, bottom-left: physical unless the
    corners mirror (top-left = top-right and bottom-left = bottom-right)."""
    for part in split_top(value, "/"):
        v = words(part)
        if (len(v) == 2 and v[0] != v[1]) or (len(v) == 3 and not v[0] == v[1] == v[2]):
            return True
        if len(v) == 4 and (v[0] != v[1] or v[2] != v[3]):
            return True
    return False


def sideways_shadow(value: str) -> bool:
    """A shadow offset to one side: its first length is not zero."""
    for shadow in split_top(value, ","):
        lengths = [w for w in words(shadow) if w.lower() != "inset"]
        if lengths and LENGTH.match(lengths[0]) and not is_zero(lengths[0]):
            return True
    return False


def sideways_transform(value: str) -> bool:
    for name, args in re.findall(r"(translatex|translate|translate3d|scalex|rotatey)\(([^)]*)\)", value, re.I):
        first = split_top(args, ",")[0].strip()
        if name.lower() == "scalex" and first.startswith("-"):
            return True
        if name.lower() in ("translatex", "translate", "translate3d") and not is_zero(first):
            return True
        if name.lower() == "rotatey":
            return True
    return False


def problem(prop: str, value: str) -> str | None:
    """Why this declaration names a physical side, or None."""
    prop, value = prop.lower(), STRING.sub('""', value).strip()
    if PHYSICAL_PROPERTY.match(prop):
        return "a physical property"
    if SIDE.search(value):
        return "a physical value"
    if prop in FOUR_SIDES and len(v := words(value)) == 4 and v[1] != v[3]:
        return "a shorthand with different right and left"
    if prop == "border-radius" and asymmetric_radius(value):
        return "corners that do not mirror"
    if prop in SHADOWS and sideways_shadow(value):
        return "a shadow offset to one side (mirror it under [dir=\"rtl\"])"
    if (prop == "transform" and sideways_transform(value)) or (prop == "translate" and not is_zero(words(value + " 0")[0])):
        return "a movement to one side"
    return None


def physical_sides(css: str) -> list[tuple[int, str]]:
    """(line, what) for each physical side in a stylesheet that no comment on its line explains."""
    lines = css.splitlines()
    # Comments are blanked out (their line breaks kept), so that words in them are not read as CSS.
    code = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    found = []
    for match in DECLARATION.finditer(code):
        prop, value = match.group(2), match.group(3)
        why = problem(prop, value)
        if why is None:
            continue
        number = code.count("\n", 0, match.start(2)) + 1
        if EXPLAINED.search(lines[number - 1]):
            continue
        found.append((number, f"{prop}:{value.rstrip()} is {why}"))
    return found


@pytest.mark.parametrize("name", ["app.css", "console.css", "room.css", "print.css"])
def test_the_stylesheet_names_no_physical_side(name):
    problems = [f"{name}:{line}: {what}" for line, what in physical_sides((CSS / name).read_text())]
    assert problems == [], (
        "Use logical properties (margin-inline-start, border-inline-start, inset-inline-end, "
        "text-align: start, float: inline-end, border-start-end-radius), or say why not in a "
        "/* physical: ... */ comment on the same line:\n" + "\n".join(problems)
    )


def test_every_stylesheet_is_checked():
    assert sorted(p.name for p in CSS.glob("*.css")) == ["app.css", "console.css", "print.css", "room.css"]


@pytest.mark.parametrize(
    "css",
    [
        ".a { margin-left: 1rem; }",
        ".a { padding-right: 1rem; }",
        ".a { border-left: 4px solid red; }",
        ".a { border-left-color: red; }",
        ".a { border-top-right-radius: 2px; }",
        ".a { position: absolute; left: 0; }",
        ".a {\n  right: 0.5rem;\n}",
        ".a { text-align: left; }",
        ".a { text-align:right }",
        ".a { float: right; }",
        ".a { clear: left; }",
        ".a { background-position: right 1rem top; }",
        ".a { margin: 0 0 0 0.75rem; }",
        ".a { padding: 1rem 2rem 1rem 0; }",
        ".a { border-radius: 0 var(--radius) var(--radius) 0; }",
        ".a { box-shadow: inset 4px 0 var(--brand); }",
        ".a { transform: translateX(-50%); }",
        ".a { transform: scaleX(-1); }",
        "@media print { .a { margin-right: 1rem; } }",
        ".a { margin-left: 1rem; } /* physical */",
        ".a { margin-left: 1rem; } /* a comment, but not a reason */",
        "/* physical: a comment on the line before does not count */\n.a { margin-left: 1rem; }",
    ],
)
def test_a_physical_side_is_found(css):
    assert physical_sides(css), css


@pytest.mark.parametrize(
    "css",
    [
        ".a { margin-inline-start: 1rem; padding-inline: 1rem 0; border-inline-start: 4px solid red; }",
        ".a { inset-inline-end: 0; text-align: start; float: inline-end; }",
        ".a { border-start-end-radius: 2px; border-radius: 0 0 var(--radius) var(--radius); }",
        ".a { margin: 0 auto 1rem; padding: 0.5rem 1rem; margin: 1px 2px 3px 2px; }",
        ".a { box-shadow: 0 0 0 6px var(--focus-ink), inset 0 2px red; transform: translateY(2px); }",
        ".a:hover, .left:focus-visible, .arrow-right { color: red; }",
        ".a { content: \"left\"; grid-template-areas: \"left right\"; }",
        "/* The stage on the left, the lobby on the right. */\n.a { color: red; }",
        ".a { float: right; /* physical: the fallback for browsers without inline-end */ }",
        ".a { box-shadow: inset 4px 0 red; } /* physical: a shadow has no logical sides */",
        "@page { @bottom-right { content: counter(page); } }",
    ],
)
def test_a_logical_stylesheet_passes(css):
    assert physical_sides(css) == [], css
