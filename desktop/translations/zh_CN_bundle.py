"""Simplified Chinese of the About dialog and the Help menu (source text -> 中文), by context so that
short words such as "Version" cannot clash with another table's."""

ZH: dict[str, str] = {}

CONTEXT: dict[tuple[str, str], str] = {
    ("MainWindow", "&Help"): "帮助(&H)",
    ("MainWindow", "About TalentDesk"): "关于 TalentDesk",
    ("AboutDialog", "About TalentDesk"): "关于 TalentDesk",
    ("AboutDialog", "TalentDesk 智湾人才培养管理台"): "智湾人才培养管理台 TalentDesk",
    ("AboutDialog", "Talent training for the AI academy: three mentors, the 50/50 curriculum, alliance credit "
                    "recognition and the innovation competition."): (
        "人工智能学院人才培养管理：三导师制、课程 50/50、联盟学分互认与创新创业大赛。"
    ),
    ("AboutDialog", "Version"): "版本",
    ("AboutDialog", "Database"): "数据库",
    ("AboutDialog", "Data folder"): "数据文件夹",
    ("AboutDialog", "Runs on"): "运行环境",
    ("AboutDialog", "Library"): "软件库",
    ("AboutDialog", "Licence"): "许可证",
    ("AboutDialog", "Libraries bundled with TalentDesk and their licences (select one to read its licence):"): (
        "TalentDesk 附带的软件库及其许可证（选中一项可查看许可证全文）："
    ),
    ("AboutDialog", "{name} {version}: {licence} (no licence file was shipped with the library)"): (
        "{name} {version}：{licence}（该软件库未附带许可证文件）"
    ),
}
