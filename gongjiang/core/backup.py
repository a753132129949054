"""Backup and restore of the database and the uploaded files (`make backup`, `make restore`).

A backup is a directory:

    var/backups/20250601-020000/
        manifest.json    when, which database, row counts per table, audit chain head, checksums
        db.dump          PostgreSQL: `pg_dump --format=custom`   (or db.sqlite3: SQLite backup API)
        media.tar.gz     everything under MEDIA_ROOT

Restoring replaces the database and the media root with the backup's, then verifies: the files'
checksums before, and after, the row counts against the manifest and every integrity check
(`gongjiang.core.integrity`: the audit chain now, the funds ledger when it exists).

Secrets are not in a backup: the identifiers in it stay encrypted, and GONGJIANG_FIELD_KEY and
GONGJIANG_ID_HASH_KEY must be kept (separately) to read them after a restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from .audit import audit_head
from .integrity import row_counts, run_checks

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_and_target() -> tuple[dict[str, str], list[str]]:
    """libpq connection options for pg_dump/pg_restore (the password through the environment)."""
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["--dbname", str(s["NAME"])]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return env, args


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败：{result.stderr.strip()[:2000]}")


def default_backup_dir() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / stamp


def backup(out: Path) -> dict[str, Any]:
    """Write a backup into `out` (which must not exist yet) and return its manifest."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"备份目录已存在且非空：{out}")
    out.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    files: dict[str, str] = {}
    if vendor == "postgresql":
        env, target = _pg_env_and_target()
        dump = out / "db.dump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *target], env
        )
        files[dump.name] = _sha256(dump)
    elif vendor == "sqlite":
        dump = out / "db.sqlite3"
        connection.ensure_connection()
        target_db = sqlite3.connect(dump)
        try:
            connection.connection.backup(target_db)
        finally:
            target_db.close()
        files[dump.name] = _sha256(dump)
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    media_root = Path(settings.MEDIA_ROOT)
    archive = out / MEDIA_ARCHIVE
    with tarfile.open(archive, "w:gz") as tar:
        if media_root.exists():
            tar.add(media_root, arcname="media")
    files[archive.name] = _sha256(archive)
    manifest = {
        "format": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "row_counts": row_counts(),
        "audit_head": audit_head(),
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.exists():
        raise BackupError(f"不是备份目录（缺少 {MANIFEST}）：{source}")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for name, checksum in manifest["files"].items():
        if not (source / name).exists():
            raise BackupError(f"备份文件缺失：{name}")
        if _sha256(source / name) != checksum:
            raise BackupError(f"备份文件校验和不符（已损坏或被改动）：{name}")
    return manifest


@dataclass(frozen=True)
class RestoreReport:
    ok: bool
    count_mismatches: dict[str, tuple[int, int]]
    checks: list[Any]

    def lines(self) -> list[str]:
        lines = [f"{'✓' if c.ok else '✗'} {c.detail}" for c in self.checks]
        if self.count_mismatches:
            for table, (expected, actual) in self.count_mismatches.items():
                lines.append(f"✗ 行数不符 {table}：备份 {expected}，恢复后 {actual}")
        else:
            lines.append("✓ 各表行数与备份清单一致")
        return lines


def restore(source: Path) -> RestoreReport:
    """Replace the database and the media root with the backup in `source`, then verify."""
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"备份来自 {manifest['vendor']}，当前数据库是 {vendor}")
    if vendor == "postgresql":
        env, target = _pg_env_and_target()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *target,
                str(source / "db.dump"),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        backup_db = sqlite3.connect(source / "db.sqlite3")
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    _restore_media(source / MEDIA_ARCHIVE, Path(settings.MEDIA_ROOT))
    counts = row_counts()
    mismatches = {
        table: (expected, counts.get(table, -1))
        for table, expected in manifest["row_counts"].items()
        if counts.get(table, -1) != expected
    }
    checks = run_checks()
    return RestoreReport(
        ok=not mismatches and all(c.ok for c in checks), count_mismatches=mismatches, checks=checks
    )


def _restore_media(archive: Path, media_root: Path) -> None:
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")  # "data": no absolute paths, links out, or devices
    if media_root.exists():
        shutil.rmtree(media_root)
    extracted = staging / "media"
    if extracted.exists():
        extracted.rename(media_root)
    else:
        media_root.mkdir(parents=True)
    shutil.rmtree(staging, ignore_errors=True)
