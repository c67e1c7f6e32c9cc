"""What the production tests share: the commands the image runs, and a clean production environment."""

import os
import secrets
import string
import sys
from pathlib import Path

from cms.settings import env

ROOT = Path(__file__).resolve().parents[2]
# The Dockerfile and docker-compose.yml run these; the tests run them the same way.
BUILD_COMMAND = ["scripts/build-static.sh"]
SERVE_COMMAND = ["scripts/serve.sh"]


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!#%&()*+,-./:;<=>?@[]^_{|}~"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def production_environment(**values) -> dict:
    """The current environment without any portal variable, plus production settings and ``values``.

    The virtualenv's programs (python, gunicorn) come first on PATH, as they do in the image.
    """
    clean = {key: value for key, value in os.environ.items() if key not in env.VARIABLES}
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; check --deploy refuses it
    clean["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), clean.get("PATH", "")])
    clean["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
    clean.update(values)
    return clean
