"""Drive the emulator as people do: the harness end-to-end tests and benchmarks use.

    user = await emulator_client.new_user("Aigerim", language_code="kk")
    await user.send("/start")
    await user.tap("Қазақша")
    assert "Басты мәзір" in user.last_message

Every action waits until the bot has finished handling it (the emulator knows), then reloads
the chat, so assertions read what the user now sees.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp


class EmulatorError(AssertionError):
    """The emulator refused an action (e.g. tapping a button that is not there)."""


class EmulatorClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.http.close()

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        async with self.http.request(method, self.base_url + path, **kwargs) as response:
            body = await response.text()
            if response.status >= 400:
                raise EmulatorError(f"{method} {path}: {response.status} {body}")
            return json.loads(body) if body else None

    async def new_user(
        self, first_name: str, language_code: str = "ru", user_id: int | None = None
    ) -> EmulatedUserClient:
        body: dict[str, Any] = {"first_name": first_name, "language_code": language_code}
        if user_id is not None:
            body["id"] = user_id
        data = await self.request("POST", "/api/users", json=body)
        user = EmulatedUserClient(self, data)
        await user.refresh()
        return user

    @property
    def channel(self) -> ChannelClient:
        return ChannelClient(self)

    async def set_rate_limits(self, **limits: Any) -> dict[str, Any]:
        return await self.request("POST", "/api/control/rate-limits", json=limits)

    async def set_faults(self, mode: str, count: int = 1, **options: Any) -> dict[str, Any]:
        return await self.request(
            "POST", "/api/control/faults", json={"mode": mode, "count": count, **options}
        )

    async def stats(self) -> dict[str, Any]:
        return await self.request("GET", "/api/control/stats")


class EmulatedUserClient:
    def __init__(self, client: EmulatorClient, data: dict[str, Any]) -> None:
        self.client = client
        self.id: int = data["id"]
        self.first_name: str = data["first_name"]
        self.messages: list[dict[str, Any]] = []
        self.reply_keyboard: dict[str, Any] | None = None
        self.last_answer: dict[str, Any] | None = None
        self.last_settled = True

    # --- acting -----------------------------------------------------------------------------

    async def send(self, text: str) -> None:
        await self._act("messages", json={"text": text})

    async def tap(self, button_text: str) -> None:
        """Tap the inline button with this text on the newest message that has one."""
        for message in reversed(self.bot_messages):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == button_text and "callback_data" in button:
                        await self.tap_data(message["message_id"], button["callback_data"])
                        return
        raise EmulatorError(f"no button {button_text!r}; buttons now: {self.buttons}")

    async def tap_data(self, message_id: int, data: str, forge: bool = False) -> None:
        result = await self._act(
            "callbacks", json={"message_id": message_id, "data": data, "forge": forge}
        )
        self.last_answer = result.get("answer")

    async def press(self, reply_button_text: str) -> None:
        """Press a reply-keyboard button (the keyboard under the input field)."""
        for row in (self.reply_keyboard or {}).get("keyboard", []):
            for button in row:
                text = button if isinstance(button, str) else button["text"]
                if text == reply_button_text:
                    if isinstance(button, dict) and button.get("request_contact"):
                        await self.share_contact()
                    elif isinstance(button, dict) and button.get("request_location"):
                        await self.share_location(43.2380, 76.9450)
                    else:
                        await self.send(text)
                    return
        raise EmulatorError(f"no reply button {reply_button_text!r}")

    async def share_contact(self, own: bool = True, **contact: Any) -> None:
        await self._act("contact", json={"own": own, **contact})

    async def share_location(self, latitude: float, longitude: float) -> None:
        await self._act("location", json={"latitude": latitude, "longitude": longitude})

    async def send_video(self, path: str | Path) -> None:
        """A video file, as Telegram delivers a video sent from the gallery."""
        await self._upload("videos", [Path(path)], None)

    async def send_photo(self, path: str | Path, caption: str | None = None) -> None:
        await self._upload("photos", [Path(path)], caption)

    async def send_document(self, path: str | Path, caption: str | None = None) -> None:
        await self._upload("documents", [Path(path)], caption)

    async def send_album(self, paths: list[str | Path], caption: str | None = None) -> None:
        await self._upload("album", [Path(p) for p in paths], caption)

    async def block_bot(self, blocked: bool = True) -> None:
        await self.client.request("PATCH", f"/api/users/{self.id}", json={"blocked_bot": blocked})

    async def _upload(self, kind: str, paths: list[Path], caption: str | None) -> None:
        form = aiohttp.FormData()
        for path in paths:
            form.add_field("file", path.read_bytes(), filename=path.name)
        if caption:
            form.add_field("caption", caption)
        await self._act(kind, data=form)

    async def _act(self, kind: str, **kwargs: Any) -> dict[str, Any]:
        result = await self.client.request("POST", f"/api/users/{self.id}/{kind}", **kwargs)
        self.last_settled = bool(result.get("settled"))
        if not self.last_settled:
            raise EmulatorError(f"the bot did not finish handling {kind} in time")
        await self.refresh()
        return result

    # --- seeing -----------------------------------------------------------------------------

    async def refresh(self) -> None:
        view = await self.client.request("GET", f"/api/users/{self.id}/transcript")
        self.messages = view["messages"]
        self.reply_keyboard = view["reply_keyboard"]

    @property
    def bot_messages(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["outgoing"]]

    @property
    def last_message(self) -> str:
        """Text (or caption) of the bot's newest message, as the user reads it."""
        if not self.bot_messages:
            raise EmulatorError("the bot has not written anything")
        message = self.bot_messages[-1]
        return message.get("text") or message.get("caption") or ""

    @property
    def texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.bot_messages]

    @property
    def buttons(self) -> list[str]:
        """Inline buttons of the bot's newest message that has any."""
        for message in reversed(self.bot_messages):
            keyboard = message.get("reply_markup", {}).get("inline_keyboard")
            if keyboard:
                return [button["text"] for row in keyboard for button in row]
        return []


class ChannelClient:
    def __init__(self, client: EmulatorClient) -> None:
        self.client = client

    async def posts(self) -> list[dict[str, Any]]:
        view = await self.client.request("GET", "/api/channel")
        return view["messages"]
