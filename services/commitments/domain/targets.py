"""Quantitative targets as the program writes them, and the parser of their Vietnamese wordings.

Kinds seen in the notice: at least N ("ít nhất 10 doanh nghiệp"), exactly N ("03 doanh nghiệp
KH&CN"), a range ("01 - 02 lớp", "5-10 công nghệ"), a range per period ("4 – 5 cuộc/năm"), a
percentage ("100% TTHC ..."), a milestone (a plan issued, a conference held) and qualitative tasks
with no number. Over-achievement is recorded: evaluation rewards tasks that exceed their target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from commitments.domain.errors import InvalidValue, require
from shared.rules import targets as rule
from shared.vn import nfc


class TargetKind(StrEnum):
    AT_LEAST = "at_least"
    EXACTLY = "exactly"
    RANGE = "range"
    PERCENTAGE = "percentage"
    MILESTONE = "milestone"
    QUALITATIVE = "qualitative"


NUMERIC_KINDS = frozenset({TargetKind.AT_LEAST, TargetKind.EXACTLY, TargetKind.RANGE, TargetKind.PERCENTAGE})
RATE_PERIODS = ("năm", "quý", "tháng", "tuần")


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    text: str = ""  # as written in the program
    measure: str = ""  # unit of measure: "doanh nghiệp", "lớp", "công nghệ"; for % what is counted
    minimum: float | None = None  # at least N / exactly N / range min / the percentage
    maximum: float | None = None  # range max; equals minimum for exactly N
    per: str | None = None  # rate period: "4 – 5 cuộc/năm" → "năm"

    def __post_init__(self) -> None:
        field = "target"
        if self.kind in NUMERIC_KINDS:
            require(self.minimum is not None, f"a {self.kind} target needs a number", f"{field}.minimum")
            assert self.minimum is not None
            require(self.minimum >= 0, "a target cannot be negative", f"{field}.minimum")
        else:
            require(self.minimum is None and self.maximum is None,
                    f"a {self.kind} target has no number", f"{field}.minimum")
        if self.kind is TargetKind.RANGE:
            require(self.maximum is not None, "a range needs its maximum", f"{field}.maximum")
            assert self.minimum is not None and self.maximum is not None
            require(self.minimum <= self.maximum,
                    f"a range's minimum ({self.minimum:g}) is above its maximum ({self.maximum:g})", f"{field}.maximum")
        elif self.kind is TargetKind.EXACTLY:
            require(self.maximum in (None, self.minimum), "an exact target has one number", f"{field}.maximum")
        elif self.maximum is not None:
            raise InvalidValue(f"a {self.kind} target has no maximum", f"{field}.maximum")
        if self.kind is TargetKind.PERCENTAGE:
            assert self.minimum is not None
            require(self.minimum <= 100, "a percentage target cannot be above 100%", f"{field}.minimum")
        require(self.per is None or self.per in RATE_PERIODS, f"unknown rate period {self.per!r}", f"{field}.per")

    @property
    def is_numeric(self) -> bool:
        return rule.is_numeric(self.kind.value)

    @property
    def threshold(self) -> float | None:
        """The value at which the commitment is met (a range is met at its minimum)."""
        return rule.threshold(self.kind.value, self.minimum)

    def check_achieved(self, value: float, field: str = "achieved_value") -> None:
        require(value >= 0, "an achieved value cannot be negative", field)
        if self.kind is TargetKind.PERCENTAGE:
            require(value <= 100, "an achieved percentage cannot be above 100%", field)
        if self.kind is TargetKind.MILESTONE:
            require(value in (0, 1), "a milestone is either done (1) or not (0)", field)

    def is_met(self, achieved: float | None) -> bool | None:
        """None for a qualitative task: only the Board's confirmation says it is met."""
        return rule.is_met(self.kind.value, self.minimum, achieved)

    def exceeds(self, achieved: float | None) -> bool:
        """Over-achievement: above the number committed (above a range's maximum)."""
        return rule.exceeds(self.kind.value, self.minimum, self.maximum, achieved)

    def percent_of(self, achieved: float | None) -> float | None:
        """Achieved as a share of the threshold (100 = met; a range counts from its minimum)."""
        return rule.percent_of(self.kind.value, self.minimum, achieved)


