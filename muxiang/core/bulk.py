"""Fast inserts for imports: many new rows without building a model instance per row.

Django's ``bulk_create`` prepares every value of every instance through the field machinery; for a
100,000-row ledger that costs more than reading, checking and auditing the file together. Here each
column's conversion is chosen once, and the rows go to the database by its fastest path: one
prepared INSERT run by ``executemany`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL.
"""

import datetime
import json.encoder
import operator
from collections.abc import Callable
from itertools import repeat
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.models.fields.json import JSONField


class JSONText(str):
    """JSON already encoded (by ``json_encoder()``): a JSON column stores it as it is."""

    __slots__ = ()


def json_encoder() -> Callable[[Any], str]:
    """``DjangoJSONEncoder(ensure_ascii=False).encode``, the same text, for many values.

    ``JSONEncoder.encode`` builds a new C encoder for every value it encodes; here it is built once.
    Without the C accelerator, the encoder's own ``encode`` is used."""
    django_default = DjangoJSONEncoder().default

    def default(value):
        if type(value) is datetime.date:  # birth dates, the common case: as DjangoJSONEncoder has it
            return value.isoformat()
        return django_default(value)

    make = json.encoder.c_make_encoder
    encode_string = json.encoder.c_encode_basestring
    if make is None or encode_string is None:
        return DjangoJSONEncoder(ensure_ascii=False).encode
    # markers=None: no check for circular references, which row values cannot have.
    iterencode = make(None, default, encode_string, None, ": ", ", ", False, False, True)
    join = "".join

    def encode(value):
        if type(value) is str:
            return encode_string(value)
        return join(iterencode(value, 0))

    return encode


