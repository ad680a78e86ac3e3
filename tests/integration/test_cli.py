"""`lab up` and `lab cybozu token` as a user runs them: real processes, real files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from tests.conftest import okta_user

pytestmark = pytest.mark.integration
LAB = [sys.executable, "-m", "lab.cli"]


def start_lab(data_dir: Path) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen(
        [*LAB, "up", "--data-dir", str(data_dir), "--okta-port", "0", "--cybozu-port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    runtime_file = data_dir / "lab.json"
    deadline = time.monotonic() + 30
    while not runtime_file.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "lab up did not start"
        time.sleep(0.05)
    banner = process.stdout.readline()
    assert "provisioning lab is running" in banner
    return process, json.loads(runtime_file.read_text())


def stop_lab(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    return out


def lab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LAB, *args], capture_output=True, text=True, timeout=60)


def test_lab_up_seeds_example_and_mints_tokens_that_survive_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "sandbox"
    process, runtime = start_lab(data)
    try:
        minted = lab("cybozu", "token", "--subdomain", "example", "--notes", "Okta", "--data-dir", str(data))
        assert minted.returncode == 0, minted.stderr
        answer = json.loads(minted.stdout)
        assert set(answer) == {"token", "scim_endpoint"}
        assert answer["scim_endpoint"] == f"{runtime['cybozu_url']}/example/scim/v2"
        headers = {"Authorization": f"Bearer {answer['token']}"}
        with httpx2.Client(base_url=answer["scim_endpoint"], headers=headers) as scim:
            assert scim.get("/Users").status_code == 403  # Propagate Provisioning is off in the demo
            enabled = httpx2.put(
                f"{runtime['cybozu_url']}/_lab/tenants/example/propagate-provisioning",
                json={"enabled": True},
                headers={"X-Lab-Key": runtime["lab_key"]},
            )
            assert enabled.status_code == 200
            assert scim.post("/Users", json=okta_user("alice@example.com")).status_code == 201
        assert httpx2.get(runtime["okta_url"] + "/").status_code == 200
        assert "Login to example.cybozu.com" in httpx2.get(runtime["cybozu_url"] + "/example/login").text
    finally:
        stop_lab(process)
    assert not (data / "lab.json").exists()

    process, runtime = start_lab(data)
    try:
        with httpx2.Client(base_url=f"{runtime['cybozu_url']}/example/scim/v2", headers=headers) as scim:
            found = scim.get("/Users", params={"filter": 'userName eq "alice@example.com"'}).json()
            assert found["totalResults"] == 1  # the user and the token were on disk
    finally:
        stop_lab(process)
    assert json.loads((data / "cybozu.json").read_text())["tenants"]


def test_token_without_a_running_lab_is_a_clear_error(tmp_path: Path) -> None:
    result = lab("cybozu", "token", "--subdomain", "example", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "no running lab found" in result.stderr and "Traceback" not in result.stderr


def test_token_for_an_unknown_subdomain_is_a_clear_error(tmp_path: Path) -> None:
    process, _ = start_lab(tmp_path)
    try:
        result = lab("cybozu", "token", "--subdomain", "nowhere", "--data-dir", str(tmp_path))
        assert result.returncode == 2
        assert "There is no cybozu.com environment 'nowhere'" in result.stderr
        bad_date = lab(
            "cybozu",
            "token",
            "--subdomain",
            "example",
            "--expires",
            "2001-01-01",
            "--data-dir",
            str(tmp_path),
        )
        assert bad_date.returncode == 2 and "today or later" in bad_date.stderr
    finally:
        stop_lab(process)


def test_lab_up_prints_urls_and_logins(tmp_path: Path) -> None:
    process, runtime = start_lab(tmp_path)
    try:
        lines = [process.stdout.readline() for _ in range(6)]
        # lab.json holds the lab key: its owner's only, as the secret key is.
        assert os.stat(tmp_path / "lab.json").st_mode & 0o077 == 0
    finally:
        stop_lab(process)
    text = "".join(lines)
    assert runtime["okta_url"] in text and runtime["cybozu_url"] in text
    assert "administrator: Administrator / cybozu-lab-admin" in text
    assert os.stat(tmp_path / "secret_key").st_mode & 0o077 == 0


def test_okta_token_reaches_api_v1_and_the_okta_org_provisions_into_cybozu(tmp_path: Path) -> None:
    process, runtime = start_lab(tmp_path)
    try:
        minted = lab("okta", "token", "--name", "ci", "--data-dir", str(tmp_path))
        assert minted.returncode == 0, minted.stderr
        answer = json.loads(minted.stdout)
        assert answer["org_url"] == runtime["okta_url"]
        api = httpx2.Client(
            base_url=answer["org_url"] + "/api/v1", headers={"Authorization": f"SSWS {answer['token']}"}
        )
        people = api.get("/users").json()
        assert "alice.smith@example.com" in [p["profile"]["login"] for p in people]  # the demo org
        # the org's SCIM template points at this lab's cybozu_sim: the app's connection test reaches it
        cybozu = json.loads(
            lab("cybozu", "token", "--subdomain", "example", "--data-dir", str(tmp_path)).stdout
        )
        app = api.post(
            "/apps", json={"name": "cybozu", "settings": {"app": {"domainName": "example"}}}
        ).json()
        connect = {"profile": {"authScheme": "TOKEN", "token": cybozu["token"]}}
        refused = api.post(f"/apps/{app['id']}/connections/default?activate=true", json=connect)
        assert (
            "Propagate Provisioning is disabled" in refused.json()["errorSummary"]
        )  # STEP1 step 9 not done yet
        api.close()
    finally:
        stop_lab(process)


def test_lab_reset_goes_back_to_the_demo(tmp_path: Path) -> None:
    process, runtime = start_lab(tmp_path)
    key = {"X-Lab-Key": runtime["lab_key"]}
    tenants = runtime["cybozu_url"] + "/_lab/tenants"
    try:
        httpx2.post(tenants, json={"subdomain": "scratch", "licenses": {"kintone": 1}}, headers=key)
        assert lab("reset", "--data-dir", str(tmp_path)).returncode == 0
        assert [t["subdomain"] for t in httpx2.get(tenants, headers=key).json()] == ["example"]
        token = json.loads(lab("okta", "token", "--data-dir", str(tmp_path)).stdout)["token"]
        people = httpx2.get(runtime["okta_url"] + "/api/v1/users", headers={"Authorization": f"SSWS {token}"})
        assert "alice.smith@example.com" in [p["profile"]["login"] for p in people.json()]
    finally:
        stop_lab(process)
    assert lab("reset", "--data-dir", str(tmp_path)).returncode == 2  # no running lab: a clear error


def test_a_damaged_data_folder_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "cybozu.json").write_text('{"users": {"1": ')  # cut short by something other than the lab
    result = lab(
        "up", "--data-dir", str(tmp_path), "--okta-port", "0", "--cybozu-port", "0", "--lab-port", "0"
    )
    assert result.returncode == 2
    assert "cybozu.json" in result.stderr and "start over" in result.stderr
    assert "Traceback" not in result.stderr
