"""The rendition storage on an S3-compatible bucket: its own module, so that boto3 loads only when used."""

from storages.backends.s3 import S3Storage

from cms.uploads.renditions import UnguessableNamesMixin


class RenditionS3Storage(UnguessableNamesMixin, S3Storage):
    """Renditions in the bucket's ``images/`` under unguessable names (and signed, expiring addresses)."""
