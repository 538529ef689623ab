### Protocol checks (Russian): what a failed control relation means.

check-received-balance = Полученных бюллетеней не столько, сколько выдано и погашено вместе.
check-boxes-balance = Голоса за партии, «против всех» и недействительные бюллетени в сумме не равны числу бюллетеней в ящиках.
check-boxes-not-over-issued = В ящиках больше бюллетеней, чем выдано избирателям.
check-issued-not-over-voters = Выдано больше бюллетеней, чем избирателей в списках.
check-few-ballots-missing = Выданных бюллетеней заметно больше, чем найдено в ящиках.
check-turnout-not-round = Явка получается ровно целым числом процентов — проверьте цифры.

### Protocol submission (Russian).

protocol-button-start = 📄 Отправить протокол
protocol-only-observers = Протоколы отправляют одобренные наблюдатели. Зарегистрироваться: /observer
protocol-ask-precinct = Протокол какого участка?
protocol-precinct-button = № { $number }, { $region }
protocol-ask-level = Какой уровень выборов?
protocol-ask-photos = Сфотографируйте каждую страницу протокола и отправьте. Лучше файлом (📎 → Файл): так сохраняется полное качество. Когда все страницы отправлены, нажмите «✅ Готово».
protocol-page-received = Страница { $count } получена. Отправьте следующую или нажмите «✅ Готово».
protocol-too-many-pages = В протоколе не бывает больше { $most } страниц: эта страница не добавлена. Нажмите «✅ Готово», чтобы я прочитал присланные, или «✖ Отмена», чтобы начать заново.
protocol-pages-received = Страницы { $first }–{ $last } получены. Отправьте следующую или нажмите «✅ Готово».
protocol-page-refused = Эта страница не добавлена: { $reason }
protocol-not-an-image = Это не изображение. Отправьте снимок протокола: как фото или файлом JPEG, PNG, WebP.
protocol-file-too-large = Файл больше 20 МБ, бот не может его принять. Отправьте снимок поменьше или как фото.
protocol-video-refused = Видео не подходит: нужен снимок протокола.
protocol-photo-expected = Отправьте снимок страницы протокола или нажмите «✅ Готово».
protocol-no-photos-yet = Сначала отправьте хотя бы одну страницу протокола.
protocol-reading = 🔍 Читаю протокол ({ $pages } стр.)…
protocol-type-lines = Цифры не удалось прочитать автоматически. Введите каждую строку, как в протоколе.
protocol-button-all-at-once = ⌨ Все цифры одним сообщением
protocol-button-one-by-one = ⬅ По одной строке
protocol-all-at-once =
    Отправьте все { $total } чисел одним сообщением, по порядку строк: каждое с новой строки (или в одну строку через пробел). Номер строки перед числом можно оставить: «7. 300».
    { $lines }
protocol-all-at-once-count = Нашёл чисел: { $found }, а строк в протоколе: { $total }. Отправьте все числа заново, каждое с новой строки: так пропущенное или лишнее число не сдвинет остальные.
protocol-all-at-once-line = Строка { $line }: { $reason } Отправьте все числа заново.
protocol-button-done = ✅ Готово
protocol-button-cancel = ✖ Отмена
protocol-button-back = ⬅ Назад
protocol-ask-line =
    { $line }. <b>{ $label }</b>
    Введите число, как в протоколе ({ $position } из { $total }).
protocol-count-not-a-number = Нужно число из цифр, например 1234 или 1 234.
protocol-count-negative = Число не может быть отрицательным.
protocol-count-too-large = Слишком большое число для участка. Проверьте его.
protocol-review =
    <b>Проверьте протокол</b>: участок № { $number }, { $level }
    { $lines }
protocol-review-line = { $mark }{ $line }. { $label }: <b>{ $value }</b>
protocol-review-problems =
    ⚠ Не сходится:
    { $problems }
protocol-review-notes =
    ℹ Обратите внимание:
    { $notes }
