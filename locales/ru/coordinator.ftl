### Coordinators: queues, cards, decisions, what is missing, exports (Russian).

coordinator-queues =
    <b>Ждут решения</b>
    🚩 Не сходится контроль: { $flagged }
    ⚔ Копии наблюдателей расходятся: { $conflict }
    ⚠ Нарушения на проверке: { $incidents }
    👁 Заявки наблюдателей: { $requests }
queue-button-flagged = 🚩 Не сходится ({ $count })
queue-button-conflict = ⚔ Расхождения ({ $count })
queue-button-incidents = ⚠ Нарушения ({ $count })
queue-button-requests = 👁 Заявки ({ $count })
coordinator-button-missing = 📭 Чего не хватает
coordinator-button-exports = 📤 Выгрузки
coordinator-button-home = ⬅ Координатору

queue-title-flagged = <b>🚩 Протоколы, где не сходится контроль: { $count }</b>
queue-title-conflict = <b>⚔ Участки, где копии наблюдателей расходятся: { $count }</b>
queue-title-incidents = <b>⚠ Нарушения на проверке: { $count }</b> (сначала критические)
queue-title-requests = <b>👁 Заявки наблюдателей: { $count }</b>
queue-page = Страница { $page } из { $pages }, сначала самые давние. Нажмите, чтобы открыть.
queue-empty = Очередь пуста.
queue-case-item = № { $number } · { $region } · { $level }
queue-incident-item = { $critical ->
        [1] ❗
       *[other] •
    } { $category } · № { $number } · { $at }
queue-request-item = Заявка от { $at } (id { $id })
queue-filter-level = Уровень: { $level }
queue-filter-region = Регион: { $region }
queue-all-levels = все
queue-all-regions = Все регионы
queue-pick-region = Выберите регион (в скобках — сколько там ждёт решения):

case-title =
    <b>Участок № { $number } ({ $region }), { $level }</b>
    Статус: { $status }
case-status-counted = учитывается в итогах
case-status-flagged = на проверке: не сходится контроль
case-status-conflict = копии расходятся, не учитывается
case-status-rejected = отклонён, не учитывается
case-copy = Копия { $letter }: версия { $version }, { $at }, { $state }
case-failing =
    Не сходится в копии { $letter }:
    { $problems }
case-reason = Объяснение наблюдателя (копия { $letter }): «{ $reason }»
case-header-precinct = ⚠ Копия { $letter }: в шапке протокола на фото — участок № { $read }. Возможно, сфотографирован протокол другого участка.
case-counted-note = ✏ — цифра координатора; копии наблюдателей хранятся как были присланы.
case-decided = ✅ Готово. Теперь: { $status }.
case-already-decided = Уже решено (возможно, другим координатором) или копия заменена новой версией.
case-not-found = Не найдено: возможно, данные удалены по просьбе наблюдателя.
case-button-open = 🔎 Открыть карточку
case-button-verify = ✅ Подтвердить
case-button-reject = ❌ Отклонить
case-button-ask = 💬 Написать наблюдателю
case-button-photos = 🖼 Фото страниц
case-button-correct = ✏ Исправить цифру
case-button-queue = ⬅ К очереди
case-button-back = ⬅ Назад
case-ask-reject-reason = Почему копия отклоняется? Выберите причину или напишите свою.
case-reject-wrong-precinct = Не тот участок или уровень
case-reject-unreadable = На фото не разобрать цифры
case-reject-not-a-copy = Это не копия протокола
case-reject-duplicate = Повтор другой копии
case-note-too-long = Не длиннее { $limit } символов, пожалуйста.
case-ask-line = Какую строку исправить?
case-ask-figure = { $line }. <b>{ $label }</b>: введите верное число.
case-ask-figure-reason = Почему эта цифра (например: «по фото протокола», «уточнили у наблюдателя»)? Причина сохранится вместе с исправлением.
case-ask-message = Напишите сообщение наблюдателю. Он получит его на своём языке вместе с кнопкой «Отправить протокол».
case-message-to-observer =
    <b>Сообщение координаторов</b> о протоколе участка № { $number } ({ $level }):
    { $text }
case-message-sent = 💬 Сообщение отправлено наблюдателю.
case-observer-gone = Наблюдатель удалил свои данные: написать ему нельзя.
case-observer-unreachable = Сообщение не доставлено: наблюдатель остановил бота.
case-no-photos = У этой копии нет фото.
case-photos-caption = Участок № { $number }, версия { $version }

incident-card =
    <b>{ $category }</b> ({ $severity })
    Участок № { $number } ({ $region }), { $at }
    Статус: { $status }

    { $description }

    Доказательств: { $evidence }{ $location }
