<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About TalentDesk</source>
        <translation>关于 TalentDesk</translation>
    </message>
    <message>
        <source>TalentDesk 智湾人才培养管理台</source>
        <translation>智湾人才培养管理台 TalentDesk</translation>
    </message>
    <message>
        <source>Talent training for the AI academy: three mentors, the 50/50 curriculum, alliance credit recognition and the innovation competition.</source>
        <translation>人工智能学院人才培养管理：三导师制、课程 50/50、联盟学分互认与创新创业大赛。</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>运行环境</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>软件库</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Libraries bundled with TalentDesk and their licences (select one to read its licence):</source>
        <translation>TalentDesk 附带的软件库及其许可证（选中一项可查看许可证全文）：</translation>
    </message>
    <message>
        <source>{name} {version}: {licence} (no licence file was shipped with the library)</source>
        <translation>{name} {version}：{licence}（该软件库未附带许可证文件）</translation>
    </message>
</context>
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
    <name>AlliancePage</name>
    <message>
        <source>Credit transfer requests</source>
        <translation>学分互认申请</translation>
    </message>
    <message>
        <source>Approve selected…</source>
        <translation>批量通过…</translation>
    </message>
    <message>
        <source>Reject selected…</source>
        <translation>批量驳回…</translation>
    </message>
    <message>
        <source>Alliance universities</source>
        <translation>联盟高校</translation>
    </message>
    <message>
        <source>Grading scale…</source>
        <translation>评分制…</translation>
    </message>
    <message>
        <source>Export visiting students…</source>
        <translation>导出访学生成绩…</translation>
    </message>
    <message>
        <source>External courses</source>
        <translation>外校课程</translation>
    </message>
    <message>
        <source>Equivalence rules</source>
        <translation>互认规则</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Retire…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Transfer requests</source>
        <translation>互认申请</translation>
    </message>
    <message>
        <source>Universities and agreements</source>
        <translation>联盟高校与协议</translation>
    </message>
    <message>
        <source>Catalogues</source>
        <translation>外校课程目录</translation>
    </message>
    <message>
        <source>Rules and versions</source>
        <translation>互认规则与版本</translation>
    </message>
    <message>
        <source>Select the requests in the queue first (Ctrl or Shift + click).</source>
        <translation>请先在队列中选择申请（按住 Ctrl 或 Shift 点击）。</translation>
    </message>
    <message>
        <source>Approve rule {key} version {revision}? An approved rule is never edited again.</source>
        <translation>批准规则 {key} 第 {revision} 版？批准后不能再修改，只能新建版本。</translation>
    </message>
    <message>
        <source>Retire rule {key} version {revision}? Requests of the terms it covered keep it; it ends after {term}.</source>
        <translation>停用规则 {key} 第 {revision} 版？此前所覆盖学期的申请仍沿用该版本；规则于 {term} 之后失效。</translation>
    </message>
    <message>
        <source>Grading scale of {name}</source>
        <translation>{name}的评分制</translation>
    </message>
    <message>
        <source>e.g. A=95, B=85, C=75, D=65, F=50; blank: 0–100 and 优/良/中/及格</source>
        <translation>如 A=95, B=85, C=75, D=65, F=50；留空：百分制及 优/良/中/及格</translation>
    </message>
    <message>
        <source>Export visiting students</source>
        <translation>导出访学生成绩</translation>
    </message>
    <message>
        <source>{name} visiting students.xlsx</source>
        <translation>{name}访学生成绩.xlsx</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>{n} courses written to {path}</source>
        <translation>已将 {n} 门课程写入 {path}</translation>
    </message>
</context>
<context>
    <name>AllianceRecordDialog</name>
    <message>
        <source>{key} version {revision}</source>
        <translation>{key} 第 {revision} 版</translation>
    </message>
    <message>
        <source>New version of rule {title}</source>
        <translation>为规则 {title} 新建版本</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>TalentDesk</source>
        <translation>智湾人才培养管理台</translation>
    </message>
    <message>
        <source>Preparing the database…</source>
        <translation>正在准备数据库…</translation>
    </message>
    <message>
        <source>Today&apos;s automatic backup could not be taken, so TalentDesk opened without it: {reason}
Free some space or check the backups folder, then use Admin → Backups → Back up now.</source>
        <translation>今天的自动备份未能完成，TalentDesk 已在没有备份的情况下打开：{reason}
请腾出磁盘空间或检查备份文件夹，然后在“系统 → 备份”中点击“立即备份”。</translation>
    </message>
    <message>
        <source>Cannot open the database: {error}</source>
        <translation>无法打开数据库：{error}</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign {role}: {student}</source>
        <translation>指派{role}：{student}</translation>
    </message>
    <message>
        <source>Choose a mentor for {student} as {role}. The administrator confirms; nothing is assigned automatically.</source>
        <translation>为 {student} 选择{role}。由管理员确认，系统不会自动指派。</translation>
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
        <source>Backups are kept in {folder}</source>
        <translation>备份保存在 {folder}</translation>
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
        <source>Open the folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
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
    <name>BalanceTab</name>
    <message>
        <source>Only students out of band (≥ 10 credits)</source>
        <translation>只看超出范围的学生（已满 10 学分）</translation>
    </message>
    <message>
        <source>Active students only</source>
        <translation>只看在读学生</translation>
    </message>
    <message>
        <source>Student no. or name…</source>
        <translation>学号或姓名…</translation>
    </message>
    <message>
        <source>Export balance tables…</source>
        <translation>导出平衡表…</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Cohorts: credits passed by each cohort&apos;s students</source>
        <translation>年级：各年级学生已通过的课程学分</translation>
    </message>
    <message>
        <source>Students: earned credits (recognised credits included)</source>
        <translation>学生：已获学分（含互认学分）</translation>
    </message>
    <message>
        <source>{n} students; {judged} with at least 10 credits, of whom {out} are out of band. Showing {shown}.</source>
        <translation>共 {n} 名学生，其中 {judged} 名已满 10 学分，{out} 名超出范围。当前显示 {shown} 名。</translation>
    </message>
    <message>
        <source>Export balance tables</source>
        <translation>导出平衡表</translation>
    </message>
    <message>
        <source>balance-{day}.xlsx</source>
        <translation>课程平衡-{day}.xlsx</translation>
    </message>
    <message>
        <source>Saved the balance tables to {path}.</source>
        <translation>已把平衡表保存到 {path}。</translation>
    </message>
    <message>
        <source>Exporting the balance tables…</source>
        <translation>正在导出平衡表…</translation>
    </message>
</context>
<context>
    <name>Bulk</name>
    <message>
        <source>Approve the {n} selected requests, each as its proposal says (the programme&apos;s cap and the double-counting checks apply one after the other)?</source>
        <translation>按各自的建议通过所选的 {n} 条申请？（互认学分上限和重复认定检查逐条依次进行）</translation>
    </message>
    <message>
        <source>Reject the {n} selected requests with this reason?</source>
        <translation>以下列理由驳回所选的 {n} 条申请？</translation>
    </message>
    <message>
        <source>{n} requests were decided.</source>
        <translation>已审核 {n} 条申请。</translation>
    </message>
