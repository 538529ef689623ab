### Tally posts (Kazakh).

tally-threshold = Осы учаскелерде { $threshold }%-дық өту шегінен өтетін партиялар: { $parties }
tally-turnout-range = Өңірлер бойынша дауыс бергендер: ең азы { $low }% ({ $low_region }), ең көбі { $high }% ({ $high_region })
tally-party-line = { $party }: { $share }%
tally-post =
    <b>{ $election }</b>
    <b>{ $level }</b> — бақылаушылардың хаттамалары бойынша
    Учаскелер: { $total } ішінен { $precincts }
    Тізімдегі сайлаушылар: { $voters }
    Дауыс бергендер: { $turnout }%
    Пайдаланылмаған бюллетеньдер: { $unused }%
    { $parties }{ $against_all ->
        [-1] {""}
       *[other] {"\u000A"}Барлығына қарсы: { $against_all }%
    }
    Жарамсыз: { $invalid }%{ $extra ->
        [none] {""}
       *[other] {"\u000A"}{ $extra }
    }

    <i>Дауыс бергендер — берілген бюллетеньдердің тізімдегі сайлаушыларға қатынасы; пайдаланылмағандар — учаске алған бюллетеньдерден; партиялар мен жарамсыздардың үлесі — жәшіктердегі бюллетеньдерден. { $time } жағдайы бойынша. Бұл — біздің бақылаушылар болған учаскелер, репрезентативті іріктеу емес.</i>

tally-table-post =
    <b>{ $election }</b>
    Бақылаушылар хаттамалары бойынша, { $time } жағдайы:
    { $levels }
    <i>Дауыс бергендер — берілген бюллетеньдердің тізімдегі сайлаушыларға қатынасы; партиялар мен жарамсыздардың үлесі — жәшіктердегі бюллетеньдерден. Бұл — біздің бақылаушылар болған учаскелер, репрезентативті іріктеу емес.</i>
tally-table-level = • { $level }: учаскелер { $total } ішінен { $precincts }, дауыс бергендер { $turnout }%
tally-table-caption =
    <b>{ $election }</b>
    Бақылаушылар хаттамалары бойынша қорытынды: толығы — келесі хабарламада.
tally-caption =
    <b>{ $election }</b>
    { $level }: { $total } учаскенің { $precincts }. Толығы — келесі хабарламада.

## The chart beside each tally post.
chart-subtitle = Бақылаушылар хаттамалары бойынша · учаскелер: { $total } ішінен { $precincts } · { $time }
chart-table-subtitle = Бақылаушылар хаттамалары бойынша · { $time }
chart-row-precincts = Учаскелер
chart-row-voters = Тізімдегі сайлаушылар
chart-row-unused = Пайдаланылмаған бюллетеньдер
chart-turnout = Дауыс бергендер
chart-invalid = Жарамсыз
chart-against-all = Барлығына қарсы

## Incident summary: counts only, never who or where exactly.
incidents-summary =
    <b>Бақылаушылар хабарлаған бұзушылықтар</b>
    { $since ->
        [none] { $until } дейін
       *[other] { $since } — { $until }
    }: үйлестірушілер растағаны — { $total }{ $unverified ->
        [0] {""}
       *[other] ; тағы { $unverified } хабарлама тексерілуде, олар бұл жерде есептелмеген
    }.
    { $total ->
        [0] {""}
       *[other] {"\u000A"}<b>Түрлері бойынша (расталғандар)</b>{"\u000A"}{ $categories }{"\u000A"}{"\u000A"}<b>Өңірлер бойынша</b>{"\u000A"}{ $regions }
    }
incidents-category-line = { $critical ->
        [1] ❗ { $category }: { $count }
       *[other] • { $category }: { $count }
    }
incidents-region-line = • { $region }: { $count }

## Petition milestones.
milestone-post =
    <b>{ $title }</b>
    Петицияға жиналған қол: { $count } — мақсаттың { $percent }% ({ $goal }).{ $link ->
        [none] {""}
       *[other] {"\u000A"}Қол қою: { $link }
    }

## /results: the same tallies with one decimal.
results-header = <b>{ $election }</b> — бақылаушылардың хаттамалары бойынша
results-party-line = { $party }: { $share }%
results-level =
    <b>{ $level }</b> — учаскелер: { $total } ішінен { $precincts }
    Дауыс бергендер: { $turnout }%
    { $parties }{ $against_all ->
        [none] {""}
       *[other] {"\u000A"}Барлығына қарсы: { $against_all }%
    }
    Жарамсыз: { $invalid }%
results-note = <i>Бұл — біздің бақылаушылар болған учаскелер, репрезентативті іріктеу емес.</i>
results-quiet = Нәтижелер тек учаскелер жабылғаннан кейін жарияланады: { $time }.
results-none = Бақылаушылардың бірде-бір хаттамасы әлі есепке алынбаған.

## Coordinators: the channel.
channel-posting = Жарияланымдарды дайындап жатырмын…
channel-posted = Жаңа немесе өзгерген жарияланымдар: { $written }, өзгеріссіз: { $unchanged }.{ $quiet ->
        [1] {" "}Учаскелер жабылғанға дейін нәтижелер жарияланбайды.
       *[other] {""}
    }
channel-not-leader = Жарияланымдарды қазір боттың басқа процесі басқарып отыр; команда орындалмады. Бір минуттан кейін қайталаңыз.
channel-is-paused = Арна кідіртілген. Алдымен /resume_channel.
channel-paused = Арнадағы жарияланымдар тоқтатылды. Қайта жалғастыру: /resume_channel
channel-already-paused = Арна онсыз да кідіртілген. Қайта жалғастыру: /resume_channel
channel-resumed = Арнадағы жарияланымдар қайта жалғасты.
channel-not-paused = Арна кідіртілмеген еді.

## Observers' figures against the official ones (after the official results are imported).
comparison-post =
    <b>{ $election }</b>
    <b>{ $level }</b>: бақылаушылардың хаттамалары және ресми қорытындылар
    Сол { $compared } учаскенің { $differing } учаскесінде ресми сандар хаттама көшірмелерінен өзгеше.

    Партия: бақылаушылардың хаттамалары бойынша → ресми (дауыс айырмасы)
    { $parties }
    Дауыс бергендер: { $turnout_observed }% → { $turnout_official }%

    <i>Бақылаушының есептелген хаттамасы да, ресми деректер де бар учаскелер ғана; үлестер — жәшіктердегі бюллетеньдерден. Учаске нөмірлері жарияланбайды. { $time } жағдайы бойынша.</i>
comparison-party-line = { $party }: { $observed }% → { $official }% ({ $moved })
comparison-chart-observers = Бақылаушылардың хаттамалары
comparison-chart-official = Ресми
