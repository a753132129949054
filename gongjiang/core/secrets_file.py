"""Generate the per-install demo secrets file (git-ignored var/secrets.env) if it does not exist.

Run before Django starts: `python -m gongjiang.core.secrets_file var/secrets.env`.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path


def ensure(path: Path) -> bool:
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    content = "\n".join(
        [
            "# Generated for this install only. Never commit. Delete to regenerate (invalidates data).",
            f"GONGJIANG_SECRET_KEY={secrets.token_urlsafe(50)}",
            f"GONGJIANG_ID_HASH_KEY={secrets.token_hex(32)}",
            f"GONGJIANG_FIELD_KEY={base64.urlsafe_b64encode(os.urandom(32)).decode()}",
            "",
        ]
    )
    path.write_text(content, encoding="utf-8")
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/secrets.env")
    print(("已生成密钥文件：" if ensure(target) else "密钥文件已存在：") + str(target))
