"""``shuxi ask --planner llm|both``, ``--show-prompt``, ``shuxi llm check`` and the README's "Use your own LLM"
examples, against the loopback OpenAI-compatible server in tests/ask/fake_openai.py."""

from __future__ import annotations

import json
import shlex
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from typer.testing import CliRunner

from shuxi.cli import app

runner = CliRunner()
README_URLS = ("http://localhost:11434/v1", "http://localhost:8000/v1")
CHECK = "Reply with exactly this JSON object"


@pytest.fixture()
def server() -> Iterator[FakeOpenAI]:
    srv = FakeOpenAI(models=("qwen2.5:7b", "Qwen/Qwen2.5-7B-Instruct"))
    yield srv
    srv.close()


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            readme_section: Callable[[str], dict[str, list[str]]]) -> Path:
    (sales,) = [b for b in readme_section("## Command line")["text"] if b.startswith("region,")]
    (tmp_path / "sales.csv").write_text(sales, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHUXI_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("SHUXI_LLM_BASE_URL", "OPENAI_BASE_URL", "SHUXI_LLM_API_KEY", "OPENAI_API_KEY", "SHUXI_LLM_MODEL",
                "SHUXI_LLM_SHARE", "SHUXI_LLM_TIMEOUT"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


REGION_TOTALS = json.dumps({"kind": "group", "dimensions": [{"column": "region"}],
                            "measures": [{"agg": "sum", "column": "revenue"}],
                            "order": [{"by": "sum_revenue", "desc": True}]})
TOP_REGION = json.dumps({"kind": "rank", "dimensions": [{"column": "region"}],
                         "measures": [{"agg": "sum", "column": "revenue"}],
                         "order": [{"by": "sum_revenue", "desc": True}], "limit": 1})


def _run(command: str, server: FakeOpenAI) -> str:
    for url in README_URLS:
        command = command.replace(url, server.url)
    done = runner.invoke(app, shlex.split(command)[1:])
    assert done.exit_code == 0, f"{command}\n{done.output}"
    return done.output


def test_readme_llm_examples_run(workdir: Path, server: FakeOpenAI,
                                 readme_section: Callable[[str], dict[str, list[str]]]) -> None:
    blocks = readme_section("## Use your own LLM")
    commands = [line[2:] for block in blocks["console"] for line in block.splitlines() if line.startswith("$ shuxi ")]
    assert len(commands) == 4 and all("--llm-model" in c for c in commands)
    assert any("11434" in c for c in commands) and any("8000" in c for c in commands)  # Ollama and vLLM
    server.script(CHECK, '{"ok": true}')
    server.script("各地区的总销售额", REGION_TOTALS)
    server.script("which region has the highest revenue?", TOP_REGION,
                  "South China (华南) has the highest revenue: 180,000.")
    out = [_run(c, server) for c in commands]
    assert "supported" in out[0] and "JSON reply: ok" in out[0] and "qwen2.5:7b is listed" in out[0]
    assert "华南：18万" in out[1] and "SUM" in out[1]
    shown = json.loads(out[2])  # --show-prompt: the request body, and nothing was sent for it
    assert shown["model"] == "qwen2.5:7b" and "Question: 各地区的总销售额" in shown["messages"][1]["content"]
    assert "The built-in and LLM planners agree" in out[3] or "South China" in out[3]
    assert "180,000" in out[3]
    chats = server.chats()
    assert len(chats) == 4  # check, plan, plan (--planner both), narration; --show-prompt sent nothing
    (python,) = blocks["python"]
    for url in README_URLS:
        python = python.replace(url, server.url)
    exec(compile(python, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    assert len(server.chats()) == 4  # the same question and model: the cached plan was used


def test_show_prompt_prints_exactly_what_would_be_sent(workdir: Path, server: FakeOpenAI) -> None:
    done = runner.invoke(app, ["ask", "sales.csv", "各地区的平均价格", "--planner", "llm", "--llm-base-url",
                               server.url, "--llm-model", "m", "--show-prompt"])
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert server.requests == []
    assert body["response_format"] == {"type": "json_object"} and body["messages"][0]["role"] == "system"
    assert "各地区的平均价格" in done.output and "\\u5404" not in done.output  # Chinese as it is
    facts = body["messages"][1]["content"].split("Plan JSON schema")[0]  # the worked examples follow
    assert '"name":"region"' in facts and "华东" not in facts and "top_values" not in facts
    # the request that is then sent is that body
    server.script("各地区的平均价格", json.dumps({"kind": "group", "dimensions": [{"column": "region"}],
                                            "measures": [{"agg": "mean", "column": "price"}]}))
    sent = runner.invoke(app, ["ask", "sales.csv", "各地区的平均价格", "--planner", "llm", "--llm-base-url",
                               server.url, "--llm-model", "m", "--format", "json"])
    assert sent.exit_code == 0, sent.output
    assert server.chats()[0] == body
    assert json.loads(sent.output)["values"] == ["华东", "华北", "华南"]


def test_no_cache_asks_again(workdir: Path, server: FakeOpenAI) -> None:
    server.script("各地区的总销售额", REGION_TOTALS)
    args = ["ask", "sales.csv", "各地区的总销售额", "--planner", "llm", "--llm-base-url", server.url, "--llm-model", "m"]
    for extra in ([], [], ["--no-cache"]):
        assert runner.invoke(app, args + extra).exit_code == 0
    assert len(server.chats()) == 2


def test_unreachable_server_is_exit_code_2_with_the_url(workdir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    done = runner.invoke(app, ["ask", "sales.csv", "total revenue", "--planner", "llm", "--llm-base-url", url,
                               "--llm-model", "m", "--no-cache"], env={"SHUXI_LLM_TIMEOUT": "0.5"})
    assert done.exit_code == 2 and f"Is the server running at {url}?" in done.output
    assert "Traceback" not in done.output
    done = runner.invoke(app, ["llm", "check", "--llm-base-url", url, "--llm-model", "m", "--timeout", "0.5"])
    assert done.exit_code == 2 and "Cannot reach the LLM server" in done.output


def test_llm_check_reports_a_server_without_json_mode(workdir: Path) -> None:
    srv = FakeOpenAI(json_mode=False, models=("llama",))
    try:
        srv.script(CHECK, 'Sure: {"ok": true}')
        done = runner.invoke(app, ["llm", "check", "--llm-base-url", srv.url, "--llm-model", "other"])
        assert done.exit_code == 0, done.output
        assert "not supported" in done.output and "JSON reply: ok" in done.output and "other is NOT listed" in done.output
        srv.script(CHECK, "ok!")
        done = runner.invoke(app, ["llm", "check", "--llm-base-url", srv.url, "--llm-model", "llama"])
        assert done.exit_code == 2 and "not valid JSON" in done.output
    finally:
        srv.close()


def test_hostile_sql_from_the_cli_is_exit_code_2(workdir: Path, server: FakeOpenAI) -> None:
    server.script("steal", json.dumps({"sql": f"COPY sales TO '{workdir / 'stolen.csv'}'"}))
    done = runner.invoke(app, ["ask", "sales.csv", "steal", "--planner", "llm", "--llm-base-url", server.url,
                               "--llm-model", "m"])
    assert done.exit_code == 2 and "COPY statements read and write files" in done.output
    assert not (workdir / "stolen.csv").exists()