incident-card-location = {"\u000A"}Место: { $lat }, { $lon }
incident-severity-minor = незначительное
incident-severity-major = серьёзное
incident-severity-critical = критическое
incident-card-button-evidence = 📎 Доказательства ({ $count })
incident-card-evidence-gone = Одно из доказательств больше недоступно (сообщение удалено).

missing-title = <b>📭 Чего не хватает</b> (молчат — не присылали ничего { $hours } ч)
missing-region =
    <b>{ $region }</b>: без наблюдателя — { $unobserved }; нет протокола — { $levels }; молчат наблюдателей — { $silent }
missing-nothing = Всё на месте: у каждого участка есть наблюдатель и протоколы.

exports-title = Что выгрузить? Файл придёт сюда; он без персональных данных (выгрузки с ними — командой на сервере, в журнале).
export-button = { $what ->
        [protocols] Протоколы
        [incidents] Нарушения
        [observers] Наблюдатели
       *[other] Расхождения
    } · { $format }
export-done = Строк: { $rows }.

help-coordinator =
    <b>Координаторам</b>
    /coordinator — очереди (не сходится, расхождения, нарушения, заявки), чего не хватает, выгрузки
    /post_now, /pause_channel, /resume_channel — канал
    На сервере: <code>bot.py import official</code>, <code>bot.py export protocols|incidents|discrepancies</code>

coordinator-button-broadcast = 📣 Рассылка наблюдателям
broadcast-ask-audience = Кому отправить сообщение?
broadcast-to-all = 👁 Всем наблюдателям
broadcast-to-region = 🗺 Наблюдателям региона
broadcast-to-precincts = 🔢 Наблюдателям участков по номерам
broadcast-to-missing = 📭 Кто не прислал: { $level }
broadcast-ask-numbers = Напишите номера участков через пробел или запятую, например: 12, 15, 101.
broadcast-numbers-invalid = Нужны только номера участков, например: 12, 15, 101.
broadcast-ask-text = Напишите сообщение (до { $limit } символов). Каждый получит его с заголовком на своём языке.
broadcast-message = 📣 <b>Сообщение координаторов HAQ</b>
broadcast-preview = Так его увидят наблюдатели. Получателей: { $count }.
broadcast-button-send = 📨 Отправить ({ $count })
broadcast-button-cancel = ✖ Не отправлять
broadcast-cancelled = Рассылка отменена, ничего не отправлено.
broadcast-progress = 📣 Рассылка: отправлено { $done } из { $total }…
broadcast-finished =
    📣 Рассылка завершена: { $total } получателей.
    Доставлено: { $sent }; остановили бота: { $blocked }; не удалось: { $failed }.

coordinator-button-official = ⚖ Официальные итоги
official-title = <b>⚖ Официальные итоги по участкам</b>
official-level = • { $level }: загружено { $rows } участков ({ $at })
official-level-none = • { $level }: ещё не загружено
official-button-import = 📥 Загрузить: { $level }
official-button-report = ⚖ Расхождения: { $level }
official-ask-file =
    Пришлите файл CSV или XLSX с официальными итогами ({ $level }), по строке на участок. Столбцы:
    <code>{ $columns }</code>
    Новый файл заменит прежний (прежний сохранится в истории). Если хоть одна строка с ошибкой, не загрузится ничего.
official-not-a-table = Нужен файл CSV или XLSX (до 20 МБ) — отправьте его как файл.
official-refused = ❌ Ничего не загружено: ошибок — { $count }.
    { $errors }{ $more ->
        [0] {""}
       *[other] {"\u000A"}…и ещё { $more }
    }
    Исправьте файл и пришлите снова.
official-imported = ✅ Загружено участков: { $rows }.
official-report =
    <b>⚖ Расхождения: { $level }</b>
    Сравнено участков (есть и учтённый протокол наблюдателей, и официальные цифры): { $compared }; расходятся: { $differing }.

    <b>Голоса по партиям на этих участках</b> (наблюдатели → официально):
    { $moved }

    Участки с наибольшими расхождениями:
official-moved-line = • { $party }: { $observed } → { $official } ({ $difference })
official-precinct-item = № { $number } · { $region } · расхождение { $gap }
official-precinct =
    <b>Участок № { $number } ({ $region }), { $level }</b>
    Строка: наблюдатели / официально (разница)
    { $lines }
official-line = { $mark }{ $label }: { $observed } / { $official } ({ $difference })
official-error-line = Строка { $line }: { $problems }
official-error-no-lines = в файле нет строк
official-error-missing-columns = не хватает столбцов { $columns }
official-error-unknown-columns = лишние столбцы { $columns }
official-error-unreadable = это не читаемый файл CSV или XLSX
official-error-bad-number = «{ $value }» — не номер участка
official-error-unknown-precinct = участка № { $number } в регионе «{ $region }» нет в справочнике
official-error-bad-count = { $key }: «{ $value }» — не число
official-error-duplicate = тот же участок уже в строке { $line }
