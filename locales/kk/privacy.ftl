### /mydata and /forget (Kazakh).

mydata-title =
    <b>Боттағы деректеріңіз</b>
    Тіл: { $language }
mydata-signature = • «{ $title }»: { $date } қол қойылды; аты: { $name }; өңір: { $region }
mydata-signature-withdrawn = • «{ $title }»: қол қайтарып алынды, аты мен өңірі өшірілді
mydata-no-signatures = Петицияларға қойылған қол жоқ.
mydata-footer = Мұның бәрін өшіру: /forget
forget-confirm = Барлық деректеріңізді өшіресіз бе? Қойған қолдарыңыз қайтарып алынады, аттар мен нөмірлер өшіріледі, тіл таңдауы ұмытылады. Мұны қайтару мүмкін емес.
forget-button-yes = Иә, бәрін өшіру
forget-button-no = Жоқ
forget-done = Деректеріңіз өшірілді. Қайта жазсаңыз, бот басынан бастайды.
forget-kept = Ештеңе өшірілмеді.
