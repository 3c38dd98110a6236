"""The trace code: 15 random Crockford base-32 characters and one check character (16 in all).

15 characters carry 75 random bits from ``os.urandom``: guessing one live code among ten million
takes about 3·10^15 tries on average, and codes issued one after another share nothing. The
alphabet is Crockford's (``0-9`` and ``A-Z`` without ``I L O U``): upper case only, so that the
printed URL ``HTTPS://HOST/T/<CODE>`` fits a QR code's alphanumeric mode (smaller modules at the
same label size), and a reader who types ``O`` for ``0`` or ``l`` for ``1`` is understood.

The check character is a Damm check over GF(32): reading the characters left to right, the
interim value becomes ``a·interim + c`` (``a`` = the field element ``x``, modulus ``x⁵+x²+1``) and the
check character brings it back to 0. Because ``a ≠ 0`` and ``a + 1 ≠ 0``, every single mistyped
character and every swap of two adjacent characters (the check character included) changes the
result: both error kinds are caught, always. The check is linear over GF(2), so each of its five
bits is the parity of the 75-bit number under a fixed mask: computed with ``int.bit_count`` rather
than a loop over the characters, which keeps a million codes cheap.
"""

import os

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 15
LENGTH = DATA_LENGTH + 1
VALUES = {char: value for value, char in enumerate(ALPHABET)}
# What a person may type for a character (Crockford): lower case, O for 0, I and L for 1.
ALIASES = {"O": "0", "I": "1", "L": "1"}
_POLY = 0b100101  # x⁵ + x² + 1, irreducible over GF(2)


def _times_x(value: int) -> int:
    value <<= 1
    return value ^ _POLY if value & 0b100000 else value


def _times(value: int, power: int) -> int:
    for _ in range(power):
        value = _times_x(value)
    return value


def _masks() -> list[int]:
    """For each of the 5 bits of the check value, the mask of the bits of the 75-bit number whose
    parity gives it. The check value is ``Σ dᵢ·a^(16-i)`` over the characters (i from 1), i.e. the
    linear map from the number's bits to GF(32); each of the 75 bits contributes one column."""
    masks = [0] * 5
    for position in range(DATA_LENGTH):  # 0 = first (most significant) character
        power = DATA_LENGTH - position  # the check is a·interim after the last character
        for bit in range(5):
            column = _times(1 << bit, power)
            shift = (DATA_LENGTH - 1 - position) * 5 + bit
            for out in range(5):
                if column >> out & 1:
                    masks[out] |= 1 << shift
    return masks


_MASKS = _masks()


def check_value(number: int) -> int:
    """The check value of the 75-bit number of a code's 15 data characters."""
    m0, m1, m2, m3, m4 = _MASKS
    return (
        ((number & m0).bit_count() & 1)
        | ((number & m1).bit_count() & 1) << 1
        | ((number & m2).bit_count() & 1) << 2
        | ((number & m3).bit_count() & 1) << 3
        | ((number & m4).bit_count() & 1) << 4
    )


def check_character(data: str) -> str:
    """The check character of 15 data characters (slow path: one code)."""
    interim = 0
    for char in data:
        interim = _times_x(interim) ^ VALUES[char]
    return ALPHABET[_times_x(interim)]


def _chunk_tables() -> tuple[list[str], list[list[int]]]:
    """The 75 bits are cut into five 15-bit chunks (three characters each): the characters of a
    chunk value, and for each chunk position the check value it contributes (the check is linear,
    so the code's check value is the XOR of its chunks' contributions)."""
    text = [ALPHABET[v >> 10] + ALPHABET[(v >> 5) & 31] + ALPHABET[v & 31] for v in range(1 << 15)]
    contributions = [[check_value(v << (15 * (4 - k))) for v in range(1 << 15)] for k in range(5)]
    return text, contributions


_CHUNK_TEXT: list[str] = []
_CHUNK_CHECK: list[list[int]] = []


def generate(count: int) -> list[str]:
    """``count`` new random codes: 10 random bytes per code, of which the first 75 bits are kept."""
    if count <= 0:
        return []
    if not _CHUNK_TEXT:
        text, contributions = _chunk_tables()
        _CHUNK_TEXT.extend(text)
        _CHUNK_CHECK.extend(contributions)
    chars, (c0, c1, c2, c3, c4) = _CHUNK_TEXT, _CHUNK_CHECK
    alphabet = ALPHABET
    raw = os.urandom(10 * count)
    from_bytes = int.from_bytes
    mask = 0x7FFF
    codes = []
    append = codes.append
    for offset in range(0, 10 * count, 10):
        number = from_bytes(raw[offset : offset + 10], "big") >> 5
        a, b, c, d, e = (
            number >> 60,
            number >> 45 & mask,
            number >> 30 & mask,
            number >> 15 & mask,
            number & mask,
        )
        append(
            chars[a]
            + chars[b]
            + chars[c]
            + chars[d]
            + chars[e]
            + alphabet[c0[a] ^ c1[b] ^ c2[c] ^ c3[d] ^ c4[e]]
        )
    return codes


def normalise(text: str) -> str:
    """A code as typed or scanned, in its canonical form: upper case, aliases resolved, hyphens and
    spaces (people group characters as they read them) dropped."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in "- ")
    return "".join(ALIASES.get(ch, ch) for ch in cleaned)


def is_valid(code: str) -> bool:
    """Whether ``code`` (canonical) is 16 characters of the alphabet with the right check character."""
    if len(code) != LENGTH or any(ch not in VALUES for ch in code):
        return False
    return check_character(code[:DATA_LENGTH]) == code[DATA_LENGTH]


def grouped(code: str) -> str:
    """How a code is printed for people: four groups of four (``7KQ2-M9XD-…``)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
