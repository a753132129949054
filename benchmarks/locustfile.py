"""Locust scenario for `benchmarks/load.py` (run by it; not on its own).

Users are seeded by load.py: reviewers with a known TOTP secret (staff: password + second factor)
and institution clerks (password only). Each simulated user logs in once as a reviewer, then mixes:

- `POST /api/quote`             a subsidy quote worked by hand (附件3 D类 600 + 20天×30 = 1200.00)
- `GET /registry/people/`       a list page (25 rows of a few hundred people, masked)
- `POST /login/ (clerk)`        a password log-in (the expensive part: PBKDF2 hashing)

With `GONGJIANG_LOAD_ATTENDANCE=1` (load.py then seeds a running class and a face terminal), a
`Device` user posts check-ins to `POST /api/attendance` with the terminal's key: each a new
(person, second) inside a session window of the class's first day, so each writes a row and runs
the anomaly detection;
every tenth one is a replay of the one before (200, same record); and reviewers also read the
anomaly queue, the filing review queue and the funds review queue (load.py seeds 20 submitted
training-subsidy applications of 10 lines each).

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
DEVICE = USERS.get("device")
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
    def reviewer_queues(self) -> None:
        """With the device users on: the reviewer's anomaly queue (fed by their check-ins) and the
        filing review queue."""
        if not DEVICE:
            return
        for path, name in (
            ("/training/anomalies/", "GET /training/anomalies/"),
            ("/training/review/", "GET /training/review/"),
            ("/funds/review-queue/", "GET /funds/review-queue/"),
        ):
            with self.client.get(path, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"queue {response.status_code}")

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


if DEVICE:
    _moments = itertools.count()

    class Device(HttpUser):
        """A face terminal (issue 5): key in X-Device-Key, no session, no CSRF token."""

        wait_time = between(0.05, 0.2)

        def on_start(self) -> None:
            self.client.headers.update({"X-Forwarded-Proto": "https", "X-Device-Key": DEVICE["key"]})
            self.last: dict | None = None

        def _body(self) -> dict:
            n = next(_moments)
            people = DEVICE["id_numbers"]
            # Every trainee once per second inside the day's two check-in windows (07:30–11:00 and
            # 12:30–16:00, 12,600 s each), so the check-ins count for sessions as real ones do.
            second = n // len(people) % 25200
            second += 7 * 3600 + 1800 if second < 12600 else 12 * 3600 + 1800 - 12600
            clock = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
            return {
                "serial": DEVICE["serial"],
                "id_number": people[n % len(people)],
                "class_code": DEVICE["class_code"],
                "occurred_at": f"{DEVICE['day']}T{clock}+08:00",
                "method": "face",
                "match_score": "93.00",
            }

        @task(9)
        def check_in(self) -> None:
            self.last = self._body()
            with self.client.post(
                "/api/attendance", json=self.last, name="POST /api/attendance", catch_response=True
            ) as response:
                if response.status_code != 201:
                    response.failure(f"check-in {response.status_code}")

        @task(1)
        def replay(self) -> None:
            if self.last is None:
                return
            with self.client.post(
                "/api/attendance", json=self.last, name="POST /api/attendance (replay)", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"replay {response.status_code}")
