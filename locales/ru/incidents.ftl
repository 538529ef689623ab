### Incident reports (Russian).

incident-button-start = ⚠ Сообщить о нарушении
incident-only-observers = О нарушениях сообщают одобренные наблюдатели. Зарегистрироваться: /observer
incident-ask-precinct = На каком участке?
incident-ask-stage = Когда это произошло — на каком этапе?
incident-ask-category = Что произошло?
incident-ask-time = Когда? Нажмите «Сейчас» или отправьте время сегодня, например 14:35.
incident-button-now = 🕒 Сейчас
incident-time-format = Время нужно в виде ЧЧ:ММ, например 14:35.
incident-time-future = Это время ещё не наступило. Отправьте время, когда это произошло.
incident-ask-description = Опишите, что произошло: кто, что сделал, кто видел. До 2000 символов.
incident-description-too-long = Описание длиннее 2000 символов ({ $length }). Сократите его, пожалуйста.
incident-description-expected = Опишите нарушение текстом.
incident-ask-evidence = Пришлите фото, видео или файлы — сколько нужно. Когда закончите, нажмите «✅ Готово». Без доказательств — «Пропустить».
incident-evidence-received = Получено: { $count }. Ещё файлы или «✅ Готово».
incident-evidence-expected = Пришлите фото, видео или файл, или нажмите «✅ Готово».
incident-button-skip = Пропустить
incident-ask-location = Можно отправить место (кнопка ниже) — или пропустить.
incident-button-location = 📍 Отправить место
incident-location-received = Место получено.
incident-location-skipped = Хорошо, без места.
incident-review =
    <b>Проверьте сообщение</b>
    Участок: № { $number }
    Нарушение: { $category }
    Время: { $time }
    Описание: { $description }
    Доказательства: { $evidence }
    Место: { $location ->
        [1] отправлено
       *[0] нет
    }
incident-button-edit-category = ✏ Нарушение
incident-button-edit-time = ✏ Время
incident-button-edit-description = ✏ Описание
incident-button-edit-evidence = ✏ Доказательства
incident-ask-description-again = Опишите, что произошло, заново: новый текст заменит прежний (до 2000 символов).
incident-ask-more-evidence = Приложено файлов: { $count }. Пришлите ещё фото, видео или файлы, затем нажмите «✅ Готово».
incident-button-remove-evidence = 🗑 Убрать все файлы
incident-button-send = 📨 Отправить
incident-sent = ✅ Сообщение о нарушении отправлено.
incident-sent-critical = ✅ Отправлено. Это срочное нарушение: координаторы уже получили его с доказательствами.
incident-repeat =
    Вы уже сообщали об этом на этом участке { $minutes } мин. назад. Добавить это к прошлому сообщению?
incident-button-merge = ➕ Добавить к прошлому
incident-button-new = 🆕 Отдельное сообщение
incident-merged = ✅ Добавлено к прошлому сообщению.
incident-cancelled = Сообщение о нарушении отменено, ничего не сохранено.
incident-for-coordinators =
    🚨 <b>Срочное нарушение</b>: { $category }
    Участок № { $number } ({ $region }), { $time }
    { $description }

### My reports.

reports-button = 📋 Мои отчёты
reports-title = <b>Мои отчёты</b>
reports-protocol = • Протокол: участок № { $number }, { $level }, версия { $version } — { $status }
reports-incident = • #{ $id } { $time } { $category } — { $status }
reports-none = Вы ещё ничего не отправляли.
reports-button-correct = ✏ Дополнить #{ $id }
reports-button-new-version = 📄 Новая версия протокола
reports-ask-correction = Что добавить к сообщению #{ $id }? Прежний текст сохранится, ваше дополнение добавится к нему.
reports-correction-added = ✅ Дополнение к #{ $id } добавлено.
report-status-received = получено
report-status-flagged = на проверке у координаторов
report-status-verified = проверено
report-status-rejected = отклонено
