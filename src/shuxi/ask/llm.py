"""The LLM planner: any OpenAI-compatible model (OpenAI, DeepSeek, Qwen, Ollama, vLLM, llama.cpp server) plans
questions, under shuxi's rules.

The model sees the question, the schema with aggregate facts (and, only with ``share="samples"``, PII-masked
top values), the Plan JSON schema and worked examples (:mod:`shuxi.ask.prompt`). Its reply must be a Plan:
it is validated with pydantic and compiled against the table's schema; on an error the error goes back to the
model once. A reply of SQL instead runs only if :func:`shuxi.plan.guard.guard_sql` accepts it (one read-only
query over the table), with ``answer.plan = None``. Model-written Python is never executed: a reply with code
is refused with :class:`~shuxi.errors.LLMError`. The answer text stays ours unless ``narrate=True``, and then
every number in the model's text must be a number of the result (or a rounding of one).

>>> llm = shuxi.LLM(base_url="http://localhost:11434/v1", model="qwen2.5:7b")
>>> ds.ask("各地区的总销售额", planner="llm", llm=llm)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuxi.errors import ConfigError, LLMError, ShuxiError

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlglot import exp

    from shuxi.ask.answer import Answer
    from shuxi.data.dataset import Dataset
    from shuxi.plan.ir import Plan

__all__ = ["LLM", "ask_llm", "ask_both", "parse_reply", "unverified_numbers", "narrate_answer", "request_body"]

#: Longest reply used; anything longer is refused unread (a plan is a few hundred characters).
MAX_REPLY_CHARS = 200_000
#: Most tokens asked for.
MAX_TOKENS = 2048
#: Result rows shown to the model when it phrases the answer (``narrate=True``).
NARRATE_ROWS = 50
OPENAI_URL = "https://api.openai.com/v1"


class _Unusable(Exception):
    """A reply that may be repaired once (bad JSON, wrong columns, SQL the guard refused)."""


@dataclass(kw_only=True)
class LLM:
    """An OpenAI-compatible chat model. Unset fields come from SHUXI_LLM_* (or OPENAI_*) variables.

    ``share``: "schema" (default; names, types and aggregate facts) or "samples" (plus PII-masked top values).
    ``cache``: replies are kept on disk under the shuxi cache, keyed by model and prompt.
    ``narrate``: let the model phrase the answer (its numbers are checked against the result).
    ``max_retries``: retries with backoff on 429, 5xx, timeouts and refused connections.
    """

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float | None = None
    share: str | None = None
    cache: bool = True
    narrate: bool = False
    max_retries: int = 2
    cache_dir: Path | None = None
    #: Whether the server accepted JSON mode on the last call (None: not tried yet).
    json_mode: bool | None = field(default=None, init=False)
    _client_obj: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from shuxi.config import load_settings

        settings = load_settings({"llm_base_url": self.base_url, "llm_model": self.model,
                                  "llm_api_key": self.api_key, "llm_timeout": self.timeout,
                                  "llm_share": self.share})
        self.base_url = (settings.llm_base_url or (OPENAI_URL if settings.llm_api_key else None))
        self.base_url = self.base_url.rstrip("/") if self.base_url else None
        self.model = settings.llm_model
        self.api_key = settings.llm_api_key
        self.timeout = settings.llm_timeout
        self.share = settings.llm_share
        self.cache_dir = Path(self.cache_dir) if self.cache_dir is not None else settings.cache_dir / "llm"

    # -- talking to the server ------------------------------------------------------------------

    def _require(self) -> None:
        if not self.base_url:
            raise ConfigError("No LLM server is set.",
                              hint="Pass --llm-base-url (e.g. http://localhost:11434/v1 for Ollama), set "
                                   "SHUXI_LLM_BASE_URL, or LLM(base_url=...).")
        if not self.model:
            raise ConfigError("No LLM model is set.",
                              hint="Pass --llm-model, set SHUXI_LLM_MODEL, or LLM(model=...); `shuxi llm check` "
                                   "lists the models the server offers.")

    def _client(self) -> Any:
        self._require()
        if self._client_obj is None:
            import openai

            self._client_obj = openai.OpenAI(base_url=self.base_url, api_key=self.api_key or "not-needed",
                                             timeout=self.timeout, max_retries=self.max_retries)
        return self._client_obj

    def _error(self, error: Exception) -> LLMError:
        import openai

        url = self.base_url
        if isinstance(error, openai.APITimeoutError):
            return LLMError(f"The LLM server at {url} did not answer within {self.timeout:g} s.",
                            hint="Is the model loaded? Raise the timeout with SHUXI_LLM_TIMEOUT or LLM(timeout=...).")
        if isinstance(error, openai.APIConnectionError):
            return LLMError(f"Cannot reach the LLM server at {url}.",
                            hint=f"Is the server running at {url}? Check --llm-base-url or SHUXI_LLM_BASE_URL.")
        if isinstance(error, openai.APIStatusError):
            status = error.status_code
            if status == 429:
                return LLMError(f"The LLM server at {url} kept refusing with 429 (too many requests) after "
                                f"{self.max_retries} retries.", hint="Wait a minute, or lower your request rate.")
            if status in (401, 403):
                return LLMError(f"The LLM server at {url} refused the API key ({status}).",
                                hint="Set SHUXI_LLM_API_KEY (or OPENAI_API_KEY) to a valid key.")
            if status == 404:
                return LLMError(f"The LLM server at {url} answered 404 for model {self.model!r}.",
                                hint="Check the model name and that the URL ends in /v1; `shuxi llm check` "
                                     "lists the server's models.")
            if status >= 500:
                return LLMError(f"The LLM server at {url} failed with HTTP {status} after {self.max_retries} "
                                "retries.", hint="Check the server's log; try again later.")
            return LLMError(f"The LLM server at {url} refused the request with HTTP {status}: {error.message}",
                            hint="Check the model name and the server's settings with `shuxi llm check`.")
        return LLMError(f"The LLM call to {url} failed: {error}")

    def request(self, messages: list[dict[str, str]], *, json_mode: bool = True) -> dict[str, Any]:
        """The chat-completions request body for ``messages`` (what ``--show-prompt`` prints)."""
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0,
                                "max_tokens": MAX_TOKENS}
        if json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    def chat(self, messages: list[dict[str, str]], *, json_mode: bool = True) -> str:
        """The model's reply to ``messages``; JSON mode is asked for and dropped if the server refuses it."""
        self._require()
        key = self._cache_key(messages, json_mode)
        if self.cache:
            cached = self._cache_get(key)
            if cached is not None:
                return cached
        reply = self._call(messages, json_mode)
        if self.cache:
            self._cache_put(key, reply)
        return reply

    def _call(self, messages: list[dict[str, str]], json_mode: bool) -> str:
        import openai

        client = self._client()
        use_json = json_mode and self.json_mode is not False
        try:
            try:
                completion = client.chat.completions.create(**self.request(messages, json_mode=use_json))
                if use_json:
                    self.json_mode = True
            except openai.BadRequestError:
                if not use_json:
                    raise
                # Servers without JSON mode answer 400 to response_format: ask again for plain text.
                self.json_mode = False
                completion = client.chat.completions.create(**self.request(messages, json_mode=False))
        except openai.OpenAIError as error:
            raise self._error(error) from None
        choices = getattr(completion, "choices", None) or []
        content = choices[0].message.content if choices and choices[0].message is not None else None
        content = content or ""
        if len(content) > MAX_REPLY_CHARS:
            raise LLMError(f"The model's reply was {len(content):,} characters long; shuxi uses at most "
                           f"{MAX_REPLY_CHARS:,} and did not read it.",
                           hint="A plan is a short JSON object: check the model and its settings.")
        return content

    def models(self) -> list[str]:
        """The model names the server lists at /v1/models."""
        import openai

        try:
            return [m.id for m in self._client().models.list()]
        except openai.OpenAIError as error:
            raise self._error(error) from None

    def check(self) -> dict[str, Any]:
        """A tiny round trip: can the server be reached, does the model answer, does it support JSON output?"""
        self._require()
        result: dict[str, Any] = {"base_url": self.base_url, "model": self.model}
        try:
            result["models"] = self.models()
        except LLMError as error:
            if "Cannot reach" in error.message or "did not answer" in error.message:
                raise
            result["models"] = None  # some servers do not list models; the chat call decides
        saved, self.cache = self.cache, False
        try:
            reply = self.chat([{"role": "user", "content": 'Reply with exactly this JSON object: {"ok": true}'}])
        finally:
            self.cache = saved
        result["json_mode"] = bool(self.json_mode)
        try:
            parsed = _json_object(reply)
            result["json_reply"] = isinstance(parsed, dict) and parsed.get("ok") is True
        except _Unusable:
            result["json_reply"] = False
        result["reply"] = reply[:200]
        return result

    # -- the on-disk cache ----------------------------------------------------------------------------

    def _cache_key(self, messages: list[dict[str, str]], json_mode: bool) -> str:
        payload = json.dumps({"base_url": self.base_url, "model": self.model, "messages": messages,
                              "json": json_mode}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _cache_path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}.json"

    def _cache_get(self, key: str) -> str | None:
        try:
            data = json.loads(self._cache_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        reply = data.get("reply") if isinstance(data, dict) else None
        return reply if isinstance(reply, str) else None

    def _cache_put(self, key: str, reply: str) -> None:
        path = self._cache_path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"model": self.model, "reply": reply}, out, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written only costs a repeated call
            pass


