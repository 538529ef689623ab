### Protocol checks (Kazakh): what a failed control relation means.

check-received-balance = Алынған бюллетеньдер саны берілген және жойылған бюллетеньдердің қосындысына тең емес.
check-boxes-balance = Партияларға берілген дауыстар, «барлығына қарсымын» және жарамсыз бюллетеньдердің қосындысы жәшіктердегі бюллетеньдер санына тең емес.
check-boxes-not-over-issued = Жәшіктерде сайлаушыларға берілгеннен көп бюллетень бар.
check-issued-not-over-voters = Тізімдегі сайлаушылардан көп бюллетень берілген.
check-few-ballots-missing = Берілген бюллетеньдер жәшіктерде табылғаннан едәуір көп.
check-turnout-not-round = Келу деңгейі дәл бүтін пайызға тең шығады — сандарды тексеріңіз.

### Protocol submission (Kazakh).

protocol-button-start = 📄 Хаттама жіберу
protocol-only-observers = Хаттаманы мақұлданған бақылаушылар жібереді. Тіркелу: /observer
protocol-ask-precinct = Қай учаскенің хаттамасы?
protocol-precinct-button = № { $number }, { $region }
protocol-ask-level = Сайлаудың қай деңгейі?
protocol-ask-photos = Хаттаманың әр бетін суретке түсіріп жіберіңіз. Файл ретінде (📎 → Файл) жіберген дұрыс: сапасы толық сақталады. Барлық беттерді жібергенде «✅ Дайын» батырмасын басыңыз.
protocol-page-received = { $count }-бет алынды. Келесі бетті жіберіңіз немесе «✅ Дайын» басыңыз.
protocol-too-many-pages = Хаттамада { $most } беттен артық болмайды: бұл бет қосылмады. Жіберілгендерін оқуым үшін «✅ Дайын», қайта бастау үшін «✖ Бас тарту» түймесін басыңыз.
protocol-pages-received = { $first }–{ $last } беттер алынды. Келесісін жіберіңіз немесе «✅ Дайын» батырмасын басыңыз.
protocol-page-refused = Бұл бет қосылмады: { $reason }
protocol-not-an-image = Бұл сурет емес. Хаттаманың суретін жіберіңіз: сурет ретінде немесе JPEG, PNG, WebP файлы ретінде.
protocol-file-too-large = Файл 20 МБ-тан үлкен, бот оны қабылдай алмайды. Кішірек суретті немесе сурет ретінде жіберіңіз.
protocol-video-refused = Бейне жарамайды: хаттаманың суреті керек.
protocol-photo-expected = Хаттама бетінің суретін жіберіңіз немесе «✅ Дайын» басыңыз.
protocol-no-photos-yet = Алдымен хаттаманың кемінде бір бетін жіберіңіз.
protocol-reading = 🔍 Хаттаманы оқып жатырмын ({ $pages } бет)…
protocol-type-lines = Сандарды автоматты түрде оқу мүмкін болмады. Әр жолды хаттамадағыдай енгізіңіз.
protocol-button-all-at-once = ⌨ Барлық сан бір хабарламада
protocol-button-one-by-one = ⬅ Жол-жолымен
protocol-all-at-once =
    Барлық { $total } санды бір хабарламамен, хаттамадағы жолдардың ретімен жіберіңіз: әрқайсысын жаңа жолдан (немесе бір жолға бос орын арқылы). Санның алдына жол нөмірін қалдыруға болады: «7. 300».
    { $lines }
protocol-all-at-once-count = Табылған сан: { $found }, ал хаттамадағы жол саны: { $total }. Барлық санды қайта жіберіңіз, әрқайсысын жаңа жолдан: сонда түсіп қалған не артық сан қалғандарын жылжытпайды.
protocol-all-at-once-line = Жол { $line }: { $reason } Барлық санды қайта жіберіңіз.
protocol-button-done = ✅ Дайын
protocol-button-cancel = ✖ Бас тарту
protocol-button-back = ⬅ Артқа
protocol-ask-line =
    { $line }. <b>{ $label }</b>
    Хаттамадағыдай санды енгізіңіз (жол { $position } / { $total }).
protocol-count-not-a-number = Цифрлардан тұратын сан керек, мысалы 1234 немесе 1 234.
protocol-count-negative = Сан теріс болмайды.
protocol-count-too-large = Учаске үшін тым үлкен сан. Тексеріңіз.
protocol-review =
    <b>Хаттаманы тексеріңіз</b>: № { $number } учаске, { $level }
    { $lines }
protocol-review-line = { $mark }{ $line }. { $label }: <b>{ $value }</b>
protocol-review-problems =
    ⚠ Сәйкес келмейді:
    { $problems }
protocol-review-notes =
    ℹ Назар аударыңыз:
    { $notes }
