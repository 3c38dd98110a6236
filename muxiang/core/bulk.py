"""Fast inserts for imports: many new rows in multi-row INSERT statements, without building a model
instance per row.

Django's ``bulk_create`` prepares every value of every instance through the field machinery; for a
100,000-row ledger that costs more than reading, checking and auditing the file together. Here each
column's conversion is chosen once, values go straight into ``INSERT … VALUES (…), (…) RETURNING``,
and only the new primary keys come back. Both SQLite (3.35+) and PostgreSQL support it.
"""

import operator
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.db.models.fields.json import JSONField

# Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters for ~20 columns.
ROWS_PER_STATEMENT = 1000


def _converter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """How one column's Python value becomes a database parameter; None means "as is"."""
    if isinstance(field, JSONField):
        # One encoder for every row (json.dumps(cls=…) would build one per value); DjangoJSONEncoder
        # writes dates and decimals as the audit trail's snapshots do.
        encode = (field.encoder or DjangoJSONEncoder)(ensure_ascii=False).encode
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return lambda value: None if value is None else Jsonb(value, dumps=encode)
        return lambda value: None if value is None else encode(value)
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else connection.ops.adapt_datefield_value(value)
    if isinstance(field, models.DecimalField):
        return lambda value: (
            None
            if value is None
            else connection.ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        )
    if isinstance(field, models.UUIDField | models.GenericIPAddressField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model, rows: list[dict], defaults: dict | None = None, returning: bool = True) -> list[int]:
    """Insert ``rows`` (dicts keyed by attribute name) as new records; return their primary keys in
    order. A column missing from a row takes ``defaults`` (the same for every row, such as the
    import's timestamp) or the field's default."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    converters = [_converter(f, connection) for f in fields]
    defaults = defaults or {}
    # Columns no row sets are constants: converted once. The others go through their converter per
    # row, and only where the column needs one.
    given = set().union(*(row.keys() for row in rows[:1000]))
    base = {}
    per_row = []
    for index, (field, convert) in enumerate(zip(fields, converters, strict=True)):
        value = defaults[field.attname] if field.attname in defaults else field.get_default()
        # As Django's own inserts: "" for text columns without a default, None for the rest.
        base[field.attname] = convert(value) if convert and field.attname not in given else value
        if convert and field.attname in given:
            per_row.append((index, convert))
    pick = operator.itemgetter(*names)

    def params_of(row):
        values = list(pick({**base, **row}))
        for index, convert in per_row:
            values[index] = convert(values[index])
        return values

    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One prepared statement for every row: SQLite's executemany loops in C, and Django
            # rewrites the placeholders of a statement once rather than once per 1,000 rows.
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {row_sql}", [params_of(r) for r in rows]
            )
            if not returning:
                return []
            # The rowids of one uninterrupted insert in a write transaction are consecutive.
            last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            return list(range(last - len(rows) + 1, last + 1))
        keys: list[int] = []
        pk_column = qn(model._meta.pk.column)
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            params: list = []
            for row in chunk:
                params.extend(params_of(row))
            values_sql = ", ".join([row_sql] * len(chunk))
            suffix = f" RETURNING {pk_column}" if returning else ""
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values_sql}{suffix}", params)
            if returning:
                keys.extend(pk for (pk,) in cursor.fetchall())
        return keys