</context>
<context>
    <name>BulkAssignDialog</name>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Mentor</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>Current mentees</source>
        <translation>在指导人数</translation>
    </message>
    <message>
        <source>Free places</source>
        <translation>剩余名额</translation>
    </message>
    <message>
        <source>Assign one mentor to {n} students</source>
        <translation>为 {n} 名学生指派同一位导师</translation>
    </message>
    <message>
        <source>{role} for: {names}</source>
        <translation>{role}：{names}</translation>
    </message>
    <message>
        <source>Choose a mentor from the list.</source>
        <translation>请从列表中选择一位导师。</translation>
    </message>
</context>
<context>
    <name>BulkStageDialog</name>
    <message>
        <source>Change the stage of {n} projects</source>
        <translation>调整 {n} 个项目的阶段</translation>
    </message>
</context>
<context>
    <name>CancelTaskDialog</name>
    <message>
        <source>Cancel assignment</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel “{title}” (due {due})? It stays on the record as cancelled and is no longer overdue.</source>
        <translation>取消任务“{title}”（截止 {due}）？任务仍保留在记录中，标记为已取消，不再计为逾期。</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>保留任务</translation>
    </message>
</context>
<context>
    <name>CompetitionPage</name>
    <message>
        <source>Projects</source>
        <translation>项目管道</translation>
    </message>
    <message>
        <source>Incubated companies</source>
        <translation>孵化企业</translation>
    </message>
    <message>
        <source>Judging</source>
        <translation>评审</translation>
    </message>
    <message>
        <source>Companies</source>
        <translation>孵化企业</translation>
    </message>
    <message>
        <source>Funnel</source>
        <translation>漏斗与进度</translation>
    </message>
</context>
<context>
    <name>CourseDialog</name>
    <message>
        <source>This course is in {n} plan(s). Their balance before → after:</source>
        <translation>此课程属于 {n} 个培养方案，修改前 → 修改后的占比：</translation>
    </message>
    <message>
        <source>Save?</source>
        <translation>确定保存吗？</translation>
    </message>
</context>
<context>
    <name>CriteriaDialog</name>
    <message>
        <source>Criteria of {name}</source>
        <translation>{name} 的评分标准</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>评分标准</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Lowest</source>
        <translation>最低分</translation>
    </message>
    <message>
        <source>Highest</source>
        <translation>最高分</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Weight and scores are numbers.</source>
        <translation>权重和分数必须是数字。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>Curriculum</name>
    <message>
        <source>{lo:.0f}%–{hi:.0f}%</source>
        <translation>{lo:.0f}%–{hi:.0f}%</translation>
    </message>
    <message>
        <source>no credits yet</source>
        <translation>尚无学分</translation>
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
        <source>Foundation {f:g} credits · industry {i:g} credits · foundation share {share} (band {band}, {verdict})</source>
        <translation>基础课 {f:g} 学分 · 产业课 {i:g} 学分 · 基础课占比 {share}（目标范围 {band}，{verdict}）</translation>
    </message>
    <message>
        <source>Foundation credits: {before:g} → {after:g}</source>
        <translation>基础课学分：{before:g} → {after:g}</translation>
    </message>
    <message>
        <source>Industry credits: {before:g} → {after:g}</source>
        <translation>产业课学分：{before:g} → {after:g}</translation>
    </message>
    <message>
        <source>Foundation share: {before} → {after} (band {band})</source>
        <translation>基础课占比：{before} → {after}（目标范围 {band}）</translation>
    </message>
    <message>
        <source>Balance: {before} → {after}</source>
        <translation>平衡状态：{before} → {after}</translation>
    </message>
    <message>
        <source>Warning: this change takes the balance out of the band.</source>
        <translation>注意：此项修改会使课程占比超出目标范围。</translation>
    </message>
    <message>
        <source>This change brings the balance back into the band.</source>
        <translation>此项修改会使课程占比回到目标范围内。</translation>
    </message>
    <message>
        <source>Foundation credits</source>
        <translation>基础课学分</translation>
    </message>
    <message>
        <source>Industry credits</source>
        <translation>产业课学分</translation>
    </message>
    <message>
        <source>Other credits</source>
        <translation>其他学分</translation>
    </message>
    <message>
        <source>Foundation share</source>
        <translation>基础课占比</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>平衡状态</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Band</source>
        <translation>目标范围</translation>
    </message>
    <message>
        <source>In band</source>
        <translation>是否在范围内</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>培养方案</translation>
    </message>
    <message>
        <source>Programme name</source>
        <translation>方案名称</translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation>年级</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>学生数</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Judged</source>
        <translation>是否已满 10 学分</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>not yet (&lt; 10)</source>
        <translation>未满 10 学分</translation>
    </message>
</context>
<context>
    <name>CurriculumPage</name>
    <message>
        <source>Programmes</source>
        <translation>培养方案</translation>
    </message>
    <message>
        <source>Import plans…</source>
        <translation>导入课程计划…</translation>
    </message>
    <message>
        <source>Courses</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Enrolments</source>
        <translation>选课成绩</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Programmes and plans</source>
        <translation>培养方案与课程计划</translation>
    </message>
    <message>
        <source>Cohort and student balance</source>
        <translation>年级与学生平衡</translation>
    </message>
    <message>
        <source>Delete the enrolment of {student} {name} in {course} ({term})?</source>
        <translation>要删除 {student} {name} 在 {term} 学期的 {course} 选课记录吗？</translation>
    </message>
</context>
<context>
    <name>CurriculumPanel</name>
    <message>
        <source>Courses and balance</source>
        <translation>课程与学分平衡</translation>
    </message>
    <message>
        <source>Recognised credits (alliance universities)</source>
        <translation>互认学分（联盟高校）</translation>
    </message>
    <message>
        <source>As of {day}: {line} · other {o:g} credits</source>
        <translation>截至 {day}：{line} · 其他 {o:g} 学分</translation>
    </message>
    <message>
        <source>Out of band: the foundation share {share} is outside {programme}&apos;s band {band}.</source>
        <translation>超出范围：基础课占比 {share} 不在 {programme} 的目标范围 {band} 内。</translation>
    </message>
    <message>
        <source>Not judged yet: {n:g} foundation and industry credits, fewer than 10.</source>
        <translation>暂不判定：基础课与产业课合计 {n:g} 学分，不足 10 学分。</translation>
    </message>
    <message>
        <source>Recognised credits (alliance universities): {n:g} credits</source>
        <translation>互认学分（联盟高校）：共 {n:g} 学分</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Mentor coverage by role (students, end of quarter)</source>
        <translation>三导师覆盖（季度末，学生数）</translation>
    </message>
    <message>
        <source>Foundation / industry credits per programme plan</source>
        <translation>各培养方案基础课/产业课学分占比</translation>
    </message>
    <message>
        <source>Competition projects by stage</source>
        <translation>创赛项目（按阶段）</translation>
    </message>
    <message>
        <source>This quarter so far: {quarter}, against targets and the previous quarter</source>
        <translation>本季度至今（{quarter}）：对比目标与上季度</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Not updated: the database cannot be read.</source>
        <translation>未更新：无法读取数据库。</translation>
    </message>
    <message>
        <source>Updated {time}</source>
        <translation>更新于 {time}</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>已配备</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺</translation>
    </message>
    <message>
        <source>Foundation</source>
        <translation>基础课</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>产业课</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>项目数</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Credits to grant</source>
        <translation>认定学分</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>DeleteEntryDialog</name>
    <message>
        <source>session</source>
        <translation>指导记录</translation>
    </message>
    <message>
        <source>assignment</source>
        <translation>指导任务</translation>
    </message>
    <message>
        <source>Delete {what}</source>
        <translation>删除{what}</translation>
    </message>
    <message>
        <source>Delete the {what} of {date} “{title}” by {mentor}? It then counts in no figure and no record; the audit log keeps it with your reason.</source>
        <translation>删除 {mentor} 于 {date} 的{what}“{title}”？删除后不再计入任何统计和档案；审计日志会保留它和您填写的理由。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>EndAssignmentDialog</name>
    <message>
        <source>End assignment</source>
        <translation>结束指派</translation>
    </message>
    <message>
        <source>{mentor} as {role} since {start}. The end date is the first day the mentor no longer holds the role.</source>
        <translation>{mentor} 自 {start} 起担任{role}。结束日期是导师不再担任该角色的第一天。</translation>
    </message>
