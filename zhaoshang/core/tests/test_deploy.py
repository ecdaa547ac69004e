"""docs/operations.md, followed on this machine: a throwaway service account, a PostgreSQL role and a
database owned by it, the settings file from deploy/zhaoshang.env.example with a key generated once,
the `zs` helper of the page, migrate, collectstatic, create_admin without a terminal, gunicorn started
as that account with the web unit's own command line, the health URL before and after the first
backup, uploads not readable by others, and a log-in over HTTP that reaches the start page. The units
of deploy/systemd/ pass `systemd-analyze verify` with the paths of this install. Everything is
removed afterwards.

It needs root (useradd, runuser) and PostgreSQL (the production database), so it is skipped on
SQLite and for other users; it is bounded (every step has a time limit) and takes about a minute.
The files' contents the page relies on are checked everywhere (test_deploy_files_*).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from zhaoshang.core.tests import scratch

PROJECT_DIR = scratch.PROJECT_DIR
DEPLOY = PROJECT_DIR / "deploy"
OPERATIONS = PROJECT_DIR / "docs" / "operations.md"
UNITS = sorted((DEPLOY / "systemd").iterdir())
ADMIN_PASSWORD = "Pingyang-county-2026"
# The system's Python, as on the server (step 1), of the test's minor version (it reads its packages).
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def units_text() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in UNITS}


def exec_start(unit: str) -> list[str]:
    """A unit's command line as systemd splits it (%% is a literal %)."""
    line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart=").replace("%%", "%"))


# --- the files, everywhere -----------------------------------------------------------------------


def test_deploy_files_say_what_the_page_says():
    units = units_text()
    assert set(units) == {
        "zhaoshang-web.service",
        "zhaoshang-worker.service",
        "zhaoshang-scheduler.service",
        "zhaoshang-backup.service",
        "zhaoshang-backup.timer",
    }
    for name, text in units.items():
        if name.endswith(".service"):
            assert "EnvironmentFile=/etc/zhaoshang/zhaoshang.env" in text, name
            assert "User=zhaoshang" in text, name
            assert "UMask=0027" in text or "UMask=0077" in text, name
        if name != "zhaoshang-backup.service" and name.endswith(".service"):
            assert re.search(r"^Restart=(always|on-failure)$", text, re.M), name
    web = exec_start(units["zhaoshang-web.service"])
    assert {"--no-control-socket", "--access-logfile"} <= set(web)
    assert web[web.index("--access-logfile") + 1] == "-"  # to the journal
    assert exec_start(units["zhaoshang-worker.service"])[-2:] == ["manage.py", "db_worker"]
    assert exec_start(units["zhaoshang-scheduler.service"])[-2:] == ["manage.py", "run_schedule"]
    assert exec_start(units["zhaoshang-backup.service"])[-4:-2] == ["manage.py", "backup"]
    page = OPERATIONS.read_text(encoding="utf-8")
    for name in units:
        assert name.split(".")[0] in page, name


def test_deploy_files_nginx_keeps_the_port_and_takes_the_largest_upload():
    site = (DEPLOY / "nginx" / "zhaoshang.conf").read_text(encoding="utf-8")
    assert re.search(r"proxy_set_header\s+Host\s+\$http_host;", site)
    assert not re.search(r"proxy_set_header\s+Host\s+\$host;", site)
    size = re.search(r"client_max_body_size\s+(\d+)m;", site)
    assert size and int(size.group(1)) * 1024 * 1024 > settings.MAX_ATTACHMENT_BYTES
    assert "/media" not in site.replace("media/` through", "")  # uploads are never published by nginx


def test_deploy_files_settings_example_is_complete_and_starts_hsts_low():
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / "zhaoshang.env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert example["DEBUG"] == "0"
    assert int(example["SECURE_HSTS_SECONDS"]) <= 24 * 3600
    assert example["TIME_ZONE"] == example["TZ"]
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "ZHAOSHANG_VAR_DIR",
        "BACKUP_DIR",
    ):
        assert example[name], name


# --- the deploy, as root on PostgreSQL -------------------------------------------------------------


def code_block_after(marker: str) -> str:
    """The first ```sh block of docs/operations.md after ``marker``."""
    page = OPERATIONS.read_text(encoding="utf-8")
    rest = page[page.index(marker) :]
    return rest.split("```sh\n", 1)[1].split("```", 1)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Install:
    code: Path  # the stand-in for /opt/zhaoshang
    account: str
    root: Path  # the throwaway stand-in for /, holding etc/, var/lib/, var/backups/, usr/local/bin/
    env_file: Path
    var: Path
    backups: Path
    zs: Path
    port: int

    def paths(self, text: str) -> str:
        """The page's and the units' paths and account, for this install."""
        for page, here in (
            ("/opt/zhaoshang", str(self.code)),
            ("/etc/zhaoshang/zhaoshang.env", str(self.env_file)),
            ("/var/lib/zhaoshang", str(self.var)),
            ("/var/backups/zhaoshang", str(self.backups)),
            ("-u zhaoshang ", f"-u {self.account} "),
            ("User=zhaoshang", f"User={self.account}"),
            ("Group=zhaoshang", f"Group={self.account}"),
        ):
            text = text.replace(page, here)
        return text

    def environment(self) -> dict[str, str]:
        lines = self.env_file.read_text().splitlines()
        pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
        return {"PATH": CLEAN_PATH, **dict(pairs)}


