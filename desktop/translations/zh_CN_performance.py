"""Chinese for the performance work (issue 8): the busy indicator of quiet background refreshes."""

ZH: dict[str, str] = {
    "Working in the background…": "正在后台计算…",
}
