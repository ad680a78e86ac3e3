"""What a run tells people: the console summary, JUnit XML for CI, and an HTML report
with each step's SCIM wire log (and, beside it, the log as HAR: lab.replay.har).

The HTML report of a scenario is the same, byte for byte, on every run with one seed
(lab.replay.runner makes the records so), so it holds no wall-clock durations: those
are the console's and JUnit's ``time``, which CI reads.

okta_sim's wire log already masks the Authorization header and the password it
provisions; lab.replay.masking masks them again here, so that a report never holds
a secret whichever driver or future exchange source filled the log. Against an
external SCIM target the runner has already scrubbed its token from every text,
and cybozu.com's side is shown as not applicable, never as passed."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lab.replay.masking import redact, redact_headers, scrub
from lab.replay.runner import ScenarioResult, StepRecord
from lab.scenario.shards import Shard
from lab.scenario.sides import NOT_APPLICABLE

WIRE_LOG_LIMIT = 200  # exchanges shown per step; a bulk step sends thousands


def exchange_line(exchange: dict[str, Any], secrets: Iterable[str] = ()) -> str:
    """``METHOD path -> status body``, with the run's ``secrets`` masked wherever they are."""
    exchange = scrub(exchange, secrets)
    status = exchange["status"] if exchange["status"] is not None else "no answer"
    body = redact(exchange.get("response"))
    text = json.dumps(body, ensure_ascii=False) if isinstance(body, dict | list) else str(body or "")
    return f"{exchange['method']} {exchange['path']} -> {status} {text[:300]}".rstrip()


def failure_text(result: ScenarioResult) -> str:
    """Which step failed, expected vs actual, and the SCIM exchange behind it."""
    if result.error:
        return f"{result.scenario.file}: {result.error}"
    record = result.failed_step
    if record is None:
        return ""
    lines = [f"{result.scenario.file}:{record.step.line}: {record.step.label}"]
    lines += [f"  {failure}" for failure in record.failures]
    culprit = record.culprit()
    if culprit is not None:
        lines.append(f"  SCIM: {exchange_line(culprit, result.secrets)}")
    return "\n".join(lines)


def headline(result: ScenarioResult, timed: bool = True) -> str:
    """One line per scenario; ``timed``: with the wall-clock time the scenario took (the console's
    line, not the report's). Against an external target PASS is Okta's side only, and the line
    says how many parts were not applicable."""
    state = "PASS" if result.passed else ("ERROR" if result.error else "FAIL")
    total = len(result.scenario.steps)
    where = f"{len(result.steps)} steps" if result.passed else f"step {len(result.steps)} of {total}"
    side = f", Okta's side; {len(result.not_applicable)} not applicable" if result.target else ""
    took = f", {result.seconds:.2f} s" if timed else ""
    return f"{state:5} {result.scenario.id}  {result.scenario.name}  ({where}{side}{took})"


def not_applicable_text(result: ScenarioResult) -> str:
    """The parts left out against the external target, one a line ("" for none)."""
    return "\n".join(f"  N/A   {part}" for part in result.not_applicable)


def summary(results: list[ScenarioResult], seconds: float | None = None) -> str:
    """``seconds``: the wall-clock time of the whole run, if it is to be shown."""
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    text = f"{len(results)} scenarios: {passed} passed, {failed} failed{took}"
    targets = {r.target for r in results if r.target}
    if targets:
        left_out = sum(len(r.not_applicable) for r in results)
        text += f"; against the {', '.join(sorted(targets))}: {left_out} cybozu.com-side parts not applicable"
    return text


