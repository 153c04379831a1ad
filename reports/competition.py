"""Excel exports of the competition pipeline (Qt-free): a round's ranking and a season's funnel.

Headers in the current language (db.i18n), a frozen header row, numbers kept as numbers, and text
always stored as text (forms.xlsx never writes a formula from a user's string).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from db.competition import Funnel, RankLine, RoundLine
from db.i18n import t
from db.labels import label
from forms.xlsx import cell, header_cells, set_widths


def export_ranking(rnd: RoundLine, lines: Sequence[RankLine], path: Path | str, normalised: bool) -> Path:
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("Ranking"))
    method = t("the mean of per-judge z-scores") if normalised else t("the weighted mean")
    ws.append([cell(ws, t("Round {name} of season {year}; ranked by {method}.", name=rnd.name, year=rnd.season_year,
                          method=method))])
    titles = [t("Rank"), t("Project code"), t("Project title"), t("Track"), t("Stage"), t("Score (0–100)")]
    if normalised:
        titles.append(t("Normalised (z)"))
    titles += [t("Judges scored"), t("Judges assigned"), t("Left out (conflict)"), t("Spread")]
    ws.append(header_cells(ws, titles))
    for x in lines:
        row = [x.rank, x.code, x.title, x.track, label(x.stage), None if x.mean is None else round(x.mean, 2)]
        if normalised:
            row.append(None if x.z is None else round(x.z, 4))
        row += [x.judges_scored, x.judges_assigned, x.excluded, None if x.spread is None else round(x.spread, 2)]
        ws.append([cell(ws, v) for v in row])
    set_widths(ws, [8, 16, 36, 16, 12, 14] + ([14] if normalised else []) + [12, 12, 12, 10])
    ws.freeze_panes = "A3"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def export_funnel(f: Funnel, path: Path | str) -> Path:
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("Funnel"))
    ws.append([cell(ws, t("{name}: {projects} of {target_projects} projects, {companies} of {target_companies} "
                          "companies on {on}.", name=f.name, projects=f.projects, target_projects=f.target_projects,
                          companies=f.companies, target_companies=f.target_companies, on=f.on.isoformat()))])
    ws.append(header_cells(ws, [t("Stage"), t("Projects now"), t("Reached"), t("Conversion")]))
    for s in f.stages:
        ws.append([cell(ws, label(s.stage)), cell(ws, s.current), cell(ws, s.reached),
                   cell(ws, None if s.conversion is None else round(s.conversion, 4), number_format="0.0%")])
    ws.append([cell(ws, t("Dropped")), cell(ws, f.dropped), cell(ws, None), cell(ws, None)])
    set_widths(ws, [16, 14, 14, 12])
    ws.freeze_panes = "A3"
    pace = wb.create_sheet(t("Pace"))
    pace.append(header_cells(pace, [t("Quarter"), t("Planned projects (cumulative)"), t("Actual projects (cumulative)"),
                                    t("Projects needed this quarter"), t("Planned companies (cumulative)"),
                                    t("Actual companies (cumulative)"), t("Companies needed this quarter")]))
    for q in f.pace:
        pace.append([cell(pace, v) for v in (f"{f.year}Q{q.quarter}", q.planned_projects, q.actual_projects,
                                             q.needed_projects, q.planned_companies, q.actual_companies,
                                             q.needed_companies)])
    set_widths(pace, [10, 18, 18, 18, 18, 18, 18])
    pace.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
