"""Fast inserts for imports: many new rows without building a model instance per row.

Django's ``bulk_create`` prepares every value of every instance through the field machinery; for a
100,000-row ledger that costs more than reading, checking and auditing the file together. Here each
column's conversion is chosen once, and the rows go to the database by its fastest path: one
prepared INSERT run by ``executemany`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL.
"""

import operator
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.db.models.fields.json import JSONField


def _converter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """How one column's Python value becomes a database parameter; None means "as is"."""
    if isinstance(field, JSONField):
        # One encoder for every row (json.dumps(cls=…) would build one per value); DjangoJSONEncoder
        # writes dates and decimals as the audit trail's snapshots do.
        plain_encode = (field.encoder or DjangoJSONEncoder)(ensure_ascii=False).encode
        memo: dict = {}

        def encode(value):
            # Lists of choices repeat across rows (["trainee"]): encode each distinct one once.
            if type(value) is list and len(value) < 8:
                key = tuple(value)
                try:
                    return memo[key]
                except (KeyError, TypeError):
                    text = plain_encode(value)
                    if len(memo) < 4096:
                        try:
                            memo[key] = text
                        except TypeError:  # unhashable items
                            pass
                    return text
            return plain_encode(value)

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
        # PostgreSQL: COPY, the server's bulk-load path. New ids are drawn from the table's
        # sequence first, so they are known in row order without RETURNING.
        keys: list[int] = []
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            keys = [pk for (pk,) in cursor.fetchall()]
            columns = f"{qn(model._meta.pk.column)}, {columns}"
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            if returning:
                for pk, row in zip(keys, rows, strict=True):
                    copy.write_row([pk, *params_of(row)])
            else:
                for row in rows:
                    copy.write_row(params_of(row))
        return keys
