### Start, language, main menu, help and errors (Kazakh).

language-prompt = Тілді таңдаңыз · Выберите язык
language-button-kk = Қазақша
language-button-ru = Русский
language-saved = Боттың тілі: қазақша. Оны кез келген уақытта /language пәрменімен ауыстыруға болады.

language-guessed = Боттың тілі — қазақша, Telegram-дағыдай. Орысша ыңғайлы ма? Төмендегі батырманы басыңыз немесе кез келген уақытта /language жазыңыз.

welcome =
    <b>HAQ</b> — сайлаудағы тәуелсіз бақылау боты.
    Мұнда бақылаушылар хаттамалардың көшірмелерін жібереді және бұзушылықтар туралы хабарлайды, ал қолдаушылар қозғалыстың петицияларына қол қояды.
deep-link-invalid = Бұл сілтеме жарамсыз немесе ескірген. Қажеттің бәрін мәзірден табасыз.

menu-title = Басты мәзір. Әрекетті таңдаңыз:
button-menu = ⬅ Мәзір
menu-button-petitions = 📜 Петициялар
menu-button-observer = 👁 Бақылаушыға
menu-button-mydata = 🔒 Менің деректерім
menu-button-language = 🌐 Русский
menu-button-help = ❓ Көмек
menu-button-coordinator = 🛠 Үйлестірушіге

help-text =
    <b>Көмек</b>
    /start — басты мәзір
    /petitions — қозғалыстың петициялары
    /observer — бақылаушыны тіркеу; /protocol, /incident, /myreports — бақылаушыларға
    /mydata — бот сіз туралы не біледі; /forget — оны өшіру
    /language — тілді ауыстыру (қазақша / русский)
    /cancel — ағымдағы әрекетті тоқтату; жіберіп қойғаныңыз сақталады
    /help — осы анықтама

    Бот бақылаушылар мен қол қойғандардың атын жарияламайды: { $channel } арнасында тек жиынтық сандар шығады.

cancel-done = Әрекет тоқтатылды. Жіберіп қойғаныңыздың бәрі сақталды.
cancel-confirm = Бастаған ісіңізді (суреттер, енгізілген сандар) тоқтатып, өшіреміз бе? Бұрын жіберілгені сақталады.
cancel-button-discard = Иә, тоқтату
cancel-button-keep = Жоқ, жалғастыру
cancel-kept = Жақсы, сол жерден жалғастырыңыз.
cancel-nothing = Қазір тоқтататын әрекет жоқ.
unknown-input = Бұл хабарламаны түсінбедім. Мәзірден әрекетті таңдаңыз немесе /help жіберіңіз.
error-unavailable = Қызмет уақытша қолжетімсіз. Бұрын жібергеніңіздің бәрі сақталған — соңғы әрекетті бір минуттан кейін қайталаңыз.
error-generic = Кешіріңіз, ботта ақау шықты. Жіберіп қойғаныңыз сақталды — бір минуттан соң қайталап көріңіз.
error-dialog-restarted = Бот жаңартылды, сондықтан бұл диалогты тоқтаған жерден жалғастыру мүмкін емес. Оны мәзірден қайта бастаңыз. Бұрын жіберген барлық деректеріңіз сақталған.
button-outdated = Бұл батырма ескірген. Міне, өзекті мәзір.

coordinator-only = Бұл әрекет тек үйлестірушілерге қолжетімді.
# Kazakh does not inflect a noun after a numeral, so there is one form.
coordinator-overview =
    <b>Үйлестірушіге</b>
    Барлығы { $total } пайдаланушы
    — бот қазақша сөйлесетіндер: { $kazakh }
    — орысша: { $russian }
    — тілі әлі таңдалмағандар: { $undecided }
    Бақылаушылар: { $observers }

command-start = Басты мәзір
command-language = Тілді ауыстыру
command-help = Көмек
command-cancel = Ағымдағы әрекетті тоқтату
command-petitions = Петициялар
command-mydata = Боттағы деректерім
command-forget = Деректерімді өшіру
command-observer = Бақылаушыны тіркеу
command-protocol = Хаттама жіберу
command-incident = Бұзушылық туралы хабарлау
command-myreports = Менің есептерім
command-results = Нәтижелер (бақылаушылар хаттамалары)
command-coordinator = Үйлестірушіге: кезектер, тексеру, хабарламалар
command-post-now = Арнаға қазір жариялау
command-pause-channel = Арнадағы жарияланымдарды тоқтата тұру
command-resume-channel = Арнадағы жарияланымдарды жалғастыру
