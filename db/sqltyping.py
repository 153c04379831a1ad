"""Names for annotations only: a SELECT of any columns (SQLAlchemy 2.1 types a statement by its columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy import Select
    from typing_extensions import Unpack

    AnySelect: TypeAlias = Select[Unpack[tuple[Any, ...]]]
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import QueryableAttribute

    # a column of a list, or an expression over columns: a mapped attribute (Student.name) or any SQL expression
    ColumnExpr: TypeAlias = ColumnElement[Any] | QueryableAttribute[Any]