# -- reading replies ---------------------------------------------------------------------------------------

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)
_PYTHON_LINE = re.compile(r"(?m)^\s*(?:import\s+\w|from\s+[\w.]+\s+import\s|def\s+\w+\s*\(|class\s+\w+\s*[:(]|"
                          r"print\s*\(|exec\s*\(|eval\s*\(|os\.system|subprocess\.|__import__|with\s+open\s*\()")
_SQL_START = re.compile(r"^\s*(?:SELECT|WITH|FROM)\b", re.I)


def _json_object(text: str) -> Any:
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    # A JSON object inside prose: the first "{", or one that starts a line (never an inner object of a broken one).
    decoder = json.JSONDecoder()
    starts = [m.start() for m in re.finditer(r"(?m)^\s*\{", stripped)]
    first = stripped.find("{")
    problem = "the reply is not a JSON object"
    for start in ([first] if first != -1 else []) + [s + len(stripped[s:]) - len(stripped[s:].lstrip()) for s in starts]:
        try:
            value, _ = decoder.raw_decode(stripped, start)
            return value
        except ValueError as error:
            if start == first:
                problem = f"the reply is not a valid JSON object ({error})"
    raise _Unusable(problem)


def parse_reply(text: str) -> dict[str, Any] | str:
    """A reply as a Plan dict, or as SQL text (a string); raises LLMError for code, _Unusable for junk."""
    if not text.strip():
        raise _Unusable("the reply was empty")
    fences = _FENCE.findall(text)
    if any(lang.lower() in ("python", "py", "python3", "ipython", "bash", "sh", "shell") for lang, _ in fences) or (
            not fences and _PYTHON_LINE.search(text) and "{" not in text):
        raise LLMError("The model replied with code, which shuxi never runs.",
                       hint="Try again, or use a model that follows instructions to return a JSON Plan.")
    for lang, body in fences:
        if lang.lower() == "sql":
            return body.strip()
    body = next((b for lang, b in fences if lang.lower() in ("json", "")), text)
    try:
        value = _json_object(body)
    except _Unusable:
        if _SQL_START.match(body):
            return body.strip()
        if _PYTHON_LINE.search(text):
            raise LLMError("The model replied with code, which shuxi never runs.",
                           hint="Try again, or use a model that returns a JSON Plan.") from None
        raise
    if isinstance(value, dict) and set(value) == {"sql"} and isinstance(value["sql"], str):
        return value["sql"]
    if not isinstance(value, dict):
        raise _Unusable("the reply is JSON but not an object")
    return value


