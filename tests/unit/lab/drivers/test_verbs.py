"""lab.drivers: every verb of the table has a method in each driver that takes its loaded parameters."""

from __future__ import annotations

import inspect

from lab.drivers.api import ApiDriver
from lab.scenario.verbs import VERBS


def test_every_verb_has_a_driver_method_taking_its_parameters() -> None:
    for verb in VERBS.values():
        method = getattr(ApiDriver, verb.name.replace(".", "_"))
        # The parameters are declared once, in the verb's schema: the method takes what it loaded.
        accepted = set(inspect.signature(method).parameters) - {"self"}
        assert accepted == {"params"}, verb.name


def test_the_ui_driver_clicks_every_article_verb() -> None:
    """Verbs on either product go through its console; only the lab's own verbs stay on the lab API."""
    from lab.drivers.ui import UiDriver

    for name in VERBS:
        method = name.replace(".", "_")
        in_console = method in vars(UiDriver)
        assert in_console == (not name.startswith("lab.")), name
