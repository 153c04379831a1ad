"""Simplified Chinese for the desktop's own strings (source text -> 中文).

``update.py`` extracts the strings with pyside6-lupdate, fills the .ts file from this table and
compiles the .qm. ``CONTEXT`` overrides a word where one context needs a different one.
"""

ZH: dict[str, str] = {
    # common
    "TalentDesk": "智湾人才培养管理台",
    "TalentDesk — AI Academy talent training": "智湾人才培养管理台 TalentDesk",
    "TalentDesk talent training desk": "智湾人才培养管理台",
    "Cancel": "取消",
    "Please wait": "请稍候",
    "Cancelling…": "正在取消…",
    "The operation failed: {error}": "操作失败：{error}",
    "Excel workbooks (*.xlsx)": "Excel 工作簿 (*.xlsx)",
    "Cannot open the database: {error}": "无法打开数据库：{error}",
    # sidebar and window
    "Home": "首页",
    "Students": "学生",
    "Mentors": "导师",
    "Curriculum": "课程",
    "Admin": "系统",
    "Signed in as {user} ({role})": "当前用户：{user}（{role}）",
    "Database: {db}": "数据库：{db}",
    "Search": "搜索",
    "New": "新建",
    "Refresh": "刷新",
    # list pages
    "Search (Ctrl+F)…": "搜索（Ctrl+F）…",
    "All: {label}": "全部{label}",
    "Edit": "编辑",
    "Open": "查看",
    "Import…": "导入…",
    "Export…": "导出…",
    "Import from an Excel file…": "从 Excel 文件导入…",
    "Save an empty import template…": "保存空白导入模板…",
    "{n} in total": "共 {n} 条",
    # record dialog
    "Fields marked * are required.": "标 * 的为必填项。",
    "New {entity}": "新建{entity}",
    "{entity}: {name}": "{entity}：{name}",
    "Edit {entity}: {name}": "编辑{entity}：{name}",
    "Please correct the fields marked below.": "请更正下面标出的字段。",
    "Changed on another computer": "记录已在另一台电脑上被修改",
    "Reload": "重新加载",
    "Keep editing": "继续编辑",
    "Saving again will overwrite the other change.": "再次保存将覆盖对方的修改。",
    # import and export
    "Row": "行",
    "Column": "列",
    "Value": "值",
    "Problem": "问题",
    "Import rejected": "导入被拒绝",
    "{file}: {n} problems in {rows} rows. Nothing was imported; correct the file and import it again.": (
        "{file}：共 {rows} 行，发现 {n} 个问题。未导入任何数据；请更正文件后重新导入。"),
    "Save error report…": "保存错误报告…",
    "Save error report": "保存错误报告",
    "Import from Excel": "从 Excel 导入",
    "Checking {file}…": "正在检查 {file}…",
    "Importing {file}…": "正在导入 {file}…",
    "{file} is ready to import: {rows} rows, {created} new, {updated} updated and {unchanged} unchanged. Import now?": (
        "{file} 检查通过：共 {rows} 行，新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条。现在导入吗？"),
    "The import was cancelled; nothing was changed.": "导入已取消，数据未作任何修改。",
    "Imported {rows} rows: {created} new, {updated} updated, {unchanged} unchanged.": (
        "已导入 {rows} 行：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条。"),
    "Save import template": "保存导入模板",
    "Export to Excel": "导出到 Excel",
    "Exported {n} rows to {path}.": "已导出 {n} 行到 {path}。",
    "Exporting {n}…": "正在导出 {n}…",
    # login
    "Sign in to TalentDesk": "登录智湾人才培养管理台",
    "User name": "用户名",
    "Password": "密码",
    "Password again": "再次输入密码",
    "Sign in": "登录",
    "Create the first administrator": "创建第一位管理员",
    "This database has no users yet. Create the first administrator here, or run talentdesk init --admin NAME "
    "on this PC.": "此数据库还没有任何用户。请在这里创建第一位管理员，或在本机运行 talentdesk init --admin 用户名。",
    "Create and sign in": "创建并登录",
    "Enter your user name.": "请输入用户名。",
    "The two passwords differ.": "两次输入的密码不一致。",
    # home
    "Welcome, {name}": "欢迎，{name}",
    "My current mentees": "当前指导学生",
    "Former mentees": "曾指导学生",
    "My mentees": "我的学生",
    "Active students": "在读学生",
    "Active mentors": "在岗导师",
    "Programmes": "培养方案",
    "Courses": "课程",
    "Students without an academic mentor": "缺学术导师的学生",
    "Students without an industry mentor": "缺产业导师的学生",
    "Students without a study mentor": "缺学业导师的学生",
    "Programme plans outside the 50/50 band": "课程占比超出 50/50 范围的方案",
    "Active students with no {role} today: {n}.": "目前没有{role}的在读学生：{n} 名。",
    "Programme plans outside their foundation/industry band: {n}.": "基础课/产业课占比超出容差范围的培养方案：{n} 个。",
    "Nothing needs attention.": "目前没有需要处理的事项。",
    # student detail
    "Mentor": "导师",
    "Organisation": "单位",
    "From": "开始日期",
    "Until": "结束日期",
    "Reason": "结束原因",
    "Mentors (current and former)": "导师（现任与历任）",
    # people pages
    "My profile": "我的资料",
    # curriculum
    "Code": "代码",
    "Course": "课程",
    "Category": "课程类别",
    "Credits": "学分",
    "Required": "必修",
    "Yes": "是",
    "No": "否",
    "Select a programme to see its plan.": "选择一个培养方案以查看其课程计划。",
    "Add to plan": "加入方案",
    "Remove from plan": "移出方案",
    "Programme plan": "培养方案课程",
    "Plan of {code} {name}": "{code} {name} 的课程计划",
    "no foundation or industry courses yet": "尚无基础课或产业课",
    "within the band": "在范围内",
    "outside the band": "超出范围",
    "foundation share {share:.1f}% (target {target:.0f}% ± {tol:.0f} points, {verdict})": (
        "基础课占比 {share:.1f}%（目标 {target:.0f}% ± {tol:.0f} 个百分点，{verdict}）"),
    "Foundation {f:g} credits · industry {i:g} credits · other {o:g} credits; {share}": (
        "基础课 {f:g} 学分 · 产业课 {i:g} 学分 · 其他 {o:g} 学分；{share}"),
    "Remove {code} {name} from this plan?": "要把 {code} {name} 移出此课程计划吗？",
    "Programmes and plans": "培养方案与课程计划",
    # admin
    "Users": "用户",
    "Audit log": "审计日志",
    "Access log": "访问日志",
    "Backups": "备份",
    "Print records…": "打印档案…",
    "Print records": "打印档案",
    "The list is empty: nothing to print.": "列表为空：没有可打印的档案。",
    "Student records": "学生培养档案",
    "{n} students": "{n} 名学生",
    "{n} student records written to {path}.": "已将 {n} 份学生培养档案写入 {path}。",
    "Academy name": "学院名称",
    "Change history…": "修改历史…",
    "Change history": "修改历史",
    "Change history — {name}": "修改历史 — {name}",
    "Save": "保存",
    "Saved. Student records print it in their header.": "已保存。学生培养档案的页眉将使用此名称。",
    "Backups are kept in {folder}": "备份保存在 {folder}",
    "Open the folder": "打开文件夹",
    "My password": "我的密码",
    "Settings": "设置",
    "File": "文件",
    "Made on": "备份时间",
    "Size": "大小",
    "This PC uses a shared PostgreSQL server. Back it up on the server with its own tools: pg_dump -Fc -f "
    "talentdesk.dump {db} (restore with pg_restore).": (
        "本机使用共享的 PostgreSQL 服务器。请在服务器上用其自带工具备份：pg_dump -Fc -f talentdesk.dump {db}"
        "（恢复用 pg_restore）。"),
    "TalentDesk backs the database up once a day on start and before every upgrade; the last 14 of each kind "
    "are kept.": "TalentDesk 每天启动时以及每次升级前自动备份数据库；每类备份保留最近 14 份。",
    "Back up now": "立即备份",
    "Restore…": "恢复…",
    "Backup": "备份",
    "Backup written to {path}.": "备份已保存到 {path}。",
    "Backing up the database…": "正在备份数据库…",
    "Restore": "恢复",
    "Select a backup in the list first.": "请先在列表中选择一份备份。",
    "Replace the current database with the backup {name}? Everything changed since that backup is lost (a "
    "safety copy of the current database is made first). TalentDesk must be restarted afterwards.": (
        "要用备份 {name} 替换当前数据库吗？该备份之后的所有修改都将丢失（会先为当前数据库做一份安全副本）。"
        "恢复后需要重新启动 TalentDesk。"),
    "The backup was restored. Please restart TalentDesk now.": "备份已恢复。请立即重新启动 TalentDesk。",
    "Restoring…": "正在恢复…",
    "New user": "新建用户",
    "Edit user": "编辑用户",
    "Account enabled": "账号启用",
    "leave empty to keep the password": "留空则不修改密码",
    "Display name": "显示名称",
    "Role": "角色",
    "Linked mentor": "关联导师",
    "New password": "新密码",
    "Change password": "修改密码",
    "Current password": "当前密码",
    "New password again": "再次输入新密码",
    "The two new passwords differ.": "两次输入的新密码不一致。",
    "Your password was changed.": "密码已修改。",
    "To use another database, start TalentDesk with --db PATH-OR-URL, or set the environment variable {var} (a "
    "file path, or postgresql+psycopg://user@server/talentdesk for a shared server). A database on a network "
    "share is not supported.": (
        "如需使用其他数据库，请用 --db 路径或网址 启动 TalentDesk，或设置环境变量 {var}"
        "（文件路径；共享服务器则为 postgresql+psycopg://用户@服务器/talentdesk）。不支持放在网络共享文件夹上的数据库。"),
    "built-in font": "内置字体",
    "Choose…": "选择…",
    "Database": "数据库",
    "Language": "界面语言",
    "Report font file": "报告字体文件",
    "The new language takes effect when TalentDesk is started again.": "新的界面语言将在下次启动 TalentDesk 时生效。",
    "Fonts (*.ttf *.otf *.ttc)": "字体文件 (*.ttf *.otf *.ttc)",
}

# (context, source) -> 中文, where a context needs a different word
CONTEXT: dict[tuple[str, str], str] = {
    ("TaskRunner", "TalentDesk"): "智湾人才培养管理台",
    ("MainWindow", "TalentDesk"): "智湾人才培养管理台",
}