def _validation_text(error: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        parts = [f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in error.errors()[:8]]
        return "the Plan is not valid: " + "; ".join(parts)
    return str(error)


def _use(ds: Dataset, question: str, reply: str) -> tuple[Plan | None, exp.Query | None]:
    """The checked Plan (or guarded SQL) in ``reply``; raises _Unusable with the reason otherwise."""
    from pydantic import ValidationError

    from shuxi.ask.text import language_of
    from shuxi.plan.compile import compile_plan
    from shuxi.plan.guard import guard_sql
    from shuxi.plan.ir import Plan

    parsed = parse_reply(reply)
    if isinstance(parsed, str):
        try:
            return None, guard_sql(parsed, tables=ds._tables(), dialect=ds.engine.dialect)
        except ShuxiError as error:
            raise _Unusable(f"the SQL was refused: {error}") from None
    data = dict(parsed)
    data["table"] = ds.name  # one table: the model cannot point the plan elsewhere
    data["language"] = language_of(question)
    try:
        plan = Plan.model_validate(data)
        compile_plan(plan, schema=ds.schema)
    except (ValidationError, ShuxiError) as error:
        raise _Unusable(_validation_text(error)) from None
    return plan, None


def prompt_messages(ds: Dataset, question: str, llm: LLM) -> list[dict[str, str]]:
    """The messages the planner sends for ``question`` (before any repair round)."""
    from shuxi.ask.prompt import column_facts, plan_messages

    return plan_messages(question, column_facts(ds, share=llm.share or "schema"))


def request_body(ds: Dataset, question: str, llm: LLM) -> dict[str, Any]:
    """Exactly what would be sent for ``question``: the chat-completions request body."""
    return llm.request(prompt_messages(ds, question, llm))


def plan_with_llm(ds: Dataset, question: str, llm: LLM) -> tuple[Plan | None, exp.Query | None]:
    """Ask ``llm`` for a Plan (or guarded SQL); one repair round on an unusable reply, then LLMError."""
    from shuxi.ask.prompt import repair_message

    messages = prompt_messages(ds, question, llm)
    reply = llm.chat(messages)
    try:
        return _use(ds, question, reply)
    except _Unusable as first:
        reply = llm.chat(messages + repair_message(reply, str(first)))
        try:
            return _use(ds, question, reply)
        except _Unusable as second:
            raise LLMError(f"The model's plan could not be used, even after one repair: {second}",
                           hint="Rephrase the question, try another model, or use --planner builtin.") from None


def ask_llm(ds: Dataset, question: str, *, llm: LLM | None = None) -> Answer:
    """Answer ``question`` with a plan from ``llm`` (an :class:`LLM` from the settings when None)."""
    from shuxi.ask.answering import answer_plan

    llm = llm or LLM()
    plan, tree = plan_with_llm(ds, question, llm)
    answer = answer_plan(ds, question, plan) if plan is not None else answer_sql(ds, question, tree)  # type: ignore[arg-type]
    return narrate_answer(answer, llm) if llm.narrate else answer


def answer_sql(ds: Dataset, question: str, tree: exp.Query) -> Answer:
    """Run SQL that passed the guard and describe its result plainly (``answer.plan`` is None)."""
    from shuxi.ask.answer import Answer
    from shuxi.ask.narrate import cell
    from shuxi.ask.text import language_of

    language = language_of(question)
    zh = language == "zh"
    table = ds.engine.execute(tree)
    if table.num_columns == 1:
        values = table.column(0).to_pylist()
    else:
        values = list(table.to_pylist()[0].values()) if table.num_rows == 1 else table.column(0).to_pylist()
    if table.num_rows == 1 and table.num_columns == 1:
        shown = cell(values[0], language)
        text = f"答案是{shown}。" if zh else f"The answer is {shown}."
    elif table.num_rows == 0:
        text = "没有符合条件的行。" if zh else "No rows match."
    else:
        text = f"结果共{table.num_rows}行，见下表。" if zh else f"The result has {table.num_rows} rows (see the table)."
    note = "llm-sql: the model wrote SQL instead of a plan; it passed the guard (one read-only query)"
    return Answer(question=question, text=text, table=table, values=values, sql=ds.engine.render(tree, pretty=True),
                  plan=None, stats={}, warnings=[note], language=language)


# -- checked narration ---------------------------------------------------------------------------------------

# Digits glued to Latin letters ("Qwen2", "H200") are names, not numbers; Chinese text has no spaces ("销量是15").
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(%|％|万|亿|千|k\b|K\b|M\b|million|billion)?")
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "k": 1e3, "K": 1e3, "M": 1e6, "million": 1e6, "billion": 1e9}


