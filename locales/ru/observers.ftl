### Observer registration (Russian).

observer-ask-code = Чтобы стать наблюдателем, отправьте код приглашения от координатора. Кода нет — запросите одобрение координаторов.
observer-button-request = Запросить одобрение без кода
observer-code-unknown = Такого кода нет. Проверьте его и отправьте ещё раз.
observer-code-used = Этот код уже использован. Попросите у координатора новый.
observer-code-expired = Срок действия этого кода истёк. Попросите у координатора новый.
observer-code-accepted = Код принят.
observer-ask-name = Ваши фамилия и имя полностью, как в документах:
observer-ask-phone = Нажмите «📱 Поделиться моим номером»: по нему координаторы свяжутся с вами в день выборов. Номер хранится зашифрованным.
observer-button-share-phone = 📱 Поделиться моим номером
observer-phone-not-own = Нужен ваш собственный номер: нажмите «📱 Поделиться моим номером».
observer-phone-received = Номер получен.
observer-ask-region = В каком регионе ваш участок?
observer-ask-precinct = Отправьте номер участка в регионе «{ $region }» (только цифры):
observer-ask-district = В каком районе участок? Регион: «{ $region }». Можно и сразу отправить номер участка цифрами.
observer-ask-precinct-in-district = { $district }: нажмите номер своего участка или отправьте его цифрами.
observer-ask-precinct-typed = { $district }: отправьте номер участка цифрами.
observer-button-districts = ⬅ Районы
observer-button-edit-name = ✏ Имя
observer-button-edit-phone = ✏ Телефон
observer-button-edit-precincts = ✏ Участки
observer-precinct-not-number = Номер участка — это только цифры, например 215.
observer-precinct-not-found = Участка № { $number } в регионе «{ $region }» нет в справочнике. Проверьте номер или выберите другой регион.
observer-precinct-confirm = Участок № { $number }, { $district }: { $address }. Это ваш участок?
observer-button-yes = ✅ Да
observer-button-other-number = ✏ Другой номер
observer-button-other-region = 🗺 Другой регион
observer-precincts-chosen =
    Ваши участки:
    { $list }
observer-button-add-precinct = ➕ Добавить участок
observer-button-done = ✅ Готово
observer-precinct-line = • № { $number }, { $region }: { $address }
observer-review =
    <b>Проверьте заявку</b>
    Имя: { $name }
    Телефон: { $phone }
    Участки:
    { $list }
observer-button-submit = 📨 Отправить
observer-button-cancel = ✖ Отмена
observer-cancelled = Регистрация отменена, ничего не сохранено.
observer-registered =
    ✅ Вы зарегистрированы как наблюдатель. Ваши участки:
    { $list }
observer-request-sent = Заявка отправлена координаторам. Бот сообщит, когда её рассмотрят.
observer-status-pending = Ваша заявка наблюдателя ждёт решения координатора.
observer-status-approved =
    Вы наблюдатель. Ваши участки:
    { $list }
observer-status-rejected = Координатор отклонил вашу прошлую заявку. Можно подать новую.
observer-approved-notice = ✅ Координатор одобрил вашу заявку: вы наблюдатель.
observer-rejected-notice = Координатор отклонил вашу заявку наблюдателя. Если это ошибка, свяжитесь с координатором.
observer-request-for-coordinators =
    <b>Заявка наблюдателя</b>
    Имя: { $name }
    Телефон: { $phone }
    Telegram id: { $id }
    Участки:
    { $list }
observer-button-approve = ✅ Одобрить
observer-button-reject = ✖ Отклонить
observer-decision-approved = ✅ Одобрено
observer-decision-rejected = ✖ Отклонено
observer-already-decided = Эта заявка уже рассмотрена.
mydata-observer = Наблюдатель: { $name }, { $phone }; участков: { $count }; статус: { $status }
observer-state-pending = на рассмотрении
observer-state-approved = одобрен
observer-state-rejected = отклонён
