"""Chinese for the performance work (issue 8): the busy indicator of quiet background refreshes, and
the sign-in dialog that opens before the database does."""

ZH: dict[str, str] = {
    "Working in the background…": "正在后台计算…",
    "Opening the database…": "正在打开数据库…",
    "Preparing the database…": "正在准备数据库…",
}