</context>
<context>
    <name>EnrolmentDialog</name>
    <message>
        <source>The student&apos;s earned credits as of {day}, before → after:</source>
        <translation>该学生截至 {day} 的已获学分，修改前 → 修改后：</translation>
    </message>
    <message>
        <source>Save?</source>
        <translation>确定保存吗？</translation>
    </message>
</context>
<context>
    <name>EnrolmentLinesModel</name>
    <message>
        <source>Term</source>
        <translation>学期</translation>
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
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Counts from</source>
        <translation>计入日期</translation>
    </message>
    <message>
        <source>In plan</source>
        <translation>方案内</translation>
    </message>
    <message>
        <source>not passed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>在修</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No (outside the plan)</source>
        <translation>否（方案外课程）</translation>
    </message>
</context>
<context>
    <name>ErrorHook</name>
    <message>
        <source>TalentDesk ran into an unexpected problem and could not finish what you asked. Nothing unfinished was saved. Please try again; if it happens again, tell IT and send them the file {path}.</source>
        <translation>TalentDesk 遇到意外问题，未能完成您的操作，未完成的内容没有保存。请重试；如果再次发生，请告知 IT 并把文件 {path} 发给他们。</translation>
    </message>
    <message>
        <source>TalentDesk</source>
        <translation>智湾人才培养管理台</translation>
    </message>
</context>
<context>
    <name>ExportList</name>
    <message>
        <source>Export for re-import</source>
        <translation>导出为导入格式</translation>
    </message>
    <message>
        <source>Exported {n} records to {path}. Importing the file unchanged changes nothing.</source>
        <translation>已导出 {n} 条记录到 {path}。原样导入该文件不会改变任何数据。</translation>
    </message>
    <message>
        <source>Export mentoring logbooks</source>
        <translation>导出指导记录本</translation>
    </message>
    <message>
        <source>Writing logbooks…</source>
        <translation>正在生成指导记录本…</translation>
    </message>
    <message>
        <source>{n} logbook(s) written to {where}.</source>
        <translation>已生成 {n} 份指导记录本：{where}</translation>
    </message>
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
    <name>FieldEditor</name>
    <message>
        <source>A name not in the list adds a new organisation.</source>
        <translation>输入列表中没有的名称，将新增该单位。</translation>
    </message>
    <message>
        <source>Choose, or type a code or name</source>
        <translation>选择，或输入代码、名称搜索</translation>
    </message>
    <message>
        <source>Choose, or type a name</source>
        <translation>选择，或输入名称搜索</translation>
    </message>
    <message>
        <source>Type a code or name to search</source>
        <translation>输入编号或名称搜索</translation>
    </message>
</context>
<context>
    <name>FigureCard</name>
    <message>
        <source>Active students</source>
        <translation>在读学生</translation>
    </message>
    <message>
        <source>Share with all three mentors</source>
        <translation>三导师齐全率</translation>
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
        <source>Sessions this quarter</source>
        <translation>本季度指导次数</translation>
    </message>
    <message>
        <source>Session hours this quarter</source>
        <translation>本季度指导时长（小时）</translation>
    </message>
    <message>
        <source>Students without contact this quarter</source>
        <translation>本季度未接受指导的学生</translation>
    </message>
    <message>
        <source>Overdue tasks</source>
        <translation>逾期任务</translation>
    </message>
    <message>
        <source>Programmes within the 50/50 band</source>
        <translation>课程结构在范围内的培养方案</translation>
    </message>
    <message>
        <source>Students out of band</source>
        <translation>占比超出范围的学生</translation>
    </message>
    <message>
        <source>Credit transfer requests</source>
        <translation>学分互认申请</translation>
    </message>
    <message>
        <source>Credits recognised this quarter</source>
        <translation>本季度认定学分</translation>
    </message>
    <message>
        <source>Competition projects this season</source>
        <translation>本赛季创赛项目</translation>
    </message>
    <message>
        <source>Incubated companies</source>
        <translation>孵化企业</translation>
    </message>
    <message>
        <source>target {target} ({share:.0f}%)</source>
        <translation>目标 {target}（完成 {share:.0f}%）</translation>
    </message>
    <message>
        <source>target {target}</source>
        <translation>目标 {target}</translation>
    </message>
    <message>
        <source>vs last quarter {change}</source>
        <translation>较上季度 {change}</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Projects at stage</source>
        <translation>评审阶段</translation>
    </message>
    <message>
        <source>Rank by per-judge z-scores</source>
        <translation>按评委标准化分数（z 分数）排名</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>FunnelTab</name>
    <message>
        <source>Export funnel…</source>
        <translation>导出漏斗…</translation>
    </message>
    <message>
        <source>Season</source>
        <translation>赛季</translation>
    </message>
    <message>
        <source>Projects (target {target})</source>
        <translation>本赛季项目（目标 {target}）</translation>
    </message>
    <message>
        <source>Incubated companies (target {target})</source>
        <translation>孵化企业（目标 {target}）</translation>
    </message>
    <message>
        <source>New projects needed per quarter</source>
        <translation>每季度还需新增项目</translation>
    </message>
    <message>
        <source>New companies needed per quarter</source>
        <translation>每季度还需新增企业</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Projects now</source>
        <translation>当前项目数</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>曾到达</translation>
    </message>
    <message>
        <source>Conversion from the previous stage</source>
        <translation>较上一阶段转化率</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Projects planned / actual</source>
        <translation>项目 计划 / 实际（累计）</translation>
    </message>
    <message>
        <source>Projects needed</source>
        <translation>需新增项目</translation>
    </message>
    <message>
        <source>Companies planned / actual</source>
        <translation>企业 计划 / 实际（累计）</translation>
    </message>
    <message>
        <source>Companies needed</source>
        <translation>需新增企业</translation>
    </message>
    <message>
        <source>Projects per stage</source>
        <translation>各阶段项目</translation>
    </message>
    <message>
        <source>Pace against the targets</source>
        <translation>目标进度</translation>
    </message>
    <message>
        <source>{n} from {stage}</source>
        <translation>{stage} {n} 个</translation>
    </message>
    <message>
        <source>Dropped: {n} ({parts}).</source>
        <translation>已退出：{n} 个（{parts}）。</translation>
    </message>
    <message>
        <source>Export funnel</source>
        <translation>导出漏斗</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
