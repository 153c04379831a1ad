"""Simplified Chinese from the walkthrough as administrators, mentors and viewers use the app: words
that did not fit or read wrongly where they are shown (source text -> 中文)."""

ZH: dict[str, str] = {
    # 报告: the preview before anything is built or opened
    "Choose a quarter and press Build report to see the report here, or double-click an issued report on the left.": (
        "选择季度后点击“生成报告”，报告将显示在这里；也可以双击左侧已发布的报告。"
    ),
    "Double-click an issued report on the left to see it here.": "双击左侧已发布的报告，即可在这里查看。",
}

CONTEXT: dict[tuple[str, str], str] = {
    # the plan pane's narrow column (课程类别 was clipped to 果程类别); the column holds 基础 / 产业
    ("PlanModel", "Category"): "类别",
}
