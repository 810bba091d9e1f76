"""axe-core, run in the page, for the WCAG 2.2 AA rules it can check automatically.

axe finds only some of the problems people meet, so a clean run is a floor, not a verdict: keyboard
and screen reader checks stay in the manual test plan.
"""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# No rule is excluded. One finding on one kind of element is tolerated, and only that finding:
#
# GOV.UK Frontend's radios script puts aria-expanded on a radio that reveals conditional content
# (our "completed" / "Not administered" choices). ARIA 1.2 does not list aria-expanded for the
# radio role, so axe reports aria-allowed-attr. The Design System keeps it on purpose: screen
# readers announce the state and research found no harm; it is their documented known issue, and a
# change to ARIA to allow it is proposed.
#   https://github.com/alphagov/govuk-frontend/issues/979
#   https://github.com/alphagov/govuk-frontend/issues/1280#issuecomment-509588851
#   https://github.com/w3c/aria/issues/1404
# A node is let through only if it is a GOV.UK radio wired to conditional content and
# aria-expanded is the only attribute axe objects to; any other ARIA problem still fails.
_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  const onlyGovukRadioExpanded = (rule, node) => {
    if (rule.id !== "aria-allowed-attr") return false;
    const element = document.querySelector(node.target.join(" "));
    if (!element || !element.matches("input[type=radio].govuk-radios__input[aria-controls]")) {
      return false;
    }
    const revealed = document.getElementById(element.getAttribute("aria-controls"));
    if (!revealed || !revealed.classList.contains("govuk-radios__conditional")) return false;
    const attributes = node.all.concat(node.any, node.none).flatMap(c => c.data || []);
    return attributes.length > 0 && attributes.every(a => /^aria-expanded="(true|false)"$/.test(a));
  };
  return results.violations
    .map(v => ({...v, nodes: v.nodes.filter(n => !onlyGovukRadioExpanded(v, n))}))
    .filter(v => v.nodes.length > 0)
    .map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map(n => n.target.join(" ")),
      summaries: v.nodes.map(n => n.failureSummary || ""),
    }));
}"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging channel, which the page's content security
        # policy does not govern; a <script> tag would be (rightly) refused by it.
        page.evaluate(_axe_source() + "\n;undefined")
    return page.evaluate(_RUN, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for target, summary in zip(v["targets"], v["summaries"], strict=True):
            lines.append(f"    at {target}")
            for detail in summary.splitlines():
                if detail.strip():
                    lines.append(f"      {detail.strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page, context_name: str) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {context_name} "
        f"({page.url}):\n{describe(violations)}"
    )
