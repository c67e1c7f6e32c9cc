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


class ItemPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = ItemSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    kind = serializers.ChoiceField(choices=["record", "event", "network", "news"])
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
