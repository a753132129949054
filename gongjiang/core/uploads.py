"""Checking and storing uploaded evidence files.

A file is accepted only when its extension is one the kind allows *and* its content, sniffed from
its first bytes (`filetype`), is of that same type — a renamed executable or HTML page is refused.
Sizes are limited per kind. The stored name is made by the server from the SHA-256 of the content
(`core.models.stored_file_path`); the uploader's name is kept as data only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile

from .errors import DomainError


@dataclass(frozen=True)
class FileKind:
    label: str
    extensions: dict[str, str]  # extension → the MIME type its content must sniff as
    max_bytes_setting: str


PHOTO = FileKind(
    "照片", {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}, "GONGJIANG_MAX_PHOTO_BYTES"
)
DOCUMENT = FileKind(
    "文件",
    {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"},
    "GONGJIANG_MAX_DOCUMENT_BYTES",
)
VIDEO = FileKind("视频", {".mp4": "video/mp4", ".mov": "video/quicktime"}, "GONGJIANG_MAX_VIDEO_BYTES")


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile[bytes]
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str

    def fields(self) -> dict[str, Any]:
        """Keyword arguments for a `StoredFile` model (the file itself is saved with `.file.save`)."""
        return {
            "original_name": self.original_name,
            "extension": self.extension,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def check_upload(name: str, stream: IO[bytes], kind: FileKind) -> CheckedUpload:
    """Read and check an upload; raise DomainError with a Chinese message when it is refused."""
    original = (name or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    extension = _extension(original)
    allowed = ", ".join(sorted(kind.extensions))
    if extension not in kind.extensions:
        raise DomainError("bad_file_type", f"{kind.label}只接受以下格式：{allowed}（收到“{original}”）")
    limit = int(getattr(settings, kind.max_bytes_setting))
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(1024 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise DomainError(
                "file_too_large", f"{kind.label}“{original}”超过 {limit // (1024 * 1024)} MB 上限"
            )
        digest.update(chunk)
        chunks.append(chunk)
    if size == 0:
        raise DomainError("empty_file", f"{kind.label}“{original}”是空文件")
    data = b"".join(chunks)
    sniffed = filetype.guess_mime(data[:8192])
    expected = kind.extensions[extension]
    if sniffed != expected:
        raise DomainError(
            "content_mismatch",
            f"{kind.label}“{original}”的内容与扩展名 {extension} 不符（识别为 {sniffed or '未知类型'}）",
        )
    return CheckedUpload(ContentFile(data), original, extension, expected, size, digest.hexdigest())
