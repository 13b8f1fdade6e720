"""``shuxi llm``: check the OpenAI-compatible endpoint the LLM planner uses (registered in ``shuxi.cli``)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from shuxi.cli import _echo, _guard, command_group

app = command_group(
    "llm",
    "The LLM planner's endpoint: check that it answers and supports JSON output.\n\n"
    "Example: shuxi llm check --llm-base-url http://localhost:11434/v1 --llm-model qwen2.5:7b",
)


@app.command()
def check(llm_base_url: Annotated[Optional[str], typer.Option("--llm-base-url", help="OpenAI-compatible endpoint (default: SHUXI_LLM_BASE_URL or OPENAI_BASE_URL).")] = None,
          llm_model: Annotated[Optional[str], typer.Option("--llm-model", help="Model name (default: SHUXI_LLM_MODEL).")] = None,
          timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.01, help="Seconds to wait for the reply (default: SHUXI_LLM_TIMEOUT or 60).")] = None) -> None:
    """Send one tiny request to the model: is the server reachable, does the model answer, is JSON output supported?

    Example: shuxi llm check --llm-base-url http://localhost:8000/v1 --llm-model Qwen/Qwen2.5-7B-Instruct
    """

    def run() -> None:
        from shuxi.ask.llm import LLM

        llm = LLM(base_url=llm_base_url, model=llm_model, timeout=timeout, cache=False)
        result = llm.check()
        models = result["models"]
        _echo(f"server: {result['base_url']} answers")
        if models is not None:
            listed = ", ".join(models[:10]) + (" …" if len(models) > 10 else "")
            mark = "listed" if result["model"] in models else "NOT listed"
            _echo(f"models: {listed or '(none)'}; {result['model']} is {mark}")
        _echo(f"model {result['model']}: replied")
        _echo("JSON mode (response_format): " + ("supported" if result["json_mode"] else
                                                  "not supported; shuxi will read JSON from plain text"))
        _echo("JSON reply: " + ("ok" if result["json_reply"] else f"not valid JSON: {result['reply']!r}"))
        if not result["json_reply"]:
            raise typer.Exit(code=2)

    _guard(run)