</context>
<context>
    <name>HelpPage</name>
    <message>
        <source>Search the help…</source>
        <translation>在帮助中搜索…</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>{n} matches</source>
        <translation>共 {n} 处</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Welcome, {name}</source>
        <translation>欢迎，{name}</translation>
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
        <source>Click to see these records</source>
        <translation>点击查看这些记录</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>The figures cannot be shown: {reason}</source>
        <translation>无法显示数据：{reason}</translation>
    </message>
    <message>
        <source>Active students with no {role} today: {n}.</source>
        <translation>目前没有{role}的在读学生：{n} 名。</translation>
    </message>
    <message>
        <source>Programme plans outside their foundation/industry band: {n}.</source>
        <translation>基础课/产业课占比超出容差范围的培养方案：{n} 个。</translation>
    </message>
    <message>
        <source>Credit transfer requests waiting for a decision: {n}.</source>
        <translation>待审核的学分互认申请：{n} 条。</translation>
    </message>
    <message>
        <source>Review the {n} pending transfer requests</source>
        <translation>审核 {n} 条待审申请</translation>
    </message>
    <message>
        <source>Mentoring tasks overdue today: {n}.</source>
        <translation>今日逾期的指导任务：{n} 项。</translation>
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
        <source>{file} is ready to import: {rows} rows, {created} new, {updated} updated and {unchanged} unchanged. Import now?</source>
        <translation>{file} 检查通过：共 {rows} 行，新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条。现在导入吗？</translation>
    </message>
    <message>
        <source>Imported {rows} rows: {created} new, {updated} updated, {unchanged} unchanged.</source>
        <translation>已导入 {rows} 行：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条。</translation>
    </message>
    <message>
        <source>… and {n} more.</source>
        <translation>……另有 {n} 条。</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was changed.</source>
        <translation>导入已取消，数据未作任何修改。</translation>
    </message>
    <message>
        <source>Save import template</source>
        <translation>保存导入模板</translation>
    </message>
</context>
<context>
    <name>IntegrityBanner</name>
    <message>
        <source>The data check could not run: {error}</source>
        <translation>数据检查未能运行：{error}</translation>
    </message>
    <message>
        <source>The database holds records that break TalentDesk&apos;s rules (written outside the app?). Please repair them:</source>
        <translation>数据库中有违反 TalentDesk 规则的记录（可能是在本程序之外写入的），请修复：</translation>
    </message>
</context>
<context>
    <name>IssuedModel</name>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>发布人</translation>
    </message>
</context>
<context>
    <name>JudgingTab</name>
    <message>
        <source>Round</source>
        <translation>评审轮次</translation>
    </message>
    <message>
        <source>New round…</source>
        <translation>新建评审轮次…</translation>
    </message>
    <message>
        <source>New judge…</source>
        <translation>新增评委…</translation>
    </message>
    <message>
        <source>Criteria…</source>
        <translation>评分标准…</translation>
    </message>
    <message>
        <source>Assign automatically</source>
        <translation>自动分配评委</translation>
    </message>
    <message>
        <source>Project code</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <source>Project title</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Judges</source>
        <translation>评委</translation>
    </message>
    <message>
        <source>Scored</source>
        <translation>已评分</translation>
    </message>
    <message>
        <source>Judges with a conflict</source>
        <translation>存在利益冲突的评委</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>评委</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>Assign to the selected project</source>
        <translation>分配到所选项目</translation>
    </message>
    <message>
        <source>Remove from the selected project</source>
        <translation>从所选项目移除</translation>
    </message>
    <message>
        <source>Declare a conflict…</source>
        <translation>申报利益冲突…</translation>
    </message>
    <message>
        <source>Type the scores into the grid; changed cells are highlighted until saved.</source>
        <translation>在表格中直接录入分数；修改过的单元格在保存前以黄色标出。</translation>
    </message>
    <message>
        <source>Save scores</source>
        <translation>保存评分</translation>
    </message>
    <message>
        <source>Normalise per judge (z-scores)</source>
        <translation>按评委标准化（z 分数）</translation>
    </message>
    <message>
        <source>Export ranking…</source>
        <translation>导出排名…</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>赛道</translation>
    </message>
    <message>
        <source>Score (0–100)</source>
        <translation>得分（百分制）</translation>
    </message>
    <message>
        <source>z-score</source>
        <translation>z 分数</translation>
    </message>
    <message>
        <source>Judges scored</source>
        <translation>已评分评委</translation>
    </message>
    <message>
        <source>Left out (conflict)</source>
        <translation>回避剔除</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>评委分配</translation>
    </message>
    <message>
        <source>Score entry</source>
        <translation>评分录入</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>{year} · round {seq}: {name}</source>
        <translation>{year} · 第 {seq} 轮：{name}</translation>
    </message>
    <message>
        <source>No judging round yet.</source>
        <translation>尚无评审轮次。</translation>
    </message>
    <message>
        <source>Judges stage {stage}; at most {load} projects per judge; criteria: {crits}</source>
        <translation>评审“{stage}”阶段项目；每位评委最多 {load} 个项目；评分标准：{crits}</translation>
    </message>
    <message>
        <source>{n} projects ranked; {few} scored by fewer than two judges (in orange).</source>
        <translation>共 {n} 个项目参与排名；{few} 个项目的评分评委少于两位（橙色标出）。</translation>
    </message>
    <message>
        <source>{added} assignments made; {conflicts} conflicts of interest recorded.</source>
        <translation>已完成 {added} 项分配；记录利益冲突 {conflicts} 项。</translation>
    </message>
    <message>
        <source>Short of judges: {projects}</source>
        <translation>评委不足的项目：{projects}</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Declare a conflict of interest</source>
        <translation>申报利益冲突</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>New judging round</source>
        <translation>新建评审轮次</translation>
    </message>
    <message>
        <source>Season</source>
        <translation>赛季</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>At most projects per judge</source>
        <translation>每位评委最多评审项目数</translation>
    </message>
    <message>
        <source>Season and load are whole numbers.</source>
        <translation>赛季和评审上限必须是整数。</translation>
    </message>
    <message>
        <source>New judge</source>
        <translation>新增评委</translation>
    </message>
    <message>
        <source>Staff no. (when the judge is a mentor)</source>
        <translation>导师工号（评委为本院导师时填写）</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Export ranking</source>
        <translation>导出排名</translation>
    </message>
    <message>
        <source>Exported {n} rows to {path}.</source>
        <translation>已导出 {n} 行到 {path}。</translation>
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
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Export this list (as shown)…</source>
        <translation>导出当前列表（按显示内容）…</translation>
    </message>
    <message>
        <source>Export every record for re-import…</source>
        <translation>导出全部记录（可修改后重新导入）…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>The list cannot be shown: {reason}</source>
        <translation>无法显示列表：{reason}</translation>
    </message>
    <message>
        <source>{n} in total</source>
        <translation>共 {n} 条</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Saved. The new record did not match the search or filters, so they were cleared to show it.</source>
        <translation>已保存。新记录不符合当前的搜索或筛选条件，已清除这些条件以显示它。</translation>
    </message>
    <message>
        <source>Search: {text}</source>
        <translation>搜索：{text}</translation>
    </message>
    <message>
        <source>Ready to print: {path}</source>
        <translation>可打印：{path}</translation>
    </message>
    <message>
        <source>Preparing the print…</source>
        <translation>正在准备打印…</translation>
    </message>
    <message>
        <source>Change history — {name}</source>
        <translation>修改历史 — {name}</translation>
    </message>
    <message>
        <source>Change history</source>
        <translation>修改历史</translation>
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
        <source>Checking…</source>
        <translation>正在验证…</translation>
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
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
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
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
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
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>An administrator set your password. Choose a new one of at least {n} characters before you continue.</source>
        <translation>您的密码由管理员设置。继续之前，请设置一个至少 {n} 个字符的新密码。</translation>
    </message>
    <message>
        <source>Change password and sign in</source>
        <translation>修改密码并登录</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Cannot sign in: {error}</source>
        <translation>无法登录：{error}</translation>
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
        <source>This database is read-only: you can browse, search, print and export, but changes cannot be saved. To make changes, ask IT to make the database file (and its folder) writable.</source>
        <translation>此数据库为只读：可以浏览、搜索、打印和导出，但无法保存修改。如需修改，请联系 IT 将数据库文件（及其所在文件夹）设为可写。</translation>
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
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About TalentDesk</source>
        <translation>关于 TalentDesk</translation>
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
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>View help</source>
        <translation>查看帮助</translation>
    </message>
