"""What each role sees on the dashboard. The rules are shown on the pages (RULES) and in the docs.

Everyone signed in reads the whole program: the Department's work program is shared inside the
Department, and a unit follows the others it cooperates with. What differs: unit staff and unit
heads see their own unit highlighted, with a shortcut to it; the year-end evaluation for emulation
and rewards (thi đua, khen thưởng) is for the Board, who decides it, and the Inspectorate, who
checks it — before the Board has decided, a ranking must not circulate among the units.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.application.access import UNIT_ROLES, may_see_evaluation
from reporting.exports.labels import role
from shared.auth.tokens import Principal

RULES = (
    "Mọi người dùng đã đăng nhập được xem toàn bộ Chương trình: tổng quan, từng đơn vị, từng nhiệm vụ cùng lịch sử "
    "thay đổi, điều chỉnh chỉ tiêu, báo cáo theo kỳ, trực báo tuần, tháng, và xuất Excel, bản in.",
    "Chuyên viên và lãnh đạo đơn vị: đơn vị của mình được tô nổi bật trong các bảng, có lối tắt “Đơn vị của tôi”.",
    "Trang đánh giá cuối năm (thi đua, khen thưởng) chỉ dành cho Ban Giám đốc và Thanh tra Sở.",
)
EVALUATION_ACCESS = "Trang này chỉ dành cho Ban Giám đốc và Thanh tra Sở."


@dataclass(frozen=True)
class Viewer:
    principal: Principal

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def unit(self) -> str:
        return self.principal.unit

    @property
    def role_label(self) -> str:
        return ", ".join(role(r) for r in sorted(self.principal.roles))

    @property
    def own_unit(self) -> str | None:
        """The unit highlighted for this viewer: a unit's own staff and head only."""
        return self.principal.unit if self.principal.has(*UNIT_ROLES) else None

    @property
    def can_evaluate(self) -> bool:
        return may_see_evaluation(self.principal)
