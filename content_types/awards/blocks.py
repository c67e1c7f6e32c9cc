"""Blocks of an award cycle: the questions of a questionnaire and the levels of a criterion's scale."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class AnswerKind:
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes-no"
    URL = "url"
    CHOICES = [
        (TEXT, _("Text")),
        (CHOICE, _("One of a list of choices")),
        (YES_NO, _("Yes or no")),
        (URL, _("Web address")),
    ]


class QuestionBlock(blocks.StructBlock):
    """A question of a nomination questionnaire: what the nominee answers, and how."""

    text = blocks.CharBlock(label=_("Question"), max_length=500)
    help = blocks.TextBlock(
        label=_("Help"), required=False, help_text=_("What a good answer contains; shown under the question.")
    )
    kind = blocks.ChoiceBlock(label=_("Answer"), choices=AnswerKind.CHOICES, default=AnswerKind.TEXT)
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=200),
        label=_("Choices"),
        required=False,
        default=[],
        help_text=_("Only for answers chosen from a list: one choice per line."),
    )
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)

    class Meta:
        icon = "help"
        template = "awards/blocks/question.html"
        label = _("Question")
        description = _("A question the nominating Party answers in its nomination.")
        preview_value = {
            "text": "Since when has your national clearing-house been online?",
            "help": "The year the national website was first published.",
            "kind": AnswerKind.TEXT,
            "choices": [],
            "required": True,
        }

    def clean(self, value):
        value = super().clean(value)
        if value.get("kind") == AnswerKind.CHOICE and len([c for c in value.get("choices") or [] if c]) < 2:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": blocks.ListBlockValidationError(non_block_errors=[_("Give at least two choices.")])
                }
            )
        return value


class QuestionStreamBlock(blocks.StreamBlock):
    """The questions of one questionnaire, in the order nominees answer them."""

    question = QuestionBlock()

    class Meta:
        label = _("Questions")
        min_num = 1


class ScaleLevelBlock(blocks.StructBlock):
    """One level of a criterion's scale and what it means, so that every member scores alike."""

    score = blocks.IntegerBlock(label=_("Score"))
    descriptor = blocks.CharBlock(label=_("Descriptor"), max_length=300)

    class Meta:
        icon = "list-ol"
        template = "awards/blocks/scale_level.html"
        label = _("Level")
        description = _("A score of the scale and what a nomination must show to get it.")
        preview_value = {"score": 3, "descriptor": "Most national targets are online and kept up to date."}


class ScaleStreamBlock(blocks.StreamBlock):
    """The levels of a criterion's scale, one per score from its minimum to its maximum."""

    level = ScaleLevelBlock()

    class Meta:
        label = _("Scale")
