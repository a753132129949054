"""Domain errors: a machine-readable code plus a Chinese message a user can act on.

Services raise them; views show `message`, the API returns them as 400/422 with `code` (403 for
`PermissionDenied`, 401 for `NotAuthenticated`), and the
CLI prints them to stderr with exit code 2.
"""

from typing import Any


class DomainError(Exception):
    def __init__(self, code: str, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class PermissionDenied(DomainError):
    def __init__(self, message: str = "无权执行此操作") -> None:
        super().__init__("permission_denied", message)


class NotAuthenticated(DomainError):
    """A machine caller (an attendance device) without valid credentials: the API answers 401."""

    def __init__(self, message: str = "未认证：缺少或无效的凭据") -> None:
        super().__init__("not_authenticated", message)


class ImportRejected(DomainError):
    """A file had bad rows: nothing was written; `details` lists every row's column and reason."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(
            "import_rejected", f"导入失败：共 {len(errors)} 处错误，未写入任何数据", details=errors
        )
        self.errors = errors