def junit(results: list[ScenarioResult], path: Path, seconds: float, shard: Shard | None = None) -> None:
    """One testcase per scenario; the failing step is in the failure's message. A shard's suite
    says which shard it is, so that CI's merged test results tell the jobs apart. Against an
    external target a scenario's testcase is Okta's side, and a second one, "[cybozu.com side]",
    is skipped with the parts not applicable as its reason."""
    left_out = [r for r in results if r.not_applicable]
    suite = ET.Element(
        "testsuite",
        name=f"lab scenarios (shard {shard})" if shard else "lab scenarios",
        tests=str(len(results) + len(left_out)),
        failures=str(sum(not r.passed and not r.error for r in results)),
        errors=str(sum(bool(r.error) for r in results)),
        skipped=str(len(left_out)),
        time=f"{seconds:.3f}",
    )
    for result in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"scenarios.{result.scenario.id}",
            name=result.scenario.name,
            file=result.scenario.file,
            time=f"{result.seconds:.3f}",
        )
        if not result.passed:
            record = result.failed_step
            message = result.error or (f"{record.step.label}: {record.failures[0]}" if record else "failed")
            element = ET.SubElement(case, "error" if result.error else "failure", message=message)
            element.text = failure_text(result)
        if result.not_applicable:
            side = ET.SubElement(
                suite,
                "testcase",
                classname=f"scenarios.{result.scenario.id}",
                name=f"{result.scenario.name} [cybozu.com side]",
                file=result.scenario.file,
                time="0.000",
            )
            skipped = ET.SubElement(side, "skipped", message=f"{NOT_APPLICABLE} ({result.target})")
            skipped.text = "\n".join(result.not_applicable)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(suite)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.pass{color:#0a7d32}.fail{color:#b00020}.na{color:#6e6e73}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
pre{background:#f5f5f7;padding:.5rem;overflow:auto;max-height:30rem;font-size:.8rem}
details summary{cursor:pointer}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _json(value: Any) -> str:
    return _e(json.dumps(value, indent=2, ensure_ascii=False) if isinstance(value, dict | list) else value)


def wire_log(record: StepRecord, secrets: Iterable[str] = ()) -> str:
    if not record.exchanges:
        return ""
    shown = scrub(record.exchanges[:WIRE_LOG_LIMIT], secrets)
    parts = [f"<details><summary>SCIM wire log ({len(record.exchanges)} requests)</summary>"]
    for exchange in shown:
        headers = "\n".join(f"{k}: {v}" for k, v in redact_headers(exchange.get("headers") or {}).items())
        parts.append(
            f"<pre>{_e(exchange['method'])} {_e(exchange['path'])}  (from {_e(exchange.get('source') or '')})\n"
            f"{_e(headers)}\n\n{_json(redact(exchange.get('request')) or '')}\n\n"
            f"&lt;- {_e(exchange['status'])}\n{_json(redact(exchange.get('response')) or '')}</pre>"
        )
    if len(record.exchanges) > len(shown):
        parts.append(f"<p>({len(record.exchanges) - len(shown)} more requests not shown)</p>")
    parts.append("</details>")
    return "".join(parts)


def artifacts(record: StepRecord, folder: Path) -> str:
    """The UI driver's screenshot (shown) and Playwright trace (``playwright show-trace FILE``)."""
    parts = []
    for path in record.artifacts:
        if path.suffix == ".png":
            parts.append(f'<p><img src="{_e(link(path, folder))}" alt="Screenshot of the failing step" width="800"></p>')
        else:
            parts.append(
                f'<p>Playwright trace: <a href="{_e(link(path, folder))}">{_e(path.name)}</a> (open with <code>playwright show-trace</code>)</p>'
            )
    return "".join(parts)


def link(path: Path, folder: Path) -> str:
    """``path`` as the report in ``folder`` links it: relative when inside, else a file: URL."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def html_report(results: list[ScenarioResult], folder: Path, har_files: list[Path] | None = None) -> Path:
    """``folder/index.html``: every scenario (and its seed), every step, its message, failures and
    wire log; ``har_files`` (one per result) are linked from their scenario's heading."""
    body = [f"<h1>Scenario report</h1><p>{_e(summary(results))}</p>"]
    for number, result in enumerate(results):
        css = "pass" if result.passed else "fail"
        body.append(
            f'<h2 class="{css}">{_e(headline(result, timed=False))}</h2>'
            f"<p>{_e(result.scenario.file)} (seed {_e(result.scenario.seed)})"
        )
        if har_files:
            body.append(
                f' · SCIM exchanges as HAR: <a href="{_e(link(har_files[number], folder))}">'
                f"{_e(har_files[number].name)}</a>"
            )
        body.append("</p>")
        if result.target:
            body.append(f"<p>Okta's side against the {_e(result.target)}; cybozu.com's side: {_e(NOT_APPLICABLE)}.</p>")
        if result.error:
            body.append(f'<pre class="fail">{_e(result.error)}</pre>')
        if result.setup_not_applicable:
            body.append("".join(f'<p class="na">N/A: {_e(p)}</p>' for p in result.setup_not_applicable))
        rows = []
        for record in result.steps:
            state = {"pass": "pass", "fail": "fail", "n/a": "na"}[record.state]
            failures = "<br>".join(_e(f) for f in record.failures)
            left_out = "<br>".join(f"N/A: {_e(p)}" for p in record.not_applicable)
            rows.append(
                f'<tr><td class="{state}">{_e(record.step.index)}</td><td>{_e(record.step.verb)}'
                f"<br><small>{_e(record.step.title)}</small></td><td>{_e(record.state.upper())}</td>"
                f"<td>{_e(record.message or '')}</td>"
                f'<td class="fail">{failures}</td><td class="na">{left_out}</td></tr>'
                f'<tr><td></td><td colspan="5">{artifacts(record, folder)}{wire_log(record, result.secrets)}</td></tr>'
            )
        body.append(
            "<table><tr><th>#</th><th>verb</th><th>state</th><th>message</th><th>failures</th>"
            "<th>not applicable</th></tr>"
            + "".join(rows)
            + "</table>"
        )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "index.html"
    target.write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Scenario report</title>'
        f"<style>{STYLE}</style><body>{''.join(body)}</body></html>",
        encoding="utf-8",
    )
    return target