def _numbers_of(value: Any, out: list[float]) -> None:
    import datetime as dt

    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            out.append(abs(float(value)))
    elif isinstance(value, (dt.date, dt.datetime)):
        out.extend(float(x) for x in (value.year, value.month, value.day))
    elif isinstance(value, dict):
        for v in value.values():
            _numbers_of(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value[:10_000]:
            _numbers_of(v, out)
    elif isinstance(value, str):
        out.extend(abs(float(m.group(0).replace(",", ""))) for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", value)
                   if m.group(0).replace(",", "").replace(".", "", 1).isdigit())
    elif hasattr(value, "__float__"):  # Decimal
        out.append(abs(float(value)))


def allowed_numbers(answer: Answer) -> list[float]:
    """Every number the answer's text may use: result cells, statistics, the question's own numbers, small counts."""
    out: list[float] = [float(i) for i in range(11)]
    _numbers_of(answer.table.slice(0, 10_000).to_pylist(), out)
    _numbers_of(answer.values, out)
    _numbers_of({k: v for k, v in answer.stats.items() if k not in ("text", "points")}, out)
    _numbers_of(answer.question, out)
    out.append(float(answer.table.num_rows))
    return out


def unverified_numbers(text: str, allowed: list[float]) -> list[str]:
    """The numbers in ``text`` that are not a number of ``allowed`` (or its rounding, percentage or 万/亿 form)."""
    bad: list[str] = []
    for m in _NUMBER.finditer(text):
        whole, frac, unit = m.group(1).replace(",", ""), m.group(2) or "", m.group(3)
        x = float(f"{whole}.{frac}" if frac else whole)
        scale = _SCALE.get(unit or "", 1.0)
        # Rounding: half a unit of the last digit shown. Trailing zeros of a whole number from 100 up may be
        # rounding too, keeping two significant digits ("12,000" for 12,345, never "10,000").
        if frac:
            step = 10.0 ** -len(frac)
        elif x >= 100:
            step = 10.0 ** min(len(whole) - len(whole.rstrip("0")), int(math.log10(x)) - 1)
        else:
            step = 1.0
        candidates = [(x * scale, step * scale / 2)]
        if unit in ("%", "％"):
            candidates = [(x / 100, step / 200), (x, step / 2)]
        if not any(abs(target - v) <= tol * (1 + 1e-9) + 1e-12 * max(1.0, abs(v))
                   for target, tol in candidates for v in allowed):
            bad.append(m.group(0).strip())
    return bad


def narrate_answer(answer: Answer, llm: LLM) -> Answer:
    """Let ``llm`` phrase ``answer``; its text is used only if every number in it is in the result."""
    from shuxi.ask.prompt import narrate_messages
    from shuxi.render import json_value

    table = answer.table.slice(0, NARRATE_ROWS)
    result = {"columns": table.column_names,
              "rows": [[json_value(v) for v in row.values()] for row in table.to_pylist()]}
    try:
        text = llm.chat(narrate_messages(answer.question, answer.language, result, answer.text), json_mode=False)
    except LLMError as error:
        answer.warnings.append(f"llm-narrate: the model could not phrase the answer ({error.message}); "
                               "the template text is used")
        return answer
    text = text.strip()
    if not text or len(text) > 4000:
        answer.warnings.append("llm-narrate: the model's text was empty or too long; the template text is used")
        return answer
    bad = unverified_numbers(text, allowed_numbers(answer))
    if bad:
        answer.warnings.append(f"llm-narrate: the model's text had {', '.join(bad[:5])}, which "
                               f"{'is' if len(bad) == 1 else 'are'} not in the result; the template text is used")
        return answer
    answer.stats["template_text"] = answer.text
    answer.text = text
    return answer


# -- both planners ------------------------------------------------------------------------------------------------


def _cell_key(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return f"{float(value):.6g}"
    if hasattr(value, "__float__") and not isinstance(value, str):
        return f"{float(value):.6g}"
    return str(value)


def same_result(a: pa.Table, b: pa.Table) -> bool:
    """Whether two results hold the same rows (column names, column order and row order aside)."""
    if a.num_rows != b.num_rows or a.num_columns != b.num_columns:
        return False
    rows_a = sorted(tuple(sorted(_cell_key(v) for v in r.values())) for r in a.to_pylist())
    rows_b = sorted(tuple(sorted(_cell_key(v) for v in r.values())) for r in b.to_pylist())
    return rows_a == rows_b


def ask_both(ds: Dataset, question: str, *, llm: LLM | None = None) -> Answer:
    """Plan with the built-in planner and the LLM, run both, and say whether they agree (both answers if not)."""
    from shuxi.ask.answering import answer_plan, plan

    llm = llm or LLM()
    built: Answer | None = None
    via: Answer | None = None
    errors: dict[str, ShuxiError] = {}
    try:
        built = answer_plan(ds, question, plan(ds, question))
    except ShuxiError as error:
        errors["builtin"] = error
    try:
        model_plan, tree = plan_with_llm(ds, question, llm)
        via = answer_plan(ds, question, model_plan) if model_plan is not None else answer_sql(ds, question, tree)  # type: ignore[arg-type]
    except ShuxiError as error:
        errors["llm"] = error
    if built is None and via is None:
        raise LLMError(f"Neither planner could answer: built-in: {errors['builtin']} LLM: {errors['llm']}")
    lead = built if built is not None else via
    assert lead is not None
    zh = lead.language == "zh"
    record: dict[str, Any] = {}
    for name, answer in (("builtin", built), ("llm", via)):
        record[name] = ({"text": answer.text, "sql": answer.sql} if answer is not None
                        else {"error": str(errors[name])})
    if built is None or via is None:
        failed = "builtin" if built is None else "llm"
        record["agree"] = None
        lead.warnings.append(f"planners: only one planner answered; the {failed} planner failed: {errors[failed]}")
        lead.text += ("（只有一个规划器给出了答案。）" if zh else " (Only one planner could answer.)")
    else:
        agree = same_result(built.table, via.table)
        record["agree"] = agree
        if agree:
            built.text += " 内置规划器与 LLM 规划器的结果一致。" if zh else " The built-in and LLM planners agree."
        else:
            built.text += (f"\n内置规划器与 LLM 规划器的结果不一致。LLM 规划器的答案：{via.text}" if zh else
                           f"\nThe built-in and LLM planners disagree. The LLM planner's answer: {via.text}")
            built.warnings.append("planners disagree: compare the two SQL queries in stats['planners']")
    lead.stats["planners"] = record
    return narrate_answer(lead, llm) if llm.narrate else lead
