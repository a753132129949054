"""The three clocks of 附件2 4.2, on statutory working days (`gongjiang.core.calendar`):
review 15, public notice 5, payment 5. A clock shows the working days left (negative when overdue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongjiang.core.calendar import working_days_between


@dataclass(frozen=True)
class Clock:
    due: dt.date
    left: int  # working days after today up to the due day; negative once it has passed

    @property
    def overdue(self) -> bool:
        return self.left < 0

    @property
    def label(self) -> str:
        if self.left < 0:
            return f"已超期 {-self.left} 个工作日"
        if self.left == 0:
            return "今日到期"
        return f"剩余 {self.left} 个工作日"


def clock(due: dt.date | None, today: dt.date) -> Clock | None:
    if due is None:
        return None
    return Clock(due, working_days_between(today, due))