</context>
<context>
    <name>MentorDeskView</name>
    <message>
        <source>My current mentees</source>
        <translation>当前指导学生</translation>
    </message>
    <message>
        <source>Former mentees</source>
        <translation>曾指导学生</translation>
    </message>
    <message>
        <source>Sessions due</source>
        <translation>待指导学生</translation>
    </message>
    <message>
        <source>Tasks to review</source>
        <translation>待评阅任务</translation>
    </message>
    <message>
        <source>Overdue tasks</source>
        <translation>逾期任务</translation>
    </message>
    <message>
        <source>My mentees</source>
        <translation>我的学生</translation>
    </message>
    <message>
        <source>Log session…</source>
        <translation>登记指导…</translation>
    </message>
    <message>
        <source>Give assignment…</source>
        <translation>布置任务…</translation>
    </message>
    <message>
        <source>My mentees (former ones read-only)</source>
        <translation>我的学生（历任学生只读）</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>导师类型</translation>
    </message>
    <message>
        <source>Last session</source>
        <translation>最近指导</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交日期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Double-click a line to open the student&apos;s mentors and timeline.</source>
        <translation>双击一行可打开该学生的导师与指导时间线。</translation>
    </message>
    <message>
        <source>Sessions due (no session in {n} days)</source>
        <translation>待指导学生（{n} 天内未指导）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Choose a mentee in the list first.</source>
        <translation>请先在列表中选择一名学生。</translation>
    </message>
    <message>
        <source>{name} is a former mentee: their records are read-only.</source>
        <translation>{name} 是您以前指导的学生：其记录只读。</translation>
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
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>MentoringPage</name>
    <message>
        <source>Mentor assignments</source>
        <translation>导师指派</translation>
    </message>
    <message>
        <source>Mentoring sessions</source>
        <translation>指导记录</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>指导任务</translation>
    </message>
    <message>
        <source>Missing mentor roles</source>
        <translation>缺导师队列</translation>
    </message>
    <message>
        <source>Mentor workload</source>
        <translation>导师工作量</translation>
    </message>
    <message>
        <source>No contact</source>
        <translation>未联系学生</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>指派…</translation>
    </message>
    <message>
        <source>Bulk assign…</source>
        <translation>批量指派…</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>阈值：</translation>
    </message>
    <message>
        <source>Save threshold</source>
        <translation>保存阈值</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Template: {kind}</source>
        <translation>导入模板：{kind}</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>指派</translation>
    </message>
    <message>
        <source>Choose a student in the queue first.</source>
        <translation>请先在队列中选择一名学生。</translation>
    </message>
    <message>
        <source>Bulk assign</source>
        <translation>批量指派</translation>
    </message>
    <message>
        <source>Select the students in the queue first (Ctrl or Shift + click).</source>
        <translation>请先在队列中选择学生（按住 Ctrl 或 Shift 点击）。</translation>
    </message>
    <message>
        <source>The selected students miss different roles: filter the queue by one role first.</source>
        <translation>所选学生缺少的导师类型不同：请先按一种导师类型筛选队列。</translation>
    </message>
    <message>
        <source>{n} students were assigned.</source>
        <translation>已为 {n} 名学生指派导师。</translation>
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
    <message>
        <source>Logbook…</source>
        <translation>指导记录本…</translation>
    </message>
    <message>
        <source>Export the selected mentor&apos;s logbook…</source>
        <translation>导出所选导师的指导记录本…</translation>
    </message>
    <message>
        <source>Export every mentor&apos;s logbook to a folder…</source>
        <translation>导出全部导师的指导记录本到文件夹…</translation>
    </message>
    <message>
        <source>Import a returned logbook…</source>
        <translation>导入交回的指导记录本…</translation>
    </message>
    <message>
        <source>Export my logbook…</source>
        <translation>导出我的指导记录本…</translation>
    </message>
    <message>
        <source>Logbook</source>
        <translation>指导记录本</translation>
    </message>
    <message>
        <source>Select a mentor in the list first.</source>
        <translation>请先在列表中选择一位导师。</translation>
    </message>
</context>
<context>
    <name>MoveEntryDialog</name>
    <message>
        <source>session</source>
        <translation>指导记录</translation>
    </message>
    <message>
        <source>assignment</source>
        <translation>指导任务</translation>
    </message>
    <message>
        <source>Move {what}</source>
        <translation>移动{what}</translation>
    </message>
    <message>
        <source>Move the {what} of {date} “{title}” by {mentor} to:</source>
        <translation>将 {mentor} 于 {date} 的{what}“{title}”移给：</translation>
    </message>
    <message>
        <source>{mentor} had no other mentee on {date}.</source>
        <translation>{mentor} 在 {date} 没有其他在带学生。</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
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
        <source>Changing the password…</source>
        <translation>正在修改密码…</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>密码已修改。</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>/ {n}</source>
        <translation>/ {n}</translation>
    </message>
</context>
<context>
    <name>PipelineTab</name>
    <message>
        <source>Projects</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Change stage of selected…</source>
        <translation>批量调整阶段…</translation>
    </message>
    <message>
        <source>Select the projects in the list first (Ctrl or Shift + click).</source>
        <translation>请先在列表中选择项目（按住 Ctrl 或 Shift 点击）。</translation>
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
        <translation>类别</translation>
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
        <source>Term</source>
        <translation>建议学期</translation>
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
        <source>What-if…</source>
        <translation>模拟调整…</translation>
    </message>
    <message>
        <source>Try changes to this plan and see the balance, without saving</source>
        <translation>试着调整此课程计划并查看占比变化，不会保存</translation>
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
        <source>Choose a course to add…</source>
        <translation>选择要加入的课程…</translation>
    </message>
    <message>
        <source>other {o:g} credits</source>
        <translation>其他 {o:g} 学分</translation>
    </message>
    <message>
        <source>What-if — {action}: foundation share {before} → {after} ({verdict})</source>
        <translation>模拟 — {action}：基础课占比 {before} → {after}（{verdict}）</translation>
    </message>
    <message>
        <source>add {code}</source>
        <translation>加入 {code}</translation>
    </message>
    <message>
        <source>remove {code}</source>
        <translation>移出 {code}</translation>
    </message>
    <message>
        <source>Add {code} to the plan?</source>
        <translation>要把 {code} 加入此课程计划吗？</translation>
    </message>
    <message>
        <source>Remove {code} {name} from this plan?</source>
        <translation>要把 {code} {name} 移出此课程计划吗？</translation>
    </message>
