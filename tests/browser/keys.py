"""Moving through a page with the keyboard only, as someone who cannot use a mouse would."""

_FOCUSED = "(selector) => !!document.activeElement && document.activeElement.matches(selector)"
_DESCRIBE = """() => {
  const e = document.activeElement;
  return e ? `${e.tagName.toLowerCase()}#${e.id} ${(e.textContent || '').trim().slice(0, 40)}` : '';
}"""


def is_focused(page, selector: str) -> bool:
    return page.evaluate(_FOCUSED, selector)


def tab_to(page, selector: str, limit: int = 250, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the CSS selector.

    Bounded, so a keyboard trap or a field that cannot be reached fails the test instead of
    hanging it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if is_focused(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(
        f"{selector} was not reached with {limit} presses of {key}; "
        f"focus is on {page.evaluate(_DESCRIBE)}"
    )


def type_into(page, selector: str, text: str) -> None:
    """Tab to a text box, clear it with the keyboard and type."""
    tab_to(page, selector)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
