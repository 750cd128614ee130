"""Finds, in one sentence, the wordings the domain parsers read: a target, a deadline, documents cited.

The text is masked first (quotations, document numbers with their dates, "giai đoạn 2021 - 2030",
"định hướng đến năm 2030") so that a programme's name or a resolution's date is not taken for a
commitment: those name what the work is about, not when it is due.
"""

from __future__ import annotations

import re

_N = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_DOC_KINDS = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "KH": "Kế hoạch", "NĐ": "Nghị định",
              "TT": "Thông tư", "TB": "Thông báo", "CV": "Công văn", "CTr": "Chương trình hành động",
              "CTR": "Chương trình hành động"}
_DOC_WORD = (r"(?P<kind>Nghị quyết|Quyết định|Chỉ thị|Kế hoạch|Nghị định|Thông tư|Thông báo|Công văn"
             r"|Chương trình hành động)")
_DOC_ID = r"\d+(?:[-/][A-ZĐa-zđ0-9]+)*"
_CITED = re.compile(rf"{_DOC_WORD}\s+(?:số\s+)?(?P<id>{_DOC_ID})(?:\s+ngày\s+\d{{1,2}}/\d{{1,2}}/\d{{4}})?")
_BARE_ID = re.compile(r"(?<![\w/-])(?P<id>\d+[-/](?P<suffix>NQ|QĐ|CTr|CTR|CT|KH|NĐ|TT|TB)(?:[-/][A-ZĐ]+)+)"
                      r"(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?")
_MASKS = [
    re.compile(r"“[^”]*”|\"[^\"]*\""),
    _CITED,
    _BARE_ID,
    re.compile(r"giai đoạn\s+(?:đến\s+năm\s+)?\d{4}(?:\s*[-–—]\s*\d{4})?", re.I),
    re.compile(r"(?:định hướng|tầm nhìn)(?:\s+đến)?\s+năm\s+\d{4}", re.I),
    # "… quốc gia đến năm 2030" inside a name is masked; "Đến năm 2025, hoàn thành …" opening a clause is not.
    re.compile(r"(?<=\w )đến\s+năm\s+\d{4}", re.I),
]
_Q = r"(?:[1-4]|IV|III|II|I)"
_SEP = r"\s*(?:[-–—]|đến)\s*"
_DEADLINES = [re.compile(p, re.I) for p in (
    r"(?:chậm nhất\s+|trước\s+)?\d{1,2}\s*(?:h|giờ)\s*(?:\d{2})?(?:\s*phút)?\s*,?\s*(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}",
    r"(?:chậm nhất\s+|trước\s+)?(?:ngày\s+)?\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    r"(?:chậm nhất\s+|trước\s+)?ngày\s+\d{1,2}/\d{1,2}/\d{4}",
    rf"quý\s+{_Q}{_SEP}(?:quý\s+)?{_Q}\s*(?:/|năm\s+)\d{{4}}",
    rf"quý\s+{_Q}\s*(?:/|năm\s+)\d{{4}}",
    r"6\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}",
    rf"tháng\s+\d{{1,2}}{_SEP}(?:tháng\s+)?\d{{1,2}}\s*(?:/|năm\s+)\d{{4}}",
    r"(?<=tháng )\d{1,2}/\d{4}|(?<![\d/])\d{1,2}/\d{4}",
    r"(?:kể\s+)?từ\s+năm\s+\d{4}(?:\s+trở\s+đi)?",
    r"đến\s+năm\s+\d{4}",
    r"(?<!\d)\d{4}\s*[-–—]\s*\d{4}(?!\d)",
    r"năm\s+\d{4}",
    r"(?<=\()\s*(?:thường xuyên|hằng năm|hàng năm)\s*(?=\))",
)]
_LEAD_WORDS = r"(?:(?:ít nhất|tối thiểu|không ít hơn|trên|hơn|từ|đạt)\s+)?"
_TARGET = re.compile(
    rf"(?<![\w/.,#-]){_LEAD_WORDS}(?P<n>{_N})(?:\s*%?{_SEP}(?P<m>{_N}))?\s*(?P<pct>%)?(?![\w/]|[.,]\d)"
    r"(?P<rest>[^,;.:()#“”]*)", re.I)
_NOT_AFTER = re.compile(r"(?:số|tháng|quý|ngày|năm|điều|khoản|mục|thứ|khóa|lần|top|phụ lục)\s*$", re.I)
_TIME_WORDS = re.compile(r"^\s*(?:tháng|năm|ngày|giờ|tuần|quý|h\b|phút)", re.I)
_MEASURE_STOP = re.compile(r"\s(?:cho|trên|để|tham|ứng|tại|của|thực|bằng|nhằm|được|và|theo|về|với|trong|phục|đạt|"
                           r"hướng|có|đáp|từ)\s.*$", re.I)


def mask(text: str) -> str:
    """Same length as `text`: masked spans become '#', so offsets still point into the source."""
    out = text
    for pattern in _MASKS:
        out = pattern.sub(lambda m: "#" * len(m.group()), out)
    return out


def find_deadline(text: str) -> tuple[int, int] | None:
    masked = mask(text)
    for pattern in _DEADLINES:
        if m := pattern.search(masked):
            return m.start(), m.end()
    return None


def find_targets(text: str, deadline: tuple[int, int] | None) -> list[tuple[int, int, str]]:
    """Every numeric target in the sentence, as (start, end, wording); years and dates are not numbers here."""
    masked = mask(text)
    if deadline:
        masked = masked[:deadline[0]] + "#" * (deadline[1] - deadline[0]) + masked[deadline[1]:]
    masked = re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", lambda m: "#" * len(m.group()), masked)
    found = []
    for m in _TARGET.finditer(masked):
        rest = m["rest"]
        if _NOT_AFTER.search(masked[:m.start("n")]) or _TIME_WORDS.match(rest):
            continue
        if not m["pct"] and not re.match(r"\s*[^\W\d]", rest):
            continue  # a bare number ("tỉnh... 2") is no target: a count needs what it counts
        words = list(re.finditer(r"\S+", rest))
        kept = len(words) if m["pct"] else min(8, len(_MEASURE_STOP.sub("", " " + rest + " ").split()))
        end = m.start("rest") + words[kept - 1].end() if kept else m.start("rest")
        found.append((m.start(), end, " ".join(text[m.start():end].split())))
    return found


def cited_documents(text: str, known: dict[str, str]) -> list[str]:
    """Documents cited, one identifier each: "Nghị quyết 57", "57-NQ/TW" → "Nghị quyết số 57-NQ/TW"."""
    found: list[tuple[int, str]] = []
    for m in _CITED.finditer(text):
        doc_id = m["id"]
        if "/" not in doc_id and "-" not in doc_id:  # "Nghị quyết 57": the document cited in full elsewhere
            doc_id = known.get(f"{m['kind']} {doc_id}", doc_id)
        found.append((m.start(), f"{m['kind']} số {doc_id}"))
    covered = [range(m.start(), m.end()) for m in _CITED.finditer(text)]
    for m in _BARE_ID.finditer(text):
        if not any(m.start() in r for r in covered):
            found.append((m.start(), f"{_DOC_KINDS[m['suffix']]} số {m['id']}"))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def document_index(text: str) -> dict[str, str]:
    """"Nghị quyết 57" → "57-NQ/TW": the short forms a notice uses after citing a document in full."""
    index: dict[str, str] = {}
    for m in _CITED.finditer(text):
        number = re.match(r"\d+", m["id"])
        if number and m["id"] != number.group():
            index.setdefault(f"{m['kind']} {number.group()}", m["id"])
    return index
