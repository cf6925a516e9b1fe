"""`deploy-config` as a maintainer runs it: what it says, and how it refuses."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli


def test_prints_a_config_that_says_where_it_goes(valid_site: Path) -> None:
    result = run_cli("deploy-config", "nginx", "--site", str(valid_site))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# nginx configuration for ")
    assert "sites-available" in text and "nginx -t" in text and "docs/deploying.md" in text
    assert "Strict-Transport-Security" not in text  # opt-in only
    assert "ssl_certificate /etc/letsencrypt/live/clinic.test/fullchain.pem;" in text
    assert "root /var/www/clinic.test;" in text


def test_hsts_is_opt_in_and_needs_https(valid_site: Path) -> None:
    result = run_cli("deploy-config", "caddy", "--site", str(valid_site), "--hsts")
    assert result.returncode == 0 and 'Strict-Transport-Security "max-age=31536000"' in (
        result.stdout
    )
    refused = run_cli("deploy-config", "apache", "--site", str(valid_site), "--hsts", "--no-tls")
    assert refused.returncode == 2 and "--hsts needs HTTPS" in refused.stderr


def test_a_site_in_a_folder_of_its_host(valid_site: Path) -> None:
    config = valid_site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("https://clinic.test/", "https://clinic.test/patients/"), encoding="utf-8"
    )
    result = run_cli("deploy-config", "apache", "--site", str(valid_site), "--no-tls")
    assert result.returncode == 0, result.stderr
    assert "ErrorDocument 404 /patients/404.html" in result.stdout
    assert "m#^/patients/static/" in result.stdout


def test_a_broken_site_says_what_is_wrong_without_a_traceback(valid_site: Path) -> None:
    (valid_site / "content/data/clinic.yaml").write_text("name: [\n", encoding="utf-8")
    result = run_cli("deploy-config", "nginx", "--site", str(valid_site))
    assert result.returncode == 1
    assert "clinic.yaml" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
