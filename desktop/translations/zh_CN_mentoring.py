"""Simplified Chinese for the three-mentor scheme's desktop strings (Mentoring page, student detail
panels, mentor home, mentoring dialogs). Words as the academy uses them (DESIGN.md glossary)."""

ZH: dict[str, str] = {
    # sidebar and page
    "Mentoring": "三导师",
    "Missing mentor roles": "缺导师队列",
    "Mentor workload": "导师工作量",
    "No contact": "未联系学生",
    "Assign…": "指派…",
    "Bulk assign…": "批量指派…",
    " days": " 天",
    "Threshold:": "阈值：",
    "Save threshold": "保存阈值",
    "Template: {kind}": "导入模板：{kind}",
    "Assign": "指派",
    "Choose a student in the queue first.": "请先在队列中选择一名学生。",
    "Bulk assign": "批量指派",
    "Select the students in the queue first (Ctrl or Shift + click).": "请先在队列中选择学生（按住 Ctrl 或 Shift 点击）。",
    "The selected students miss different roles: filter the queue by one role first.": (
        "所选学生缺少的导师类型不同：请先按一种导师类型筛选队列。"
    ),
    "{n} students were assigned.": "已为 {n} 名学生指派导师。",
    "Mentor assignments": "导师指派",
    "Mentoring sessions": "指导记录",
    # student detail
    "Edit record…": "编辑档案…",
    "This panel cannot be shown: {error}": "无法显示此面板：{error}",
    "Student: {name}": "学生：{name}",
    "Three mentors": "三导师",
    "Timeline": "指导时间线",
    "History (current and former)": "指派历史（现任与历任）",
    "Assign a missing role…": "指派缺少的导师…",
    "Reassign…": "更换导师…",
    "End assignment…": "结束指派…",
    "Missing": "缺失",
    "No mentor in this role today": "当前没有该类导师",
    "{org} · since {start}": "{org} · 自 {start} 起",
    "Over capacity by override: {reason}": "超额指派：{reason}",
    # timeline
    "Type": "类型",
    "Topic / task": "主题 / 任务",
    "Details": "详情",
    " · score {score:g}": " · 评分 {score:g}",
    " · overdue": " · 已逾期",
    "{minutes} min, {kind}": "{minutes} 分钟，{kind}",
    "due {due}": "截止 {due}",
    "Session": "指导记录",
    "Log session…": "登记指导…",
    "Give assignment…": "布置任务…",
    "Record submission…": "登记提交…",
    "Review…": "评阅…",
    "Edit…": "编辑…",
    "Cancel assignment…": "取消任务…",
    "Delete…": "删除…",
    "Delete": "删除",
    "Deleted": "已删除",
    "session": "指导记录",
    "assignment": "指导任务",
    "Delete {what}": "删除{what}",
    "Delete the {what} of {date} “{title}” by {mentor}? It then counts in no figure and no record; the audit log "
    "keeps it with your reason.": "删除 {mentor} 于 {date} 的{what}“{title}”？删除后不再计入任何统计和档案；"
                                  "审计日志会保留它和您填写的理由。",
    "Cancel assignment": "取消任务",
    "Cancel “{title}” (due {due})? It stays on the record as cancelled and is no longer overdue.": (
        "取消任务“{title}”（截止 {due}）？任务仍保留在记录中，标记为已取消，不再计为逾期。"),
    "Keep it": "保留任务",
    "A session with the same mentor, date, minutes and topic is already logged for this student. Save this one as "
    "a second meeting?": "该学生已有一条相同导师、日期、时长和主题的指导记录。仍要作为第二次指导保存吗？",
    "Cancelled on {date}": "已于 {date} 取消",
    "Deleted. The issued report of {quarters} keeps counting it: an issued quarter's figures never change.": (
        "已删除。{quarters} 的季度报告已发布，仍按发布时的数据统计：已发布季度的数字不再改变。"),
    "{s} sessions ({h:.1f} hours), {t} assignments, {o} overdue": "指导 {s} 次（{h:.1f} 小时），任务 {t} 项，逾期 {o} 项",
    # dialogs
    "Log a mentoring session": "登记指导记录",
    "Edit mentoring session": "编辑指导记录",
    "Give an assignment": "布置指导任务",
    "Edit assignment": "编辑指导任务",
    "Record submission": "登记提交",
    "{title} (due {due})": "{title}（截止 {due}）",
    "Review": "评阅",
    "{title}: submitted on {date}": "{title}：提交于 {date}",
    "Assign {role}: {student}": "指派{role}：{student}",
    "Choose a mentor for {student} as {role}. The administrator confirms; nothing is assigned automatically.": (
        "为 {student} 选择{role}。由管理员确认，系统不会自动指派。"
    ),
    "Choose a mentor from the list.": "请从列表中选择一位导师。",
    "Reassign {role}": "更换{role}",
    "{mentor} holds this role since {start}. The new mentor takes over on the start date; the current assignment "
    "ends that day with the reason given.": "{mentor} 自 {start} 起担任该角色。新导师自开始日期接任，现任指派于当日结束并记录理由。",
    "End assignment": "结束指派",
    "{mentor} as {role} since {start}. The end date is the first day the mentor no longer holds the role.": (
        "{mentor} 自 {start} 起担任{role}。结束日期是导师不再担任该角色的第一天。"
    ),
    "Assign one mentor to {n} students": "为 {n} 名学生指派同一位导师",
    "{role} for: {names}": "{role}：{names}",
    "Current mentees": "在指导人数",
    "Free places": "剩余名额",
    "Mentees in this programme": "本方案学生数",
    "Also show mentors at capacity": "同时显示名额已满的导师",
    "Suggested mentors": "推荐导师",
    # mentor home
    "Sessions due": "待指导学生",
    "Tasks to review": "待评阅任务",
    "Overdue tasks": "逾期任务",
    "My mentees (former ones read-only)": "我的学生（历任学生只读）",
    "Last session": "最近指导",
    "Task": "任务",
    "Submitted": "提交日期",
    "Due": "截止日期",
    "Double-click a line to open the student's mentors and timeline.": "双击一行可打开该学生的导师与指导时间线。",
    "Sessions due (no session in {n} days)": "待指导学生（{n} 天内未指导）",
    "never": "从未",
    "Choose a mentee in the list first.": "请先在列表中选择一名学生。",
    "{name} is a former mentee: their records are read-only.": "{name} 是您以前指导的学生：其记录只读。",
}

CONTEXT: dict[tuple[str, str], str] = {
    ("MentoringPage", "Assignments"): "指导任务",
    ("TimelineModel", "Assignment"): "任务",
    ("TimelineModel", "Date"): "日期",
    ("TimelineModel", "Status"): "状态",
    ("MentorDeskView", "Status"): "状态",
    ("MentorDeskView", "Role"): "导师类型",
    ("SuggestionPicker", "Staff no."): "工号",
    ("BulkAssignDialog", "Staff no."): "工号",
}
