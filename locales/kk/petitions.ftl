### Petitions (Kazakh). Kazakh does not inflect a noun after a numeral.

petitions-list-title =
    <b>Петициялар</b>
    Оқып, қол қою үшін петицияны таңдаңыз.
petitions-list-empty = Қазір ашық петиция жоқ.
petition-button-item = { $title } · ✍ { $count }
petition-unknown = Мұндай петиция жоқ. Міне, ашық петициялар:

petition-translated-note = <i>(қазақ тілінен аударма)</i>
petition-progress = ✍ Жиналған қол: { $count } / { $goal } ({ $percent }%)
petition-signed-on = ✅ Сіз бұл петицияға { $date } қол қойдыңыз.
petition-closed = Қол жинау { $date } жабылды. Қорытынды: { $count } қол.
petition-not-open = Қол жинау { $date } басталады.
petition-button-read = Талаптарды оқу ▶
petition-button-list = ⬅ Петицияларға

petition-demand-heading = <b>Талап { $number } / { $total }</b>
petition-button-back = ⬅ Артқа
petition-button-agree = ✅ Келісемін
petition-button-cancel = ✖ Бас тарту

petition-ask-name = <b>Қол қою үшін есептелетін атыңызды жіберіңіз</b>, мысалы: Айгерим Нұрланқызы.
petition-name-empty = Атыңызды мәтінмен жіберіңіз.
petition-name-too-long = Аты 100 таңбадан ұзын. Қысқартыңызшы.
petition-name-link = Атыңызда сілтеме мен мекенжай болмауы керек. Тек атыңызды жіберіңіз.
petition-name-formula = Аты «=», «+», «-» немесе «@» белгісінен басталмауы керек. Әріптен бастаңыз.
petition-name-characters = Атта тек әріптер, бос орын, сызықша және апостроф болуы мүмкін — цифрлар мен басқа белгілерсіз.

petition-ask-region = Қай өңірденсіз?

petition-ask-phone = Бұл петиция бір телефон нөмірінен бір қол қабылдайды. «📱 Нөмірімді бөлісу» батырмасын басыңыз. Біз нөмірдің өзін емес, тек оның шифрланған ізін сақтаймыз.
petition-button-share-phone = 📱 Нөмірімді бөлісу
petition-phone-not-own = Өз нөміріңіз керек: «📱 Нөмірімді бөлісу» батырмасын басыңыз.
petition-phone-received = Нөмір расталды.

petition-confirm =
    <b>Қол қоймас бұрын тексеріңіз</b>
    Петиция: { $title }
    Аты: { $name }
    Өңір: { $region }{ $phone ->
        [1] {"\u000A"}Телефон: расталған
       *[0] {""}
    }
petition-button-sign = ✍ Қол қою
petition-button-edit-name = ✏ Аты
petition-button-edit-region = ✏ Өңір
petition-cancelled = Қол қою тоқтатылды, ештеңе сақталмады. Кез келген уақытта қайта оралуға болады.

petition-signed =
    ✅ <b>Қолыңыз есептелді.</b> Жиналған қол: { $count } / { $goal }.
    Петициямен бөлісіңіз, әр қол маңызды:
    { $link }
petition-already-signed = Сіз бұл петицияға { $date } қол қойғансыз.
petition-phone-taken = Бұл телефон нөмірінен петицияға қол қойылған: бір нөмірден бір қол.
petition-button-share = 📣 Бөлісу
petition-share-text = Петицияға қол қойыңыз: { $title }
petition-button-withdraw = Қолымды қайтарып алу

petition-withdraw-confirm = «{ $title }» петициясына қойған қолыңызды қайтарып аласыз ба? Атыңыз бен өңіріңіз өшіріледі, қолыңыз есептелмейді.
petition-button-withdraw-yes = Иә, қайтарып алу
petition-button-withdraw-no = Жоқ, қалдыру
petition-withdrawn = Қолыңызды қайтарып алдыңыз. Қазір { $count } қол. Кез келген уақытта қайта қол қоюға болады.
petition-nothing-to-withdraw = Бұл петицияда сіздің қолыңыз жоқ.

region-astana = Астана қаласы
region-almaty-city = Алматы қаласы
region-shymkent = Шымкент қаласы
region-abai = Абай облысы
region-akmola = Ақмола облысы
region-aktobe = Ақтөбе облысы
region-almaty = Алматы облысы
region-atyrau = Атырау облысы
region-west-kazakhstan = Батыс Қазақстан облысы
region-jambyl = Жамбыл облысы
region-jetisu = Жетісу облысы
region-karaganda = Қарағанды облысы
region-kostanay = Қостанай облысы
region-kyzylorda = Қызылорда облысы
region-mangystau = Маңғыстау облысы
region-pavlodar = Павлодар облысы
region-north-kazakhstan = Солтүстік Қазақстан облысы
region-turkistan = Түркістан облысы
region-ulytau = Ұлытау облысы
region-east-kazakhstan = Шығыс Қазақстан облысы
region-abroad = Шетелде
