"""Simplified Chinese for the curriculum page, the what-if and the student's curriculum panel
(English source -> 中文); see update.py."""

ZH: dict[str, str] = {
    # balance words
    "{lo:.0f}%–{hi:.0f}%": "{lo:.0f}%–{hi:.0f}%",
    "no credits yet": "尚无学分",
    "Foundation {f:g} credits · industry {i:g} credits · foundation share {share} (band {band}, {verdict})": (
        "基础课 {f:g} 学分 · 产业课 {i:g} 学分 · 基础课占比 {share}（目标范围 {band}，{verdict}）"
    ),
    "other {o:g} credits": "其他 {o:g} 学分",
    "Foundation credits: {before:g} → {after:g}": "基础课学分：{before:g} → {after:g}",
    "Industry credits: {before:g} → {after:g}": "产业课学分：{before:g} → {after:g}",
    "Foundation share: {before} → {after} (band {band})": "基础课占比：{before} → {after}（目标范围 {band}）",
    "Balance: {before} → {after}": "平衡状态：{before} → {after}",
    "Warning: this change takes the balance out of the band.": "注意：此项修改会使课程占比超出目标范围。",
    "This change brings the balance back into the band.": "此项修改会使课程占比回到目标范围内。",
    # plan editor
    "What-if…": "模拟调整…",
    "Try changes to this plan and see the balance, without saving": "试着调整此课程计划并查看占比变化，不会保存",
    "Choose a course to add…": "选择要加入的课程…",
    "What-if — {action}: foundation share {before} → {after} ({verdict})": (
        "模拟 — {action}：基础课占比 {before} → {after}（{verdict}）"
    ),
    "add {code}": "加入 {code}",
    "remove {code}": "移出 {code}",
    "Add {code} to the plan?": "要把 {code} 加入此课程计划吗？",
    "Import plans…": "导入课程计划…",
    # what-if dialog
    "What-if: plan balance": "模拟调整：课程计划占比",
    "Nothing here is saved: try changes and compare the balance before and after.": (
        "此处的任何调整都不会保存：可以尝试修改，并对比修改前后的课程占比。"
    ),
    "Changes tried": "已尝试的调整",
    "Start again": "重新开始",
    "What-if for {code} {name}": "{code} {name} 的模拟调整",
    " (in plan)": "（已在方案中）",
    "Add {code}": "加入 {code}",
    "Remove {code}": "移出 {code}",
    "Change {code}: {credits:g} credits, {category}": "修改 {code}：{credits:g} 学分，{category}",
    # course and enrolment dialogs
    "This course is in {n} plan(s). Their balance before → after:":
        "此课程属于 {n} 个培养方案，修改前 → 修改后的占比：",
    "The student's earned credits as of {day}, before → after:": "该学生截至 {day} 的已获学分，修改前 → 修改后：",
    # balance tab
    "not yet (< 10)": "未满 10 学分",
    "Only students out of band (≥ 10 credits)": "只看超出范围的学生（已满 10 学分）",
    "Active students only": "只看在读学生",
    "Student no. or name…": "学号或姓名…",
    "Export balance tables…": "导出平衡表…",
    "Cohorts: credits passed by each cohort's students": "年级：各年级学生已通过的课程学分",
    "Students: earned credits (recognised credits included)": "学生：已获学分（含互认学分）",
    "{n} students; {judged} with at least 10 credits, of whom {out} are out of band. Showing {shown}.": (
        "共 {n} 名学生，其中 {judged} 名已满 10 学分，{out} 名超出范围。当前显示 {shown} 名。"
    ),
    "Export balance tables": "导出平衡表",
    "balance-{day}.xlsx": "课程平衡-{day}.xlsx",
    "Saved the balance tables to {path}.": "已把平衡表保存到 {path}。",
    "Exporting the balance tables…": "正在导出平衡表…",
    # page
    "Cohort and student balance": "年级与学生平衡",
    "Delete the enrolment of {student} {name} in {course} ({term})?":
        "要删除 {student} {name} 在 {term} 学期的 {course} 选课记录吗？",
    # student panel
    "not passed": "未通过",
    "in progress": "在修",
    "No (outside the plan)": "否（方案外课程）",
    "Courses and balance": "课程与学分平衡",
    "Recognised credits (alliance universities)": "互认学分（联盟高校）",
    "As of {day}: {line} · other {o:g} credits": "截至 {day}：{line} · 其他 {o:g} 学分",
    "Out of band: the foundation share {share} is outside {programme}'s band {band}.": (
        "超出范围：基础课占比 {share} 不在 {programme} 的目标范围 {band} 内。"
    ),
    "Not judged yet: {n:g} foundation and industry credits, fewer than 10.":
        "暂不判定：基础课与产业课合计 {n:g} 学分，不足 10 学分。",
    "Recognised credits (alliance universities): {n:g} credits": "互认学分（联盟高校）：共 {n:g} 学分",
    # import confirmation
    "… and {n} more.": "……另有 {n} 条。",
}

# Short words other pages translate differently (学生 in the sidebar, 学生数 in a table header)
# are set for this page's contexts only.
CONTEXT: dict[tuple[str, str], str] = {
    ("Curriculum", "Foundation credits"): "基础课学分",
    ("Curriculum", "Industry credits"): "产业课学分",
    ("Curriculum", "Other credits"): "其他学分",
    ("Curriculum", "Foundation share"): "基础课占比",
    ("Curriculum", "Balance"): "平衡状态",
    ("Curriculum", "Before"): "修改前",
    ("Curriculum", "After"): "修改后",
    ("Curriculum", "Band"): "目标范围",
    ("Curriculum", "In band"): "是否在范围内",
    ("Curriculum", "Programme"): "培养方案",
    ("Curriculum", "Programme name"): "方案名称",
    ("Curriculum", "Cohort"): "年级",
    ("Curriculum", "Students"): "学生数",
    ("Curriculum", "Student no."): "学号",
    ("Curriculum", "Name"): "姓名",
    ("Curriculum", "Status"): "学籍状态",
    ("Curriculum", "Judged"): "是否已满 10 学分",
    ("WhatIfDialog", "Add"): "加入",
    ("WhatIfDialog", "Remove"): "移出",
    ("WhatIfDialog", "Change"): "修改",
    ("CurriculumPage", "Enrolments"): "选课成绩",
    ("CurriculumPage", "Delete"): "删除",
    ("EnrolmentLinesModel", "Score"): "成绩",
    ("EnrolmentLinesModel", "Counts from"): "计入日期",
    ("EnrolmentLinesModel", "In plan"): "方案内",
    ("StudentRecognisedModel", "University"): "联盟高校",
    ("StudentRecognisedModel", "External course"): "外校课程",
    ("StudentRecognisedModel", "Original score"): "原始成绩",
    ("StudentRecognisedModel", "Counts as"): "认定为",
    ("StudentRecognisedModel", "Decided on"): "审核日期",
    ("BalanceTab", "As of"): "截至",
    ("CourseDialog", "Save?"): "确定保存吗？",
    ("EnrolmentDialog", "Save?"): "确定保存吗？",
    ("PlanModel", "Term"): "建议学期",
    ("BalanceTab", "Balance"): "课程平衡",
    ("EnrolmentLinesModel", "Term"): "学期",
    ("StudentRecognisedModel", "Term"): "学期",
}
