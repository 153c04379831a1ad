"""Simplified Chinese of the reliability and security work (issue 9): the forced password change at
sign-in and the data-integrity warnings (source text -> 中文)."""

ZH: dict[str, str] = {
    # sign-in: a password an administrator set must be replaced
    "Choose a new password": "设置新密码",
    "An administrator set your password. Choose a new one of at least {n} characters before you continue.": (
        "您的密码由管理员设置。继续之前，请设置一个至少 {n} 个字符的新密码。"
    ),
    "Change password and sign in": "修改密码并登录",
    # the administrators' home: records that break the rules (db.integrity)
    "Checking the data…": "正在检查数据…",
    "The data check could not run: {error}": "数据检查未能运行：{error}",
    "The database holds records that break TalentDesk's rules (written outside the app?). Please repair them:": (
        "数据库中有违反 TalentDesk 规则的记录（可能是在本程序之外写入的），请修复："
    ),
    # sign-in checked on a worker thread (argon2 and the delay after a failure)
    "Checking…": "正在验证…",
    "Cannot sign in: {error}": "无法登录：{error}",
    # nothing silent (issue 20): what the database could not do, said where it happened
    "Try again": "重试",
    "The list cannot be shown: {reason}": "无法显示列表：{reason}",
    "The figures cannot be shown: {reason}": "无法显示数据：{reason}",
    "Not updated: the database cannot be read.": "未更新：无法读取数据库。",
    "This database is read-only: you can browse, search, print and export, but changes cannot be saved. To "
    "make changes, ask IT to make the database file (and its folder) writable.": (
        "此数据库为只读：可以浏览、搜索、打印和导出，但无法保存修改。"
        "如需修改，请联系 IT 将数据库文件（及其所在文件夹）设为可写。"
    ),
    "Today's automatic backup could not be taken, so TalentDesk opened without it: {reason}\nFree some space or "
    "check the backups folder, then use Admin → Backups → Back up now.": (
        "今天的自动备份未能完成，TalentDesk 已在没有备份的情况下打开：{reason}\n请腾出磁盘空间或检查备份文件夹，"
        "然后在“系统 → 备份”中点击“立即备份”。"
    ),
    "TalentDesk ran into an unexpected problem and could not finish what you asked. Nothing unfinished was "
    "saved. Please try again; if it happens again, tell IT and send them the file {path}.": (
        "TalentDesk 遇到意外问题，未能完成您的操作，未完成的内容没有保存。"
        "请重试；如果再次发生，请告知 IT 并把文件 {path} 发给他们。"
    ),
}
