"""Simplified Chinese of the 报告 page and the administrators' dashboard (source text -> 中文)."""

ZH: dict[str, str] = {
    # sidebar and page
    "Reports": "报告",
    "Quarter": "季度",
    "Build report": "生成报告",
    "Print…": "打印…",
    "Print": "打印",
    "Open in PDF viewer": "用 PDF 阅读器打开",
    "Save PDF…": "保存 PDF…",
    "Save PDF": "保存 PDF",
    "Save Excel…": "保存 Excel…",
    "Save Excel": "保存 Excel",
    "Issue…": "发布…",
    "Issue the report": "发布报告",
    "Issued reports": "已发布的报告",
    "Issued on": "发布时间",
    "Issued by": "发布人",
    "An issued report is frozen: printing it again gives the same figures, whatever was edited since. "
    "Double-click one to open it.": "已发布的报告数据冻结：之后无论数据如何修改，重印的数字都不变。双击打开。",
    "{quarter} · issued": "{quarter} · 已发布",
    "{quarter} · in progress": "{quarter} · 进行中",
    "A quarter can be issued once it has ended.": "季度结束后才能发布。",
    "This quarter has been issued.": "本季度报告已发布。",
    "Freeze this quarter's figures for good.": "永久冻结本季度的数字。",
    "No report has been issued yet.": "尚无已发布的报告。",
    "{quarter}: issued on {date} by {user}. Its figures are frozen.":
        "{quarter}：已于 {date} 由 {user} 发布，数字已冻结。",
    "{quarter}: not issued. The report shows today's data, which may still change.": (
        "{quarter}：未发布。报告按当前数据生成，数字仍可能变化。"
    ),
    "Preview: {n} pages.": "预览：共 {n} 页。",
    "Building the report for {quarter}…": "正在生成 {quarter} 报告…",
    "Quarterly report {quarter} ({start} to {end})": "{quarter} 季度报告（{start} 至 {end}）",
    "Quarterly report {quarter}": "{quarter} 季度报告",
    "Cancelled: nothing was written.": "已取消，未写入任何文件。",
    "Cannot write {path}: {reason}": "无法写入 {path}：{reason}",
    "Printing…": "正在打印…",
    "{n} pages sent to the printer.": "已向打印机发送 {n} 页。",
    "The printer could not be started.": "无法启动打印机。",
    "No PDF viewer could open {path}. Save the PDF and open it yourself.": (
        "没有 PDF 阅读器能打开 {path}。请保存 PDF 后自行打开。"
    ),
    "PDF documents (*.pdf)": "PDF 文档 (*.pdf)",
    "Saved {path}": "已保存 {path}",
    "Writing {path}…": "正在写入 {path}…",
    "Issue the report for {quarter}? Its figures are frozen as they are now: later edits will not change it, "
    "every reprint shows the same figures, and it cannot be issued again.": (
        "发布 {quarter} 的报告？报告数字将按现在的数据冻结：之后的修改不会改变它，每次重印数字都相同，且不能再次发布。"
    ),
    "Issuing the report for {quarter}…": "正在发布 {quarter} 报告…",
    # preview
    "Previous page": "上一页",
    "Next page": "下一页",
    "/ {n}": "/ {n}",
    "Zoom out": "缩小",
    "Zoom in": "放大",
    "Fit width": "适合宽度",
    # student record
    "Save the student record": "保存学生培养档案",
    "Student record {no}": "学生培养档案 {no}",
    "Writing the record of {no}…": "正在生成 {no} 的培养档案…",
    # dashboard
    "This quarter so far: {quarter}, against targets and the previous quarter": (
        "本季度至今（{quarter}）：对比目标与上季度"
    ),
    "Refresh": "刷新",
    "Computing…": "正在计算…",
    "Computing the dashboard…": "正在计算首页数据…",
    "Updated {time}": "更新于 {time}",
    "target {target} ({share:.0f}%)": "目标 {target}（完成 {share:.0f}%）",
    "target {target}": "目标 {target}",
    "vs last quarter {change}": "较上季度 {change}",
    "Mentor coverage by role (students, end of quarter)": "三导师覆盖（季度末，学生数）",
    "Foundation / industry credits per programme plan": "各培养方案基础课/产业课学分占比",
    "Competition projects by stage": "创赛项目（按阶段）",
}

# words other schemes translate differently: only in the dashboard's context
CONTEXT: dict[tuple[str, str], str] = {
    ("Dashboard", "Assigned"): "已配备",
    ("Dashboard", "Missing"): "缺",
    ("Dashboard", "Foundation"): "基础课",
    ("Dashboard", "Industry"): "产业课",
    ("Dashboard", "Projects"): "项目数",
    # the dashboard's cards: the same Chinese captions as the printed report (reports.text)
    ("FigureCard", "Active students"): "在读学生",
    ("FigureCard", "Share with all three mentors"): "三导师齐全率",
    ("FigureCard", "Students without an academic mentor"): "缺学术导师的学生",
    ("FigureCard", "Students without an industry mentor"): "缺产业导师的学生",
    ("FigureCard", "Students without a study mentor"): "缺学业导师的学生",
    ("FigureCard", "Sessions this quarter"): "本季度指导次数",
    ("FigureCard", "Session hours this quarter"): "本季度指导时长（小时）",
    ("FigureCard", "Students without contact this quarter"): "本季度未接受指导的学生",
    ("FigureCard", "Overdue tasks"): "逾期任务",
    ("FigureCard", "Programmes within the 50/50 band"): "课程结构在范围内的培养方案",
    ("FigureCard", "Students out of band"): "占比超出范围的学生",
    ("FigureCard", "Credit transfer requests"): "学分互认申请",
    ("FigureCard", "Credits recognised this quarter"): "本季度认定学分",
    ("FigureCard", "Competition projects this season"): "本赛季创赛项目",
    ("FigureCard", "Incubated companies"): "孵化企业",
}
