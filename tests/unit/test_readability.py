"""Reading level: textstat's formulas on the words a patient reads, per language."""

from __future__ import annotations

from healthsite.content.readability import measure, prose

EASY = (
    "Lie on your back. Bend your knees. Lift your hips a little. Hold for three breaths. "
    "Lower your hips slowly. Rest, then do it again. Stop if it hurts."
)
HARD = (
    "Consolidated, uninterrupted nocturnal sleep facilitates musculoskeletal recuperation, "
    "particularly when individuals experiencing persistent lumbar discomfort systematically "
    "implement ergonomically appropriate positioning and individualised interventions."
)


def test_plain_english_scores_low_and_hard_english_high() -> None:
    easy, hard = measure([(1, EASY)], "en"), measure([(5, HARD * 2)], "en")
    assert easy is not None and hard is not None
    assert easy.formula == "Flesch-Kincaid grade" and easy.grade < 4 < 14 < hard.grade
    assert hard.longest[0].line == 5 and hard.longest[0].words > 20
    assert {w.word for w in hard.long_words} >= {"ergonomically", "Consolidated"}


def test_spanish_uses_a_spanish_formula() -> None:
    text = (
        "Acuéstese boca arriba. Doble las rodillas. Levante un poco la cadera. "
        "Cuente hasta tres. Baje despacio. Descanse y repita. Pare si le duele."
    )
    level = measure([(1, text)], "es")
    assert level is not None and level.formula == "Fernández-Huerta"
    assert level.score > 80 and level.grade < 6.5


def test_too_short_or_no_formula_is_not_assessed() -> None:
    assert measure([(1, "Stop if it hurts.")], "en") is None
    assert measure([(1, EASY)], "vi") is None


def test_headings_code_tables_cards_and_sources_are_not_measured() -> None:
    body = (
        "# A Title\n\nFirst paragraph,\nstill the first.\n\n- An item\n- Another item\n\n"
        "| a | b |\n|---|---|\n\n[[exercise bridge]]\n\n```\ncode here\n```\n\n"
        "See [the bridge](/exercises/bridge/) at https://example.org/x.\n\n"
        "## Sources\n\nA source that is not measured.\n\n## More\n\nMeasured again.\n"
    )
    assert list(prose(body, 10)) == [
        (12, "First paragraph, still the first."),
        (15, "An item"),
        (16, "Another item"),
        (27, "See the bridge at"),
        (35, "Measured again."),
    ]
