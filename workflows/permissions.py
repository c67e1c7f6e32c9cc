"""Former home of the review's permission table, which now lives beside its flow.

The review's policy is ``workflows.review.policy``; the flow-agnostic machinery is
``workflows.core.policy``. These names stay importable from here for code written before the move.
"""

from workflows.review.policy import *  # noqa: F403
from workflows.review.policy import __all__  # noqa: F401
