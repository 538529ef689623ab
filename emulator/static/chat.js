// The emulator's web chat: plays any number of Telegram users against the bot.
// Talks only to the emulator's /api, the same API the tests use.
"use strict";

const state = { userId: null, channel: false, version: null, poll: null };
const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}
const postJson = (path, body) =>
  api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

// Telegram entities (UTF-16 offsets, as JavaScript strings are) to DOM, never through innerHTML.
const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span" };
function renderEntities(text, entities) {
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const build = (start, end, list, parent) => {
    let position = start;
    let index = 0;
    while (index < list.length) {
      const entity = list[index];
      const entityEnd = entity.offset + entity.length;
      parent.append(text.slice(position, entity.offset));
      let element;
      if (entity.type === "text_link" || entity.type === "url") {
        element = document.createElement("a");
        const href = entity.url || text.slice(entity.offset, entityEnd);
        if (/^(https?:|tg:)/.test(href)) element.href = href;
        element.target = "_blank";
        element.rel = "noopener";
      } else {
        element = document.createElement(TAGS[entity.type] || "span");
        if (entity.type === "spoiler") element.className = "spoiler";
      }
      const inner = [];
      index += 1;
      while (index < list.length && list[index].offset < entityEnd) inner.push(list[index++]);
      build(entity.offset, entityEnd, inner, element);
      parent.append(element);
      position = entityEnd;
    }
    parent.append(text.slice(position, end));
  };
  const fragment = document.createDocumentFragment();
  build(0, text.length, sorted, fragment);
  return fragment;
}

function toast(text) {
  const element = document.createElement("div");
  element.className = "toast";
  element.textContent = text;
  document.body.append(element); // over the chat, not in it: the transcript is the bot's alone
  setTimeout(() => element.remove(), 4000);
}

function renderMessage(message) {
  const bubble = document.createElement("div");
  bubble.className = "bubble " + (message.outgoing ? "bot" : "mine");
  bubble.dataset.messageId = message.message_id;
  const photo = message.photo && message.photo[message.photo.length - 1];
  if (photo) {
    const image = document.createElement("img");
    image.src = `/api/files/${encodeURIComponent(photo.file_id)}`;
    image.alt = "photo";
    bubble.append(image);
  }
  if (message.document) bubble.append(`📄 ${message.document.file_name || "file"}\n`);
  if (message.contact) bubble.append(`📇 ${message.contact.first_name} ${message.contact.phone_number}`);
  const body = message.text ?? message.caption;
  if (body !== undefined) bubble.append(renderEntities(body, message.entities || message.caption_entities));
  if (message.edit_date) {
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = "edited";
    bubble.append(meta);
  }
  const keyboard = message.reply_markup && message.reply_markup.inline_keyboard;
  if (keyboard && !state.channel) {
    const container = document.createElement("div");
    container.className = "inline-keyboard";
    for (const row of keyboard) {
      const rowElement = document.createElement("div");
      rowElement.className = "row";
      for (const button of row) {
        const element = document.createElement("button");
        element.textContent = button.text;
        if (button.callback_data !== undefined) {
          element.addEventListener("click", () => tap(message.message_id, button.callback_data));
        } else if (button.url) {
          element.addEventListener("click", () => window.open(button.url, "_blank", "noopener"));
        }
        rowElement.append(element);
      }
      container.append(rowElement);
    }
    bubble.append(container);
  }
  return bubble;
}

function renderReplyKeyboard(markup) {
  const container = $("reply-keyboard");
  container.replaceChildren();
  if (!markup || state.channel) return;
  for (const row of markup.keyboard) {
    const rowElement = document.createElement("div");
    rowElement.className = "row";
    for (const button of row) {
      const text = typeof button === "string" ? button : button.text;
      const element = document.createElement("button");
      element.textContent = text;
      element.addEventListener("click", () =>
        button.request_contact ? act(`/api/users/${state.userId}/contact`, { own: true }) : sendText(text));
      rowElement.append(element);
    }
    container.append(rowElement);
  }
}

// Messages are kept by id: a new one is appended, an edited one replaced where it stands, a
// deleted one removed. Nothing else is redrawn, so what the reader is looking at stays put.
const rendered = new Map(); // message_id → {signature, element}
const NEAR_BOTTOM = 48; // px: a reader this close to the end follows new messages

