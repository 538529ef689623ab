### Coordinators: queues, cards, decisions, what is missing, exports (Kazakh).

coordinator-queues =
    <b>Шешім күтіп тұр</b>
    🚩 Бақылау арақатынасы сәйкес емес: { $flagged }
    ⚔ Бақылаушылардың көшірмелері әртүрлі: { $conflict }
    ⚠ Тексерілетін бұзушылықтар: { $incidents }
    👁 Бақылаушылардың өтінімдері: { $requests }
queue-button-flagged = 🚩 Сәйкес емес ({ $count })
queue-button-conflict = ⚔ Алшақтықтар ({ $count })
queue-button-incidents = ⚠ Бұзушылықтар ({ $count })
queue-button-requests = 👁 Өтінімдер ({ $count })
coordinator-button-missing = 📭 Не жетіспейді
coordinator-button-exports = 📤 Жүктеп алу
coordinator-button-home = ⬅ Үйлестірушіге

queue-title-flagged = <b>🚩 Бақылау арақатынасы сәйкес келмейтін хаттамалар: { $count }</b>
queue-title-conflict = <b>⚔ Бақылаушылардың көшірмелері әртүрлі учаскелер: { $count }</b>
queue-title-incidents = <b>⚠ Тексерілетін бұзушылықтар: { $count }</b> (алдымен аса қауіптілері)
queue-title-requests = <b>👁 Бақылаушылардың өтінімдері: { $count }</b>
queue-page = Бет: { $page } / { $pages }, ең ескілері алдымен. Ашу үшін басыңыз.
queue-empty = Кезек бос.
queue-case-item = № { $number } · { $region } · { $level }
queue-incident-item = { $critical ->
        [1] ❗
       *[other] •
    } { $category } · № { $number } · { $at }
queue-request-item = { $at } өтінімі (id { $id })
queue-filter-level = Деңгей: { $level }
queue-filter-region = Өңір: { $region }
queue-all-levels = барлығы
queue-all-regions = Барлық өңірлер
queue-pick-region = Өңірді таңдаңыз (жақшада — онда қанша шешім күтіп тұр):

case-title =
    <b>№ { $number } учаске ({ $region }), { $level }</b>
    Күйі: { $status }
case-status-counted = қорытындыға есептеледі
case-status-flagged = тексерілуде: бақылау арақатынасы сәйкес емес
case-status-conflict = көшірмелер әртүрлі, есептелмейді
case-status-rejected = қабылданбады, есептелмейді
case-copy = { $letter } көшірмесі: { $version }-нұсқа, { $at }, { $state }
case-failing =
    { $letter } көшірмесінде сәйкес емес:
    { $problems }
case-reason = Бақылаушының түсіндірмесі ({ $letter } көшірмесі): «{ $reason }»
case-header-precinct = ⚠ { $letter } көшірмесі: фотодағы хаттаманың басында — № { $read } учаске. Басқа учаскенің хаттамасы түсірілген болуы мүмкін.
case-counted-note = ✏ — үйлестірушінің саны; бақылаушылардың көшірмелері жіберілген күйінде сақталады.
case-decided = ✅ Дайын. Енді: { $status }.
case-already-decided = Бұл туралы шешім қабылданып қойған (басқа үйлестіруші шешкен болуы мүмкін) немесе көшірменің жаңа нұсқасы келген.
case-not-found = Табылмады: бақылаушының өтініші бойынша деректер өшірілген болуы мүмкін.
case-button-open = 🔎 Карточканы ашу
case-button-verify = ✅ Растау
case-button-reject = ❌ Қабылдамау
case-button-ask = 💬 Бақылаушыға жазу
case-button-photos = 🖼 Беттердің суреті
case-button-correct = ✏ Санды түзету
case-button-queue = ⬅ Кезекке
case-button-back = ⬅ Артқа
case-ask-reject-reason = Көшірме неге қабылданбайды? Себебін таңдаңыз немесе өзіңіз жазыңыз.
case-reject-wrong-precinct = Учаске немесе деңгей басқа
case-reject-unreadable = Суреттегі сандар оқылмайды
case-reject-not-a-copy = Бұл хаттаманың көшірмесі емес
case-reject-duplicate = Басқа көшірменің қайталануы
case-note-too-long = { $limit } таңбадан аспасын.
case-ask-line = Қай жолды түзетесіз?
case-ask-figure = { $line }. <b>{ $label }</b>: дұрыс санды жазыңыз.
case-ask-figure-reason = Неге бұл сан (мысалы: «хаттаманың суреті бойынша», «бақылаушыдан нақтыладық»)? Себебі түзетумен бірге сақталады.
case-ask-message = Бақылаушыға хабарлама жазыңыз. Ол оны өз тілінде «Хаттама жіберу» батырмасымен бірге алады.
case-message-to-observer =
    № { $number } учаскенің хаттамасы бойынша ({ $level }) <b>үйлестірушілердің хабарламасы</b>:
    { $text }
case-message-sent = 💬 Хабарлама бақылаушыға жіберілді.
case-observer-gone = Бақылаушы өз деректерін өшірген: оған жазу мүмкін емес.
case-observer-unreachable = Хабарлама жеткізілмеді: бақылаушы ботты тоқтатқан.
case-no-photos = Бұл көшірменің суреті жоқ.
case-photos-caption = № { $number } учаске, { $version }-нұсқа

incident-card =
    <b>{ $category }</b> ({ $severity })
    № { $number } учаске ({ $region }), { $at }
    Күйі: { $status }

    { $description }

    Дәлелдер: { $evidence }{ $location }