</context>
<context>
    <name>ProjectPanel</name>
    <message>
        <source>Select a project to see its team, history and scores.</source>
        <translation>选择一个项目，查看团队、阶段记录和评审得分。</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>(outside)</source>
        <translation>（校外）</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
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
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>评审轮次</translation>
    </message>
    <message>
        <source>Score (0–100)</source>
        <translation>得分（百分制）</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Judges</source>
        <translation>评委</translation>
    </message>
    <message>
        <source>{rank} of {n}</source>
        <translation>第 {rank} / {n} 名</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>评委</translation>
    </message>
    <message>
        <source>Conflict of interest</source>
        <translation>利益冲突</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队成员</translation>
    </message>
    <message>
        <source>Mentors</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>Stage history</source>
        <translation>阶段变更记录</translation>
    </message>
    <message>
        <source>Judging results</source>
        <translation>评审结果</translation>
    </message>
    <message>
        <source>Conflicts of interest</source>
        <translation>利益冲突</translation>
    </message>
    <message>
        <source>Change stage…</source>
        <translation>变更阶段…</translation>
    </message>
    <message>
        <source>Drop…</source>
        <translation>退出…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新启用…</translation>
    </message>
    <message>
        <source>Season {year} · track {track} · submitted on {date}</source>
        <translation>{year} 赛季 · {track}赛道 · {date} 报名</translation>
    </message>
    <message>
        <source>Stage: {stage} since {since}</source>
        <translation>阶段：{stage}（自 {since}）</translation>
    </message>
    <message>
        <source>Reason for dropping: {reason}</source>
        <translation>退出理由：{reason}</translation>
    </message>
    <message>
        <source>Sponsor: {sponsor}</source>
        <translation>支持企业：{sponsor}</translation>
    </message>
    <message>
        <source>Company: {name} ({code})</source>
        <translation>注册企业：{name}（{code}）</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <source>Reassign {role}</source>
        <translation>更换{role}</translation>
    </message>
    <message>
        <source>{mentor} holds this role since {start}. The new mentor takes over on the start date; the current assignment ends that day with the reason given.</source>
        <translation>{mentor} 自 {start} 起担任该角色。新导师自开始日期接任，现任指派于当日结束并记录理由。</translation>
    </message>
</context>
<context>
    <name>RecognisedModel</name>
    <message>
        <source>University</source>
        <translation>联盟高校</translation>
    </message>
    <message>
        <source>External course</source>
        <translation>外校课程</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>学期</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>学分</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>课程类别</translation>
    </message>
    <message>
        <source>Local course</source>
        <translation>本校课程</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>审核日期</translation>
    </message>
</context>
<context>
    <name>RecognisedPanel</name>
    <message>
        <source>Recognised credits</source>
        <translation>互认学分</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>无上限</translation>
    </message>
    <message>
        <source>cap {cap}</source>
        <translation>上限 {cap}</translation>
    </message>
    <message>
        <source>{n} credits recognised ({cap}), {pending} pending; foundation share {share} (foundation {f:g} · industry {i:g})</source>
        <translation>已认定 {n} 学分（{cap}），待审 {pending} 条；基础课占比 {share}（基础 {f:g} · 产业 {i:g}）</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Fields marked * are required.</source>
        <translation>标 * 的为必填项。</translation>
    </message>
    <message>
        <source>Change history…</source>
        <translation>修改历史…</translation>
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
        <source>Saving…</source>
        <translation>正在保存…</translation>
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
    <name>ReportsPage</name>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>Build report</source>
        <translation>生成报告</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Open in PDF viewer</source>
        <translation>用 PDF 阅读器打开</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Save Excel…</source>
        <translation>保存 Excel…</translation>
    </message>
    <message>
        <source>Issue…</source>
        <translation>发布…</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Issued reports</source>
        <translation>已发布的报告</translation>
    </message>
    <message>
        <source>An issued report is frozen: printing it again gives the same figures, whatever was edited since. Double-click one to open it.</source>
        <translation>已发布的报告数据冻结：之后无论数据如何修改，重印的数字都不变。双击打开。</translation>
    </message>
    <message>
        <source>Choose a quarter and press Build report to see the report here, or double-click an issued report on the left.</source>
        <translation>选择季度后点击“生成报告”，报告将显示在这里；也可以双击左侧已发布的报告。</translation>
    </message>
    <message>
        <source>Double-click an issued report on the left to see it here.</source>
        <translation>双击左侧已发布的报告，即可在这里查看。</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>{quarter} · issued</source>
        <translation>{quarter} · 已发布</translation>
    </message>
    <message>
        <source>{quarter} · in progress</source>
        <translation>{quarter} · 进行中</translation>
    </message>
    <message>
        <source>A quarter can be issued once it has ended.</source>
        <translation>季度结束后才能发布。</translation>
    </message>
    <message>
        <source>This quarter has been issued.</source>
        <translation>本季度报告已发布。</translation>
    </message>
    <message>
        <source>Freeze this quarter&apos;s figures for good.</source>
        <translation>永久冻结本季度的数字。</translation>
    </message>
    <message>
        <source>No report has been issued yet.</source>
        <translation>尚无已发布的报告。</translation>
    </message>
    <message>
        <source>{quarter}: issued on {date} by {user}. Its figures are frozen.</source>
        <translation>{quarter}：已于 {date} 由 {user} 发布，数字已冻结。</translation>
    </message>
    <message>
        <source>{quarter}: not issued. The report shows today&apos;s data, which may still change.</source>
        <translation>{quarter}：未发布。报告按当前数据生成，数字仍可能变化。</translation>
    </message>
    <message>
        <source>Preview: {n} pages.</source>
        <translation>预览：共 {n} 页。</translation>
    </message>
    <message>
        <source>Building the report for {quarter}…</source>
        <translation>正在生成 {quarter} 报告…</translation>
    </message>
    <message>
        <source>Quarterly report {quarter} ({start} to {end})</source>
        <translation>{quarter} 季度报告（{start} 至 {end}）</translation>
    </message>
    <message>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消，未写入任何文件。</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Quarterly report {quarter}</source>
        <translation>{quarter} 季度报告</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>{n} pages sent to the printer.</source>
        <translation>已向打印机发送 {n} 页。</translation>
    </message>
    <message>
        <source>No PDF viewer could open {path}. Save the PDF and open it yourself.</source>
        <translation>没有 PDF 阅读器能打开 {path}。请保存 PDF 后自行打开。</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Save Excel</source>
        <translation>保存 Excel</translation>
    </message>
    <message>
        <source>Writing {path}…</source>
        <translation>正在写入 {path}…</translation>
    </message>
    <message>
        <source>Issue the report</source>
        <translation>发布报告</translation>
    </message>
    <message>
        <source>Issue the report for {quarter}? Its figures are frozen as they are now: later edits will not change it, every reprint shows the same figures, and it cannot be issued again.</source>
        <translation>发布 {quarter} 的报告？报告数字将按现在的数据冻结：之后的修改不会改变它，每次重印数字都相同，且不能再次发布。</translation>
    </message>
    <message>
        <source>Issuing the report for {quarter}…</source>
        <translation>正在发布 {quarter} 报告…</translation>
    </message>
    <message>
        <source>Save the student record</source>
        <translation>保存学生培养档案</translation>
    </message>
    <message>
        <source>Student record {no}</source>
        <translation>学生培养档案 {no}</translation>
    </message>
    <message>
        <source>Writing the record of {no}…</source>
        <translation>正在生成 {no} 的培养档案…</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>{title}: submitted on {date}</source>
        <translation>{title}：提交于 {date}</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>评阅</translation>
    </message>
