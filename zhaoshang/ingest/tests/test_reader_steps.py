"""Each step of the reader on its own: decode, debris, pinyin, script, split, figures, projects."""

from decimal import Decimal

import pytest

from zhaoshang.ingest.reader.decode import ReaderError, cjk_share, decode, repair_line
from zhaoshang.ingest.reader.documents import file_bytes, html_text
from zhaoshang.ingest.reader.pipeline import read_bytes
from zhaoshang.ingest.reader.split import split_reports
from zhaoshang.ingest.reader.text import make_lines, remove_pinyin, simplified_aligned


def test_decode_detects_gbk_and_big5() -> None:
    text = "全年共引进项目9个，实现引进外资650万美元。" * 20
    assert decode(text.encode("gb18030")).text == text
    traditional = "全年共引進項目9個，實現引進外資650萬美元。" * 20
    assert decode(traditional.encode("big5")).text == traditional


def test_decode_repairs_a_gbk_line_read_with_a_lost_byte() -> None:
    garbled = "。ㄒ唬┳シ諊鸂I造。在年初召開的經濟工作會議上"
    fixed = repair_line(garbled)
    assert fixed.startswith("\u3000（一）抓氛圍營造")
    assert cjk_share(fixed) > cjk_share(garbled)


def test_decode_keeps_a_line_whose_repair_would_leave_replacement_characters() -> None:
    garbled = "。ㄈ┳ヘ(zé)任落實。鄉(xiāng)招商引資工作組"
    assert repair_line(garbled) == garbled