incident-card-location = {"\u000A"}Орны: { $lat }, { $lon }
incident-severity-minor = елеусіз
incident-severity-major = елеулі
incident-severity-critical = аса қауіпті
incident-card-button-evidence = 📎 Дәлелдер ({ $count })
incident-card-evidence-gone = Дәлелдердің бірі енді қолжетімсіз (хабарлама өшірілген).

missing-title = <b>📭 Не жетіспейді</b> (үнсіздер — { $hours } сағат бойы ештеңе жібермегендер)
missing-region =
    <b>{ $region }</b>: бақылаушысыз — { $unobserved }; хаттама жоқ — { $levels }; үнсіз бақылаушылар — { $silent }
missing-nothing = Бәрі орнында: әр учаскеде бақылаушы бар, хаттамалар келген.

exports-title = Нені жүктеп алу керек? Файл осында келеді, онда дербес деректер жоқ (олармен бірге жүктеу — сервердегі команда арқылы, журналға жазылады).
export-button = { $what ->
        [protocols] Хаттамалар
        [incidents] Бұзушылықтар
        [observers] Бақылаушылар
       *[other] Алшақтықтар
    } · { $format }
export-done = Жолдар саны: { $rows }.

help-coordinator =
    <b>Үйлестірушілерге</b>
    /coordinator — кезектер (сәйкес емес, алшақтықтар, бұзушылықтар, өтінімдер), не жетіспейді, жүктеп алу
    /post_now, /pause_channel, /resume_channel — арна
    Серверде: <code>bot.py import official</code>, <code>bot.py export protocols|incidents|discrepancies</code>

coordinator-button-broadcast = 📣 Бақылаушыларға хабарлама
broadcast-ask-audience = Хабарламаны кімге жібереміз?
broadcast-to-all = 👁 Барлық бақылаушыға
broadcast-to-region = 🗺 Өңірдің бақылаушыларына
broadcast-to-precincts = 🔢 Учаске нөмірлері бойынша
broadcast-to-missing = 📭 Жібермегендерге: { $level }
broadcast-ask-numbers = Учаске нөмірлерін бос орын не үтір арқылы жазыңыз, мысалы: 12, 15, 101.
broadcast-numbers-invalid = Тек учаске нөмірлері керек, мысалы: 12, 15, 101.
broadcast-ask-text = Хабарламаны жазыңыз ({ $limit } таңбаға дейін). Әркім оны өз тіліндегі тақырыппен алады.
broadcast-message = 📣 <b>HAQ үйлестірушілерінің хабарламасы</b>
broadcast-preview = Бақылаушылар оны осылай көреді. Алушылар: { $count }.
broadcast-button-send = 📨 Жіберу ({ $count })
broadcast-button-cancel = ✖ Жібермеу
broadcast-cancelled = Хабарлама жіберілмеді.
broadcast-progress = 📣 Хабарлама жіберілуде: { $done } / { $total }…
broadcast-finished =
    📣 Хабарлама жіберіліп болды: { $total } алушы.
    Жеткізілді: { $sent }; ботты тоқтатқандар: { $blocked }; жеткізілмеді: { $failed }.

coordinator-button-official = ⚖ Ресми қорытындылар
official-title = <b>⚖ Учаскелер бойынша ресми қорытындылар</b>
official-level = • { $level }: { $rows } учаске жүктелді ({ $at })
official-level-none = • { $level }: әлі жүктелмеген
official-button-import = 📥 Жүктеу: { $level }
official-button-report = ⚖ Алшақтықтар: { $level }
official-ask-file =
    Ресми қорытындылары бар CSV немесе XLSX файлын жіберіңіз ({ $level }), әр учаскеге бір жол. Бағандар:
    <code>{ $columns }</code>
    Жаңа файл бұрынғысын алмастырады (бұрынғысы тарихта сақталады). Бір жолда қате болса, ештеңе жүктелмейді.
official-not-a-table = CSV немесе XLSX файлы керек (20 МБ-қа дейін) — оны файл ретінде жіберіңіз.
official-refused = ❌ Ештеңе жүктелмеді: қателер саны — { $count }.
    { $errors }{ $more ->
        [0] {""}
       *[other] {"\u000A"}…және тағы { $more }
    }
    Файлды түзетіп, қайта жіберіңіз.
official-imported = ✅ Жүктелген учаскелер: { $rows }.
official-report =
    <b>⚖ Алшақтықтар: { $level }</b>
    Салыстырылған учаскелер (бақылаушылардың есептелген хаттамасы да, ресми сандар да бар): { $compared }; алшақтары: { $differing }.

    <b>Осы учаскелердегі партиялардың дауыстары</b> (бақылаушылар → ресми):
    { $moved }

    Алшақтығы ең үлкен учаскелер:
official-moved-line = • { $party }: { $observed } → { $official } ({ $difference })
official-precinct-item = № { $number } · { $region } · алшақтық { $gap }
official-precinct =
    <b>№ { $number } учаске ({ $region }), { $level }</b>
    Жол: бақылаушылар / ресми (айырма)
    { $lines }
official-line = { $mark }{ $label }: { $observed } / { $official } ({ $difference })
official-error-line = { $line }-жол: { $problems }
official-error-no-lines = файлда жол жоқ
official-error-missing-columns = { $columns } бағандары жетіспейді
official-error-unknown-columns = артық бағандар: { $columns }
official-error-unreadable = бұл оқылатын CSV немесе XLSX файлы емес
official-error-bad-number = «{ $value }» — учаске нөмірі емес
official-error-unknown-precinct = «{ $region }» өңіріндегі № { $number } учаске анықтамалықта жоқ
official-error-bad-count = { $key }: «{ $value }» — сан емес
official-error-duplicate = бұл учаске { $line }-жолда бар