function render(view) {
  const transcript = $("transcript");
  const following = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < NEAR_BOTTOM;
  const seen = new Set();
  let previous = null;
  for (const message of view.messages) {
    const id = String(message.message_id);
    seen.add(id);
    const signature = JSON.stringify(message);
    const known = rendered.get(id);
    let element = known && known.element;
    if (!known || known.signature !== signature) {
      const fresh = renderMessage(message);
      if (element) element.replaceWith(fresh);
      element = fresh;
      rendered.set(id, { signature, element });
    }
    const expectedPlace = previous ? previous.nextElementSibling : transcript.firstElementChild;
    if (element !== expectedPlace) {
      if (previous) previous.after(element);
      else transcript.prepend(element);
    }
    previous = element;
  }
  for (const [id, known] of rendered) {
    if (!seen.has(id)) {
      known.element.remove();
      rendered.delete(id);
    }
  }
  renderReplyKeyboard(view.reply_keyboard);
  if (following) transcript.scrollTop = transcript.scrollHeight;
}

function clearTranscript() {
  rendered.clear();
  $("transcript").replaceChildren();
}

async function pollLoop(token) {
  while (state.poll === token) {
    const path = state.channel ? "/api/channel" : `/api/users/${state.userId}/transcript`;
    const query = state.version === null ? "" : `?since=${state.version}&wait=25`;
    try {
      const view = await api(path + query, { signal: token.signal });
      if (state.poll !== token) return;
      if (view.version !== state.version) {
        state.version = view.version;
        render(view);
      }
    } catch (error) {
      if (state.poll !== token) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function open(userId, channel = false) {
  if (state.poll) state.poll.abort();
  state.userId = userId;
  state.channel = channel;
  state.version = null;
  clearTranscript();
  document.body.classList.remove("sidebar-open");
  const controller = new AbortController();
  state.poll = controller;
  $("composer").hidden = channel;
  refreshUsers();
  pollLoop(controller);
}

async function act(path, body) {
  try {
    return await postJson(path + "?wait=0", body);
  } catch (error) {
    toast(error.message);
  }
}

async function tap(messageId, data) {
  try {
    const result = await postJson(`/api/users/${state.userId}/callbacks`, { message_id: messageId, data });
    if (result.answer && result.answer.text) {
      if (result.answer.show_alert) alert(result.answer.text);
      else toast(result.answer.text);
    }
  } catch (error) {
    toast(error.message);
  }
}

const sendText = (text) => act(`/api/users/${state.userId}/messages`, { text });

async function upload(kind, file) {
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    await api(`/api/users/${state.userId}/${kind}?wait=0`, { method: "POST", body: form });
  } catch (error) {
    toast(error.message);
  }
}

async function refreshUsers() {
  const users = await api("/api/users");
  const list = $("users");
  list.replaceChildren(...users.map((user) => {
    const item = document.createElement("li");
    item.textContent = `${user.first_name} · ${user.language_code}`;
    item.dataset.userId = user.id;
    if (!state.channel && user.id === state.userId) {
      item.className = "active";
      $("chat-title").textContent = `${user.first_name} (id ${user.id}, ${user.language_code})`;
    }
    item.addEventListener("click", () => open(user.id));
    return item;
  }));
  if (state.channel) $("chat-title").textContent = "📣 Channel";
}

$("new-user").addEventListener("submit", async (event) => {
  event.preventDefault();
  const user = await postJson("/api/users", {
    first_name: $("new-user-name").value, language_code: $("new-user-language").value });
  $("new-user-name").value = "";
  open(user.id);
});
$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message-input").value;
  if (!text.trim()) return;
  $("message-input").value = "";
  sendText(text);
});
$("photo-input").addEventListener("change", (event) => {
  if (event.target.files[0]) upload("photos", event.target.files[0]);
  event.target.value = "";
});
$("document-input").addEventListener("change", (event) => {
  if (event.target.files[0]) upload("documents", event.target.files[0]);
  event.target.value = "";
});
$("show-channel").addEventListener("click", () => open(null, true));
$("play-coordinator").addEventListener("click", async () => {
  if (state.userId === null || state.channel) return toast("Pick a user first");
  const result = await act(`/api/users/${state.userId}/coordinator`, {});
  if (result) toast("This user is a coordinator now: send /coordinator");
});
// "Play a coordinator" only where the bot running here offers it (emulator mode).
api("/api/state").then((info) => { $("play-coordinator").hidden = !info.can_play_coordinator; });
$("toggle-sidebar").addEventListener("click", () => document.body.classList.toggle("sidebar-open"));
// On a phone the user list is a drawer: open at first, so a newcomer can create a user.
document.body.classList.add("sidebar-open");
refreshUsers();
