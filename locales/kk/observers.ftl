### Observer registration (Kazakh).

observer-ask-code = Бақылаушы болу үшін үйлестірушіден алған шақыру кодын жіберіңіз. Код болмаса, үйлестірушілердің мақұлдауын сұраңыз.
observer-button-request = Кодсыз мақұлдау сұрау
observer-code-unknown = Мұндай код жоқ. Тексеріп, қайта жіберіңіз.
observer-code-used = Бұл код пайдаланылған. Үйлестірушіден жаңасын сұраңыз.
observer-code-expired = Бұл кодтың мерзімі өтіп кеткен. Үйлестірушіден жаңасын сұраңыз.
observer-code-accepted = Код қабылданды.
observer-ask-name = Тегіңіз бен атыңыз толық, құжаттағыдай:
observer-ask-phone = «📱 Нөмірімді бөлісу» батырмасын басыңыз: сайлау күні үйлестірушілер сізбен осы нөмір арқылы байланысады. Нөмір шифрланып сақталады.
observer-button-share-phone = 📱 Нөмірімді бөлісу
observer-phone-not-own = Өз нөміріңіз керек: «📱 Нөмірімді бөлісу» батырмасын басыңыз.
observer-phone-received = Нөмір алынды.
observer-ask-region = Учаскеңіз қай өңірде?
observer-ask-precinct = «{ $region }» өңіріндегі учаске нөмірін жіберіңіз (тек цифрлар):
observer-ask-district = Учаскеңіз қай ауданда? Өңір: «{ $region }». Учаске нөмірін бірден цифрмен жіберуге де болады.
observer-ask-precinct-in-district = { $district }: учаскеңіздің нөмірін басыңыз немесе цифрмен жіберіңіз.
observer-ask-precinct-typed = { $district }: учаске нөмірін цифрмен жіберіңіз.
observer-button-districts = ⬅ Аудандар
observer-button-edit-name = ✏ Аты-жөні
observer-button-edit-phone = ✏ Телефон
observer-button-edit-precincts = ✏ Учаскелер
observer-precinct-not-number = Учаске нөмірі тек цифрлардан тұрады, мысалы 215.
observer-precinct-not-found = «{ $region }» өңірінде № { $number } учаске анықтамалықта жоқ. Нөмірді тексеріңіз немесе басқа өңірді таңдаңыз.
observer-precinct-confirm = № { $number } учаске, { $district }: { $address }. Бұл сіздің учаскеңіз бе?
observer-button-yes = ✅ Иә
observer-button-other-number = ✏ Басқа нөмір
observer-button-other-region = 🗺 Басқа өңір
observer-precincts-chosen =
    Сіздің учаскелеріңіз:
    { $list }
observer-button-add-precinct = ➕ Учаске қосу
observer-button-done = ✅ Дайын
observer-precinct-line = • № { $number }, { $region }: { $address }
observer-review =
    <b>Өтінімді тексеріңіз</b>
    Аты-жөні: { $name }
    Телефон: { $phone }
    Учаскелер:
    { $list }
observer-button-submit = 📨 Жіберу
observer-button-cancel = ✖ Бас тарту
observer-cancelled = Тіркеу тоқтатылды, ештеңе сақталмады.
observer-registered =
    ✅ Сіз бақылаушы ретінде тіркелдіңіз. Учаскелеріңіз:
    { $list }
observer-request-sent = Өтінім үйлестірушілерге жіберілді. Қаралғанда бот хабарлайды.
observer-status-pending = Бақылаушы өтініміңіз үйлестірушінің шешімін күтіп тұр.
observer-status-approved =
    Сіз бақылаушысыз. Учаскелеріңіз:
    { $list }
observer-status-rejected = Үйлестіруші алдыңғы өтініміңізді қабылдамады. Жаңасын беруге болады.
observer-approved-notice = ✅ Үйлестіруші өтініміңізді мақұлдады: сіз бақылаушысыз.
observer-rejected-notice = Үйлестіруші бақылаушы өтініміңізді қабылдамады. Егер бұл қате болса, үйлестірушімен байланысыңыз.
observer-request-for-coordinators =
    <b>Бақылаушы өтінімі</b>
    Аты-жөні: { $name }
    Телефон: { $phone }
    Telegram id: { $id }
    Учаскелер:
    { $list }
observer-button-approve = ✅ Мақұлдау
observer-button-reject = ✖ Қабылдамау
observer-decision-approved = ✅ Мақұлданды
observer-decision-rejected = ✖ Қабылданбады
observer-already-decided = Бұл өтінім қаралып қойған.
mydata-observer = Бақылаушы: { $name }, { $phone }; учаскелер: { $count }; мәртебесі: { $status }
observer-state-pending = қаралуда
observer-state-approved = мақұлданған
observer-state-rejected = қабылданбаған