</context>
<context>
    <name>RoleCard</name>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>No mentor in this role today</source>
        <translation>当前没有该类导师</translation>
    </message>
    <message>
        <source>{org} · since {start}</source>
        <translation>{org} · 自 {start} 起</translation>
    </message>
    <message>
        <source>Over capacity by override: {reason}</source>
        <translation>超额指派：{reason}</translation>
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
    <name>ScoreGridModel</name>
    <message>
        <source>Project code</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <source>Project title</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>{name} (×{weight:g}, {low:g}–{high:g})</source>
        <translation>{name}（×{weight:g}，{low:g}–{high:g}）</translation>
    </message>
    <message>
        <source>{code}, {criterion}: {value} is not a number.</source>
        <translation>{code}，{criterion}：{value} 不是数字。</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>Log a mentoring session</source>
        <translation>登记指导记录</translation>
    </message>
    <message>
        <source>Edit mentoring session</source>
        <translation>编辑指导记录</translation>
    </message>
    <message>
        <source>Mentor</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>Copy last session</source>
        <translation>复制上次记录</translation>
    </message>
    <message>
        <source>Also for (a group session)</source>
        <translation>同时登记给（集体指导）</translation>
    </message>
    <message>
        <source>No earlier session with this student to copy.</source>
        <translation>该学生还没有可复制的指导记录。</translation>
    </message>
    <message>
        <source>A session with the same mentor, date, minutes and topic is already logged for this student. Save this one as a second meeting?</source>
        <translation>该学生已有一条相同导师、日期、时长和主题的指导记录。仍要作为第二次指导保存吗？</translation>
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
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Academy name</source>
        <translation>学院名称</translation>
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
        <source>Saved. Student records print it in their header.</source>
        <translation>已保存。学生培养档案的页眉将使用此名称。</translation>
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
        <source>Mentoring</source>
        <translation>三导师</translation>
    </message>
    <message>
        <source>Curriculum</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Alliance</source>
        <translation>学分互认</translation>
    </message>
    <message>
        <source>Competition</source>
        <translation>创赛</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
</context>
<context>
    <name>StageDialog</name>
    <message>
        <source>Change the stage of {code}</source>
        <translation>变更项目 {code} 的阶段</translation>
    </message>
    <message>
        <source>Drop {code}</source>
        <translation>项目 {code} 退出</translation>
    </message>
    <message>
        <source>Reopen {code}</source>
        <translation>重新启用项目 {code}</translation>
    </message>
</context>
<context>
    <name>StudentDetail</name>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Edit record…</source>
        <translation>编辑档案…</translation>
    </message>
    <message>
        <source>Change history…</source>
        <translation>修改历史…</translation>
    </message>
    <message>
        <source>Print record (PDF)…</source>
        <translation>打印档案（PDF）…</translation>
    </message>
    <message>
        <source>This panel cannot be shown: {error}</source>
        <translation>无法显示此面板：{error}</translation>
    </message>
    <message>
        <source>Student: {name}</source>
        <translation>学生：{name}</translation>
    </message>
    <message>
        <source>Student record {no}</source>
        <translation>学生培养档案 {no}</translation>
    </message>
    <message>
        <source>The record is written to {path}.</source>
        <translation>档案已写入 {path}。</translation>
    </message>
</context>
<context>
    <name>StudentPanels</name>
    <message>
        <source>Recognised credits</source>
        <translation>互认学分</translation>
    </message>
    <message>
        <source>Courses and balance</source>
        <translation>课程与学分平衡</translation>
    </message>
    <message>
        <source>Three mentors</source>
        <translation>三导师</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>指导时间线</translation>
    </message>
    <message>
        <source>Competition projects</source>
        <translation>创赛项目</translation>
    </message>
</context>
<context>
    <name>StudentProjectsPanel</name>
    <message>
        <source>Season</source>
        <translation>赛季</translation>
    </message>
    <message>
        <source>Project code</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <source>Project title</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>赛道</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Founder</source>
        <translation>创始人</translation>
    </message>
</context>
<context>
    <name>StudentRecognisedModel</name>
    <message>
        <source>University</source>
        <translation>联盟高校</translation>
    </message>
    <message>
        <source>External course</source>
        <translation>外校课程</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>学期</translation>
    </message>
    <message>
        <source>Original score</source>
        <translation>原始成绩</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>学分</translation>
    </message>
    <message>
        <source>Counts as</source>
        <translation>认定为</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>审核日期</translation>
    </message>
</context>
<context>
    <name>StudentsPage</name>
    <message>
        <source>Students</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Print records…</source>
        <translation>打印档案…</translation>
    </message>
    <message>
        <source>Log session…</source>
        <translation>登记指导…</translation>
    </message>
    <message>
        <source>The list is empty: nothing to print.</source>
        <translation>列表为空：没有可打印的档案。</translation>
    </message>
    <message>
        <source>Student records</source>
        <translation>学生培养档案</translation>
    </message>
    <message>
        <source>{n} students</source>
        <translation>{n} 名学生</translation>
    </message>
    <message>
        <source>{n} student records written to {path}.</source>
        <translation>已将 {n} 份学生培养档案写入 {path}。</translation>
    </message>
</context>
<context>
    <name>SubmissionDialog</name>
    <message>
        <source>Record submission</source>
        <translation>登记提交</translation>
    </message>
    <message>
        <source>{title} (due {due})</source>
        <translation>{title}（截止 {due}）</translation>
    </message>
</context>
<context>
    <name>SuggestionPicker</name>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
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
        <source>Current mentees</source>
        <translation>在指导人数</translation>
    </message>
    <message>
        <source>Free places</source>
        <translation>剩余名额</translation>
    </message>
    <message>
        <source>Mentees in this programme</source>
        <translation>本方案学生数</translation>
    </message>
    <message>
        <source>Type a staff no., name or organisation…</source>
        <translation>输入工号、姓名或单位筛选…</translation>
    </message>
    <message>
        <source>Also show mentors at capacity</source>
        <translation>同时显示名额已满的导师</translation>
    </message>
    <message>
        <source>Suggested mentors</source>
        <translation>推荐导师</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>Give an assignment</source>
        <translation>布置指导任务</translation>
    </message>
    <message>
        <source>Edit assignment</source>
        <translation>编辑指导任务</translation>
    </message>
    <message>
        <source>Mentor</source>
        <translation>导师</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Working in the background…</source>
        <translation>正在后台计算…</translation>
    </message>
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
    <name>TaskStatus</name>
    <message>
        <source>Not handed in (overdue)</source>
        <translation>未提交（已逾期）</translation>
    </message>
    <message>
        <source>To review (review overdue)</source>
        <translation>待评阅（评阅逾期）</translation>
    </message>
