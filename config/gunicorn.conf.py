"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi:application`.

Every value can be overridden by the environment (GONGJIANG_BIND, GONGJIANG_WORKERS, …) or on the
command line. Sync workers: each is one process with one request at a time and its own database
connection; scale by adding workers here and app hosts behind the proxy (docs/deploy.md).
"""

import multiprocessing
import os

bind = os.environ.get("GONGJIANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GONGJIANG_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GONGJIANG_WORKER_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# No runtime control socket (gunicorn 27 opens one under ~/.gunicorn by default): several instances
# on one host would share its path, and management goes through systemd signals anyway.
control_socket_disable = True
# Recycle workers now and then, so a slow leak in a library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy may set X-Forwarded-*; list its address(es).
forwarded_allow_ips = os.environ.get("GONGJIANG_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log: JSON, one line per request, on stdout. The path without its query string (%(U)s): a
# search for an ID number must not end up in the logs; no client address (personal data); the
# audit trail keeps addresses of log-ins.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"ts":"%(t)s","logger":"gunicorn.access","method":"%(m)s","path":"%(U)s",'
    '"status":%(s)s,"bytes":"%(B)s","duration_ms":%(M)s,"pid":"%(p)s"}'
)

# gunicorn's own messages as JSON too (gongjiang.core.logging has no Django import), so every line
# on stdout is one JSON object.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "gongjiang.core.logging.JsonFormatter"},
        "raw": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "raw", "stream": "ext://sys.stdout"},
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
