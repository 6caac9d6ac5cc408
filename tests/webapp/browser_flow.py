"""What a resident does in Chromium, page by page, with the checks every page must pass.

Every page visited is checked with axe-core (WCAG 2.0/2.1 A and AA rules) and
for horizontal scrolling, or anything sticking out or cut off, at the viewport
width (320 px in these tests; 640 CSS px, a 1280 px window at 200% zoom, in the
zoom test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from web_support import answer_names, valid_answers

#: Elements that stick out of the viewport sideways, or whose content is cut off by
#: ``overflow: hidden``/``clip`` (visually hidden texts and the off-screen skip link,
#: hidden on purpose, left out). Each as "tag#id.class: why".
CLIPPED = """(() => {
  const width = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
      ? '.' + e.className.split(' ').join('.') : '');
  // A wide data table inside a region that scrolls sideways (overflow-x auto or scroll)
  // is the reflow exception for tables: reachable, not cut off.
  const scrolls = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const found = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('.visually-hidden, .skip-link, script, style, template')) continue;
    if (scrolls(e)) continue;
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = e.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      const span = Math.round(box.left) + '..' + Math.round(box.right);
      found.push(name(e) + ': ' + span + ' of ' + width);
    }
    const cuts = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    if (cuts && e.scrollWidth > e.clientWidth + 1) {
      found.push(name(e) + ': content cut at ' + e.clientWidth + ' of ' + e.scrollWidth);
    }
  }
  return found.slice(0, 5);
})()"""


def layout_problems(page: Any, label: str) -> list[str]:
    """Horizontal scrolling and anything sticking out or cut off, at the page's viewport."""
    width = page.viewport_size["width"]
    problems = []
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{label}: scrolls horizontally at {width} px")
    problems += [f"{label}: at {width} px {what}" for what in page.evaluate(CLIPPED)]
    return problems


#: axe-core rule tags: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CONTINUE = {"fr": "Continuer", "en": "Continue"}


@dataclass
class PageChecks:
    """Runs axe and the width check on each page; keeps what failed."""

    axe: Any
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    #: Pages that explained how to clear the browser history (sensitive sections).
    sensitive: int = 0

    def check(self, page: Any, label: str) -> None:
        self.pages += 1
        self.sensitive += page.locator("#history-advice").count()
        results = self.axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.problems.append(f"{label}: {violation['id']} {violation['help']} {targets}")
        self.problems += layout_problems(page, label)


def is_question_page(page: Any) -> bool:
    return page.locator('form.answers input[name="page"]').count() > 0


def fill(page: Any, answers: dict[str, Any]) -> None:
    """Fill the page's fields as a resident would (clicks and typing)."""
    for name, value in answers.items():
        quoted = name.replace('"', '\\"')
        values = value if isinstance(value, list) else [value]
        fields = page.locator(f'[name="{quoted}"]')
        kind = fields.first.get_attribute("type") or "textarea"
        if kind in ("radio", "checkbox"):
            for item in values:
                page.locator(f'input[name="{quoted}"][value="{item}"]').check()
        else:
            fields.first.fill(str(values[0]))


def submit(page: Any, language: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=CONTINUE[language], exact=True).click()


def shown_page(page: Any) -> str | None:
    """The page shown, named by its first answer field (``None`` off the question pages)."""
    if not is_question_page(page):
        return None
    names = answer_names(page.content())
    return names[0] if names else ""


def answer_page(page: Any, language: str, overrides: dict[str, Any] | None = None) -> None:
    """Answer the page; again while it comes back (a warning, or questions opened by answers)."""
    posted = shown_page(page)
    for _ in range(4):
        fill(page, valid_answers(page.content(), overrides))
        submit(page, language)
        if shown_page(page) != posted or shown_page(page) is None:
            return
    raise AssertionError(f"the page of {posted} keeps coming back")


def page_names(page: Any) -> list[str]:
    return answer_names(page.content())
