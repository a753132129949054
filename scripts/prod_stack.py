"""The production stack on this machine, for `make prod-check` and `make bench`.

    with ProdStack(pg_url, redis_url) as stack:   # a database of its own, created and dropped
        browser = Browser(stack.base_url)          # an HTTPS-behind-a-proxy client over loopback
        ...

It creates a PostgreSQL database `<name>_prodcheck_<pid>` beside the one in `pg_url`, uses a Redis
key prefix of its own, migrates, collects static files into a temporary directory, creates a
jurisdiction and a bureau admin (`gongjiang bootstrap`), and starts one gunicorn master with
`workers` app processes and one `gongjiang db_worker`, all with `config.settings.prod`. On leaving
(normally, on an exception, or on SIGINT/SIGTERM) it stops every process it started, drops the
database, deletes its Redis keys and removes the temporary directory.

Requests go to gunicorn directly, as the reverse proxy would send them: with
`X-Forwarded-Proto: https` (production redirects plain HTTP) and cookies kept by hand, because
production cookies are `Secure` and a standard cookie jar would not send them over loopback HTTP.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from base64 import urlsafe_b64encode
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
ADMIN = "prodcheck-admin"


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3
        ):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """A minimal HTTP client that behaves like a browser behind the TLS-terminating proxy."""

    def __init__(self, base_url: str) -> None:
        parsed = urlparse(base_url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _conn(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return self.connection

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        origin = f"https://{self.host}:{self.port}"
        extra = headers or {}
        headers = {
            **extra,
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Origin": origin,
            "Referer": origin + "/",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: bytes | None = None
        if method != "GET":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            conn = self._conn()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                self.connection = None
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data.decode("utf-8", "replace"),
        )

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post(self, path: str, **kwargs: Any) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, **kwargs)

    def log_in(self, username: str, password: str, totp_secret: str | None = None) -> str:
        """Password, then enrolment or the code. Returns the TOTP secret in use ('' without)."""
        import pyotp

        self.get("/login/")
        status, headers, body = self.post("/login/", form={"username": username, "password": password})
        if status != 302:
            raise AssertionError(f"log-in refused ({status}): {_text(body)[:300]}")
        location = headers.get("location", "")
        if location == "/":
            return ""
        if location.endswith("/account/otp/enrol/"):
            status, _h, page = self.get("/account/otp/enrol/")
            if "<svg" not in page:
                raise AssertionError("enrolment page without a QR code")
            match = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", page)
            if match is None:
                raise AssertionError("enrolment page without the secret for manual entry")
            totp_secret = match.group(1).replace(" ", "")
            step_path, ahead = "/account/otp/enrol/", 0
        else:
            # The next step's code: accepted (one step of drift) and later than any code used before.
            step_path, ahead = "/account/otp/", 30
            if totp_secret is None:
                raise AssertionError("a TOTP secret is needed for this account")
            self.get(step_path)
        code = pyotp.TOTP(totp_secret).at(time.time() + ahead)
        status, headers, body = self.post(step_path, form={"code": code})
        if status != 302 or headers.get("location") != "/":
            raise AssertionError(f"second factor refused ({status}): {_text(body)[:300]}")
        return totp_secret


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class ProdStack:
    def __init__(
        self,
        pg_url: str,
        redis_url: str,
        *,
        workers: int = 2,
        label: str = "prodcheck",
        admin_password: str | None = None,
        log=print,
    ) -> None:
        self.pg_url = pg_url
        self.redis_url = redis_url
        self.workers = workers
        self.log = log
        base = urlparse(pg_url)
        self.db_name = f"{(base.path.lstrip('/') or 'postgres')}_{label}_{os.getpid()}"
        self.db_url = base._replace(path="/" + self.db_name).geturl()
        self.admin_db_url = base._replace(path="/postgres").geturl()
        self.cache_prefix = f"gj-{label}-{os.getpid()}"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.admin_password = admin_password or ("check " + secrets.token_urlsafe(18))
        self.tmp = Path(tempfile.mkdtemp(prefix=f"gongjiang-{label}-"))
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}},
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DATABASE_URL": self.db_url,
            "REDIS_URL": redis_url,
            "GONGJIANG_CACHE_PREFIX": self.cache_prefix,
            "GONGJIANG_SECRET_KEY": secrets.token_urlsafe(50),
            "GONGJIANG_ID_HASH_KEY": secrets.token_hex(32),
            "GONGJIANG_FIELD_KEY": urlsafe_b64encode(os.urandom(32)).decode(),
            "GONGJIANG_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GONGJIANG_VAR_DIR": str(self.tmp),
            "GONGJIANG_TRUSTED_PROXIES": "1",
            "GONGJIANG_BOOTSTRAP_PASSWORD": self.admin_password,
            "PYTHONUNBUFFERED": "1",
        }
        self._created_db = False
        # Where the processes' logs are copied when the stack stops (else they go with the temp dir).
        self.keep_logs_in: Path | None = None

    # lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> ProdStack:
        self._old_handlers = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _on_signal(self, signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    def psql(self, sql: str, url: str | None = None) -> str:
        result = subprocess.run(  # noqa: S603
            ["psql", url or self.admin_db_url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def gongjiang(self, *args: str, timeout: int = 300) -> str:
        result = subprocess.run(  # noqa: S603
            [str(BIN / "gongjiang"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"gongjiang {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> None:
        self.log(f"数据库 {self.db_name}（检查专用，结束时删除）")
        self.psql(f'CREATE DATABASE "{self.db_name}"')
        self._created_db = True
        start = time.monotonic()
        # Static files need no database: collect them while the migrations run.
        static = subprocess.Popen(  # noqa: S603
            [str(BIN / "gongjiang"), "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            self.gongjiang("migrate", "--noinput", "-v", "0")
        finally:
            output, _ = static.communicate(timeout=300)
        if static.returncode != 0:
            raise RuntimeError(f"collectstatic failed:\n{output.decode(errors='replace')}")
        self.gongjiang(
            "bootstrap",
            "--jurisdiction",
            "lanzhou-xinqu",
            "--jurisdiction-name",
            "兰州新区",
            "--region-code",
            "620171",
            "--admin",
            ADMIN,
        )
        self.log(f"迁移、静态文件与初始账号：{time.monotonic() - start:.1f}s")
        self.procs["gunicorn"] = self._spawn(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "-c",
                "config/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "config.wsgi:application",
            ],
        )
        self.procs["worker"] = self._spawn(
            "worker", [str(BIN / "gongjiang"), "db_worker", "--interval", "0.2", "--no-startup-delay"]
        )
        self.wait_healthy()

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        out = (self.tmp / f"{name}.log").open("wb")
        return subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603

    def wait_healthy(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        browser = Browser(self.base_url)
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.logs(name)[-3000:]}")
            try:
                status, _h, _b = browser.get("/api/core/health")
                if status == 200 and len(self.app_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the app did not become healthy in {timeout}s:\n{self.logs('gunicorn')[-3000:]}")

    def app_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the master): the app processes."""
        master = self.procs["gunicorn"].pid
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:  # field 4 of /proc/PID/stat: the parent's pid
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def worker_pid(self) -> int:
        return self.procs["worker"].pid

    def logs(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in list(self.procs.items()):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.log(f"{name} 未在 20 秒内退出，强制结束")
                proc.kill()
                proc.wait(timeout=10)
        self.procs.clear()
        if self._created_db:
            try:
                self.psql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
                self._created_db = False
            except subprocess.CalledProcessError as exc:
                self.log(f"删除数据库 {self.db_name} 失败：{exc.stderr}")
        self._drop_cache_keys()
        if self.keep_logs_in is not None:
            self.keep_logs_in.mkdir(parents=True, exist_ok=True)
            for log in self.tmp.glob("*.log"):
                shutil.copy(log, self.keep_logs_in / log.name)
        shutil.rmtree(self.tmp, ignore_errors=True)
        for sig, handler in getattr(self, "_old_handlers", {}).items():
            signal.signal(sig, handler)

    def _drop_cache_keys(self) -> None:
        try:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            keys = list(client.scan_iter(match=f"{self.cache_prefix}:*", count=500))
            if keys:
                client.delete(*keys)
        except Exception as exc:  # cleaning up must not hide the check's own result
            print(f"清理 Redis 键失败：{exc}", file=sys.stderr)
