"""`python -m orangefriday.core.layers`: templates point one way too. No app's template
includes or extends a later app's template, or loads a later app's template tags (the
order is import-linter's layers contract in pyproject.toml). Exits 1 and names each
offence; `make lint` runs it."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "orangefriday"
TEMPLATE_REF = re.compile(r"{%\s*(?:include|extends)\s+[\"']([a-z_]+)/")
LOAD = re.compile(r"{%\s*load\s+([^%]+)%}")


def app_order() -> list[str]:
    """The apps from first to last, as the layers contract lists them (last to first)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = config["tool"]["importlinter"]["contracts"]
    names: list[str] = []
    for layer in reversed(contract["layers"]):
        names += [part.strip().removeprefix("orangefriday.") for part in layer.split("|")]
    return names


def tag_libraries() -> dict[str, str]:
    """Template tag library name -> the app that defines it."""
    return {
        path.stem: path.parent.parent.name
        for path in PACKAGE.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def offences() -> list[str]:
    order = {app: i for i, app in enumerate(app_order())}
    libraries = tag_libraries()
    found = []
    for template in sorted(PACKAGE.glob("*/templates/**/*.html")):
        app = template.relative_to(PACKAGE).parts[0]
        text = template.read_text()
        used = {(m.group(1), "template") for m in TEMPLATE_REF.finditer(text)}
        for load in LOAD.finditer(text):
            used |= {(libraries[n], f"tags {n!r}") for n in load.group(1).split() if n in libraries}
        for other, what in sorted(used):
            if other in order and app in order and order[other] > order[app]:
                found.append(f"{template.relative_to(ROOT)}: {app} uses {other}'s {what}")
    return found


def main() -> int:
    found = offences()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} template(s) of an earlier app use a later app (DESIGN.md §3).")
        return 1
    print("Templates point one way.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
