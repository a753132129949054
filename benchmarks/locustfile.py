"""Locust scenario for `benchmarks/load.py` (run by it; not on its own).

Users are seeded by load.py: reviewers with a known TOTP secret (staff: password + second factor)
and institution clerks (password only). Each simulated user logs in once as a reviewer, then mixes:

- `POST /api/quote`             a subsidy quote worked by hand (附件3 D类 600 + 20天×30 = 1200.00)
- `GET /registry/people/`       a list page (25 rows of a few hundred people, masked)
- `POST /login/ (clerk)`        a password log-in (the expensive part: PBKDF2 hashing)

Extension points (issue 5 and later): device attendance posts and reviewers' queues. They run
only when `GONGJIANG_LOAD_ATTENDANCE=1` and the spec has `/api/attendance`; until then they are
absent from the mix and load.py says so.

Requests go straight to gunicorn as the TLS proxy would forward them (X-Forwarded-Proto: https);
production cookies are Secure, so the cookie policy here sends them over loopback HTTP.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from http.cookiejar import DefaultCookiePolicy

import pyotp
from locust import HttpUser, between, task

USERS = json.loads(os.environ["GONGJIANG_LOAD_USERS"])
REVIEWERS = itertools.cycle(USERS["reviewers"])
CLERKS = itertools.cycle(USERS["clerks"])
QUOTE = {
    "policy": "lanzhou-xinqu-2025",
    "date": "2025-06-01",
    "benefit": "training_subsidy",
    "facts": {
        "training_type": "employment",
        "occupation": "快递员",
        "level": "cert",
        "class_hours": 60,
        "rural_or_lowincome": True,
        "training_days": 20,
    },
    "history": [],
}


# requests copies the session's cookies into a fresh jar with the default policy for each request,
# so the policy itself is changed (in this load-generator process only): the proxy would have
# spoken HTTPS to the browser, so Secure cookies go over loopback HTTP here.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True  # type: ignore[method-assign,assignment]


class Staff(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        origin = (self.host or "").replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"})
        self.reviewer = next(REVIEWERS)
        self._log_in_reviewer()

    def _csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken") or ""}

    def _log_in_reviewer(self) -> None:
        self.client.get("/login/", name="GET /login/")
        with self.client.post(
            "/login/",
            data={"username": self.reviewer["username"], "password": self.reviewer["password"]},
            headers=self._csrf(),
            allow_redirects=False,
            name="POST /login/ (staff password)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"password step {response.status_code}")
                return
        code = pyotp.TOTP(self.reviewer["secret"]).at(time.time() + 30)
        with self.client.post(
            "/account/otp/",
            data={"code": code},
            headers=self._csrf(),
            allow_redirects=False,
            name="POST /account/otp/ (TOTP)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"second factor {response.status_code}")

    @task(6)
    def quote(self) -> None:
        with self.client.post(
            "/api/quote", json=QUOTE, headers=self._csrf(), catch_response=True
        ) as response:
            if response.status_code != 200 or response.json().get("amount") != "1200.00":
                response.failure(f"quote {response.status_code}")

    @task(3)
    def people_list(self) -> None:
        with self.client.get(
            "/registry/people/", name="GET /registry/people/", catch_response=True
        ) as response:
            if response.status_code != 200 or "人员" not in response.text:
                response.failure(f"list {response.status_code}")

    @task(1)
    def clerk_log_in(self) -> None:
        """A separate browser: a clerk's password log-in and the first page."""
        clerk = next(CLERKS)
        session_cookies = self.client.cookies.copy()
        self.client.cookies.clear()
        self.client.get("/login/", name="GET /login/")
        with self.client.post(
            "/login/",
            data={"username": clerk["username"], "password": clerk["password"]},
            headers=self._csrf(),
            allow_redirects=False,
            name="POST /login/ (clerk password)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"clerk log-in {response.status_code}")
        self.client.cookies.clear()
        self.client.cookies.update(session_cookies)
