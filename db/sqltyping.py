"""Names for annotations: a SELECT of any columns (SQLAlchemy 2.1 types a statement by its columns), and a
column of a list (a mapped attribute such as Student.name, or any SQL expression)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import QueryableAttribute
    from typing_extensions import Unpack

    AnySelect: TypeAlias = Select[Unpack[tuple[Any, ...]]]
    ColumnExpr: TypeAlias = ColumnElement[Any] | QueryableAttribute[Any]
else:  # at run time they only name annotations (every module postpones their evaluation)
    AnySelect = Select
    ColumnExpr = Any
