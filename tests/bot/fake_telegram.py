"""A fake Telegram Bot API server on 127.0.0.1, speaking real HTTP.

Written for Vigie's tests. python-telegram-bot talks to it through its
``base_url`` exactly as to Telegram: form-encoded POSTs to
``/bot<token>/<method>``, JSON answers ``{"ok": ..., "result": ...}``. It keeps
each private chat's messages (ids counted per chat as Telegram does for bots),
parses the bot's HTML into text and entities, refuses what Telegram refuses
(text over 4,096 characters, callback data over 64 bytes, broken HTML, an edit
that changes nothing, a message older than 48 hours to delete), and plays the
user's side: messages, edits, button presses, stickers and other kinds. A test
can make a chat block the bot (403) or have flood control answer 429 with
``retry_after``.

Methods: getMe, getUpdates, sendMessage, editMessageText,
editMessageReplyMarkup, deleteMessage, deleteMessages, answerCallbackQuery,
setMyCommands, getMyCommands, deleteWebhook, setWebhook, getWebhookInfo.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

TOKEN = "123456789:AAEfakefakefakefakefakefakefakefake0"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Vigie", "username": "vigie_test_bot"}
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"}
_JSON_PARAMS = {
    "reply_markup",
    "commands",
    "scope",
    "allowed_updates",
    "message_ids",
    "link_preview_options",
    "drop_pending_updates",
    "show_alert",
    "disable_notification",
}
_FORTY_EIGHT_HOURS = 48 * 3600


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline"}


class _Html(HTMLParser):
    """Telegram's HTML subset -> text and entities (offsets in UTF-16 units)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.open: list[tuple[str, int, dict[str, Any]]] = []

    def _units(self) -> int:
        return len(self.text.encode("utf-16-le")) // 2

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS and tag != "a":
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
            )
        extra = {"url": dict(attrs).get("href", "")} if tag == "a" else {}
        self.open.append((tag, self._units(), extra))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise ApiError(400, "Bad Request: can't parse entities: unmatched end tag")
        _, start, extra = self.open.pop()
        kind = "text_link" if tag == "a" else _TAGS[tag]
        if self._units() > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self._units() - start, **extra}
            )

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    parser = _Html()
    parser.feed(text)
    parser.close()
    if parser.open:
        raise ApiError(400, "Bad Request: can't parse entities: unclosed tag")
    return parser.text, sorted(parser.entities, key=lambda e: e["offset"])


@dataclass
class ChatLog:
    """One private chat as Telegram keeps it."""

    chat_id: int
    language: str = "fr"
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 1
    blocked: bool = False

    def add(self, message: dict[str, Any]) -> dict[str, Any]:
        message["message_id"] = self.next_id
        self.next_id += 1
        self.messages[message["message_id"]] = message
        return message