def _converter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """How one column's Python value becomes a database parameter; None means "as is"."""
    if isinstance(field, JSONField):
        # One encoder for every row (json.dumps(cls=…) would build one per value); DjangoJSONEncoder
        # writes dates and decimals as the audit trail's snapshots do.
        encoder_class = field.encoder or DjangoJSONEncoder
        plain_encode = (
            json_encoder() if encoder_class is DjangoJSONEncoder else encoder_class(ensure_ascii=False).encode
        )
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

            # COPY sends every value as text: already encoded JSON goes as it is.
            return lambda value: (
                None
                if value is None
                else str(value)
                if type(value) is JSONText
                else Jsonb(value, dumps=encode)
            )
        return lambda value: (
            None if value is None else str(value) if type(value) is JSONText else encode(value)
        )
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
    import's timestamp) or the field's default. The rollups the rows feed (``core.rollups``: the
    evidence marks of the records new evidence rows prove, a session's person-times …) are
    refreshed in the same transaction."""
    from muxiang.core import rollups

    if not rows:
        return []
    if not rollups.sources_of(model):
        return _insert_rows(model, rows, defaults, returning)
    with transaction.atomic(using=router.db_for_write(model)):
        pks = _insert_rows(model, rows, defaults, returning)
        rollups.touched(model, rows)
    return pks


def _insert_rows(model, rows: list[dict], defaults: dict | None, returning: bool) -> list[int]:
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = [_converter(f, connection) for f in fields]
    defaults = defaults or {}
    count = len(rows)
    # The parameters are assembled column by column (a list per column that rows set, a repeated
    # constant for the others) and zipped into rows in C: no merged dict and no list per row.
    layouts = {tuple(row) for row in rows}
    given = set().union(*layouts)
    uniform = len(layouts) == 1
    columns_of_values = []
    for field, convert in zip(fields, converters, strict=True):
        name = field.attname
        value = defaults[name] if name in defaults else field.get_default()
        # As Django's own inserts: "" for text columns without a default, None for the rest.
        if name not in given:
            columns_of_values.append(repeat(convert(value) if convert else value, count))
            continue
        if uniform:
            values = list(map(operator.itemgetter(name), rows))
        else:
            values = [row.get(name, value) for row in rows]
        columns_of_values.append(list(map(convert, values)) if convert else values)

    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One prepared statement for every row: SQLite's executemany loops in C, and Django
            # rewrites the placeholders of a statement once rather than once per 1,000 rows. (Runs of
            # 50-100 rows per statement were measured too: no faster here, where the indexes, the
            # foreign keys and the JSON checks dominate.)
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {row_sql}", zip(*columns_of_values, strict=True)
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
            write_row = copy.write_row
            for params in (
                zip(keys, *columns_of_values, strict=True)
                if returning
                else zip(*columns_of_values, strict=True)
            ):
                write_row(params)
        return keys


# --- audit entries of new rows, built by the database --------------------------------------------

_TEXT_FIELDS = (models.CharField, models.TextField)
_PLAIN_FIELDS = (models.IntegerField, models.ForeignKey, models.DateField, models.AutoField)


def _json_value_sql(field: models.Field, vendor: str) -> str | None:
    """The SQL for one column's value in a creation entry's "after", as the Python entries have it
    (empty text and empty lists left out, yes/no as JSON booleans); None for a type not handled."""
    column = "t." + field.column
    if isinstance(field, models.DecimalField):
        # DjangoJSONEncoder writes a decimal as its text with the field's places ("120.50").
        if vendor == "sqlite":
            # %% : the statement goes through Django's parameter substitution.
            return f"printf('%%.{field.decimal_places}f', {column})"
        return f"{column}::text"
    if isinstance(field, models.DateTimeField):
        return None  # its text differs between the database and DjangoJSONEncoder
    if isinstance(field, models.BooleanField):
        if vendor == "sqlite":
            return f"CASE {column} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END"
        return column
    if isinstance(field, JSONField):
        if vendor == "sqlite":
            return f"json(NULLIF({column}, '[]'))"
        return f"NULLIF({column}, '[]'::jsonb)"
    if isinstance(field, _TEXT_FIELDS):
        return f"NULLIF({column}, '')"
    if isinstance(field, _PLAIN_FIELDS):
        return column
    return None


def insert_creation_entries(
    model, attnames: list[str], pks: list[int], repr_attname: str | None, constants: dict
) -> bool:
    """Write one "create" audit entry per new row of ``model`` (``pks``), its "after" the stored
    values of ``attnames`` (and the id), built by the database in one ``INSERT … SELECT``: no
    Python work per row. ``constants`` are the entry's other columns, the same for every row.

    Returns False, writing nothing, where this cannot give the same entries as the Python path (a
    column type whose JSON text would differ, a database other than SQLite or PostgreSQL); the
    caller then builds the entries itself. Nested JSON objects lose their null members here
    (``json_patch`` / ``jsonb_strip_nulls``); ledger JSON columns hold lists."""
    from muxiang.core.models import ObjectChange

    if not pks:
        return True
    connection = connections[router.db_for_write(ObjectChange)]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql") or connections[router.db_for_write(model)] != connection:
        return False
    fields = {f.attname: f for f in model._meta.concrete_fields}
    pairs = []
    for name in attnames:
        field = fields.get(name)
        value_sql = _json_value_sql(field, vendor) if field is not None else None
        if value_sql is None:
            return False
        pairs.append(f"'{name}', {value_sql}")
    pairs.append(f"'id', t.{model._meta.pk.column}")
    qn = connection.ops.quote_name
    if repr_attname and repr_attname in fields:
        repr_sql = f"substr(CAST(t.{fields[repr_attname].column} AS TEXT), 1, 200)"
    else:
        repr_sql = f"CAST(t.{model._meta.pk.column} AS TEXT)"
    entry_fields = [
        f for f in ObjectChange._meta.concrete_fields if not f.primary_key and f.attname in constants
    ]
    params = [f.get_db_prep_save(constants[f.attname], connection) for f in entry_fields]
    constant_sql = ", ".join(["%s"] * len(entry_fields))
    table = qn(model._meta.db_table)
    if vendor == "sqlite":
        # json_patch onto {} drops the null members, as the Python entries leave out empty values.
        after_sql = "json_patch('{}', json_object(" + ", ".join(pairs) + "))"
        where = f"t.{model._meta.pk.column} BETWEEN %s AND %s"
        where_params = [min(pks), max(pks)]
    else:
        after_sql = "jsonb_strip_nulls(jsonb_build_object(" + ", ".join(pairs) + "))"
        where = f"t.{model._meta.pk.column} = ANY(%s)"
        where_params = [list(pks)]
    columns = ", ".join(qn(f.column) for f in entry_fields)
    sql = (
        f"INSERT INTO {qn(ObjectChange._meta.db_table)} ({columns}, object_id, object_repr, after) "
        f"SELECT {constant_sql}, t.{model._meta.pk.column}, {repr_sql}, {after_sql} "
        f"FROM {table} t WHERE {where} ORDER BY t.{model._meta.pk.column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        written = cursor.rowcount
    if written != len(pks):
        # The id range held rows of someone else (it cannot within one SQLite write transaction);
        # never leave a half-written trail: the caller's transaction is rolled back.
        raise RuntimeError(f"audit entries for {written} rows, expected {len(pks)}")
    return True


def creation_entries(rows: list[dict], pks: list[int], repr_attname: str | None) -> list[dict]:
    """One audit entry per created row, its "after" the values the row stored (empty ones left out),
    encoded here by one encoder built once: the same text DjangoJSONEncoder writes."""
    encode = json_encoder()
    entries = []
    append = entries.append
    for row, pk in zip(rows, pks, strict=True):
        after = {
            name: value
            for name, value in row.items()
            if value or (value is not None and value != "" and value != [])
        }
        after["id"] = pk
        append(
            {
                "object_id": pk,
                "object_repr": str(row.get(repr_attname, pk) if repr_attname else pk)[:200],
                "after": JSONText(encode(after)),
            }
        )
    return entries


def insert_audited_rows(
    model, rows: list[dict], message: str, repr_attname: str | None = None, now=None
) -> list[int]:
    """Insert new ``rows`` (dicts keyed by attribute name) of a ``SoftDeleteModel`` with
    ``insert_rows`` and one "create" audit entry each, in the current audit context (an import, the
    demo); return their primary keys. The entries' "after" is built by the database from the rows
    just inserted where it can (``insert_creation_entries``: no Python work per row), else here."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from muxiang.core import audit
    from muxiang.core.choices import ChangeAction
    from muxiang.core.models import ObjectChange

    if not rows:
        return []
    now = now or timezone.now()
    pks = insert_rows(model, rows, defaults={"created_at": now, "updated_at": now})
    ctx = audit.current_context()
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    constants = {
        "time": now,
        "user_id": user.pk if user else None,
        "user_name": user.get_username() if user else ctx.source,
        "request_id": ctx.request_id,
        "remote_addr": ctx.remote_addr,
        "source": ctx.source,
        "action": ChangeAction.CREATE,
        "content_type_id": ContentType.objects.get_for_model(model).pk,
        "before": None,
        "message": message[:300],
    }
    first = rows[0].keys()
    uniform = all(row.keys() == first for row in rows)
    if not uniform or not insert_creation_entries(model, list(first), pks, repr_attname, constants):
        insert_rows(
            ObjectChange, creation_entries(rows, pks, repr_attname), defaults=constants, returning=False
        )
    return pks