def test_decode_fixes_latin1_mojibake_with_ftfy() -> None:
    text = "招商引资工作总结，全年引进项目9个。"
    mojibake = text.encode("utf-8").decode("latin-1").encode("utf-8")
    assert decode(mojibake).text == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (bytes(range(256)) * 40, "The file is not text (it looks like a binary file)."),
        (b"hello world, nothing Chinese here at all\n" * 10, "The file contains no Chinese text"),
    ],
)
def test_bad_input_is_refused_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(ReaderError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(data)


def test_a_file_too_large_is_refused_before_it_is_read() -> None:
    with pytest.raises(ReaderError, match="too large"):
        file_bytes("big.txt", b"a" * (50 * 1024 * 1024))


def test_unknown_file_kinds_are_refused() -> None:
    with pytest.raises(ReaderError, match=r"Only \.txt"):
        file_bytes("report.xls", b"PK\x03\x04 something")


def test_pinyin_annotations_are_removed_and_positions_kept() -> None:
    raw = "鄉(xiāng)人民政府2009年招商引資工作總結(jié)"
    text, index = remove_pinyin(raw)
    assert text == "鄉人民政府2009年招商引資工作總結"
    assert raw[index[text.index("總")]] == "總"
    # Brackets that are not pinyin stay.
    assert remove_pinyin("小結(二)")[0] == "小結(二)"
    assert remove_pinyin("統一為(統計數)")[0] == "統一為(統計數)"


def test_simplified_text_is_aligned_with_the_original() -> None:
    original = "鄉鎮招商引資小結"
    simplified = simplified_aligned(original)
    assert simplified == "乡镇招商引资小结" and len(simplified) == len(original)


def test_site_debris_is_dropped() -> None:
    text = "\n".join(
        [
            "鄉鎮招商引資小結5篇",
            "時間:2022-08-06 09:33:00",
            "導語:本文來源于網友上傳,不代表本站觀點",
            (
                "全年共引進項目9個,"
                "簽約資金7000萬元。幫辦 ……(未完,全文共2417字,當前僅顯示1537字,請閱讀下面提示信息。"
            ),
            "……(新文秘網http://120pk.cn省略547字,正式會員可完整閱讀)……",
            "收藏《鄉鎮招商引資小結》)",
            "- 上一篇:縣長在縣農業農村會發言",
            "Copyright © 2022 某某網 ICP備12345678號",
        ]
    )
    lines = make_lines(text)
    assert [line.debris for line in lines] == [
        "",
        "site_metadata",
        "site_boilerplate",
        "",
        "truncation_note",
        "site_footer",
        "footer_navigation",
        "site_footer",
    ]
    assert lines[3].display.endswith("幫辦")


def test_a_file_of_numbered_summaries_is_split_into_its_reports() -> None:
    text = "\n".join(
        [
            "鄉鎮招商引資小結3篇",
            "2009年,在全鎮上下的共同努力之下,新引進項目6個。",
            "2011年鄉鎮招商引資小結(二)",
            "一、領導重視,目標任務完成較好。",
            "全縣開工招商引資項目25個,到位資金總額4.34億元。",
            "2011年鄉鎮招商引資小結(三)",
            "今年,辦事處共接洽外商項目25個,我處協議引資1.87億元。",
        ]
    )
    title, reports = split_reports(make_lines(text))
    assert title == "鄉鎮招商引資小結3篇"
    assert [(r.title, r.title_inferred, r.line_start, r.line_end) for r in reports] == [
        ("2011年鄉鎮招商引資小結(一)", True, 2, 2),
        ("2011年鄉鎮招商引資小結(二)", False, 4, 5),
        ("2011年鄉鎮招商引資小結(三)", False, 7, 7),
    ]
    assert [r.unit_level for r in reports] == ["镇", "县", "办事处"]
    assert reports[0].reporting_year == 2009
    assert reports[1].heading_year == 2011


def _reading(text: str):  # type: ignore[no-untyped-def]
    return read_bytes(text.encode("utf-8"))


def test_figures_carry_indicator_unit_qualifier_kind_and_line() -> None:
    reading = _reading(
        "某鎮招商引資工作總結\n"
        "全年共引進項目9個,實現引進外資650萬美元,占全年任務的140%,內聯引資到位資金2.07億元。\n"
        "今年,地區給我縣下達的招商引資任務是8億元。共聯系企業60余家。"
    )
    got = [(f.indicator, f.value, f.unit, f.qualifier, f.kind, f.line) for f in reading.figures]
    assert got == [
        ("引進項目", 9, "count", "", "actual", 2),
        ("引進外資", 650, "万美元", "", "actual", 2),
        ("占全年任務的", 140, "%", "", "completion_rate", 2),
        ("內聯引資到位資金", 20700, "万元", "", "actual", 2),
        ("地區給我縣下達的招商引資任務是", 80000, "万元", "", "target", 3),
        ("聯系企業", 60, "count", "余", "actual", 3),
    ]


def test_a_projects_amounts_stay_with_the_project() -> None:
    reading = _reading(
        "某辦事處招商工作總結\n"
        "今年共接洽外商項目25個,實際到位資金5100萬元。"
        "由匈牙利籍客商投資的紡織項目總投資4800萬元,占地120畝,正在進行主體廠房建設。"
        "該項目建成投產後可實現年銷售8500萬元,安置就業500余人。\n"
    )
    assert [(f.value, f.unit) for f in reading.figures] == [(25, "count"), (5100, "万元")]
    (project,) = reading.projects
    assert project.name == "紡織項目"
    assert project.stage == "started"
    assert project.total_investment is not None and project.total_investment.value == 4800
    assert project.land_mu == 120
    assert project.investor_origin == "匈牙利"
    assert project.amount("output") is not None and project.amount("output").value == 8500  # type: ignore[union-attr]


def test_items_of_a_list_inherit_the_stage_of_their_heading() -> None:
    reading = _reading(
        "某鄉招商引資工作總結\n"
        "(1)已開工建設項目2個:\n"
        "1、海德威儀表儀器有限公司,投資5000萬元,落戶在長沖\n"
        "(2)在談項目1個:\n"
        "1、計劃投資6000萬的銅坑湖老齡公寓房產建設項目。\n"
    )
    got = [
        (p.name, p.stage, p.total_investment.value if p.total_investment else None) for p in reading.projects
    ]
    assert got == [
        ("海德威儀表儀器有限公司", "started", 5000),
        ("銅坑湖老齡公寓房產建設項目", "negotiating", 6000),
    ]


def test_catalogue_lists_are_not_ledger_projects_and_their_sizes_no_figures() -> None:
    reading = _reading(
        "某縣招商引資工作總結\n編制了10萬畝有機蔬菜基地建設、商貿物流園建設、有機茶產業開發等3個招商項目。\n"
    )
    assert reading.projects == []
    assert {p.name for p in reading.catalog} == {
        "10萬畝有機蔬菜基地建設項目",
        "商貿物流園建設項目",
        "有機茶產業開發項目",
    }
    assert [(f.value, f.unit) for f in reading.figures] == [(3, "count")]


def test_future_stage_words_are_not_the_stage() -> None:
    reading = _reading("某鎮招商引資工作總結\n食品加工項目總投資1000萬元,已簽約,預計明年建成投產。\n")
    (project,) = reading.projects
    assert project.stage == "signed"


def test_a_task_set_is_not_the_stage_nor_a_project() -> None:
    from zhaoshang.ingest.reader.stages import stage_of

    # what is to be done (加快推进…签约落地, 促成…开工, 督促…动工) is not what was done
    assert stage_of("加快推进在谈项目签约落地")[0] is None
    assert stage_of("促成宏达机械项目年内开工")[0] is None
    assert stage_of("督促已签约项目尽快动工")[0] == "signed"  # 已签约 is done; 尽快动工 is the task
    assert stage_of("食品加工项目已于5月开工建设")[0] == "started"
    reading = _reading(
        "某鎮招商引資工作總結\n（3）在談項目1個：\n1、計劃投資6000萬元的老齡公寓建設項目。\n"
        "三、下一步工作打算\n加快推進在談項目簽約落地：老齡公寓建設項目。\n"
    )
    assert [(p.name, p.stage) for p in reading.projects] == [("老齡公寓建設項目", "negotiating")]


def test_two_projects_of_one_place_stay_two_and_two_mentions_of_one_are_one() -> None:
    reading = _reading(
        "某鎮招商引資工作總結\n（1）已開工建設項目1個：\n1、城前嶺建材有限公司，總投資3000萬元。\n"
        "（3）在談項目1個：\n1、計劃投資5000萬元的城前嶺家具貿易城建設項目。\n"
        "恒達新材料項目總投資1000萬元，恒達新材料科技項目已開工。\n"
    )
    assert [(p.name, p.stage) for p in reading.projects] == [
        ("城前嶺建材有限公司", "started"),
        ("城前嶺家具貿易城建設項目", "negotiating"),
        ("恒達新材料項目", "started"),  # one project, its stage from the second mention
    ]


def test_html_is_read_without_navigation() -> None:
    html = (
        "<html><head><title>某鎮總結</title><script>var a=1</script>"
        "</head><body><nav>首頁</nav><p>全年引進項目9個。</p></body></html>"
    )
    assert html_text(html) == "某鎮總結\n全年引進項目9個。"


def test_docx_is_read() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("某鎮招商引資工作總結")
    document.add_paragraph("全年共引進項目9個,簽約資金7000萬元。")
    buffer = io.BytesIO()
    document.save(buffer)
    reading = read_bytes(file_bytes("report.docx", buffer.getvalue()))
    assert [(f.value, f.unit) for f in reading.figures] == [(9, "count"), (Decimal(7000), "万元")]


def test_figures_of_the_plan_part_are_targets() -> None:
    reading = _reading(
        "某县2013年招商引资工作总结\n"
        "全年引进到位资金3.2亿元,占全年任务4亿元的80%。\n"
        "二、2014年工作打算\n"
        "引进到位资金5亿元,新开工项目15个。\n"
    )
    assert [(f.value, f.kind) for f in reading.figures] == [
        (32000, "actual"),
        (40000, "target"),
        (80, "completion_rate"),
        (50000, "target"),
        (15, "target"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030", "big5"])
def test_every_usual_encoding_reads_the_same(encoding: str) -> None:
    text = "某縣2012年招商引資工作總結\n全年共引進項目9個,實現引進外資650萬美元,到位資金2.07億元。\n"
    reading = read_bytes(text.encode(encoding))
    assert [(f.value, f.unit) for f in reading.figures] == [(9, "count"), (650, "万美元"), (20700, "万元")]


def test_a_saved_web_page_keeps_only_the_report() -> None:
    html = (
        '<html><head><meta charset="gbk"><title>某镇2012年招商引资工作总结_范文网</title></head><body>'
        '<div class="nav"><a href="/">首页</a> &gt; <a>工作总结</a></div><h1>某镇2012年招商引资工作总结</h1>'
        "<div>发布时间：2013-01-05 作者：佚名</div><p>2012年，全镇共引进项目8个，实现到位资金1.6亿元。</p>"
        "<h3>相关文章</h3><ul><li>招商引资心得体会5篇</li><li>2011年招商工作总结</li></ul>"
        "<div>粤ICP备12345678号</div></body></html>"
    )
    reading = read_bytes(file_bytes("page.html", html.encode("gbk")))
    assert [r.title for r in reading.reports] == ["某镇2012年招商引资工作总结"]
    assert [(f.value, f.unit) for f in reading.figures] == [(8, "count"), (16000, "万元")]


def test_the_amount_of_an_unnamed_project_is_no_figure_of_the_unit() -> None:
    reading = _reading(
        "某县招商引资工作总结\n全年签约项目4个,总投资1.8亿元。\n3、总投资2亿元的项目已开工建设。\n"
    )
    assert [(f.value, f.unit) for f in reading.figures] == [(4, "count"), (18000, "万元")]
