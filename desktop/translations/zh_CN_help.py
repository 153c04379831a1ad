"""Simplified Chinese of the 帮助 page and its F1 shortcut (source text -> 中文)."""

ZH: dict[str, str] = {
    "Help": "帮助",
    "Search the help…": "在帮助中搜索…",
    "Previous": "上一个",
    "Next": "下一个",
    "{n} matches": "共 {n} 处",
    "Not found": "未找到",
    "View help": "查看帮助",
}
