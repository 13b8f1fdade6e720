"""A small OpenAI-compatible server on 127.0.0.1 for the LLM planner's tests: real HTTP, scripted replies.

``FakeOpenAI()`` starts ``http.server`` in a thread on a free loopback port; ``url`` is its ``/v1`` base.
``script(key, *replies)`` queues replies for requests whose first user message asks ``key`` (the question);
the last reply repeats once the queue is down to one. A reply is the assistant's text, or a dict:
``{"status": 500}`` (an HTTP error), ``{"sleep": 2.0, "content": ...}`` (answer late). ``json_mode=False``
makes the server answer 400 to ``response_format`` as servers without JSON mode do. Every request body is
kept in ``requests`` so tests can read exactly what left shuxi.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    def __init__(self, *, json_mode: bool = True, models: tuple[str, ...] = ("fake-model",)) -> None:
        self.json_mode = json_mode
        self.models = list(models)
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._scripts: dict[str, list[Any]] = {}
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

            def do_GET(self) -> None:  # noqa: N802
                owner.paths.append(self.path)
                if self.path.rstrip("/").endswith("/v1/models"):
                    self._send(200, {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "test"}
                                                                 for m in owner.models]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                owner.paths.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                owner.requests.append(body)
                if not self.path.rstrip("/").endswith("/v1/chat/completions"):
                    self._send(404, {"error": {"message": "not found"}})
                    return
                if "response_format" in body and not owner.json_mode:
                    self._send(400, {"error": {"message": "response_format is not supported", "type": "invalid"}})
                    return
                reply = owner._next(body)
                if isinstance(reply, dict):
                    if "sleep" in reply:
                        time.sleep(reply["sleep"])
                    if "status" in reply:
                        self._send(reply["status"], {"error": {"message": f"scripted {reply['status']}"}},
                                   {"retry-after-ms": "10"})
                        return
                    reply = reply.get("content", "")
                self._send(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body.get("model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": reply}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                })

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, key: str, *replies: Any) -> None:
        """Queue ``replies`` for requests about question ``key`` (or, without a question, containing ``key``)."""
        with self._lock:
            self._scripts[key] = list(replies)

    def _next(self, body: dict[str, Any]) -> Any:
        users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
        first = users[0] if users else ""
        with self._lock:
            # Longest key first, so "price" never answers for "average price".
            for key in sorted(self._scripts, key=len, reverse=True):
                if f"Question: {key}\n" in first or ("Question:" not in first and key in first):
                    queue = self._scripts[key]
                    return queue.pop(0) if len(queue) > 1 else queue[0]
        return ""

    def chats(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
