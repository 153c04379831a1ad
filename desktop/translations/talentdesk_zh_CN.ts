<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AdminPage</name>
        <message>
            <source>Users</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>Audit log</source>
            <translation>审计日志</translation>
        </message>
        <message>
            <source>Access log</source>
            <translation>访问日志</translation>
        </message>
        <message>
            <source>Backups</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>My password</source>
            <translation>我的密码</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>TalentDesk</source>
            <translation>智湾人才培养管理台</translation>
        </message>
        <message>
            <source>Preparing the database {db}…</source>
            <translation>正在准备数据库 {db}…</translation>
        </message>
        <message>
            <source>Cannot open the database: {error}</source>
            <translation>无法打开数据库：{error}</translation>
        </message>
    </context>
    <context>
        <name>BackupModel</name>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Made on</source>
            <translation>备份时间</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
    </context>
    <context>
        <name>BackupsPanel</name>
        <message>
            <source>This PC uses a shared PostgreSQL server. Back it up on the server with its own tools: pg_dump -Fc -f talentdesk.dump {db} (restore with pg_restore).</source>
            <translation>本机使用共享的 PostgreSQL 服务器。请在服务器上用其自带工具备份：pg_dump -Fc -f talentdesk.dump {db}（恢复用 pg_restore）。</translation>
        </message>
        <message>
            <source>TalentDesk backs the database up once a day on start and before every upgrade; the last 14 of each kind are kept.</source>
            <translation>TalentDesk 每天启动时以及每次升级前自动备份数据库；每类备份保留最近 14 份。</translation>
        </message>
        <message>
            <source>Back up now</source>
            <translation>立即备份</translation>
        </message>
        <message>
            <source>Restore…</source>
            <translation>恢复…</translation>
        </message>
        <message>
            <source>Backup</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>Backup written to {path}.</source>
            <translation>备份已保存到 {path}。</translation>
        </message>
        <message>
            <source>Backing up the database…</source>
            <translation>正在备份数据库…</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <source>Select a backup in the list first.</source>
            <translation>请先在列表中选择一份备份。</translation>
        </message>
        <message>
            <source>Replace the current database with the backup {name}? Everything changed since that backup is lost (a safety copy of the current database is made first). TalentDesk must be restarted afterwards.</source>
            <translation>要用备份 {name} 替换当前数据库吗？该备份之后的所有修改都将丢失（会先为当前数据库做一份安全副本）。恢复后需要重新启动 TalentDesk。</translation>
        </message>
        <message>
            <source>The backup was restored. Please restart TalentDesk now.</source>
            <translation>备份已恢复。请立即重新启动 TalentDesk。</translation>
        </message>
        <message>
            <source>Restoring…</source>
            <translation>正在恢复…</translation>
        </message>
    </context>
    <context>
        <name>CurriculumPage</name>
        <message>
            <source>Programmes</source>
            <translation>培养方案</translation>
        </message>
        <message>
            <source>Courses</source>
            <translation>课程</translation>
        </message>
        <message>
            <source>Programmes and plans</source>
            <translation>培养方案与课程计划</translation>
        </message>
    </context>
    <context>
        <name>ExportList</name>
        <message>
            <source>Export to Excel</source>
            <translation>导出到 Excel</translation>
        </message>
        <message>
            <source>Exported {n} rows to {path}.</source>
            <translation>已导出 {n} 行到 {path}。</translation>
        </message>
        <message>
            <source>Exporting {n}…</source>
            <translation>正在导出 {n}…</translation>
        </message>
    </context>
    <context>
        <name>HomePage</name>
        <message>
            <source>Welcome, {name}</source>
            <translation>欢迎，{name}</translation>
        </message>
        <message>
            <source>My current mentees</source>
            <translation>当前指导学生</translation>
        </message>
        <message>
            <source>Former mentees</source>
            <translation>曾指导学生</translation>
        </message>
        <message>
            <source>My mentees</source>
            <translation>我的学生</translation>
        </message>
        <message>
            <source>Active students</source>
            <translation>在读学生</translation>
        </message>
        <message>
            <source>Active mentors</source>
            <translation>在岗导师</translation>
        </message>
        <message>
            <source>Programmes</source>
            <translation>培养方案</translation>
        </message>
        <message>
            <source>Courses</source>
            <translation>课程</translation>
        </message>
        <message>
            <source>Students without an academic mentor</source>
            <translation>缺学术导师的学生</translation>
        </message>
        <message>
            <source>Students without an industry mentor</source>
            <translation>缺产业导师的学生</translation>
        </message>
        <message>
            <source>Students without a study mentor</source>
            <translation>缺学业导师的学生</translation>
        </message>
        <message>
            <source>Programme plans outside the 50/50 band</source>
            <translation>课程占比超出 50/50 范围的方案</translation>
        </message>
        <message>
            <source>Home</source>
            <translation>首页</translation>
        </message>
        <message>
            <source>{n} active students have no {role} today.</source>
            <translation>{n} 名在读学生目前没有{role}。</translation>
        </message>
        <message>
            <source>{n} programme plans are outside their foundation/industry band.</source>
            <translation>{n} 个培养方案的基础课/产业课占比超出容差范围。</translation>
        </message>
        <message>
            <source>Nothing needs attention.</source>
            <translation>目前没有需要处理的事项。</translation>
        </message>
    </context>
    <context>
        <name>ImportErrorsDialog</name>
        <message>
            <source>Import rejected</source>
            <translation>导入被拒绝</translation>
        </message>
        <message>
            <source>{file}: {n} problems in {rows} rows. Nothing was imported; correct the file and import it again.</source>
            <translation>{file}：共 {rows} 行，发现 {n} 个问题。未导入任何数据；请更正文件后重新导入。</translation>
        </message>
        <message>
            <source>Save error report…</source>
            <translation>保存错误报告…</translation>
        </message>
        <message>
            <source>Save error report</source>
            <translation>保存错误报告</translation>
        </message>
    </context>
    <context>
        <name>ImportFlow</name>
        <message>
            <source>Import from Excel</source>
            <translation>从 Excel 导入</translation>
        </message>
        <message>
            <source>Checking {file}…</source>
            <translation>正在检查 {file}…</translation>
        </message>
        <message>
            <source>Importing {file}…</source>
            <translation>正在导入 {file}…</translation>
        </message>
        <message>
            <source>{file} is ready to import: {rows} rows, {created} new and {updated} updated. Import now?</source>
            <translation>{file} 检查通过：共 {rows} 行，新增 {created} 条，更新 {updated} 条。现在导入吗？</translation>
        </message>
        <message>
            <source>The import was cancelled; nothing was changed.</source>
            <translation>导入已取消，数据未作任何修改。</translation>
        </message>
        <message>
            <source>Imported {rows} rows: {created} new, {updated} updated.</source>
            <translation>已导入 {rows} 行：新增 {created} 条，更新 {updated} 条。</translation>
        </message>
        <message>
            <source>Save import template</source>
            <translation>保存导入模板</translation>
        </message>
    </context>
    <context>
        <name>ListPage</name>
        <message>
            <source>Search (Ctrl+F)…</source>
            <translation>搜索（Ctrl+F）…</translation>
        </message>
        <message>
            <source>All: {label}</source>
            <translation>全部{label}</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>编辑</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>查看</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>导入…</translation>
        </message>
        <message>
            <source>Import from an Excel file…</source>
            <translation>从 Excel 文件导入…</translation>
        </message>
        <message>
            <source>Save an empty import template…</source>
            <translation>保存空白导入模板…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>{n} in total</source>
            <translation>共 {n} 条</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>Sign in to TalentDesk</source>
            <translation>登录智湾人才培养管理台</translation>
        </message>
        <message>
            <source>TalentDesk talent training desk</source>
            <translation>智湾人才培养管理台</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Password again</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <source>Database: {db}</source>
            <translation>数据库：{db}</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Create the first administrator</source>
            <translation>创建第一位管理员</translation>
        </message>
        <message>
            <source>This database has no users yet. Create the first administrator here, or run talentdesk init --admin NAME on this PC.</source>
            <translation>此数据库还没有任何用户。请在这里创建第一位管理员，或在本机运行 talentdesk init --admin 用户名。</translation>
        </message>
        <message>
            <source>Create and sign in</source>
            <translation>创建并登录</translation>
        </message>
        <message>
            <source>Enter your user name.</source>
            <translation>请输入用户名。</translation>
        </message>
        <message>
            <source>The two passwords differ.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>TalentDesk — AI Academy talent training</source>
            <translation>智湾人才培养管理台 TalentDesk</translation>
        </message>
        <message>
            <source>TalentDesk</source>
            <translation>智湾人才培养管理台</translation>
        </message>
        <message>
            <source>Signed in as {user} ({role})</source>
            <translation>当前用户：{user}（{role}）</translation>
        </message>
        <message>
            <source>Database: {db}</source>
            <translation>数据库：{db}</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
    </context>
    <context>
        <name>MentorHistory</name>
        <message>
            <source>Mentors (current and former)</source>
            <translation>导师（现任与历任）</translation>
        </message>
    </context>
    <context>
        <name>MentorHistoryModel</name>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Mentor</source>
            <translation>导师</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>单位</translation>
        </message>
        <message>
            <source>From</source>
            <translation>开始日期</translation>
        </message>
        <message>
            <source>Until</source>
            <translation>结束日期</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>结束原因</translation>
        </message>
    </context>
    <context>
        <name>MentorsPage</name>
        <message>
            <source>My profile</source>
            <translation>我的资料</translation>
        </message>
        <message>
            <source>Mentors</source>
            <translation>导师</translation>
        </message>
    </context>
    <context>
        <name>PasswordPanel</name>
        <message>
            <source>Change password</source>
            <translation>修改密码</translation>
        </message>
        <message>
            <source>Current password</source>
            <translation>当前密码</translation>
        </message>
        <message>
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>New password again</source>
            <translation>再次输入新密码</translation>
        </message>
        <message>
            <source>The two new passwords differ.</source>
            <translation>两次输入的新密码不一致。</translation>
        </message>
        <message>
            <source>Your password was changed.</source>
            <translation>密码已修改。</translation>
        </message>
    </context>
    <context>
        <name>PlanModel</name>
        <message>
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>Course</source>
            <translation>课程</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>课程类别</translation>
        </message>
        <message>
            <source>Credits</source>
            <translation>学分</translation>
        </message>
        <message>
            <source>Required</source>
            <translation>必修</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>No</source>
            <translation>否</translation>
        </message>
    </context>
    <context>
        <name>PlanPanel</name>
        <message>
            <source>Select a programme to see its plan.</source>
            <translation>选择一个培养方案以查看其课程计划。</translation>
        </message>
        <message>
            <source>Required</source>
            <translation>必修</translation>
        </message>
        <message>
            <source>Add to plan</source>
            <translation>加入方案</translation>
        </message>
        <message>
            <source>Remove from plan</source>
            <translation>移出方案</translation>
        </message>
        <message>
            <source>Programme plan</source>
            <translation>培养方案课程</translation>
        </message>
        <message>
            <source>Plan of {code} {name}</source>
            <translation>{code} {name} 的课程计划</translation>
        </message>
        <message>
            <source>no foundation or industry courses yet</source>
            <translation>尚无基础课或产业课</translation>
        </message>
        <message>
            <source>within the band</source>
            <translation>在范围内</translation>
        </message>
        <message>
            <source>outside the band</source>
            <translation>超出范围</translation>
        </message>
        <message>
            <source>foundation share {share:.1f}% (target {target:.0f}% ± {tol:.0f} points, {verdict})</source>
            <translation>基础课占比 {share:.1f}%（目标 {target:.0f}% ± {tol:.0f} 个百分点，{verdict}）</translation>
        </message>
        <message>
            <source>Foundation {f:g} credits · industry {i:g} credits · other {o:g} credits; {share}</source>
            <translation>基础课 {f:g} 学分 · 产业课 {i:g} 学分 · 其他 {o:g} 学分；{share}</translation>
        </message>
        <message>
            <source>Remove {code} {name} from this plan?</source>
            <translation>要把 {code} {name} 移出此课程计划吗？</translation>
        </message>
    </context>
    <context>
        <name>Prompts</name>
        <message>
            <source>Excel workbooks (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
    </context>
    <context>
        <name>RecordDialog</name>
        <message>
            <source>Fields marked * are required.</source>
            <translation>标 * 的为必填项。</translation>
        </message>
        <message>
            <source>New {entity}</source>
            <translation>新建{entity}</translation>
        </message>
        <message>
            <source>{entity}: {name}</source>
            <translation>{entity}：{name}</translation>
        </message>
        <message>
            <source>Edit {entity}: {name}</source>
            <translation>编辑{entity}：{name}</translation>
        </message>
        <message>
            <source>Please correct the fields marked below.</source>
            <translation>请更正下面标出的字段。</translation>
        </message>
        <message>
            <source>Changed on another computer</source>
            <translation>记录已在另一台电脑上被修改</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>重新加载</translation>
        </message>
        <message>
            <source>Keep editing</source>
            <translation>继续编辑</translation>
        </message>
        <message>
            <source>Saving again will overwrite the other change.</source>
            <translation>再次保存将覆盖对方的修改。</translation>
        </message>
    </context>
    <context>
        <name>RowErrorModel</name>
        <message>
            <source>Row</source>
            <translation>行</translation>
        </message>
        <message>
            <source>Column</source>
            <translation>列</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题</translation>
        </message>
    </context>
    <context>
        <name>SettingsPanel</name>
        <message>
            <source>To use another database, start TalentDesk with --db PATH-OR-URL, or set the environment variable {var} (a file path, or postgresql+psycopg://user@server/talentdesk for a shared server). A database on a network share is not supported.</source>
            <translation>如需使用其他数据库，请用 --db 路径或网址 启动 TalentDesk，或设置环境变量 {var}（文件路径；共享服务器则为 postgresql+psycopg://用户@服务器/talentdesk）。不支持放在网络共享文件夹上的数据库。</translation>
        </message>
        <message>
            <source>built-in font</source>
            <translation>内置字体</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>数据库</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>界面语言</translation>
        </message>
        <message>
            <source>Report font file</source>
            <translation>报告字体文件</translation>
        </message>
        <message>
            <source>The new language takes effect when TalentDesk is started again.</source>
            <translation>新的界面语言将在下次启动 TalentDesk 时生效。</translation>
        </message>
        <message>
            <source>Fonts (*.ttf *.otf *.ttc)</source>
            <translation>字体文件 (*.ttf *.otf *.ttc)</translation>
        </message>
    </context>
    <context>
        <name>Sidebar</name>
        <message>
            <source>Home</source>
            <translation>首页</translation>
        </message>
        <message>
            <source>Students</source>
            <translation>学生</translation>
        </message>
        <message>
            <source>Mentors</source>
            <translation>导师</translation>
        </message>
        <message>
            <source>Curriculum</source>
            <translation>课程</translation>
        </message>
        <message>
            <source>Admin</source>
            <translation>系统</translation>
        </message>
    </context>
    <context>
        <name>StudentsPage</name>
        <message>
            <source>Students</source>
            <translation>学生</translation>
        </message>
    </context>
    <context>
        <name>TaskRunner</name>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Please wait</source>
            <translation>请稍候</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <source>TalentDesk</source>
            <translation>智湾人才培养管理台</translation>
        </message>
        <message>
            <source>The operation failed: {error}</source>
            <translation>操作失败：{error}</translation>
        </message>
    </context>
    <context>
        <name>UserDialog</name>
        <message>
            <source>New user</source>
            <translation>新建用户</translation>
        </message>
        <message>
            <source>Edit user</source>
            <translation>编辑用户</translation>
        </message>
        <message>
            <source>Account enabled</source>
            <translation>账号启用</translation>
        </message>
        <message>
            <source>leave empty to keep the password</source>
            <translation>留空则不修改密码</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Display name</source>
            <translation>显示名称</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Linked mentor</source>
            <translation>关联导师</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>Password again</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <source>The two passwords differ.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
    </context>
</TS>