def run(*command: str, timeout: int = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """A command of the page, in a root shell's clean environment (plus ``env``), which must succeed."""
    result = subprocess.run(  # noqa: S603 - fixed commands of the operations page
        list(command),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": CLEAN_PATH, "LANG": "C.UTF-8", **env},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


def deploy_ready() -> str:
    """Why the deploy cannot be followed here, or "" when it can."""
    if connection.vendor != "postgresql":
        return "the deploy of docs/operations.md is on PostgreSQL"
    if os.geteuid() != 0:
        return "needs root to add a service account"
    for tool in ("useradd", "userdel", "runuser", "systemd-analyze"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if not SYSTEM_PYTHON.exists():
        return f"{SYSTEM_PYTHON} is not installed"
    return ""


def install_code(code: Path) -> None:
    """Step 1 of the page, without a package index: a copy of this checkout, and a virtual
    environment of the system's Python that reads the packages of the test's own environment (the
    test's interpreter may live where the service account cannot reach, as pyenv's under /root)."""
    ignore = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.pyc", ".*_cache")
    shutil.copytree(PROJECT_DIR, code, ignore=ignore)
    run(str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(code / ".venv"))
    (site_packages,) = (code / ".venv" / "lib").glob("python3*/site-packages")
    shared = sysconfig.get_paths()["purelib"]
    (site_packages / "zhaoshang-packages.pth").write_text(f"import site; site.addsitedir({shared!r})\n")
    gunicorn = code / ".venv" / "bin" / "gunicorn"
    gunicorn.write_text(
        f"#!{code / '.venv' / 'bin' / 'python'}\nfrom gunicorn.app.wsgiapp import run\nrun()\n"
    )
    gunicorn.chmod(0o755)


@pytest.fixture
def install() -> Iterator[Install]:
    """Steps 2 to 4 of the page: the account, its folders, the database and role, the settings."""
    reason = deploy_ready()
    if reason:
        pytest.skip(reason)
    with ExitStack() as cleanup:
        root = Path(tempfile.mkdtemp(prefix="zs-deploy-"))
        cleanup.callback(shutil.rmtree, root, ignore_errors=True)
        root.chmod(0o755)  # as / is: the account reaches its folders below
        account = f"zsdeploy{secrets.token_hex(3)}"
        var, backups = root / "var" / "lib" / "zhaoshang", root / "var" / "backups" / "zhaoshang"
        etc, bin_dir = root / "etc" / "zhaoshang", root / "usr" / "local" / "bin"
        for folder in (var.parent, backups.parent, etc, bin_dir):
            folder.mkdir(parents=True, mode=0o755)
            folder.chmod(0o755)
        code = root / "opt" / "zhaoshang"
        install_code(code)
        here = Install(code, account, root, etc / "zhaoshang.env", var, backups, bin_dir / "zs", free_port())

        # 2. the service account and its folders
        run("useradd", "--system", "--home-dir", str(var), "--shell", "/usr/sbin/nologin", account)
        cleanup.callback(subprocess.run, ["userdel", account], capture_output=True, check=False)
        run("install", "-d", "-o", account, "-g", account, "-m", "0750", str(var))
        run("install", "-d", "-o", account, "-g", account, "-m", "0700", str(backups))

        # 3. the role and a database it owns (PostgreSQL 15: public is writable by its owner only)
        db_password = secrets.token_urlsafe(24)
        with scratch.admin_connection() as admin:
            admin.execute(f"CREATE ROLE \"{account}\" LOGIN PASSWORD '{db_password}'")
            cleanup.callback(drop, account)
            admin.execute(
                f'CREATE DATABASE "{account}" OWNER "{account}" ENCODING \'UTF8\' TEMPLATE template0'
            )

        # 4. the settings file from the example, the key generated once; plain HTTP, no nginx
        run(
            "install",
            "-m",
            "0640",
            "-o",
            "root",
            "-g",
            account,
            str(DEPLOY / "zhaoshang.env.example"),
            str(here.env_file),
        )
        address = f"http://127.0.0.1:{here.port}"
        chosen = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": scratch.database_url(account, user=account, password=db_password),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": address,
            "SITE_URL": address,
            "ZHAOSHANG_VAR_DIR": str(var),
            "BACKUP_DIR": str(backups),
            "TRUSTED_PROXY_COUNT": "0",
            "TRUSTED_PROXY_SSL_HEADER": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
        }
        lines = []
        for line in here.env_file.read_text().splitlines():
            name = line.lstrip("#").split("=", 1)[0]
            lines.append(f"{name}={chosen.pop(name)}" if name in chosen and "=" in line else line)
        here.env_file.write_text("\n".join([*lines, *(f"{k}={v}" for k, v in chosen.items())]) + "\n")
        assert oct(here.env_file.stat().st_mode & 0o777) == "0o640"

        # the zs helper, as the page gives it
        here.zs.write_text(here.paths(code_block_after("/usr/local/bin/zs")))
        here.zs.chmod(0o755)
        yield here


def drop(account: str) -> None:
    with scratch.admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{account}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{account}"')


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - the local test server
            return
        except urllib.error.HTTPError:
            return  # it answers (503 before the first backup)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def health(base: str) -> tuple[int, dict]:
    try:
        response = urllib.request.urlopen(f"{base}/healthz", timeout=10)  # noqa: S310
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    return response.status, json.loads(response.read())


def test_the_operations_page_deploys_a_working_site(install: Install):
    zs = str(install.zs)
    # 5. migrate, static files, the first administrator without a terminal
    run(zs, "manage.py", "migrate", "--no-input", timeout=600)
    run(zs, "manage.py", "collectstatic", "--no-input", timeout=600)
    refused = subprocess.run(  # noqa: S603
        [
            zs,
            "manage.py",
            "create_admin",
            "--username",
            "admin",
            "--unit-code",
            "330326",
            "--unit-name",
            "平阳县",
        ],
        capture_output=True,
        text=True,
        env={"PATH": CLEAN_PATH, "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert (
        refused.returncode == 1
        and "ZHAOSHANG_ADMIN_PASSWORD" in refused.stderr
        and "Traceback" not in refused.stderr
    )
    run(
        zs,
        *("manage.py", "create_admin", "--username", "admin", "--name", "县商务局管理员"),
        *("--email", "admin@example.gov.cn", "--unit-code", "330326", "--unit-name", "平阳县"),
        ZHAOSHANG_ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    run(zs, "manage.py", "check", "--deploy")

    # 7. the units, with this install's paths
    unit_dir = install.root / "etc" / "systemd" / "system"
    unit_dir.mkdir(parents=True)
    for name, text in units_text().items():
        (unit_dir / name).write_text(install.paths(text))
    verified = subprocess.run(  # noqa: S603 - systemd-analyze from PATH
        [
            shutil.which("systemd-analyze") or "systemd-analyze",
            "verify",
            *sorted(str(p) for p in unit_dir.iterdir()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    complaints = [line for line in (verified.stdout + verified.stderr).splitlines() if "zhaoshang-" in line]
    assert verified.returncode == 0 and not complaints, verified.stdout + verified.stderr

    # gunicorn as the web unit starts it, as the account, on a free port
    command = exec_start((unit_dir / "zhaoshang-web.service").read_text())
    command[command.index("--bind") + 1] = f"127.0.0.1:{install.port}"
    with subprocess.Popen(  # noqa: S603
        command,
        cwd=install.code,
        env=install.environment(),
        user=install.account,
        group=install.account,
        extra_groups=[],
        umask=0o027,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as server:
        try:
            base = f"http://127.0.0.1:{install.port}"
            wait_for(f"{base}/healthz")

            # 8. health: the database answers; no backup yet, so 503 until the first one
            status, body = health(base)
            assert (status, body["checks"]["database"]["ok"]) == (503, True), body
            assert body["checks"]["backup"]["detail"] == "no successful backup recorded"
            run(zs, "manage.py", "backup", "--keep", "14")
            status, body = health(base)
            assert (status, body["checks"]["backup"]["ok"], body["checks"]["jobs"]["ok"]) == (
                503,
                True,
                False,
            )
            # the scheduler's and the worker's units: one turn of each, as the service account
            run(zs, "manage.py", "run_schedule", "--once")
            run(zs, "manage.py", "db_worker", "--batch", "--no-startup-delay")
            status, body = health(base)
            assert (status, body["status"]) == (200, "ok"), body

            # uploads are readable by the account (and its group) only
            probe = run(
                zs,
                *("manage.py", "shell", "-c"),
                "from django.core.files.base import ContentFile; from django.core.files.storage import "
                "default_storage as s; print(s.path(s.save('probe/合同.pdf', ContentFile(b'x'))))",
            )
            saved = Path(probe.stdout.strip().splitlines()[-1])
            assert saved.stat().st_mode & 0o777 == 0o640
            assert saved.parent.stat().st_mode & 0o777 == 0o750
            assert saved.stat().st_uid != 0

            # a log-in over plain HTTP reaches the start page
            jar = http.cookiejar.CookieJar()
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            form = browser.open(f"{base}/accounts/login/", timeout=30).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            assert token, form[:500]
            data = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token.group(1), "username": "admin", "password": ADMIN_PASSWORD}
            ).encode()
            start = browser.open(f"{base}/accounts/login/", data=data, timeout=60)
            page = start.read().decode()
            assert start.status == 200 and start.url.rstrip("/") == base, start.url
            assert "县商务局管理员" in page and "平阳县" in page
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0].decode(errors="replace")
    # the access log went to standard output (the journal), with the request in it
    assert '"POST /accounts/login/ HTTP/1.1" 302' in output, output[-2000:]
