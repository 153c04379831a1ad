"""Simplified Chinese of the reference pickers of the record dialogs (source text -> 中文)."""

ZH: dict[str, str] = {
    "Choose, or type a code or name": "选择，或输入代码、名称搜索",
    "Choose, or type a name": "选择，或输入名称搜索",
    "Type a code or name to search": "输入编号或名称搜索",
    "A name not in the list adds a new organisation.": "输入列表中没有的名称，将新增该单位。",
}
