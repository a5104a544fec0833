"""Rules every template and static file keeps, checked on all of them at once:
nothing the strict Content-Security-Policy would block, no text that skips
translation, nothing loaded from another host."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import facilitator

PACKAGE = Path(facilitator.__file__).parent
TEMPLATES = sorted((PACKAGE / "templates").rglob("*.html"))
OWN_STATIC = sorted(p for p in (PACKAGE / "static").rglob("*") if p.is_file() and "vendor" not in p.parts)
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
TRANSLATABLE_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "content",
    "data-label",
}


class Findings(HTMLParser):
    """Collects what the checks below look for in one template."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts, self.inline_styles, self.handlers, self.untranslated = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.inline_scripts.append(tag)
        if tag == "style" or "style" in attributes:
            self.inline_styles.append(tag)
        self.handlers += [name for name in attributes if name.startswith("on")]
        self.handlers += [
            name for name, value in attrs if value and value.strip().lower().startswith("javascript:")
        ]
        for name, value in attrs:
            if name in TRANSLATABLE_ATTRIBUTES and value and re.search(r"[A-Za-z]", value):
                if not (tag == "meta" and attributes.get("name") in {"viewport", "referrer"}):
                    self.untranslated.append(f"{tag}[{name}]={value!r}")

    def handle_data(self, data):
        if re.search(r"[A-Za-z]", data):
            self.untranslated.append(data.strip())


def findings(path: Path) -> Findings:
    parser = Findings()
    # Jinja parts become neutral text: what is left is what the template writes itself.
    parser.feed(JINJA.sub(" ", path.read_text()))
    return parser


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE / "templates")))
def test_template_keeps_to_the_content_security_policy(template):
    found = findings(template)
    assert found.inline_scripts == []
    assert found.inline_styles == []
    assert found.handlers == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE / "templates")))
def test_every_word_a_person_reads_goes_through_translation(template):
    assert findings(template).untranslated == []


def test_the_checks_catch_what_they_look_for(tmp_path):
    """The two checks above would fail on a template that breaks the rules."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<p style="x" onclick="y()">Hello</p><script>alert(1)</script><img alt="A cat">{{ _("Fine") }}'
    )
    found = findings(bad)
    assert found.inline_scripts and found.inline_styles and found.handlers
    assert found.untranslated == ["Hello", "alert(1)", "img[alt]='A cat'"]


@pytest.mark.parametrize("path", TEMPLATES + OWN_STATIC, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_is_loaded_from_another_host(path):
    text = JINJA.sub(" ", path.read_text())
    addresses = re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text, re.IGNORECASE)
    assert [a for a in addresses if not a.startswith("http://www.w3.org/")] == []
