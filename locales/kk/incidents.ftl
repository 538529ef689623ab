### Incident reports (Kazakh).

incident-button-start = ⚠ Бұзушылық туралы хабарлау
incident-only-observers = Бұзушылық туралы мақұлданған бақылаушылар хабарлайды. Тіркелу: /observer
incident-ask-precinct = Қай учаскеде?
incident-ask-stage = Бұл қай кезеңде болды?
incident-ask-category = Не болды?
incident-ask-time = Қашан? «Қазір» батырмасын басыңыз немесе бүгінгі уақытты жіберіңіз, мысалы 14:35.
incident-button-now = 🕒 Қазір
incident-time-format = Уақыт СС:ММ түрінде керек, мысалы 14:35.
incident-time-future = Бұл уақыт әлі келген жоқ. Оқиға болған уақытты жіберіңіз.
incident-ask-description = Не болғанын сипаттаңыз: кім, не істеді, кім көрді. 2000 таңбаға дейін.
incident-description-too-long = Сипаттама 2000 таңбадан ұзын ({ $length }). Қысқартыңызшы.
incident-description-expected = Бұзушылықты мәтінмен сипаттаңыз.
incident-ask-evidence = Сурет, бейне немесе файлдарды жіберіңіз — қанша керек болса. Біткенде «✅ Дайын» басыңыз. Дәлелсіз болса — «Өткізіп жіберу».
incident-evidence-received = Алынды: { $count }. Тағы файл жіберіңіз немесе «✅ Дайын» басыңыз.
incident-evidence-expected = Сурет, бейне немесе файл жіберіңіз, не «✅ Дайын» басыңыз.
incident-button-skip = Өткізіп жіберу
incident-ask-location = Орынды жіберуге болады (төмендегі батырма) — немесе өткізіп жіберіңіз.
incident-button-location = 📍 Орынды жіберу
incident-location-skipped = Жарайды, орынсыз.
incident-location-received = Орын алынды.
incident-review =
    <b>Хабарламаны тексеріңіз</b>
    Учаске: № { $number }
    Бұзушылық: { $category }
    Уақыты: { $time }
    Сипаттама: { $description }
    Дәлелдер: { $evidence }
    Орын: { $location ->
        [1] жіберілді
       *[0] жоқ
    }
incident-button-edit-category = ✏ Бұзушылық
incident-button-edit-time = ✏ Уақыт
incident-button-edit-description = ✏ Сипаттама
incident-button-edit-evidence = ✏ Дәлелдер
incident-ask-description-again = Не болғанын қайта жазыңыз: жаңа мәтін бұрынғысының орнына жазылады (2000 таңбаға дейін).
incident-ask-more-evidence = Тіркелген файлдар: { $count }. Тағы сурет, бейне немесе файл жіберіп, «✅ Дайын» батырмасын басыңыз.
incident-button-remove-evidence = 🗑 Барлық файлды алып тастау
incident-button-send = 📨 Жіберу
incident-sent = ✅ Бұзушылық туралы хабарлама жіберілді.
incident-sent-critical = ✅ Жіберілді. Бұл шұғыл бұзушылық: үйлестірушілер оны дәлелдерімен бірге алды.
incident-repeat =
    Сіз бұл туралы осы учаскеде { $minutes } минут бұрын хабарлағансыз. Мұны алдыңғы хабарламаға қосамыз ба?
incident-button-merge = ➕ Алдыңғысына қосу
incident-button-new = 🆕 Жеке хабарлама
incident-merged = ✅ Алдыңғы хабарламаға қосылды.
incident-cancelled = Бұзушылық туралы хабарлама тоқтатылды, ештеңе сақталмады.
incident-for-coordinators =
    🚨 <b>Шұғыл бұзушылық</b>: { $category }
    № { $number } учаске ({ $region }), { $time }
    { $description }

### My reports.

reports-button = 📋 Менің есептерім
reports-title = <b>Менің есептерім</b>
reports-protocol = • Хаттама: № { $number } учаске, { $level }, { $version }-нұсқа — { $status }
reports-incident = • #{ $id } { $time } { $category } — { $status }
reports-none = Сіз әлі ештеңе жібермедіңіз.
reports-button-correct = ✏ #{ $id } толықтыру
reports-button-new-version = 📄 Хаттаманың жаңа нұсқасы
reports-ask-correction = #{ $id } хабарламаға не қосамыз? Бұрынғы мәтін сақталады, толықтыруыңыз оған қосылады.
reports-correction-added = ✅ #{ $id } толықтыруы қосылды.
report-status-received = алынды
report-status-flagged = үйлестірушілердің тексеруінде
report-status-verified = тексерілді
report-status-rejected = қабылданбады
