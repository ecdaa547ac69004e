"""Stage words of the reports mapped to the ledger's stages (projects.choices.Stage).

報批 and 前期 map to signed: approvals are a checklist, not a stage. A stage word that speaks of
the future (将建成, 建成投产后, 计划开工) or sets a task (加快推进在谈项目签约落地, 促成开工) is not the
project's stage.
"""

from __future__ import annotations

import re

from zhaoshang.projects.choices import STAGE_ORDER, Stage

STAGE_WORDS: list[tuple[str, str | None]] = [
    (r"竣工投产|建成投产|正式投产|投入生产|投产|试生产|投入运营|开业|营业", Stage.OPERATING),
    (r"竣工|建成|完工", Stage.COMPLETED),
    (
        r"开工|在建|建设中|正在建设|开始建设|动工|施工|完成投资|正在进行[^,，。；;]{0,10}(?:建设|施工)|主体[^,，。；;]{0,4}建设",
        Stage.STARTED,
    ),
    (
        r"签约|签订(?:了)?(?:正式)?(?:投资)?(?:合同|协议)|达成(?:了)?(?:投资|合作)?协议|报批|前期|立项|试点|环评",
        Stage.SIGNED,
    ),
    (r"意向", Stage.INTENT),
    (r"在谈|洽谈(?!会)|接洽|商谈|谈判|磋商", Stage.NEGOTIATING),
    (r"考察|对接|接触", Stage.LEAD),
    (r"落地|落户|竞拍|编制|推介(?!会)|包装|储备", None),
]
_PATTERN = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(STAGE_WORDS)))
_FUTURE_BEFORE = re.compile(
    r"(?:(?:将|拟|计划|预计|可|力争|争取|准备|确保|有望|即将)[^,，。；;、：:]{0,2}"
    # a task set (加快推进在谈项目签约落地, 促成XX项目开工): what is to be done, not what was
    r"|(?:加快|推进|推动|促进|促成|力促|抓紧|加紧|尽快|督促)[^,，。；;、：:]{0,8})$"
)


def stage_words(text: str) -> list[tuple[str, str | None, int]]:
    """(word, stage, position) of every stage word that states the present."""
    out = []
    for m in _PATTERN.finditer(text):
        before = text[: m.start()]
        done = before.endswith(("已", "已经"))  # 督促已签约项目: what is done stays done
        if (not done and _FUTURE_BEFORE.search(before)) or text[m.end() : m.end() + 1] == "后":
            continue
        index = int(next(k for k, v in m.groupdict().items() if v)[1:])
        out.append((m.group(0), STAGE_WORDS[index][1], m.start()))
    return out


def furthest(stages: list[str | None]) -> str | None:
    known = [s for s in stages if s]
    return max(known, key=STAGE_ORDER.index) if known else None


def stage_of(text: str) -> tuple[str | None, str]:
    """The furthest stage the text states, and the word that states it."""
    words = stage_words(text)
    stage = furthest([s for _, s, _ in words])
    word = next((w for w, s, _ in words if s == stage), words[0][0] if words else "")
    return stage, word
