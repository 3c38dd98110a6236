"""The code format: 16 Crockford base-32 characters whose last one catches every single mistyped
character and every swap of two adjacent characters — checked exhaustively on a sample of codes."""

import itertools
import random

from muxiang.trace import codes

SAMPLE = codes.generate(300)


def test_codes_are_sixteen_crockford_characters_with_a_valid_check():
    for code in SAMPLE:
        assert len(code) == 16
        assert set(code) <= set(codes.ALPHABET)
        assert codes.is_valid(code)


def test_the_bulk_check_agrees_with_the_character_by_character_check():
    for code in SAMPLE:
        assert codes.check_character(code[:15]) == code[15]


def test_every_single_mistyped_character_is_caught():
    for code in SAMPLE:
        for position, wrong in itertools.product(range(16), codes.ALPHABET):
            if wrong != code[position]:
                typo = code[:position] + wrong + code[position + 1 :]
                assert not codes.is_valid(typo), (code, typo)


def test_every_swap_of_two_adjacent_characters_is_caught():
    for code in SAMPLE:
        for position in range(15):
            a, b = code[position], code[position + 1]
            if a != b:
                swapped = code[:position] + b + a + code[position + 2 :]
                assert not codes.is_valid(swapped), (code, swapped)


def test_a_million_codes_drawn_at_random_do_not_repeat_or_run_in_sequence():
    drawn = codes.generate(100_000)
    assert len(set(drawn)) == len(drawn)
    # Consecutive codes share no more than chance: on average 15/32 of a character.
    shared = sum(a[i] == b[i] for a, b in itertools.pairwise(drawn[:2000]) for i in range(15))
    assert shared < 2000 * 1.5


def test_what_people_type_is_understood():
    code = random.choice(SAMPLE)
    typed = codes.grouped(code).lower().replace("0", "o").replace("1", "l")
    assert codes.normalise(typed) == code
    assert codes.grouped(code).count("-") == 3
    assert not codes.is_valid("SHORT")
    assert not codes.is_valid("U" * 16)  # U is not in the alphabet
