### Start, language, main menu, help and errors (Russian).

language-prompt = Тілді таңдаңыз · Выберите язык
language-button-kk = Қазақша
language-button-ru = Русский
language-saved = Язык бота: русский. Сменить его можно в любой момент командой /language.

language-guessed = Язык бота — русский, как в вашем Telegram. Удобнее на казахском? Одно нажатие ниже, или /language в любой момент.

welcome =
    <b>HAQ</b> — бот независимого наблюдения за выборами.
    Здесь наблюдатели отправляют копии протоколов и сообщают о нарушениях, а сторонники подписывают петиции движения.
deep-link-invalid = Ссылка, по которой вы пришли, не распознана. Ничего страшного: всё доступно из меню.

menu-title = Главное меню. Выберите действие:
button-menu = ⬅ Меню
menu-button-petitions = 📜 Петиции
menu-button-observer = 👁 Наблюдателю
menu-button-mydata = 🔒 Мои данные
menu-button-language = 🌐 Қазақша
menu-button-help = ❓ Помощь
menu-button-coordinator = 🛠 Координатору

help-text =
    <b>Помощь</b>
    /start — главное меню
    /petitions — петиции движения
    /observer — регистрация наблюдателя; /protocol, /incident, /myreports — для наблюдателей
    /mydata — что бот знает о вас; /forget — удалить это
    /language — сменить язык (қазақша / русский)
    /cancel — прервать текущее действие; то, что вы уже отправили, сохранится
    /help — эта справка

    Бот не публикует имён наблюдателей и подписавших: в канале { $channel } только сводные цифры.

cancel-done = Действие прервано. Всё, что вы уже отправили, сохранено.
cancel-confirm = Прервать и удалить то, что вы начали (фото, введённые цифры)? Отправленное раньше останется.
cancel-button-discard = Да, прервать
cancel-button-keep = Нет, продолжить
cancel-kept = Хорошо, продолжайте с того же места.
cancel-nothing = Сейчас нечего отменять.
unknown-input = Я не понял это сообщение. Выберите действие в меню или отправьте /help.
error-unavailable = Сервис временно недоступен. Всё, что вы уже отправили, сохранено — повторите последнее действие через минуту.
error-generic = Что-то пошло не так на нашей стороне. То, что вы уже отправили, сохранено — попробуйте ещё раз через минуту.
error-dialog-restarted = Бот обновился, и этот диалог нельзя продолжить с того места, где вы остановились. Начните его заново из меню. Всё, что вы уже отправили раньше, сохранено.
button-outdated = Эта кнопка устарела. Вот актуальное меню.

coordinator-only = Это действие доступно только координаторам.
coordinator-overview =
    <b>Координатору</b>
    Всего { $total } { $total ->
        [one] пользователь
        [few] пользователя
       *[many] пользователей
    }
    — бот говорит с ними по-казахски: { $kazakh }
    — по-русски: { $russian }
    — язык ещё не выбран: { $undecided }
    Наблюдателей: { $observers }

command-start = Главное меню
command-language = Сменить язык
command-help = Помощь
command-cancel = Прервать текущее действие
command-petitions = Петиции
command-mydata = Мои данные в боте
command-forget = Удалить мои данные
command-observer = Регистрация наблюдателя
command-protocol = Отправить протокол
command-incident = Сообщить о нарушении
command-myreports = Мои отчёты
command-results = Итоги по протоколам наблюдателей
command-coordinator = Координатору: очереди, проверка, рассылки
command-post-now = Опубликовать в канал сейчас
command-pause-channel = Приостановить публикации в канале
command-resume-channel = Возобновить публикации в канале
