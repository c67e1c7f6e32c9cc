"""The shapes of the open API's answers, for the OpenAPI schema (the views build plain dicts)."""

from rest_framework import serializers


class AttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    content_type = serializers.CharField()


class ProvenanceSerializer(serializers.Serializer):
    source_portal = serializers.CharField()
    original_url = serializers.CharField(allow_null=True)
    original_identifier = serializers.CharField()
    harvested_at = serializers.DateTimeField(allow_null=True)


class ItemSerializer(serializers.Serializer):
    identifier = serializers.CharField(help_text="Stable identifier, the same in every language.")
    type = serializers.CharField(help_text="Record type code (need, offer…) or the kind (event, network, news).")
    url = serializers.URLField(help_text="Canonical address of the original page.")
    language = serializers.CharField(help_text="Language of the original.")
    text_language = serializers.CharField(help_text="Language the title, summary and body are in.")
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    body_html = serializers.CharField(allow_blank=True, help_text="The body as HTML, sanitised.")
    translations = serializers.DictField(child=serializers.URLField(), help_text="Language code → address.")
    countries = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    targets = serializers.ListField(child=serializers.CharField())
    subjects = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    fields = serializers.DictField(child=serializers.JSONField(allow_null=True), help_text="The type's own fields.")
    first_published_at = serializers.DateTimeField(allow_null=True)
    modified = serializers.DateTimeField()


class RecordSerializer(ItemSerializer):
    licence = serializers.CharField()
    attachments = AttachmentSerializer(many=True)
    provenance = ProvenanceSerializer(allow_null=True)


class RecordPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = RecordSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Filter values that matched nothing.")


class ItemPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = ItemSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Filter values that matched nothing.")


class ChangeSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    kind = serializers.ChoiceField(choices=["record", "event", "network", "news", "award"])
    action = serializers.ChoiceField(choices=["updated", "deleted"])
    at = serializers.DateTimeField()
    url = serializers.URLField(allow_null=True, help_text="The item in this API; null when deleted.")


class ChangePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = ChangeSerializer(many=True)


class TermSerializer(serializers.Serializer):
    code = serializers.CharField()
    names = serializers.DictField(child=serializers.CharField(), help_text="Language code → name.")


class VocabularySerializer(serializers.Serializer):
    results = TermSerializer(many=True)


class AwardWinnerSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="Country code (ISO 3166-1 alpha-2).")
    country_name = serializers.CharField(help_text="The country's name in the language asked for.")
    prize = serializers.ChoiceField(choices=["gold", "silver", "bronze", "certificate"])
    prize_label = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    total = serializers.CharField(allow_null=True, help_text="The committee's weighted total, as published.")
    national_chm_url = serializers.URLField(allow_null=True)


class AwardCategorySerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    prizes = serializers.DictField(child=serializers.IntegerField(), help_text="Prize → how many it awards.")
    winners = AwardWinnerSerializer(many=True, help_text="By prize, then rank.")


class AwardCriterionSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    weight = serializers.CharField(help_text="The criterion's weight in the total (a decimal number).")
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    in_total = serializers.BooleanField(help_text="False for a criterion scored and shown but kept out of the total.")


class AwardJurorSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField(allow_null=True)
    chair = serializers.BooleanField()


class AwardCycleSerializer(serializers.Serializer):
    identifier = serializers.CharField(help_text="Stable identifier of the cycle, the same in every language.")
    url = serializers.URLField(help_text="Address of the cycle's original page.")
    results_url = serializers.URLField(help_text="Address of the results page in the language of the text.")
    language = serializers.CharField()
    text_language = serializers.CharField(help_text="Language the title and the names are in.")
    title = serializers.CharField()
    meeting = serializers.CharField()
    translations = serializers.DictField(child=serializers.URLField(), help_text="Language code → address.")
    call_opens = serializers.DateField()
    nomination_deadline = serializers.DateField()
    evaluation_deadline = serializers.DateField()
    announcement = serializers.DateField()
    results_published_at = serializers.DateTimeField()
    justification = serializers.CharField(allow_blank=True)
    justification_language = serializers.CharField()
    categories = AwardCategorySerializer(many=True)
    criteria = AwardCriterionSerializer(many=True)
    jury = AwardJurorSerializer(many=True)
    modified = serializers.DateTimeField()


class AwardCyclePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = AwardCycleSerializer(many=True)
