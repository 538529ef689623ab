### Tally posts (Russian).

tally-threshold = Барьер { $threshold }% на этих участках проходят: { $parties }
tally-turnout-range = Явка по регионам: от { $low }% ({ $low_region }) до { $high }% ({ $high_region })
tally-party-line = { $party }: { $share }%
tally-post =
    <b>{ $election }</b>
    <b>{ $level }</b> — по протоколам наблюдателей
    Участков: { $precincts } из { $total }
    Избирателей в списках: { $voters }
    Явка: { $turnout }%
    Неиспользованные бюллетени: { $unused }%
    { $parties }{ $against_all ->
        [-1] {""}
       *[other] {"\u000A"}Против всех: { $against_all }%
    }
    Недействительные: { $invalid }%{ $extra ->
        [none] {""}
       *[other] {"\u000A"}{ $extra }
    }

    <i>Явка — выданные бюллетени от избирателей в списках; неиспользованные — от полученных участком; доли партий и недействительных — от бюллетеней в урнах. Срез на { $time }. Это участки, где были наши наблюдатели, а не репрезентативная выборка.</i>

tally-table-post =
    <b>{ $election }</b>
    По протоколам наблюдателей, срез на { $time }:
    { $levels }
    <i>Явка — выданные бюллетени от избирателей в списках; доли партий и недействительных — от бюллетеней в урнах. Это участки, где были наши наблюдатели, а не репрезентативная выборка.</i>
tally-table-level = • { $level }: участков { $precincts } из { $total }, явка { $turnout }%
tally-table-caption =
    <b>{ $election }</b>
    Итоги по протоколам наблюдателей: подробности — в следующем сообщении.
tally-caption =
    <b>{ $election }</b>
    { $level }: { $precincts } из { $total } участков. Подробности — в следующем сообщении.

## The chart beside each tally post.
chart-subtitle = По протоколам наблюдателей · участков: { $precincts } из { $total } · { $time }
chart-table-subtitle = По протоколам наблюдателей · { $time }
chart-row-precincts = Участков
chart-row-voters = Избирателей в списках
chart-row-unused = Неиспользованные бюллетени
chart-turnout = Явка
chart-invalid = Недействительные
chart-against-all = Против всех

## Incident summary: counts only, never who or where exactly.
incidents-summary =
    <b>Нарушения, о которых сообщили наблюдатели</b>
    { $since ->
        [none] По { $until }
       *[other] С { $since } по { $until }
    }: подтверждено координаторами — { $total }{ $unverified ->
        [0] {""}
       *[other] ; ещё { $unverified } { $unverified ->
            [one] сообщение ждёт
            [few] сообщения ждут
           *[many] сообщений ждут
        } проверки и здесь не учтены
    }.
    { $total ->
        [0] {""}
       *[other] {"\u000A"}<b>По видам (подтверждённые)</b>{"\u000A"}{ $categories }{"\u000A"}{"\u000A"}<b>По регионам</b>{"\u000A"}{ $regions }
    }
incidents-category-line = { $critical ->
        [1] ❗ { $category }: { $count }
       *[other] • { $category }: { $count }
    }
incidents-region-line = • { $region }: { $count }

## Petition milestones.
milestone-post =
    <b>{ $title }</b>
    Подписей под петицией: { $count } — { $percent }% цели ({ $goal }).{ $link ->
        [none] {""}
       *[other] {"\u000A"}Подписать: { $link }
    }

## /results: the same tallies with one decimal.
results-header = <b>{ $election }</b> — по протоколам наблюдателей
results-party-line = { $party }: { $share }%
results-level =
    <b>{ $level }</b> — участков: { $precincts } из { $total }
    Явка: { $turnout }%
    { $parties }{ $against_all ->
        [none] {""}
       *[other] {"\u000A"}Против всех: { $against_all }%
    }
    Недействительные: { $invalid }%
results-note = <i>Это участки, где были наши наблюдатели, а не репрезентативная выборка.</i>
results-quiet = Итоги публикуются только после закрытия участков: { $time }.
results-none = Пока не учтён ни один протокол наблюдателей.

## Coordinators: the channel.
channel-posting = Готовлю публикации…
channel-posted = Новых или изменённых публикаций: { $written }, без изменений: { $unchanged }.{ $quiet ->
        [1] {" "}Итоги не публикуются до закрытия участков.
       *[other] {""}
    }
channel-not-leader = Публикациями сейчас управляет другой процесс бота; команда не выполнена. Повторите через минуту.
channel-is-paused = Канал на паузе. Сначала /resume_channel.
channel-paused = Публикации в канале приостановлены. Возобновить: /resume_channel
channel-already-paused = Канал уже на паузе. Возобновить: /resume_channel
channel-resumed = Публикации в канале возобновлены.
channel-not-paused = Канал не был на паузе.

## Observers' figures against the official ones (after the official results are imported).
comparison-post =
    <b>{ $election }</b>
    <b>{ $level }</b>: протоколы наблюдателей и официальные итоги
    На тех же { $compared } участках официальные цифры расходятся с копиями протоколов на { $differing }.

    Партия: по протоколам наблюдателей → официально (разница в голосах)
    { $parties }
    Явка: { $turnout_observed }% → { $turnout_official }%

    <i>Только участки, где есть и учтённый протокол наблюдателя, и официальные данные; доли — от бюллетеней в урнах. Номера участков не публикуются. Срез на { $time }.</i>
comparison-party-line = { $party }: { $observed }% → { $official }% ({ $moved })
comparison-chart-observers = Протоколы наблюдателей
comparison-chart-official = Официально