protocol-review-ok = ✅ Бақылау арақатынастары сәйкес келеді.
protocol-review-hint = Түзету үшін жол нөмірін басыңыз.
protocol-button-confirm = ✅ Бәрі дұрыс, жіберу
protocol-ask-reason = Сандар сәйкес келмейді. Егер хаттамада шынымен солай жазылса, қысқа түсініктеме жіберіңіз (мысалы: «хаттамада солай жазылған»): хаттама үйлестірушілерге тексеруге жіберіледі. Немесе жолды түзетіңіз.
protocol-button-fix = ✏ Жолдарды түзету
protocol-reason-too-long = Түсініктеме 500 таңбадан аспауы керек.
protocol-saved = ✅ Хаттама сақталды ({ $version }-нұсқа).
protocol-saved-flagged = ✅ Хаттама сақталды ({ $version }-нұсқа) және үйлестірушілерге тексеруге жіберілді.
protocol-saved-conflict = ✅ Хаттама сақталды ({ $version }-нұсқа). Сіздің сандарыңыз осы учаскенің басқа бақылаушысының көшірмесінен өзгеше: үйлестірушілер көшірмелерді суретпен салыстырып, қайсысын есептеу керегін шешеді.
protocol-conflict-for-coordinators = • Сандар осы учаскенің басқа бақылаушысының көшірмесінен өзгеше.
protocol-differences =
    { $previous }-нұсқадан айырмашылықтар:
    { $list }
protocol-difference-line = • { $label }: { $old } → { $new }
protocol-cancelled = Хаттама жіберу тоқтатылды, ештеңе сақталмады.
protocol-for-coordinators =
    <b>Тексеруге хаттама</b>
    № { $number } учаске ({ $region }), { $level }, { $version }-нұсқа
    { $details }
protocol-read-summary = Оқылған жолдар: { $read } / { $total }.{ $unsure ->
        [0] {""}
       *[other] {" "}Олардың { $unsure } жолына сенімді емеспін.
    }{ $unread ->
        [0] {""}
       *[other] {" "}Оқылмағаны: { $unread }.
    }{ $asked ->
        [0] {" "}Оларды тексеріп, растаңыз.
       *[other] {" "}Әр осындай жолды фотода қалай көрінетінін көрсетемін.
    }
protocol-check-line-other-row =
    { $line }. <b>{ $label }</b>
    Мен <b>{ $value }</b> деп оқыдым, бірақ бұл сан { $line }-жолдан алынғанына сенімді емеспін: бланкте жолдар басқаша орналасуы мүмкін. Осы жолдағы санды хаттамадағыдай енгізіңіз. ({ $position } / { $total })
protocol-check-line =
    { $line }. <b>{ $label }</b>
    { $value ->
        [none] Оқу мүмкін болмады.
       *[other] Мен оқыдым: <b>{ $value }</b>.
    } Хаттамадағыдай санды енгізіңіз{ $value ->
        [none] {"."}
       *[other] , немесе дұрыс болса «✅» басыңыз.
    } ({ $total } ішінен { $position })
protocol-button-looks-right = ✅ Дұрыс: { $value }
protocol-problem-page = { $page }-бет: { $reason }
protocol-precinct-differs = ⚠ Хаттаманың басында — № { $read } учаске, ал сіз № { $chosen } учаскені таңдадыңыз. Бұл сіздің учаскеңіздің хаттамасы екенін тексеріңіз. Олай болмаса, «✖ Бас тарту» түймесін басып, керек хаттаманы түсіріңіз.
protocol-problem-not-an-image = бұл сурет емес. Хаттаманың фотосын немесе сканын жіберіңіз.
protocol-problem-damaged = файл бүлінген (толық жүктелмеген бе?). Оны қайта жіберіңіз.
protocol-problem-too-small = сурет тым кішкентай, сандарды ажырату мүмкін емес.
protocol-problem-too-large = сурет оқу үшін тым үлкен. Фото (JPEG) немесе 25 мегапиксельден аспайтын скан жіберіңіз.
protocol-problem-over-budget = алдыңғы беттермен бірге бұл бір хаттама үшін тым көп. Бұл бетті файл емес, фото ретінде жіберіңіз немесе тек хаттама беттерімен қайта бастаңыз.
protocol-problem-pages-disagree = бұл басқа хаттама сияқты: алдыңғы фотолардағы жолдар мұнда басқа сандармен тұр. Барлық фото бір хаттамадан екенін тексеріңіз. Әр жолды сізден сұраймын.
protocol-problem-not-a-protocol = бұл осы сайлаудың хаттамасына ұқсамайды: жол атаулары нысанмен сәйкес келмейді. Учаскелік комиссияның қорытынды хаттамасын түсіріңіз.
protocol-problem-no-table = хаттаманың кестесін таппадым. Бетті толығымен, жоғарыдан және жақсы жарықта түсіріңіз.
protocol-problem-failed = ішкі қатеге байланысты оқу мүмкін болмады.
protocol-problem-timeout = Автоматты оқу тым ұзаққа созылды.
