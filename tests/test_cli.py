"""The command line, in process with click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli.main import cli


@pytest.mark.parametrize("command", list(cli.commands.values()), ids=lambda c: c.name)
def test_cli_every_command_has_help(command):
    assert command.help and "Example" in command.help
    result = CliRunner().invoke(cli, [command.name, "--help"])
    assert result.exit_code == 0


def test_cli_build_query_validate_stats(corpus_dir, tmp_path):
    store = str(tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(corpus_dir), "--store", store, "--quiet", "--model", "none"])
    assert result.exit_code == 0, result.output
    assert "documents:   4" in result.output and "validation:  conforms" in result.output
    result = runner.invoke(
        cli, ["query", "--store", store, "--name", "grades", "--param", "force=Durham", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["results"]["bindings"]) == 10
    result = runner.invoke(cli, ["validate", "--store", store])
    assert result.exit_code == 0 and "conforms" in result.output
    result = runner.invoke(cli, ["stats", "--store", store])
    assert result.exit_code == 0 and "Recommendation" in result.output


def test_cli_query_without_a_store_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["query", "--store", str(tmp_path / "none"), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 2
    assert "kg build" in result.output


def test_cli_strict_build_fails_on_skipped_file(corpus_dir, tmp_path):
    import shutil

    corpus = tmp_path / "c"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(
        cli, ["build", str(corpus), "--store", str(tmp_path / "s"), "--quiet", "--strict", "--model", "none"]
    )
    assert result.exit_code == 1
    assert "empty.txt" in result.output
