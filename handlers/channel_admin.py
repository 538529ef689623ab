"""Coordinators' control of the channel: /post_now, /pause_channel, /resume_channel.
Coordinator status is re-checked from configuration on every command."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext

from runtime.channel import ChannelRunner
from services.coordination import Coordination

router = Router(name="channel_admin")


@router.message(Command("post_now"))
async def post_now(
    message: Message, i18n: I18nContext, is_coordinator: bool, channel: ChannelRunner
) -> None:
    """Compose and send what the phase allows now, without waiting for the intervals."""
    if not is_coordinator:
        await message.answer(i18n.get("coordinator-only"))
        return
    # Sending this also commits the update's transaction, which frees SQLite's one connection
    # for the publishing below.
    progress = await message.answer(i18n.get("channel-posting"))
    outcome = await channel.tick(force=True)
    if outcome is None:
        text = i18n.get("channel-not-leader")
    elif outcome.paused:
        text = i18n.get("channel-is-paused")
    else:
        text = i18n.get(
            "channel-posted",
            written=len(outcome.written),
            unchanged=outcome.unchanged,
            quiet=1 if outcome.phase == "quiet" else 0,
        )
    await progress.edit_text(text)


@router.message(Command("pause_channel"))
async def pause_channel(
    message: Message, i18n: I18nContext, is_coordinator: bool, coordination: Coordination
) -> None:
    if not is_coordinator or message.from_user is None:
        await message.answer(i18n.get("coordinator-only"))
        return
    paused = await coordination.pause_channel(message.from_user.id)
    await message.answer(i18n.get("channel-paused" if paused else "channel-already-paused"))


@router.message(Command("resume_channel"))
async def resume_channel(
    message: Message, i18n: I18nContext, is_coordinator: bool, coordination: Coordination
) -> None:
    if not is_coordinator:
        await message.answer(i18n.get("coordinator-only"))
        return
    resumed = await coordination.resume_channel()
    await message.answer(i18n.get("channel-resumed" if resumed else "channel-not-paused"))
