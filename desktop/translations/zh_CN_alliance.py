"""Simplified Chinese of the 学分互认 page and the recognised-credits panel (source text -> 中文)."""

ZH: dict[str, str] = {
    "Approve selected…": "批量通过…",
    "Reject selected…": "批量驳回…",
    "Approve selected": "批量通过",
    "Reject selected": "批量驳回",
    "Select the requests in the queue first (Ctrl or Shift + click).":
        "请先在队列中选择申请（按住 Ctrl 或 Shift 点击）。",
    "Approve the {n} selected requests, each as its proposal says (the programme's cap and the double-counting "
    "checks apply one after the other)?":
        "按各自的建议通过所选的 {n} 条申请？（互认学分上限和重复认定检查逐条依次进行）",
    "Reject the {n} selected requests with this reason?": "以下列理由驳回所选的 {n} 条申请？",
    "{n} requests were decided.": "已审核 {n} 条申请。",
    # sidebar, tabs, lists
    "Alliance": "学分互认",
    "Transfer requests": "互认申请",
    "Universities and agreements": "联盟高校与协议",
    "Catalogues": "外校课程目录",
    "Rules and versions": "互认规则与版本",
    "Credit transfer requests": "学分互认申请",
    "Alliance universities": "联盟高校",
    "External courses": "外校课程",
    "Equivalence rules": "互认规则",
    "Grading scale…": "评分制…",
    "Grading scale of {name}": "{name}的评分制",
    "e.g. A=95, B=85, C=75, D=65, F=50; blank: 0–100 and 优/良/中/及格": (
        "如 A=95, B=85, C=75, D=65, F=50；留空：百分制及 优/良/中/及格"
    ),
    "Export visiting students…": "导出访学生成绩…",
    "Export visiting students": "导出访学生成绩",
    "{name} visiting students.xlsx": "{name}访学生成绩.xlsx",
    "Exporting…": "正在导出…",
    "{n} courses written to {path}": "已将 {n} 门课程写入 {path}",
    "Retire…": "停用…",
    "Approve rule {key} version {revision}? An approved rule is never edited again.": (
        "批准规则 {key} 第 {revision} 版？批准后不能再修改，只能新建版本。"
    ),
    "Retire rule {key} version {revision}? Requests of the terms it covered keep it; it ends after {term}.": (
        "停用规则 {key} 第 {revision} 版？此前所覆盖学期的申请仍沿用该版本；规则于 {term} 之后失效。"
    ),
    "{key} version {revision}": "{key} 第 {revision} 版",
    "New version of rule {title}": "为规则 {title} 新建版本",
    # the decision pane
    "Select a request to see its proposal.": "选择一条申请以查看建议的认定结果。",
    "Student": "学生",
    "Course taken": "所修课程",
    "Score": "成绩",
    "Rule": "规则",
    "Recognised as": "认定为",
    "Credits": "学分",
    "Recognised so far": "已认定学分",
    "Approve": "通过",
    "Approve in part…": "部分通过…",
    "Approve in part": "部分通过",
    "Reject…": "驳回…",
    "Reject": "驳回",
    "Credit transfer": "学分互认",
    "Request {id} · {status}": "申请 {id} · {status}",
    "{n} hours": "{n} 学时",
    "{university} {code} {name}, {credits} credits {hours}, term {term}": (
        "{university} {code} {name}，{credits} 学分 {hours}，{term} 学期"
    ),
    "{key} version {revision} ({kind})": "{key} 第 {revision} 版（{kind}）",
    "together with {parts}": "与 {parts} 合并认定",
    "{grantable} of {credits}": "{credits} 中的 {grantable}",
    "{granted} granted of {credits} proposed": "建议 {credits}，认定 {granted}",
    "no cap": "无上限",
    "cap {cap}": "上限 {cap}",
    "{n} credits ({cap})": "{n} 学分（{cap}）",
    "Proposed: {outcome}": "建议：{outcome}",
    "Decided on {day} by {user}": "{day} 由 {user} 审核",
    "target {target:.0f}% ± {tol:.0f} points": "目标 {target:.0f}% ± {tol:.0f} 个百分点",
    "Foundation share {before} → {after} if approved ({band})": "通过后基础课占比 {before} → {after}（{band}）",
    "Foundation share now {share} ({band})": "当前基础课占比 {share}（{band}）",
    "Foundation {f:g} · industry {i:g} credits earned": "已获基础课 {f:g} 学分 · 产业课 {i:g} 学分",
    "Approve {credits} credits for {student}: {target}?": "为 {student} 认定 {credits} 学分：{target}？",
    "Credits to grant": "认定学分",
    "Reason": "理由",
    # the student's recognised credits
    "Recognised credits": "互认学分",
    "University": "联盟高校",
    "External course": "外校课程",
    "Term": "学期",
    "Category": "课程类别",
    "Local course": "本校课程",
    "Decided on": "审核日期",
    "{n} credits recognised ({cap}), {pending} pending; foundation share {share} (foundation {f:g} · industry {i:g})": (
        "已认定 {n} 学分（{cap}），待审 {pending} 条；基础课占比 {share}（基础 {f:g} · 产业 {i:g}）"
    ),
}

# The same words mean other things on other pages (学生数, 建议学期 …): pin them in this page's contexts.
_CONTEXTS = ("AlliancePage", "TransferPane", "DecisionDialog", "AllianceRecordDialog", "RecognisedModel",
             "RecognisedPanel")
CONTEXT: dict[tuple[str, str], str] = {(c, k): v for c in _CONTEXTS for k, v in ZH.items()}
CONTEXT[("AlliancePage", "Approve")] = "批准"  # a rule is approved (已批准); a request is passed (通过)
CONTEXT[("Sidebar", "Alliance")] = "学分互认"
CONTEXT[("StudentPanels", "Recognised credits")] = "互认学分"
