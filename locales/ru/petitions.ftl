### Petitions (Russian).

petitions-list-title =
    <b>Петиции</b>
    Выберите петицию, чтобы прочитать её и подписать.
petitions-list-empty = Сейчас нет открытых петиций.
petition-button-item = { $title } · ✍ { $count }
petition-unknown = Такой петиции нет. Вот открытые петиции:

petition-translated-note = <i>(перевод с казахского)</i>
petition-progress = ✍ { $count } { $count ->
        [one] подпись
        [few] подписи
       *[many] подписей
    } из { $goal } ({ $percent }%)
petition-signed-on = ✅ Вы подписали эту петицию { $date }.
petition-closed = Сбор подписей закрыт { $date }. Итог: { $count } { $count ->
        [one] подпись
        [few] подписи
       *[many] подписей
    }.
petition-not-open = Сбор подписей начнётся { $date }.
petition-button-read = Читать требования ▶
petition-button-list = ⬅ К петициям

petition-demand-heading = <b>Требование { $number } из { $total }</b>
petition-button-back = ⬅ Назад
petition-button-agree = ✅ Поддерживаю
petition-button-cancel = ✖ Отмена

petition-ask-name = <b>Чтобы подписать, отправьте своё имя так, как его нужно учесть</b>, например: Айгерим Нурланова.
petition-name-empty = Отправьте имя текстом.
petition-name-too-long = Имя длиннее 100 символов. Сократите его, пожалуйста.
petition-name-link = В имени не должно быть ссылок и адресов. Отправьте только имя.
petition-name-formula = Имя не может начинаться с «=», «+», «-» или «@». Начните с буквы.
petition-name-characters = В имени могут быть только буквы, пробелы, дефисы и апострофы — без цифр и других знаков.

petition-ask-region = Из какого вы региона?

petition-ask-phone = Эта петиция принимает одну подпись на номер телефона. Нажмите «📱 Поделиться моим номером». Мы храним не сам номер, а только его зашифрованный отпечаток.
petition-button-share-phone = 📱 Поделиться моим номером
petition-phone-not-own = Нужен ваш собственный номер: нажмите кнопку «📱 Поделиться моим номером».
petition-phone-received = Номер подтверждён.

petition-confirm =
    <b>Проверьте перед подписью</b>
    Петиция: { $title }
    Имя: { $name }
    Регион: { $region }{ $phone ->
        [1] {"\u000A"}Телефон: подтверждён
       *[0] {""}
    }
petition-button-sign = ✍ Подписать
petition-button-edit-name = ✏ Имя
petition-button-edit-region = ✏ Регион
petition-cancelled = Подписание отменено, ничего не сохранено. Вернуться можно в любой момент.

petition-signed =
    ✅ <b>Ваша подпись учтена.</b> Сейчас { $count } { $count ->
        [one] подпись
        [few] подписи
       *[many] подписей
    } из { $goal }.
    Поделитесь петицией, каждая подпись важна:
    { $link }
petition-already-signed = Вы уже подписали эту петицию { $date }.
petition-phone-taken = С этого номера телефона петицию уже подписали: одна подпись на номер.
petition-button-share = 📣 Поделиться
petition-share-text = Подпишите петицию: { $title }
petition-button-withdraw = Отозвать мою подпись

petition-withdraw-confirm = Отозвать подпись под петицией «{ $title }»? Ваши имя и регион будут удалены, подпись перестанет учитываться.
petition-button-withdraw-yes = Да, отозвать
petition-button-withdraw-no = Нет, оставить
petition-withdrawn = Подпись отозвана. Сейчас { $count } { $count ->
        [one] подпись
        [few] подписи
       *[many] подписей
    }. Подписать снова можно в любой момент.
petition-nothing-to-withdraw = Вашей подписи под этой петицией нет.

region-astana = г. Астана
region-almaty-city = г. Алматы
region-shymkent = г. Шымкент
region-abai = Абайская область
region-akmola = Акмолинская область
region-aktobe = Актюбинская область
region-almaty = Алматинская область
region-atyrau = Атырауская область
region-west-kazakhstan = Западно-Казахстанская область
region-jambyl = Жамбылская область
region-jetisu = Жетысуская область
region-karaganda = Карагандинская область
region-kostanay = Костанайская область
region-kyzylorda = Кызылординская область
region-mangystau = Мангистауская область
region-pavlodar = Павлодарская область
region-north-kazakhstan = Северо-Казахстанская область
region-turkistan = Туркестанская область
region-ulytau = Улытауская область
region-east-kazakhstan = Восточно-Казахстанская область
region-abroad = За рубежом
