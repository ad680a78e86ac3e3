"""What an application's tabs (General, Sign On, Provisioning, Assignments) share: the page
of a tab, and Okta's settings pattern (a read-only section with [Edit] and [Save])."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request

from okta_sim import apps
from okta_sim.console.pages import editing, found, submit, this_page


def render_app(template: str, app: dict[str, Any], **context: Any) -> str:
    """An app tab; the template only ever sees the app without its API token."""
    return render_template(template, app=apps.public(app), **context)


def settings_section(
    app_id: str,
    template: str,
    current: Callable[[dict[str, Any]], dict[str, str]],
    save: Callable[[dict[str, str]], Any],
    saved: str,
    **context: Any,
) -> Any:
    """Okta's settings pattern: a read-only section with [Edit]; [Save] calls the domain, and an
    error keeps the form as typed. ``current`` gives the form values of the stored settings."""
    app = found(apps.get_app, app_id)
    if request.method == "GET":
        return render_app(template, app, form=current(app), error=None, editing=editing(), **context)
    form = request.form.to_dict()
    _, error = submit(lambda: save(form))
    if error is not None:
        return render_app(template, app, form=form, error=error, editing=True, **context)
    flash(saved, "success")
    return redirect(this_page())


def checkbox(checked: bool) -> str:
    """A checkbox as the browser posts it: "on" when checked, absent (here "") when not."""
    return "on" if checked else ""