protocol-review-ok = ✅ Контрольные соотношения сходятся.
protocol-review-hint = Нажмите номер строки, чтобы исправить её.
protocol-button-confirm = ✅ Всё верно, отправить
protocol-ask-reason = Цифры не сходятся. Если в протоколе действительно так записано, отправьте короткое объяснение (например: «так записано в протоколе»): протокол уйдёт координаторам на проверку. Или исправьте строку.
protocol-button-fix = ✏ Исправить строки
protocol-reason-too-long = Объяснение должно быть не длиннее 500 символов.
protocol-saved = ✅ Протокол сохранён (версия { $version }).
protocol-saved-flagged = ✅ Протокол сохранён (версия { $version }) и передан координаторам на проверку.
protocol-saved-conflict = ✅ Протокол сохранён (версия { $version }). Ваши цифры отличаются от копии другого наблюдателя этого участка: координаторы сравнят копии с фото и решат, какие учитывать.
protocol-conflict-for-coordinators = • Цифры отличаются от копии другого наблюдателя этого участка.
protocol-differences =
    Отличия от версии { $previous }:
    { $list }
protocol-difference-line = • { $label }: { $old } → { $new }
protocol-cancelled = Отправка протокола отменена, ничего не сохранено.
protocol-for-coordinators =
    <b>Протокол на проверку</b>
    Участок № { $number } ({ $region }), { $level }, версия { $version }
    { $details }
protocol-read-summary = Прочитано строк: { $read } из { $total }.{ $unsure ->
        [0] {""}
       *[other] {" "}В { $unsure } из них я не уверен.
    }{ $unread ->
        [0] {""}
       *[other] {" "}Не прочитано: { $unread }.
    }{ $asked ->
        [0] {" "}Проверьте их и подтвердите.
       *[other] {" "}Покажу каждую такую строку, как она выглядит на фото.
    }
protocol-check-line-other-row =
    { $line }. <b>{ $label }</b>
    Я прочитал <b>{ $value }</b>, но не уверен, что это число из строки { $line }: на бланке строки могут стоять иначе. Введите число из этой строки, как в протоколе. ({ $position } из { $total })
protocol-check-line =
    { $line }. <b>{ $label }</b>
    { $value ->
        [none] Не удалось прочитать.
       *[other] Я прочитал: <b>{ $value }</b>.
    } Введите число, как в протоколе{ $value ->
        [none] {"."}
       *[other] , или нажмите «✅», если верно.
    } ({ $position } из { $total })
protocol-button-looks-right = ✅ Верно: { $value }
protocol-problem-page = Страница { $page }: { $reason }
protocol-precinct-differs = ⚠ В шапке протокола — участок № { $read }, а вы выбрали участок № { $chosen }. Проверьте, что это протокол вашего участка. Если нет, нажмите «✖ Отмена» и сфотографируйте нужный.
protocol-problem-not-an-image = это не изображение. Пришлите фото или скан протокола.
protocol-problem-damaged = файл повреждён (не загрузился до конца?). Пришлите его ещё раз.
protocol-problem-too-small = изображение слишком маленькое, цифры не разобрать.
protocol-problem-too-large = изображение слишком большое для чтения. Пришлите фото (JPEG) или скан не больше 25 мегапикселей.
protocol-problem-over-budget = вместе с предыдущими страницами это слишком много для одного протокола. Пришлите эту страницу фотографией (не файлом) или начните заново только со страницами протокола.
protocol-problem-pages-disagree = похоже, это другой протокол: те же строки, что на предыдущих фото, здесь с другими цифрами. Проверьте, что все фото — одного протокола. Каждую строку я спрошу у вас.
protocol-problem-not-a-protocol = это не похоже на протокол этих выборов: подписи строк не совпадают с формой. Сфотографируйте итоговый протокол участковой комиссии.
protocol-problem-no-table = не нашёл таблицу протокола. Снимите страницу целиком, сверху и при хорошем свете.
protocol-problem-failed = не удалось прочитать из-за внутренней ошибки.
protocol-problem-timeout = Автоматическое чтение заняло слишком много времени.
