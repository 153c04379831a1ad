"""Simplified Chinese from the walkthrough as administrators, mentors and viewers use the app: words
that did not fit or read wrongly where they are shown (source text -> 中文)."""

ZH: dict[str, str] = {}

CONTEXT: dict[tuple[str, str], str] = {
    # the plan pane's narrow column (课程类别 was clipped to 果程类别); the column holds 基础 / 产业
    ("PlanModel", "Category"): "类别",
}
