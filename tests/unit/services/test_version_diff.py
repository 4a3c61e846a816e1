"""Word-level changes between two versions of a document's text, grouped by paragraph."""

from __future__ import annotations

import time

import pytest

from governance.services.version_diff import Change, Mark, Piece, TextDiff, word_diff, word_pieces

KEPT, INSERTED, DELETED = Mark.KEPT, Mark.INSERTED, Mark.DELETED


def shown(diff: TextDiff) -> list[tuple[int, Change, list[tuple[Mark, str]]]]:
    return [(p.number, p.change, [(piece.mark, piece.text) for piece in p.pieces]) for p in diff.paragraphs]


@pytest.mark.parametrize(
    ("old", "new", "pieces"),
    [
        pytest.param(
            "Payments are made monthly.",
            "Payments are made quarterly.",
            [(KEPT, "Payments are made"), (DELETED, "monthly."), (INSERTED, "quarterly.")],
            id="a replaced word shows as the old word deleted, then the new one inserted",
        ),
        pytest.param(
            "The term is two years.",
            "The term is two full years.",
            [(KEPT, "The term is two"), (INSERTED, "full"), (KEPT, "years.")],
            id="an inserted word sits between the words kept either side",
        ),
        pytest.param(
            "The term is two full years.",
            "The term is two years.",
            [(KEPT, "The term is two"), (DELETED, "full"), (KEPT, "years.")],
            id="a deleted word sits between the words kept either side",
        ),
        pytest.param(
            "a b c",
            "a b c",
            [(KEPT, "a b c")],
            id="the same words are all kept",
        ),
    ],
)
def test_word_pieces(old: str, new: str, pieces: list[tuple[Mark, str]]) -> None:
    assert [(p.mark, p.text) for p in word_pieces(old, new)] == pieces


@pytest.mark.parametrize(
    ("old", "new", "expected", "counts"),
    [
        pytest.param(
            "One.\n\nTwo.",
            "One.\n\nTwo.\n\nThree.",
            [(3, Change.ADDED, [(INSERTED, "Three.")])],
            (1, 0, 0),
            id="a new paragraph at the end is added and the others are not shown",
        ),
        pytest.param(
            "One.\n\nTwo.\n\nThree.",
            "One.\n\nThree.",
            [(2, Change.REMOVED, [(DELETED, "Two.")])],
            (0, 1, 0),
            id="a paragraph taken out is removed, numbered as it was in the old text",
        ),
        pytest.param(
            "Intro.\n\nPayments are made monthly in arrears.",
            "Intro.\n\nPayments are made quarterly in arrears.",
            [
                (
                    2,
                    Change.CHANGED,
                    [
                        (KEPT, "Payments are made"),
                        (DELETED, "monthly"),
                        (INSERTED, "quarterly"),
                        (KEPT, "in arrears."),
                    ],
                )
            ],
            (0, 0, 1),
            id="a paragraph with one word changed is one paragraph changed, word by word",
        ),
        pytest.param(
            "The term runs for two years from April.\n\nPayments are quarterly in arrears.",
            "A new opening paragraph about scope.\n\nThe term runs for three years from April.\n\n"
            "Payments are quarterly in arrears, on invoice.",
            [
                (1, Change.ADDED, [(INSERTED, "A new opening paragraph about scope.")]),
                (
                    2,
                    Change.CHANGED,
                    [
                        (KEPT, "The term runs for"),
                        (DELETED, "two"),
                        (INSERTED, "three"),
                        (KEPT, "years from April."),
                    ],
                ),
                (
                    3,
                    Change.CHANGED,
                    [
                        (KEPT, "Payments are quarterly in"),
                        (DELETED, "arrears."),
                        (INSERTED, "arrears, on invoice."),
                    ],
                ),
            ],
            (1, 0, 2),
            id="a paragraph added before two changed ones pairs each old paragraph with the one alike it",
        ),
        pytest.param(
            "Same words\nwrapped   differently.",
            "Same words wrapped\ndifferently.",
            [],
            (0, 0, 0),
            id="line breaks and spaces inside a paragraph are not a change",
        ),
        pytest.param(
            "Windows line endings.\r\n\r\nThe second paragraph.",
            "Windows line endings.\n\nThe second paragraph, edited.",
            [
                (
                    2,
                    Change.CHANGED,
                    [(KEPT, "The second"), (DELETED, "paragraph."), (INSERTED, "paragraph, edited.")],
                )
            ],
            (0, 0, 1),
            id="windows line endings separate paragraphs too",
        ),
    ],
)
def test_word_diff(
    old: str,
    new: str,
    expected: list[tuple[int, Change, list[tuple[Mark, str]]]],
    counts: tuple[int, int, int],
) -> None:
    diff = word_diff(old, new)
    assert shown(diff) == expected
    assert (diff.added, diff.removed, diff.changed) == counts


def test_a_paragraph_unlike_any_other_is_removed_and_its_replacement_added() -> None:
    diff = word_diff("Completely different words here.", "Nothing in common at all now.")
    assert [p.change for p in diff.paragraphs] == [Change.REMOVED, Change.ADDED]


def test_markup_in_the_text_is_kept_as_text_for_the_page_to_escape() -> None:
    diff = word_diff("Safe.", "Safe. <script>alert(1)</script>")
    assert diff.paragraphs[0].pieces[-1] == Piece(INSERTED, "<script>alert(1)</script>")


def test_texts_longer_than_the_cap_are_counted_but_not_shown_word_by_word() -> None:
    old = "\n\n".join(f"Paragraph {n} of the agreement." for n in range(100))
    new = old.replace("Paragraph 7 of", "Paragraph seven of")
    diff = word_diff(old, new, most_characters=1000)
    assert diff.too_long
    assert diff.paragraphs == ()
    assert (diff.added, diff.removed, diff.changed) == (0, 0, 1)
    assert diff.characters == (len(old), len(new))


def test_the_same_text_is_the_same_text() -> None:
    assert word_diff("One.\n\nTwo.", "One.\n\nTwo.").same_text


def test_a_whole_document_rewritten_just_under_the_cap_is_compared_paragraph_by_paragraph_in_a_second() -> (
    None
):
    old = "\n\n".join(" ".join(f"w{n}x{k}" for k in range(60)) for n in range(400))
    new = "\n\n".join(" ".join(f"v{n}y{k}" for k in range(60)) for n in range(400))
    assert len(old) < 200_000
    started = time.perf_counter()
    diff = word_diff(old, new)
    assert time.perf_counter() - started < 1.0
    assert (diff.added, diff.removed, diff.changed) == (0, 0, 400)
    assert [p.number for p in diff.paragraphs] == list(range(1, 401))
