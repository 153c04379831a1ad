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
}
