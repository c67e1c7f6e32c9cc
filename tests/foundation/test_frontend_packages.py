"""The browser libraries the portal serves itself, and the JavaScript tools of the browser tests.

Both come from the npm packages pinned in package.json: the libraries are copied into
cms/static/vendor/ by scripts/vendor-frontend.sh, axe-core is installed into node_modules/ by
``make test`` (scripts/ensure-frontend.sh). Production's collectstatic (a manifest storage) must not
trip on what is vendored.
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "cms" / "static" / "vendor"


def test_the_frontend_packages_are_pinned_and_locked_without_registry_addresses():
    package = json.loads((ROOT / "package.json").read_text())
    lock = (ROOT / "package-lock.json").read_text()
    pins = {**package["dependencies"], **package["devDependencies"]}
    assert "axe-core" in package["devDependencies"] and "tom-select" in package["dependencies"]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pins.values()), pins
    locked = json.loads(lock)["packages"]
    for name, version in pins.items():
        assert locked[f"node_modules/{name}"]["version"] == version
    assert '"resolved"' not in lock and "registry" not in lock
    assert "omit-lockfile-registry-resolved=true" in (ROOT / ".npmrc").read_text()


def test_node_modules_stays_out_of_git_and_of_the_image():
    assert "node_modules" in (ROOT / ".gitignore").read_text().split()  # a folder or a link
    assert "node_modules" in (ROOT / ".dockerignore").read_text().split()


def test_each_vendored_library_has_its_licence_and_no_dangling_source_map():
    for library in ("chartjs", "leaflet", "tom-select", "topojson-client", "world-atlas"):
        assert (VENDOR / library / "LICENSE").is_file(), library
    for path in VENDOR.rglob("*"):
        if path.suffix in {".js", ".css"}:
            for reference in re.findall(r"sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$", path.read_text(), re.MULTILINE):
                assert (path.parent / reference).is_file(), f"{path} refers to a missing {reference}"


def test_a_manifest_collectstatic_of_the_portals_static_files_succeeds(tmp_path):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "vendor/tom-select/tom-select.popular.min.js" in manifest
    assert "vendor/leaflet/images/layers.png" in manifest  # leaflet.css refers to it
    assert "js/forms.js" in manifest