# --- Parsing the notice's wordings -----------------------------------------------------------

_DASHES = re.compile(r"\s*[-–—‒−]\s*")
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# Words that only say how hard one tries ("phấn đấu đạt 90%" commits 90%): dropped before reading.
_STRIVE = re.compile(r"^(?:phấn đấu\s+)?(?:đạt\s+|được\s+)?(?:khoảng\s+)?(?:từ\s+(?=\d))?", re.I)
_FROM_TO = re.compile(rf"^(?:từ\s+)?(?P<a>{_NUMBER})\s+đến\s+(?P<b>{_NUMBER})", re.I)
_AT_LEAST = re.compile(rf"^(?:ít nhất|tối thiểu|không ít hơn|trên|hơn)\s+(?P<n>{_NUMBER})\s*(?P<rest>.*)$", re.I)
_AT_LEAST_PERCENT = re.compile(rf"^(?:ít nhất|tối thiểu|không ít hơn|trên|hơn)\s+(?P<n>{_NUMBER})\s*%\s*(?P<rest>.*)$",
                               re.I)
_RANGE_PERCENT = re.compile(rf"^(?P<a>{_NUMBER})\s*%?-(?P<b>{_NUMBER})\s*%\s*(?P<rest>.*)$")
_PERCENT = re.compile(rf"^(?P<n>{_NUMBER})\s*%\s*(?P<rest>.*)$")
_RANGE = re.compile(rf"^(?P<a>{_NUMBER})-(?P<b>{_NUMBER})\s*(?P<rest>.*)$")
_EXACT = re.compile(rf"^(?P<n>{_NUMBER})\s*(?P<rest>.*)$")
_RATE = re.compile(r"^(?P<measure>.*?)\s*/\s*(?P<per>năm|quý|tháng|tuần)$", re.I)


def parse_number(text: str) -> float:
    """Vietnamese numbers: "1.000" is a thousand, "2,5" two and a half, "03" three."""
    return float(text.replace(".", "").replace(",", "."))


def parse_target(text: str) -> Target:
    """Reads a numeric target as the notice writes it; raises InvalidValue naming `target`."""
    written = nfc(" ".join(text.split()))
    require(bool(written), "target must not be empty", "target")
    compact = _FROM_TO.sub(r"\g<a>-\g<b>", _STRIVE.sub("", _DASHES.sub("-", written), count=1), count=1)
    if m := _AT_LEAST_PERCENT.match(compact):  # "trên 90%", "ít nhất 80% ...": a percentage, met at N
        return _numeric(TargetKind.PERCENTAGE, written, m["rest"], parse_number(m["n"]))
    if m := _RANGE_PERCENT.match(compact):  # "80 - 90% hồ sơ": a range counted in per cent
        rest = ("% " + m["rest"]).strip()
        return _numeric(TargetKind.RANGE, written, rest, parse_number(m["a"]), parse_number(m["b"]))
    if m := _AT_LEAST.match(compact):
        return _numeric(TargetKind.AT_LEAST, written, m["rest"], parse_number(m["n"]))
    if m := _PERCENT.match(compact):
        return _numeric(TargetKind.PERCENTAGE, written, m["rest"], parse_number(m["n"]))
    if m := _RANGE.match(compact):
        return _numeric(TargetKind.RANGE, written, m["rest"], parse_number(m["a"]), parse_number(m["b"]))
    if m := _EXACT.match(compact):
        n = parse_number(m["n"])
        return _numeric(TargetKind.EXACTLY, written, m["rest"], n, n)
    raise InvalidValue(f"cannot read a number in the target {written!r}", "target")


def _numeric(kind: TargetKind, written: str, rest: str, low: float, high: float | None = None) -> Target:
    measure, per = rest.strip(), None
    if m := _RATE.match(measure):
        measure, per = m["measure"].strip(), m["per"].lower()
    return Target(kind=kind, text=written, measure=measure, minimum=low, maximum=high, per=per)


def milestone(description: str) -> Target:
    return Target(kind=TargetKind.MILESTONE, text=nfc(description.strip()))


def qualitative(description: str = "") -> Target:
    return Target(kind=TargetKind.QUALITATIVE, text=nfc(description.strip()))
