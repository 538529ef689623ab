### /mydata and /forget (Russian).

mydata-title =
    <b>Ваши данные в боте</b>
    Язык: { $language }
mydata-signature = • «{ $title }»: подписана { $date }; имя: { $name }; регион: { $region }
mydata-signature-withdrawn = • «{ $title }»: подпись отозвана, имя и регион удалены
mydata-no-signatures = Подписей под петициями нет.
mydata-footer = Удалить всё это: /forget
forget-confirm = Удалить все ваши данные? Подписи будут отозваны, имена и номера стёрты, выбор языка забыт. Отменить это нельзя.
forget-button-yes = Да, удалить всё
forget-button-no = Нет
forget-done = Ваши данные удалены. Если напишете снова, бот начнёт с начала.
forget-kept = Ничего не удалено.