class FakeTelegram:
    """The server and the users' side. Use as a context manager or start()/stop()."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.lock = threading.Condition()
        self.chats: dict[int, ChatLog] = {}
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self.callback_answers: list[dict[str, Any]] = []
        #: method -> how many of its next calls answer 429.
        self.flood: dict[str, int] = {}
        self.retry_after = 1
        self.now = time.time
        self._server: ThreadingHTTPServer | None = None
        self._closing = False

    # -- server -----------------------------------------------------------------------

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer and no Nagle delay: without these, each call waits
            # for the client's delayed ACK (about 40 ms), as a naive server would.
            wbufsize = -1
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._answer(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length))

            def _answer(self, body: bytes) -> None:
                status, payload = fake.handle(self.path, self.headers.get("Content-Type", ""), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                """A client that hung up at shutdown is no error of the fake."""

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.base_url

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def stop(self) -> None:
        with self.lock:
            self._closing = True
            self.lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path.split("?")[0])
        if match is None or match.group(1) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = match.group(2)
        params = self._params(content_type, body)
        with self.lock:
            self.calls.append((method, params))
            left = self.flood.get(method, 0)
            if left:
                self.flood[method] = left - 1
                return 429, self._error(
                    ApiError(
                        429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after
                    )
                )
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            return 200, {"ok": True, "result": handler(params)}
        except ApiError as error:
            return error.code, self._error(error)

    @staticmethod
    def _error(error: ApiError) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.retry_after is not None:
            payload["parameters"] = {"retry_after": error.retry_after}
        return payload

    @staticmethod
    def _params(content_type: str, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        if content_type.startswith("application/json"):
            loaded = json.loads(body)
            return loaded if isinstance(loaded, dict) else {}
        params: dict[str, Any] = {}
        for key, value in parse_qsl(body.decode(), keep_blank_values=True):
            if key in _INT_PARAMS and re.fullmatch(r"-?\d+", value):
                params[key] = int(value)
            elif key in _JSON_PARAMS:
                params[key] = json.loads(value)
            else:
                params[key] = value
        return params

    # -- the Bot API ------------------------------------------------------------------

    def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **BOT_USER,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset, limit = params.get("offset", 0), min(params.get("limit", 100), 100)
        deadline = time.monotonic() + min(float(params.get("timeout", 0)), 5.0)
        with self.lock:
            if self.webhook["url"]:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.lock.wait(left)
            return self.updates[:limit]

    def _chat(self, params: dict[str, Any]) -> ChatLog:
        chat_id = params.get("chat_id")
        with self.lock:
            chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
            if chat is None:
                raise ApiError(400, "Bad Request: chat not found")
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            return chat

    def _check_markup(self, markup: Any) -> None:
        if markup is None:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def _content(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        raw = params.get("text", "")
        text, entities = parse_html(raw) if params.get("parse_mode") == "HTML" else (raw, [])
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities

    def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        text, entities = self._content(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        message: dict[str, Any] = {
            "date": int(self.now()),
            "chat": _chat_json(chat),
            "from": BOT_USER,
            "text": text,
        }
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        with self.lock:
            return dict(chat.add(message))

    def _bot_message(self, chat: ChatLog, params: dict[str, Any]) -> dict[str, Any]:
        message = chat.messages.get(params.get("message_id", -1))
        if message is None or message.get("deleted"):
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"] is not BOT_USER:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        text, entities = self._content(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        with self.lock:
            message = self._bot_message(chat, params)
            if (
                message["text"] == text
                and message.get("entities", []) == entities
                and message.get("reply_markup") == markup
            ):
                raise ApiError(400, "Bad Request: message is not modified")
            message.update(text=text, entities=entities, edit_date=int(self.now()))
            _set_markup(message, markup)
            return dict(message)

    def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        with self.lock:
            message = self._bot_message(chat, params)
            if message.get("reply_markup") == (markup or None):
                raise ApiError(400, "Bad Request: message is not modified")
            _set_markup(message, markup)
            message["edit_date"] = int(self.now())
            return dict(message)

    def _delete(self, chat: ChatLog, message_id: int) -> bool:
        message = chat.messages.get(message_id)
        if message is None or message.get("deleted"):
            return False
        if self.now() - message["date"] > _FORTY_EIGHT_HOURS:
            return False
        message["deleted"] = True
        return True

    def api_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        with self.lock:
            if not self._delete(chat, params.get("message_id", -1)):
                raise ApiError(400, "Bad Request: message can't be deleted")
        return True

    def api_deleteMessages(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message_ids must contain 1-100 identifiers")
        with self.lock:
            for message_id in ids:
                self._delete(chat, message_id)
        return True

    def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(params.get("text", "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        with self.lock:
            self.callback_answers.append(params)
        return True

    def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(
            1 <= len(c.get("description", "")) <= 256 for c in commands
        ):
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        with self.lock:
            self.commands[params.get("language_code", "")] = commands
        return True

    def api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(params.get("language_code", ""), [])

    def api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        with self.lock:
            self.webhook = {"url": ""}
            if params.get("drop_pending_updates"):
                self.updates.clear()
        return True

    def api_setWebhook(self, params: dict[str, Any]) -> bool:
        with self.lock:
            self.webhook = {
                "url": params.get("url", ""),
                "secret_token": params.get("secret_token"),
            }
        return True

    def api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    # -- the users' side ----------------------------------------------------------------

    def chat(self, chat_id: int, language: str = "fr") -> ChatLog:
        with self.lock:
            if chat_id not in self.chats:
                self.chats[chat_id] = ChatLog(chat_id, language)
            return self.chats[chat_id]

    def _user(self, chat: ChatLog) -> dict[str, Any]:
        return {
            "id": chat.chat_id,
            "is_bot": False,
            "first_name": "Résident",
            "language_code": chat.language,
        }

    def _update(self, payload: dict[str, Any], *, queue: bool) -> dict[str, Any]:
        with self.lock:
            update = {"update_id": next(self._update_ids), **payload}
            if queue:
                self.updates.append(update)
                self.lock.notify_all()
            return update

    def user_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        queue: bool = False,
        language: str | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """The user sends a message (text, or other content such as ``sticker={...}``)."""
        chat = self.chat(chat_id, language or "fr")
        message: dict[str, Any] = {
            "date": int(self.now()),
            "chat": _chat_json(chat),
            "from": self._user(chat),
            **content,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {
                        "type": "bot_command",
                        "offset": 0,
                        "length": len(command.encode("utf-16-le")) // 2,
                    }
                ]
        with self.lock:
            chat.add(message)
        return self._update({"message": dict(message)}, queue=queue)

    def user_edit(
        self, chat_id: int, message_id: int, text: str, *, queue: bool = False
    ) -> dict[str, Any]:
        chat = self.chat(chat_id)
        with self.lock:
            message = chat.messages[message_id]
            message.update(text=text, edit_date=int(self.now()))
        return self._update({"edited_message": dict(message)}, queue=queue)

    def user_press(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        queue: bool = False,
        from_id: int | None = None,
    ) -> dict[str, Any]:
        """The user presses a button carrying ``data`` on message ``message_id``."""
        chat = self.chat(chat_id)
        with self.lock:
            message = dict(chat.messages[message_id])
        user = self._user(chat) if from_id is None else {**self._user(chat), "id": from_id}
        query = {
            "id": f"{chat_id}-{next(self._query_ids)}",
            "from": user,
            "message": message,
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        return self._update({"callback_query": query}, queue=queue)

    # -- reading a chat -----------------------------------------------------------------

    def visible(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat's messages not deleted, in order."""
        with self.lock:
            return [dict(m) for m in self.chat(chat_id).messages.values() if not m.get("deleted")]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.visible(chat_id) if m["from"] is BOT_USER or m["from"] == BOT_USER]

    def buttons(self, message: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            yield from row


def _chat_json(chat: ChatLog) -> dict[str, Any]:
    return {"id": chat.chat_id, "type": "private", "first_name": "Résident"}


def _set_markup(message: dict[str, Any], markup: Any) -> None:
    if markup and markup.get("inline_keyboard"):
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


class InProcessRequest(BaseRequest):
    """python-telegram-bot's Bot API client handing each call to a fake's handler directly.

    The same form-encoded parameters and JSON answers as over HTTP, without the
    sockets: for the tests that send thousands of updates (the fuzz test, the
    answer table). Every other test talks to the fake over real HTTP.
    """

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        parameters = request_data.json_parameters if request_data is not None else {}
        body = urlencode(parameters).encode()
        form = "application/x-www-form-urlencoded"
        status, payload = self.fake.handle(urlsplit(url).path, form, body)
        return status, json.dumps(payload).encode()
