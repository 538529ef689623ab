### Protocol checks (Russian): what a failed control relation means.

check-received-balance = Полученные бюллетени не равны сумме выданных и погашенных (и испорченных).
check-boxes-balance = Голоса за партии, «против всех» и недействительные бюллетени в сумме не равны числу бюллетеней в ящиках.
check-boxes-not-over-issued = В ящиках больше бюллетеней, чем выдано избирателям.
check-issued-not-over-voters = Выдано больше бюллетеней, чем избирателей в списках.
check-few-ballots-missing = Выданных бюллетеней заметно больше, чем найдено в ящиках.
check-turnout-not-round = Явка получается ровно целым числом процентов — проверьте цифры.