</context>
<context>
    <name>ThreeMentorPanel</name>
    <message>
        <source>History (current and former)</source>
        <translation>指派历史（现任与历任）</translation>
    </message>
    <message>
        <source>Assign a missing role…</source>
        <translation>指派缺少的导师…</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>更换导师…</translation>
    </message>
    <message>
        <source>End assignment…</source>
        <translation>结束指派…</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Mentor</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>Topic / task</source>
        <translation>主题 / 任务</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Notes / feedback</source>
        <translation>记录 / 评语</translation>
    </message>
    <message>
        <source>Cancelled on {date}</source>
        <translation>已于 {date} 取消</translation>
    </message>
    <message>
        <source> · score {score:g}</source>
        <translation> · 评分 {score:g}</translation>
    </message>
    <message>
        <source> · handed in late</source>
        <translation> · 逾期提交</translation>
    </message>
    <message>
        <source>{minutes} min, {kind}</source>
        <translation>{minutes} 分钟，{kind}</translation>
    </message>
    <message>
        <source>due {due}</source>
        <translation>截止 {due}</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>指导记录</translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation>任务</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <source>All entries</source>
        <translation>全部记录</translation>
    </message>
    <message>
        <source>My entries</source>
        <translation>我登记的</translation>
    </message>
    <message>
        <source>Sessions only</source>
        <translation>仅指导记录</translation>
    </message>
    <message>
        <source>Assignments only</source>
        <translation>仅指导任务</translation>
    </message>
    <message>
        <source>Log session…</source>
        <translation>登记指导…</translation>
    </message>
    <message>
        <source>Give assignment…</source>
        <translation>布置任务…</translation>
    </message>
    <message>
        <source>Record submission…</source>
        <translation>登记提交…</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>评阅…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Move to another mentee…</source>
        <translation>移给其他学生…</translation>
    </message>
    <message>
        <source>Cancel assignment…</source>
        <translation>取消任务…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>{s} sessions ({h:.1f} hours), {t} assignments, {o} overdue</source>
        <translation>指导 {s} 次（{h:.1f} 小时），任务 {t} 项，逾期 {o} 项</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Deleted. The issued report of {quarters} keeps counting it: an issued quarter&apos;s figures never change.</source>
        <translation>已删除。{quarters} 的季度报告已发布，仍按发布时的数据统计：已发布季度的数字不再改变。</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>已移动</translation>
    </message>
    <message>
        <source>Moved. The issued report of {quarters} keeps counting it as it was: an issued quarter&apos;s figures never change.</source>
        <translation>已移动。{quarters} 的季度报告已发布，仍按发布时的数据统计：已发布季度的数字不再改变。</translation>
    </message>
</context>
<context>
    <name>TransferPane</name>
    <message>
        <source>Select a request to see its proposal.</source>
        <translation>选择一条申请以查看建议的认定结果。</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Course taken</source>
        <translation>所修课程</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>成绩</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Recognised as</source>
        <translation>认定为</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>学分</translation>
    </message>
    <message>
        <source>Recognised so far</source>
        <translation>已认定学分</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Approve in part…</source>
        <translation>部分通过…</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Credit transfer</source>
        <translation>学分互认</translation>
    </message>
    <message>
        <source>Request {id} · {status}</source>
        <translation>申请 {id} · {status}</translation>
    </message>
    <message>
        <source>{n} hours</source>
        <translation>{n} 学时</translation>
    </message>
    <message>
        <source>{university} {code} {name}, {credits} credits {hours}, term {term}</source>
        <translation>{university} {code} {name}，{credits} 学分 {hours}，{term} 学期</translation>
    </message>
    <message>
        <source>{key} version {revision} ({kind})</source>
        <translation>{key} 第 {revision} 版（{kind}）</translation>
    </message>
    <message>
        <source>together with {parts}</source>
        <translation>与 {parts} 合并认定</translation>
    </message>
    <message>
        <source>{grantable} of {credits}</source>
        <translation>{credits} 中的 {grantable}</translation>
    </message>
    <message>
        <source>{granted} granted of {credits} proposed</source>
        <translation>建议 {credits}，认定 {granted}</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>无上限</translation>
    </message>
    <message>
        <source>cap {cap}</source>
        <translation>上限 {cap}</translation>
    </message>
    <message>
        <source>{n} credits ({cap})</source>
        <translation>{n} 学分（{cap}）</translation>
    </message>
    <message>
        <source>Proposed: {outcome}</source>
        <translation>建议：{outcome}</translation>
    </message>
    <message>
        <source>Decided on {day} by {user}</source>
        <translation>{day} 由 {user} 审核</translation>
    </message>
    <message>
        <source>target {target:.0f}% ± {tol:.0f} points</source>
        <translation>目标 {target:.0f}% ± {tol:.0f} 个百分点</translation>
    </message>
    <message>
        <source>Foundation share {before} → {after} if approved ({band})</source>
        <translation>通过后基础课占比 {before} → {after}（{band}）</translation>
    </message>
    <message>
        <source>Foundation share now {share} ({band})</source>
        <translation>当前基础课占比 {share}（{band}）</translation>
    </message>
    <message>
        <source>Foundation {f:g} · industry {i:g} credits earned</source>
        <translation>已获基础课 {f:g} 学分 · 产业课 {i:g} 学分</translation>
    </message>
    <message>
        <source>Approve {credits} credits for {student}: {target}?</source>
        <translation>为 {student} 认定 {credits} 学分：{target}？</translation>
    </message>
    <message>
        <source>Approve in part</source>
        <translation>部分通过</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
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
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>WhatIfDialog</name>
    <message>
        <source>What-if: plan balance</source>
        <translation>模拟调整：课程计划占比</translation>
    </message>
    <message>
        <source>Nothing is saved until you apply the changes: try them and compare the balance before and after.</source>
        <translation>应用之前不会保存任何修改：可以先试着修改，比较修改前后的课程平衡。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>学分</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>课程类别</translation>
    </message>
    <message>
        <source>Start again</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>Apply to the plan…</source>
        <translation>应用到培养方案…</translation>
    </message>
    <message>
        <source>Changes tried</source>
        <translation>已尝试的调整</translation>
    </message>
    <message>
        <source>What-if for {code} {name}</source>
        <translation>{code} {name} 的模拟调整</translation>
    </message>
    <message>
        <source> (in plan)</source>
        <translation>（已在方案中）</translation>
    </message>
    <message>
        <source>Add {code}</source>
        <translation>加入 {code}</translation>
    </message>
    <message>
        <source>Remove {code}</source>
        <translation>移出 {code}</translation>
    </message>
    <message>
        <source>Change {code}: {credits:g} credits, {category}</source>
        <translation>修改 {code}：{credits:g} 学分，{category}</translation>
    </message>
    <message>
        <source>Make these changes to the plan?</source>
        <translation>确定对培养方案做以下修改吗？</translation>
    </message>
    <message>
        <source>A course&apos;s new credits or category apply in every plan that has the course.</source>
        <translation>课程的新学分或类别将用于所有包含该课程的培养方案。</translation>
    </message>
    <message>
        <source>The changes were made to the plan.</source>
        <translation>已对培养方案做出修改。</translation>
    </message>
</context>
<context>
    <name>_MentorPickDialog</name>
    <message>
        <source>Choose a mentor from the list.</source>
        <translation>请从列表中选择一位导师。</translation>
    </message>
</context>
<context>
    <name>_StageForm</name>
    <message>
        <source>Required to drop, reopen or move back</source>
        <translation>退出、重新启用或退回时必填</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前阶段</translation>
    </message>
    <message>
        <source>New stage</source>
        <translation>新阶段</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
</TS>
