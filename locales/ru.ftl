## Words of the service desk

status-new = Новая
status-open = Принята
status-in_progress = В работе
status-waiting_for_customer = Ждёт ответа клиента
status-resolved = Решена
status-closed = Закрыта
status-cancelled = Отменена

priority-P1 = P1 — критический
priority-P2 = P2 — высокий
priority-P3 = P3 — средний
priority-P4 = P4 — низкий

channel-telegram = Telegram
open-in-app = 📱 Открыть в приложении
channel-miniapp = Мини-приложение
channel-email = Эл. почта
channel-web = Форма на сайте
channel-phone = Телефон
channel-telegram_group = Группа в Telegram

impact-person = Один человек
impact-department = Отдел
impact-company = Вся компания

urgency-low = Может подождать
urgency-medium = Мешает работать
urgency-high = Работа стоит

line-line1 = 1-я линия
line-line2 = 2-я линия
line-field = Выезд

role-client = Клиент
role-client_manager = Руководитель клиента
role-line1 = 1-я линия
role-line2 = 2-я линия
role-field_engineer = Выездной инженер
role-supervisor = Супервайзер
role-admin = Администратор

yes = да
no = нет
none = —

## CSV export of the ticket list

csv-number = Номер
csv-created = Создана
csv-company = Компания
csv-requester = Заявитель
csv-channel = Канал
csv-category = Категория
csv-subject = Тема
csv-priority = Приоритет
csv-status = Статус
csv-line = Линия
csv-assignee = Исполнитель
csv-first-response-due = Срок реакции
csv-first-responded = Реакция
csv-first-response-met = Реакция в срок
csv-resolution-due = Срок решения
csv-resolved = Решена
csv-resolution-met = Решение в срок
csv-rating = Оценка

## Period report

report-section = Раздел
report-key = Показатель
report-value = Значение
report-period = Период
report-company = Компания
report-all-companies = Все компании
report-total = Всего заявок
report-by-status = По статусам
report-by-priority = По приоритетам
report-by-channel = По каналам
report-by-category = По категориям
report-no-category = Без категории
report-sla = SLA
report-first-response-percent = Реакция в срок, %
report-resolution-percent = Решение в срок, %
report-first-response-median = Время реакции, медиана (раб. мин)
report-first-response-p90 = Время реакции, 90-й процентиль (раб. мин)
report-resolution-median = Время решения, медиана (раб. мин)
report-resolution-p90 = Время решения, 90-й процентиль (раб. мин)
report-rating = Средняя оценка
report-rating-count = Оценок
report-assignees = По исполнителям
report-assignee-tickets = { $name }: заявок
report-assignee-resolved = { $name }: решено
report-assignee-percent = { $name }: решение в срок, %
report-assignee-median = { $name }: время решения, медиана (раб. мин)
report-assignee-rating = { $name }: средняя оценка

## The bot: start, menu, language

start-hello = Здравствуйте, { $name }! Это служба поддержки. Опишите проблему — мы зарегистрируем заявку и будем сообщать о каждом шаге.
start-known = Вы в компании «{ $company }». Нажмите «Новая заявка», чтобы сообщить о проблеме.
start-unknown = Мы пока не знаем, из какой вы компании. Поделитесь номером телефона кнопкой ниже — найдём вас в справочнике. Или просто оставьте заявку: её примет 1-я линия.
start-joined = Готово: вы добавлены в «{ $company }» как { $role }.
start-joined-staff = Готово: ваша роль — { $role }.
start-already = Вы уже в «{ $company }».
invite-unknown = Эта ссылка-приглашение не найдена. Попросите новую у руководителя.
invite-expired = Срок действия приглашения истёк. Попросите новую ссылку у руководителя.
invite-used_up = Это приглашение уже использовано. Попросите новую ссылку у руководителя.
invite-revoked = Это приглашение отозвано. Попросите новую ссылку у руководителя.
menu-new = 📝 Новая заявка
menu-mine = 📋 Мои заявки
menu-share-phone = 📱 Поделиться номером
contact-matched = Спасибо! Нашли вас: «{ $company }».
contact-unmatched = Спасибо, номер сохранили. В справочнике его нет — ваши заявки примет 1-я линия и уточнит компанию.
contact-not-yours = Пожалуйста, поделитесь своим номером кнопкой «Поделиться номером».
language-choose = Выберите язык:
language-set = Готово, теперь говорю по-русски.
unknown-command = Не знаю такой команды. Вот что я умею: /new — новая заявка, /my — мои заявки, /language — язык, /help — помощь.
command-start = Начать
command-new = Новая заявка
command-my = Мои заявки
command-language = Язык
command-help = Помощь
command-cancel = Отменить
command-group-status = Открытые заявки группы
command-group-new = Новая заявка (в личном чате)
command-group-bind = Привязать группу к компании
command-group-unbind = Отвязать группу
invite-link = Ссылка-приглашение для сотрудников «{ $company }» (действует { $days } дн., { $uses } подключений):
    { $link }
invite-not-allowed = Приглашать сотрудников могут руководители компании-клиента.

## The bot: a new request

intake-category = Что случилось? Выберите категорию:
intake-description = Опишите проблему одним или несколькими сообщениями. Можно прислать фото, документы, голосовые. Когда всё — нажмите «Готово».
intake-description-more = Добавлено. Можно дописать ещё или нажать «Готово».
intake-description-needed = Нужно хотя бы пару слов о проблеме — напишите текстом.
intake-too-long = Слишком длинное сообщение (больше { $max } знаков). Сократите, пожалуйста.
intake-text-expected = Я жду текст. Напишите, пожалуйста, словами.
intake-done = ✅ Готово
intake-impact = Сколько людей затронуто?
intake-urgency = Насколько срочно?
intake-location = Где это? Напишите офис, этаж или адрес — или нажмите «Пропустить».
intake-skip = Пропустить
intake-summary = Проверьте заявку:
    Категория: { $category }
    Описание: { $description }
    Файлов: { $files }
    Затронуто: { $impact }
    Срочность: { $urgency }
    Где: { $location }
intake-confirm = ✅ Отправить
intake-edit = ✏️ Изменить
intake-cancel = ✖️ Отменить
intake-edit-what = Что изменить?
intake-field-category = Категорию
intake-field-description = Описание
intake-field-impact = Сколько затронуто
intake-field-urgency = Срочность
intake-field-location = Место
intake-accepted = Заявка #{ $number } принята. Приоритет: { $priority }. Ответим до { $due } ({ $zone }).
intake-cancelled = Заявку не отправили. Начать заново — /new.
intake-use-buttons = Пожалуйста, выберите вариант кнопкой под сообщением.
intake-stale-button = Эта кнопка уже неактуальна.
intake-not-yours = Это не ваша кнопка.
intake-failed = Не удалось сохранить заявку: { $reason }. Попробуйте ещё раз — /new.

## Notices from the outbox

notice-requester-created = Заявка #{ $number } зарегистрирована: «{ $subject }». Приоритет: { $priority }. Ответим до { $firstDue }.
notice-requester-triage = Заявка #{ $number } принята. Приоритет: { $priority }. Решим до { $due }.
notice-requester-reprioritize = Приоритет заявки #{ $number } изменён: { $priority }. Решим до { $due }.
notice-requester-take = Заявкой #{ $number } занимается { $assignee }.
notice-requester-assign = Заявку #{ $number } назначили инженеру: { $assignee }.
notice-requester-return_to_queue = Заявка #{ $number } вернулась в очередь — её возьмёт другой инженер.
notice-requester-ask_customer = Вопрос по заявке #{ $number }: { $question }
    Ответьте на это сообщение — ответ уйдёт инженеру.
notice-requester-resume = Заявка #{ $number } снова в работе.
notice-requester-escalate_line2 = Заявку #{ $number } передали специалистам 2-й линии.
notice-requester-schedule_visit = По заявке #{ $number } назначен выезд инженера: { $slot }. { $address }
notice-requester-resolve = Заявка #{ $number } решена: { $resolution }
    Проблема решена?
notice-requester-reopen = Заявку #{ $number } открыли снова: { $reason }
notice-requester-cancel = Заявка #{ $number } отменена.
notice-requester-cancel-reason = Заявка #{ $number } отменена: { $reason }
notice-requester-confirm = Заявка #{ $number } закрыта.
notice-requester-auto_close = Заявка #{ $number } закрыта: вы не ответили, решена ли проблема. Если нет — напишите нам.
notice-requester-comment = Ответ по заявке #{ $number } ({ $author }):
    { $body }
notice-staff = #{ $number } · { $priority } · { $subject }
    { $event }{ $details }
notice-solved-yes = ✅ Да, решена
notice-solved-no = ❌ Нет
event-created = Новая заявка
event-triage = Принята
event-reprioritize = Изменён приоритет
event-take = Взята в работу
event-assign = Назначена вам
event-return_to_queue = Вернулась в очередь
event-ask_customer = Вопрос клиенту
event-resume = Клиент ответил, снова в работе
event-escalate_line2 = Передана на 2-ю линию
event-schedule_visit = Назначен выезд
event-resolve = Решена
event-confirm = Клиент подтвердил решение
event-auto_close = Закрыта автоматически
event-reopen = Открыта снова
event-cancel = Отменена
event-rate = Оценка клиента
event-comment = Комментарий клиента
event-internal_note = Внутренняя заметка
event-sla_warning = ⚠️ SLA: прошло 75 % срока
event-sla_breached = 🔥 SLA: срок нарушен

## The bot: my requests, comments, confirmation

my-empty = У вас пока нет заявок. Новая — /new.
my-title = Ваши заявки ({ $total }):
my-line = #{ $number } · { $status } · { $priority }{ $due }
my-due = { " " }· до { $due }
my-more = Ещё ›
my-back = ‹ Назад
card = Заявка #{ $number }: { $subject }
    Статус: { $status }
    Приоритет: { $priority }
    Исполнитель: { $assignee }
    Срок решения: { $due }
card-history = История:
card-comment = 💬 Добавить комментарий
comment-prompt = Напишите комментарий к заявке #{ $number } ответом на это сообщение.
comment-added = Добавлено к заявке #{ $number }.
comment-refused = Не получилось добавить к заявке: { $reason }
comment-unknown-message = Не понимаю, к какой заявке это относится. Ответьте на сообщение о заявке или откройте её в /my.
rate-ask = Спасибо! Оцените, пожалуйста, работу по заявке #{ $number }:
rate-comment = Хотите добавить пару слов? Напишите их — или нажмите «Пропустить».
rate-thanks = Спасибо за оценку!
reopen-ask = Жаль. Что не так? Опишите, пожалуйста, — заявку откроем снова.
reopen-done = Заявка #{ $number } снова открыта, инженер уже знает.
action-refused = Это действие сейчас недоступно: { $reason }

## Why something could not be done

error-not_found = такой заявки нет
error-forbidden = недостаточно прав
error-invalid_transition = в нынешнем статусе заявки это невозможно
error-invalid_input = данные не подошли
error-stale = заявка уже изменилась, откройте её заново
error-conflict = кто-то успел раньше
error-configuration = ошибка настройки, мы уже разбираемся

## Staff work: categories, on-site visits the client picks, check-in and check-out

event-categorize = Изменена категория
event-offer_visit = Клиенту предложено время выезда
event-pick_visit = Клиент выбрал время выезда
event-check_in = Инженер на месте
event-check_out = Инженер закончил работу на месте
notice-requester-offer_visit = Инженер предлагает время выезда по заявке #{ $number }: выберите удобное ниже
notice-requester-pick_visit = Выезд по заявке #{ $number } назначен: { $slot }. { $address }
notice-requester-check_in = Инженер прибыл по заявке #{ $number }.
notice-requester-check_out = Инженер закончил работу на месте по заявке #{ $number }.

## Staff: ticket cards, buttons, questions, the staff group, queues
staff-card-head = #{ $number } · { $priority } · { $status }
staff-card-unverified = не подтверждён
staff-card-requester = 👤 { $name } · { $company }{ $phone }
staff-card-work = 🗂 { $category } · { $line } · 🔧 { $assignee }
staff-card-no-category = без категории
staff-card-unassigned = не назначен
staff-card-first-response = ⏱ Реакция: { $state }
staff-card-resolution = ⏱ Решение: { $state }
staff-card-location = 📍 { $location }
staff-card-visit = 🚗 Выезд { $slot }{ $state }
staff-card-visit-on-site = · на месте с { $at }
staff-card-visit-done = · завершён в { $at }
staff-card-resolution-text = ✔️ Решение: { $text }
duration-dh = { $days } д { $hours } ч
duration-hm = { $hours } ч { $minutes } мин
duration-m = { $minutes } мин
sla-left = до { $due } (осталось { $left })
sla-warning = ⚠️ до { $due } (осталось всего { $left })
sla-overdue = 🔥 просрочено с { $due } (на { $over })
sla-paused = ⏸ на паузе (осталось { $left })
sla-met = ✅ в срок
sla-missed = ❌ не в срок
staff-btn-take = ✋ Взять
staff-btn-accept = ✅ Принять
staff-btn-assign = 👤 Назначить
staff-btn-decline = ↩️ Отказаться
staff-btn-unassign = ↩️ Снять
staff-btn-to-queue = ↩️ В очередь
staff-btn-priority = ⚡ Приоритет
staff-btn-category = 🗂 Категория
staff-btn-escalate = ⬆️ На 2-ю линию
staff-btn-visit = 🚗 Выезд
staff-btn-reply = 💬 Ответить
staff-btn-canned = 📋 Шаблоны
staff-btn-note = 🔒 Заметка
staff-btn-ask = ❓ Спросить клиента
staff-btn-resolve = ✔️ Решено
staff-btn-check-in = 📍 Я на месте
staff-btn-check-out = 🏁 Выезд завершён
staff-btn-resume = ▶️ Продолжить работу
staff-btn-refresh = 🔄 Обновить
staff-btn-not-request = 💬 Не заявка
staff-btn-merge = 🔗 Объединить с #{ $number }
staff-btn-back = ⬅️ Назад
staff-btn-open = Открыть карточку
staff-not-allowed = Вам это недоступно.
staff-ticket-not-found = Такой заявки нет.
staff-refreshed = Обновлено.
staff-card-outdated = Карточка устарела — вот актуальное состояние. Ничего не изменено.
staff-already-taken = Уже взял(а) { $name }.
staff-done-take = #{ $number } теперь ваша.
staff-done-not-request = #{ $number } отменена: не заявка.
staff-done-merge = #{ $joined } объединена с #{ $kept }.
staff-done-return_to_queue = #{ $number } возвращена в очередь.
staff-done-resume = #{ $number } снова в работе.
staff-done-check_in = Прибытие отмечено, клиенту сообщили.
staff-done-check_out = Выезд отмечен как завершённый.
staff-done-assign = Назначено.
staff-done-priority = Приоритет установлен.
staff-done-category = Категория установлена.
staff-done-reply = Отправлено клиенту.
staff-done-offer_visit = Варианты времени отправлены клиенту.
staff-visit-choose = Сначала выберите от одного до трёх вариантов.
staff-visit-send = 📨 Предложить клиенту ({ $count })
staff-prompt-ask = { $name }, ответьте на это сообщение вопросом клиенту по #{ $number }.
staff-prompt-ask-placeholder = Вопрос клиенту
staff-prompt-resolve = { $name }, ответьте на это сообщение описанием решения по #{ $number } — его прочитает клиент.
staff-prompt-resolve-placeholder = Что сделано
staff-prompt-reply = { $name }, ответьте на это сообщение текстом для клиента по #{ $number }.
staff-prompt-reply-placeholder = Ответ клиенту
staff-prompt-note = { $name }, ответьте на это сообщение внутренней заметкой по #{ $number } (клиент её не увидит).
staff-prompt-note-placeholder = Внутренняя заметка
staff-prompt-escalate = { $name }, ответьте на это сообщение причиной передачи #{ $number } на 2-ю линию.
staff-prompt-escalate-placeholder = Причина эскалации
staff-prompt-not-yours = Этот вопрос был другому сотруднику — нажмите кнопку в карточке сами.
staff-prompt-text-expected = Пожалуйста, ответьте текстом.
staff-prompt-done-ask = Вопрос отправлен, #{ $number } ждёт ответа клиента.
staff-prompt-done-escalate = #{ $number } передана на 2-ю линию.
staff-prompt-done-resolve = #{ $number } решена, клиента попросили подтвердить.
staff-prompt-done-reply = Отправлено клиенту.
staff-prompt-done-note = Внутренняя заметка сохранена.
staff-topic-title = { $mark }#{ $number } · { $priority } · { $subject }
staff-topic-comment = 💬 { $author }: { $body }
staff-topic-note = 🔒 { $author }: { $body }
staff-topic-event = { $line }{ $author }
staff-relay-empty = Нечего отправить: напишите текст после команды.
staff-group-not-here = Отправьте /staffgroup в рабочей супергруппе с темами.
staff-group-no-topics = Сначала включите темы в настройках группы, затем снова отправьте /staffgroup.
staff-group-rights = Сделайте меня администратором с правами «Управление темами» и «Закрепление сообщений», затем снова отправьте /staffgroup.
staff-group-bound = «{ $title }» — теперь рабочая группа: по каждой новой заявке здесь откроется тема.
staff-group-unbound = Эта группа больше не рабочая; карточки пойдут в личные чаты.

## A client company's own Telegram group (bot/features/client-group.ts)
group-bind-not-allowed = Привязать группу к компании может администратор службы или руководитель этой компании.
group-bind-which = К какой компании привязать эту группу? Отправьте /bind и название:
    { $companies }
group-bind-cannot-read = Я не вижу сообщений этой группы. Сделайте меня администратором группы (права не нужны) или отключите мне режим приватности в @BotFather, затем снова отправьте /bind.
group-bound = Группа привязана к компании «{ $company }». Пишите сюда о проблемах: каждое обращение получит номер и срок ответа. Ответ на сообщение о заявке добавится к ней. /status — открытые заявки группы, /unbind — отвязать.
group-unbound = Группа отвязана: её сообщения больше не становятся заявками.
group-not-bound = Эта группа ни к какой компании не привязана.
group-status-none = Открытых заявок из этой группы нет ({ $company }).
group-status-title = Открытые заявки группы: { $count }
group-status-line = #{ $number } · { $subject } · { $status } · до { $due }
group-new-in-private = Заявку по шагам удобнее заполнить в личном чате со мной:
group-new-button = Новая заявка
group-not-a-request = не обращение, а сообщение в чате
group-merged-reason = объединена с заявкой #{ $number }
group-notices-link = 🔔 Сообщать мне лично
group-notices-private = Хорошо: о заявках, которые вы оставите в группе, буду сообщать здесь, лично.
group-notices-back = Сообщать в группе
group-notices-in-group = Хорошо: о заявках из группы снова сообщаю в группе.
staff-queue-title = Очередь: { $count } без исполнителя
staff-mine-title = Мои: { $count } в работе
staff-queue-empty = Очередь пуста.
staff-mine-empty = У вас нет открытых заявок.
staff-queue-line = { $flag } #{ $number } · { $priority } · { $status } · { $subject }
    { $clock }: { $sla }
staff-clock-first_response = реакция
staff-clock-resolution = решение
visit-picked = Готово: выезд по заявке #{ $number } — { $slot }. Инженер приедет в это время.
command-queue = Заявки моих линий без исполнителя
command-mine = Мои открытые заявки

## Mini App

app-title = Служба поддержки
app-open-in-telegram = Откройте приложение из бота в Telegram.
app-error = Не получилось: { $reason }
app-not-found = Здесь ничего нет.
app-loading = Загрузка…
app-done = Готово
app-saved = Сохранено
app-save = Сохранить
app-cancel = Отмена
app-back = Назад
app-choose = Выберите…
app-more = Показать ещё
app-search = Поиск: номер или слова
app-me = Я
app-anyone = Все исполнители
app-system = Система
app-copy = Скопировать
app-copied = Скопировано
app-tab-my = Мои заявки
app-tab-company = Компания
app-tab-all = Все заявки
app-tab-reports = Отчёты
app-tab-board = Очередь
app-tab-admin = Настройки
app-tab-call = Звонок
app-call-title = Звонок
app-call-number = Номер звонящего
app-call-number-placeholder = 8 916 123-45-67 доб. 12
app-call-find = Найти
app-call-extension = доб. { $extension }
app-call-bad-number = Это не похоже на номер телефона: проверьте цифры.
app-call-caller = Звонит
app-call-unknown = Номер не найден
app-call-new-contact = Новый контакт
app-call-name = Имя звонящего
app-call-no-company = Без компании
app-call-contract = Договор «{ $name }»
app-call-contract-ended = Договор «{ $name }» не действует
app-call-no-contract = Нет договора
app-call-open-tickets = Открытые заявки
app-call-add-to = Добавить к #{ $number }
app-call-what-said = Что сказал звонящий
app-call-new-instead = Новая заявка вместо этого
app-call-description-placeholder = Что случилось — со слов звонящего
app-call-file = Создать заявку
app-call-say-what = Напишите, что сказал звонящий.
app-call-created = Заявка #{ $number } создана
app-call-added = Добавлено к заявке #{ $number }
app-call-open = Открыть #{ $number }
app-call-next = Следующий звонок
app-sla-answer-within = ответим в течение { $left }
app-sla-solve-within = решим в течение { $left }
app-sla-overdue = просрочено на { $over }
app-sla-paused = на паузе
app-due-at = срок { $due }
app-duration-h = { $hours } ч
app-duration-d = { $days } д
app-field-category = Категория
app-field-description = Описание
app-field-location = Место
app-my-title = Мои заявки
app-my-empty = У вас пока нет заявок.
app-new-request = Новая заявка
app-new-title = Новая заявка
app-new-description-placeholder = Что случилось? Чем подробнее, тем быстрее решим.
app-new-location-placeholder = Офис, этаж, кабинет — или оставьте пустым
app-new-incomplete = Опишите проблему и выберите, кого она затрагивает и насколько срочно.
app-new-accepted = Заявка #{ $number } принята
app-send = Отправить
app-field-status = Статус
app-field-priority = Приоритет
app-field-priority-override = Приоритет (вместо матрицы)
app-field-sla = Срок
app-field-requester = Заявитель
app-field-assignee = Исполнитель
app-field-line = Линия
app-field-impact-urgency = Масштаб · срочность
app-field-created = Создана
app-field-visit = Выезд
app-field-rating = Оценка
app-field-slot = Выберите время выезда
app-field-slots = Время выезда (по { $hours } ч, { $zone })
app-field-slot-n = Время { $n }
app-field-reason = Причина
app-field-question = Вопрос клиенту
app-field-resolution = Что сделано (клиент это прочитает)
app-field-comment = Пара слов (необязательно)
app-field-note = Заметка (необязательно)
app-resolution-title = Решение
app-solved-ask = Проблема решена?
app-actions-title = Действия
app-timeline-title = История
app-comment-title = Комментарий
app-comment-placeholder = Напишите исполнителю
app-note-title = Внутренняя заметка
app-internal-note = Внутренняя заметка (клиент не увидит)
app-internal = внутреннее
app-send-comment = Отправить комментарий
app-send-note = Сохранить заметку
app-file-photo = Фото
app-file-file = Файл
app-event-assign = Назначена
app-assign-unavailable = Список инженеров вам недоступен.
app-act-triage = Принять
app-act-reprioritize = Приоритет
app-act-categorize = Категория
app-act-take = Взять
app-act-assign = Назначить
app-act-return_to_queue = Вернуть в очередь
app-act-ask_customer = Спросить клиента
app-act-resume = Продолжить работу
app-act-escalate_line2 = На 2-ю линию
app-act-offer_visit = Предложить время выезда
app-act-pick_visit = Выбрать это время
app-act-check_in = Я на месте
app-act-check_out = Выезд завершён
app-act-resolve = Решить
app-act-confirm = Да, решена
app-act-reopen = Нет, открыть снова
app-act-cancel = Отменить заявку
app-act-rate = Оценить
app-company-title = Заявки компании
app-all-title = Все заявки
app-all-statuses = Все статусы
app-open-work = В работе
app-all-priorities = Все приоритеты
app-all-categories = Все категории
app-all-companies = Все компании
app-all-requesters = Все заявители
app-all-lines = Все линии
app-period-from = С
app-period-to = По
app-period-invalid = Выберите первый и последний день периода.
app-nothing-found = Ничего не найдено.
app-export-xlsx = Excel (XLSX)
app-export-csv = CSV
app-board-title = Очередь
app-board-counts = { $total } · просрочено { $breached } · меньше часа { $soon }
app-reports-title = Отчёты
app-preset-this_month = Этот месяц
app-preset-last_month = Прошлый месяц
app-preset-this_quarter = Этот квартал
app-preset-custom = Даты…
app-kpi-first-response = первый ответ в срок ({ $met } из { $decided })
app-kpi-resolution = решено в срок ({ $met } из { $decided })
app-kpi-rating = средняя оценка ({ $count })
app-chart-by-priority = Заявки по приоритетам
app-chart-by-category = Заявки по категориям
app-times-title = Время ответа и решения
app-median = Медиана
app-p90 = 90 %
app-first-response = Первый ответ
app-resolution = Решение
app-business-time = В рабочем времени по договору.
app-engineer = Инженер
app-resolved = Решено
app-on-time = В срок
app-send-to-chat = Отправить в чат
app-report-sent = Бот пришлёт файл вам в чат.
app-admin-title = Настройки
app-admin-companies = Компании
app-admin-contracts = Договоры
app-admin-calendars = Календари
app-admin-categories = Категории
app-admin-people = Люди
app-admin-invites = Приглашения
app-admin-add = Добавить
app-admin-name = Название
app-admin-email-domain = Почтовый домен
app-admin-phone = Телефон
app-admin-new-company = Новая компания
app-admin-new-contract = Новый договор
app-admin-new-calendar = Новый календарь
app-admin-new-category = Новая категория
app-admin-no-company = Без компании (неподтверждённые)
app-admin-starts = Начало
app-admin-ends = Окончание
app-admin-calendar = Рабочий календарь
app-admin-round-the-clock = Круглосуточно
app-admin-targets = Цели SLA, рабочие минуты
app-admin-matrix = Матрица приоритетов
app-admin-auto-close = Закрывать решённые через, рабочих дней
app-admin-time-zone = Часовой пояс
app-admin-day-off = выходной
app-admin-exceptions = Праздники и особые дни
app-admin-exceptions-hint =
    2026-11-04 День народного единства
    2026-12-31 09:00-15:00 Сокращённый день
app-admin-exceptions-count = особых дней: { $count }
app-admin-code = Код
app-admin-name-ru = Название по-русски
app-admin-name-en = Название по-английски
app-admin-sort = Порядок
app-admin-active = Предлагать клиентам
app-admin-inactive = выключена
app-admin-role = Роль
app-admin-add-role = Добавить роль
app-admin-remove = Убрать
app-admin-invite-title = Ссылка-приглашение
app-admin-invite-create = Создать ссылку
app-weekday-mon = Понедельник
app-weekday-tue = Вторник
app-weekday-wed = Среда
app-weekday-thu = Четверг
app-weekday-fri = Пятница
app-weekday-sat = Суббота
app-weekday-sun = Воскресенье

## Sandbox

sandbox-title = Песочница tgdesk
sandbox-subtitle = Пишите боту от имени любого демо-пользователя и открывайте мини-приложение рядом с чатом — без Telegram.
sandbox-people = Демо-пользователи
sandbox-pick-person = Выберите человека слева, чтобы написать боту от его имени.
sandbox-chatting-as = Вы пишете как
sandbox-loading = Загрузка…
sandbox-empty-chat = Сообщений пока нет. Отправьте /start.
sandbox-input-placeholder = Сообщение
sandbox-send = Отправить
sandbox-send-photo = Отправить фото (картинка нарисуется сама; текст из поля станет подписью)
sandbox-commands = Команды бота
sandbox-keyboard = Показать или скрыть клавиатуру бота
sandbox-reply = Ответить
sandbox-replying-to = В ответ на
sandbox-cancel-reply = Отменить ответ
sandbox-you = Вы
sandbox-edited = изменено
sandbox-photo = Фото
sandbox-voice = Голосовое сообщение
sandbox-sticker = Стикер
sandbox-contact = Контакт
sandbox-open-miniapp = Открыть мини-приложение
sandbox-close-miniapp = Закрыть мини-приложение
sandbox-miniapp-not-built = Мини-приложение ещё не собрано: выполните npx vite build --config miniapp/vite.config.ts и откройте его снова.
sandbox-popup-ok = ОК
sandbox-popup-cancel = Отмена
sandbox-offline = Нет связи с песочницей, переподключаемся…
sandbox-error = Не получилось:

## Spreadsheet exports and sent reports
xlsx-sheet-summary = Сводка
xlsx-sheet-assignees = Исполнители
xlsx-sheet-tickets = Заявки
xlsx-col-resolved = Решено
report-send-caption = Отчёт за период { $from } — { $to } ({ $zone }): { $company }

## Set-up: the first admin and the checklist (bot /setup and the Mini App's admin)

setup-item-desk = Название и часовой пояс службы
setup-item-staff_group = Группа сотрудников (тема на каждую заявку)
setup-item-line1 = Инженеры 1-й линии
setup-item-line2 = Инженеры 2-й линии
setup-item-field_engineer = Выездные инженеры
setup-item-company = Первая компания-клиент с договором и календарём
setup-item-clients = Клиенты: ссылки-приглашения или справочник
setup-item-miniapp = Адрес мини-приложения (MINIAPP_URL)
setup-item-email = Электронная почта
setup-fact-desk = { $name } · { $timeZone }
setup-fact-desk-unnamed = без названия · { $timeZone }
setup-fact-people = сотрудников: { $people }, приглашений: { $invites }
setup-fact-company = компаний: { $companies }, с действующим договором: { $covered }
setup-fact-clients = клиентов: { $people }, приглашений: { $invites }
setup-fact-later = появится в следующих версиях
setup-progress = Готово { $done } из { $total }

## The bot: roles, /help and /setup

command-setup = Настройка службы
command-invite = Ссылка-приглашение
start-roles = Здравствуйте, { $name }! Ваши роли: { $roles }.
start-admin-setup = Служба ещё не до конца настроена: /setup покажет, что осталось.
help-commands = Ваши команды:
help-hint-client = Ответьте на любое моё сообщение о заявке — ответ добавится к ней комментарием.
help-hint-staff = Карточки заявок приходят сюда или в группу сотрудников: действуйте кнопками под карточкой. Ответ на карточку уходит клиенту; «!» в начале — внутренняя заметка.
help-hint-manager = /invite — ссылка для сотрудников вашей компании. Все заявки компании и отчёты — в мини-приложении.
help-hint-admin = /invite line1 | line2 | field_engineer | supervisor | admin — пригласить сотрудника; /invite client <номер компании> — клиента. В группе сотрудников: /staffgroup.
setup-welcome = Готово: вы администратор службы. Отправьте /setup — там список того, что осталось настроить.
setup-code-unknown = Эта ссылка настройки не найдена. Новую напечатает на сервере команда npm run setup -- admin.
setup-code-expired = Срок действия ссылки настройки истёк (24 часа). Новую напечатает на сервере команда npm run setup -- admin.
setup-code-admin_exists = У службы уже есть администратор. Попросите у него ссылку-приглашение.
setup-not-allowed = Настройка службы доступна только администраторам.
setup-title = Настройка службы «{ $name }»
setup-title-unnamed = Настройка службы
setup-tap = Нажмите на пункт — покажу, где это сделать.
setup-open-admin = ⚙️ Открыть администрирование
setup-how-desk = Название службы: /setup name Сервис-деск «Альфа»
    Часовой пояс: /setup zone Europe/Moscow (сейчас { $timeZone }). По нему считаются рабочие часы договора по умолчанию.
setup-how-staff_group = Создайте в Telegram группу с темами (форум), добавьте в неё бота администратором с правами «Управление темами» и «Закрепление сообщений» и отправьте там /staffgroup. По каждой заявке бот заведёт тему.
setup-how-company = Компании, договоры (SLA и приоритеты) и рабочие календари заводятся в мини-приложении: Администрирование → Компании, Договоры, Календари.
setup-how-clients = Клиенты подключаются по ссылке-приглашению: /invite client <номер компании> (руководителю — /invite client_manager <номер компании>). Или загрузите справочник (CSV или XLSX) в мини-приложении: Администрирование → Справочник. Номера компаний:
setup-no-companies = Компаний пока нет.
setup-needs-miniapp = Мини-приложение откроется из чата, когда задан MINIAPP_URL (пункт «Адрес мини-приложения»).
setup-how-miniapp = Мини-приложение работает по https. Задайте MINIAPP_URL (адрес, по которому доступен tgdesk, например https://desk.example.ru/), зарегистрируйте его у @BotFather (/newapp или Bot Settings → Menu Button) и перезапустите tgdesk.
setup-how-email = Письма в заявки: в Mini App, «Настройки» → «Почта», добавьте ящик поддержки и SMTP-сервер для ответов — или задайте IMAP_URL (можно несколько ящиков через запятую), SMTP_URL и MAIL_FROM в окружении сервера и перезапустите tgdesk. Подробно — в README, раздел «Почта».
setup-staff-invite = Ссылка для роли «{ $role }» (действует { $days } дн., до { $uses } человек). Перешлите её инженерам:
    { $link }
setup-desk-saved = Сохранено: { $name } · { $timeZone }
setup-name-bad = Название — от 1 до 100 символов: /setup name Сервис-деск «Альфа»
setup-zone-bad = Не знаю часового пояса «{ $zone }». Примеры: Europe/Moscow, Asia/Yekaterinburg, Asia/Novosibirsk.

## Mini App: set-up

app-admin-setup = Запуск
app-setup-title = Подготовка службы к работе
app-setup-tap = Нажмите на строку — откроется место, где это делается, или подсказка.
app-setup-ready = Всё готово: служба может принимать клиентов.
app-setup-state-done = готово
app-setup-state-todo = не сделано
app-setup-state-later = позже
app-setup-desk-name = Название службы (его видят клиенты)
app-setup-desk-name-placeholder = например, ИТ-служба «Альфа»
app-setup-time-zone = Часовой пояс
app-setup-time-zone-hint = По этому поясу считаются рабочие часы по умолчанию (пн–пт 9:00–18:00) и производственный календарь.
app-setup-fact-staff-group = группа: { $title }
app-setup-how-staff_group =
    1. Создайте в Telegram группу и включите в её настройках «Темы» (она станет форумом).
    2. Добавьте в группу этого бота администратором с правами «Управление темами» и «Закрепление сообщений».
    3. Отправьте в группе /staffgroup. Дальше по каждой новой заявке бот заведёт в ней тему.
app-setup-how-miniapp =
    Мини-приложению нужен https-адрес, по которому доступен tgdesk, например https://desk.example.ru/.
    1. У @BotFather отправьте /newapp (или Bot Settings → Menu Button) и укажите этот адрес.
    2. Задайте тот же адрес в MINIAPP_URL в настройках службы и перезапустите tgdesk: кнопка меню бота и «Открыть в приложении» поведут сюда.

## Directory import

app-admin-directory = Справочник
app-directory-intro = Загрузите CSV или XLSX со списком клиентов: одна строка на человека — компания, ИНН, почтовый домен, ФИО, телефон, почта, роль (клиент или руководитель). Строка без человека заводит только компанию. Сначала покажем, что изменится; запишем только после подтверждения.
app-directory-pick = Выбрать файл
app-directory-reading = Читаем файл…
app-directory-file-name = Файл: { $name }
app-directory-count-new = новых
app-directory-count-changed = изменится
app-directory-count-unchanged = без изменений
app-directory-count-error = с ошибками
app-directory-status-new = новая
app-directory-status-changed = изменится
app-directory-status-unchanged = без изменений
app-directory-status-error = ошибка
app-directory-col-line = Стр.
app-directory-col-status = Статус
app-directory-col-company = Компания
app-directory-col-person = Человек
app-directory-changes = меняется: { $fields }
app-directory-filter-all = Все строки
app-directory-filter-error = Только ошибки
app-directory-filter-apply = Только к записи
app-directory-more = Ещё строк не показано: { $count }
app-directory-ignored = Неизвестные столбцы пропущены: { $columns }
app-directory-import = { $count ->
    [one] Импортировать { $count } строку
    [few] Импортировать { $count } строки
   *[many] Импортировать { $count } строк
    }
app-directory-nothing = Всё уже как в файле — записывать нечего.
app-directory-skipped = Строки с ошибками ({ $count }) записаны не будут: исправьте их в файле и загрузите его снова.
app-directory-done = Готово. Компаний добавлено: { $companiesCreated }, изменено: { $companiesUpdated }. Людей добавлено: { $peopleCreated }, изменено: { $peopleUpdated }. Ролей выдано: { $rolesAdded }, изменено: { $rolesChanged }.
app-directory-stale = Справочник или файл изменились после просмотра — мы показали файл заново, проверьте и подтвердите ещё раз.
app-directory-export = Выгрузить справочник
app-directory-export-hint = В том же формате: выгрузку можно поправить и загрузить обратно.
app-directory-export-csv = CSV
app-directory-export-xlsx = XLSX
app-directory-field-company = компания
app-directory-field-inn = ИНН
app-directory-field-emailDomain = домен
app-directory-field-name = ФИО
app-directory-field-phone = телефон
app-directory-field-email = почта
app-directory-field-role = роль
directory-reason-missing_company = не указаны ни компания, ни ИНН
directory-reason-bad_inn = ИНН не похож на номер
directory-reason-bad_domain = это не почтовый домен
directory-reason-missing_name = не указано ФИО
directory-reason-missing_contact = нет ни телефона, ни почты, и в компании нет человека с таким именем
directory-reason-bad_phone = телефон не похож на номер
directory-reason-bad_email = это не адрес почты
directory-reason-bad_role = неизвестная роль «{ $value }»: клиент или руководитель
directory-reason-too_long = слишком длинное поле: { $field }
directory-reason-unknown_company = компании с ИНН { $company } нет ни в файле, ни в справочнике — укажите её название
directory-reason-ambiguous_company = компаний «{ $company }» несколько — укажите ИНН
directory-reason-duplicate_inn = этот ИНН уже у компании «{ $company }» (строка { $line })
directory-reason-domain_mismatch = у этой компании другой домен в строке { $line }
directory-reason-duplicate_person = этот человек уже есть в строке { $line }
directory-reason-person_mismatch = тот же человек, что в строке { $line }, но с другими данными
directory-reason-two_people = телефон принадлежит одному человеку, а почта — другому
directory-reason-ambiguous_person = в справочнике несколько людей с этим телефоном или почтой
directory-reason-other_company = этот человек — клиент другой компании ({ $company }); переведите его вручную в разделе «Люди»
directory-reason-staff_member = это сотрудник службы поддержки, а не клиент
directory-file-too_large = файл больше { $megabytes } МБ
directory-file-empty = файл пустой
directory-file-too_many_rows = в файле больше { $limit } строк — разделите его на части
directory-file-no_header = в первой строке должны быть названия столбцов: компания (или ИНН), ФИО, телефон, почта, роль
directory-file-unreadable = это не CSV и не XLSX — сохраните таблицу как .xlsx или .csv
directory-file-bad_csv = CSV не читается (строка { $line }): проверьте кавычки
directory-file-no_file = в форме нет файла

## Mini App: почта (администраторам)

app-admin-mail = Почта
app-mail-mailboxes = Почтовые ящики
app-mail-unset = Служба пока не читает ни одного ящика. Добавьте ящик в настройках почты выше или задайте IMAP_URL (ящики, которые читать), SMTP_URL и MAIL_FROM (как отправлять уведомления письмом) в окружении сервера и перезапустите tgdesk — как это сделать, написано в README.
app-mail-held = Задержанные письма
app-mail-held-intro = Письма, которые служба не смогла принять сама. Откройте оригинал, чтобы прочитать, примите письмо снова (оно станет заявкой или ответом) или отклоните его.
app-mail-none = Задержанных писем нет.
app-mail-no-subject = (без темы)
app-mail-no-sender = (отправитель неизвестен)
app-mail-size = { $kb } КБ
app-mail-reason = Причина: { $reason }
app-mail-reason-unreadable = письмо не читается, отправитель не найден
app-mail-reason-too_many_requests = отправитель открыл слишком много новых заявок за час (защита от почтовой петли)
app-mail-reason-refused = правила службы его не приняли ({ $detail })
app-mail-original = Открыть оригинал (.eml)
app-mail-take = Принять снова
app-mail-dismiss = Отклонить
app-mail-taken = Принято: заявка #{ $number }.
app-mail-taken-nothing = Принято: это вернувшееся письмо без известной заявки, заводить нечего.
app-mail-dropped-own_mail = Это письмо самой службы, вернувшееся назад: отклонено.
app-mail-dropped-auto_reply = Это автоответ: отклонено.
app-mail-dismissed = Письмо отклонено.
app-mail-still-held = Письмо снова не принято: { $reason }.
app-mail-decided = По этому письму уже приняли решение.
app-mail-more = Показаны только { $count } самых новых.
app-mail-settings = Настройки почты
app-mail-settings-intro = Ящики, которые читает служба, и сервер, через который она отправляет письма. Пароли хранятся в базе службы и больше нигде не показываются.
app-mail-settings-environment = Заданы в окружении сервера (IMAP_URL, SMTP_URL, MAIL_FROM): меняйте их там и перезапустите tgdesk.
app-mail-settings-mailbox = Ящик { $n }
app-mail-settings-mailbox-read = Ящик
app-mail-settings-no-mailboxes = Ящиков пока нет: добавьте ящик поддержки, который служба будет читать.
app-mail-settings-add-mailbox = Добавить ящик
app-mail-settings-remove = Удалить
app-mail-settings-server = Сервер
app-mail-settings-port = Порт
app-mail-settings-tls = Шифрованное соединение (IMAPS, обычно порт 993)
app-mail-settings-smtp-tls = Шифрование с самого начала (SMTPS, обычно порт 465; без него — STARTTLS на 587)
app-mail-settings-user = Пользователь
app-mail-settings-password = Пароль
app-mail-settings-password-kept = Пароль сохранён: оставьте поле пустым, чтобы его не менять.
app-mail-settings-password-kept-placeholder = сохранён
app-mail-settings-folder = Папка
app-mail-settings-smtp = Отправка писем (SMTP)
app-mail-settings-smtp-hint = Через этот сервер уходят уведомления и ответы. Оставьте сервер пустым, чтобы письма не отправлялись.
app-mail-settings-from = Отправитель
app-mail-settings-from-placeholder = Поддержка <support@example.ru>
app-mail-settings-saving = Сохраняем…
app-mail-settings-check = Проверить
app-mail-settings-checking = Проверяем…
app-mail-settings-saved = Настройки почты сохранены.
app-mail-settings-need-server = Укажите имя сервера, например imap.example.ru.
app-mail-settings-need-port = Порт — число от 1 до 65535.
app-mail-settings-need-user = Укажите пользователя.
app-mail-settings-need-password = Укажите пароль.
app-mail-settings-need-from = Укажите адрес, с которого уходят письма, например Поддержка <support@example.ru>.
app-mail-check-ok = Соединение установлено.
app-mail-check-failed = Не удалось подключиться: { $reason }.
app-mail-check-nothing = Проверять пока нечего.
app-mail-check-reason-auth = неверный пользователь или пароль
app-mail-check-reason-connection = сервер отказал в соединении (неверный сервер или порт?)
app-mail-check-reason-host = такого сервера нет
app-mail-check-reason-timeout = нет ответа за 10 секунд
app-mail-check-reason-tls = не удалось установить шифрованное соединение (попробуйте другую настройку шифрования или порт)
app-mail-check-reason-folder = такой папки нет
app-mail-check-reason-protocol = там сервер другого рода (неверный порт?)
app-mail-check-reason-settings = настройки заполнены не до конца
app-mail-check-reason-other = ошибка

## Mini App: channels (admins) — the website form and telephony

app-admin-channels = Каналы
app-channels-form = Форма на сайте
app-channels-form-enabled = Форма включена
app-channels-form-switch-hint = Выключена: страница формы, вставка на вашем сайте и отправка сразу отвечают «не найдено». Снова включена — тот же адрес.
app-channels-form-turned-on = Форма на сайте включена.
app-channels-form-turned-off = Форма на сайте выключена.
app-channels-form-url = Адрес формы
app-channels-form-embed = Код для вашего сайта
app-channels-form-embed-hint = Вставьте его туда, где должна стоять форма: он покажет её в рамке, растущей по высоте. data-lang задаёт язык (ru или en); без него язык выбирает браузер посетителя.
app-channels-cti = Телефония (CTI)
app-channels-cti-url = Адрес вебхука для АТС
app-channels-cti-hint = АТС отправляет сюда события generic CTI в формате Zammad: newCall, answer и hangup, с callId, from, to и direction (форма или JSON). Адрес — её пароль: храните его надёжно.
app-channels-cti-rotate = Сменить токен
app-channels-cti-rotate-confirm = Будет создан новый адрес; старый сразу перестанет работать, и АТС нужно будет указать новый.
app-channels-cti-rotate-yes = Сменить
app-channels-cti-rotated = Новый адрес создан: укажите его в АТС.

## The bot: messages outside a guided step, replies about closed tickets

offer-ask = Создать заявку с этим текстом?
offer-ask-answer = Это ответ по заявке? Выберите её — или создайте новую заявку с этим текстом.
offer-ask-follows = Заявка #{ $number } уже закрыта. Создать новую заявку с этим текстом?
offer-files = Файлов: { $files }
offer-create = 📝 Создать заявку
offer-answer = ↩️ Ответ к заявке #{ $number }
offer-drop = ✖️ Не нужно
offer-dropped = Хорошо, не создаю. Когда понадобится — нажмите «Новая заявка».
offer-already = Эта заявка уже принята: #{ $number }.
offer-files-only = (файлы без описания)
offer-follows = Продолжение заявки #{ $number }, которая уже закрыта.
comment-added-resolved = Добавлено к заявке #{ $number }. Она решена?

## Crash-safe intake
intake-already-accepted = Заявка уже принята: #{ $number }.
intake-answer-again = Бот перезапускался, и ваш последний ответ мог не сохраниться. Ответьте, пожалуйста, на вопрос ниже.
intake-description-resumed = Сохранено сообщений: { $count }. Если что-то не дошло, пришлите ещё раз; когда всё — нажмите «Готово».
refused-role = у вашей роли нет такого права
refused-status = в статусе «{ $status }» так нельзя
staff-refused-kept = Ваш текст, чтобы не набирать заново:
    { $text }

## Mini App: files and fixes
app-files-title = Файлы
app-file-add = 📎 Прикрепить файлы
app-file-limits = До { $count } файлов, каждый до { $megabytes } МБ: фото, PDF, документы, текст, архивы.
app-file-remove = Убрать
app-file-retry = Повторить
app-file-uploaded = Загружен
app-file-uploading = Загрузка: { $percent } %
app-file-wait = Подождите: файлы ещё загружаются.
app-file-failed = Не загружен: { $reason }
app-file-error-too_large = файл больше { $megabytes } МБ
app-file-error-bad_type = такие файлы не принимаем — только фото, PDF, документы, текст и архивы
app-file-error-no_file = файл пустой или не читается
app-file-error-too_many = не больше { $count } файлов за раз
app-file-error-network = нет связи, попробуйте ещё раз
app-file-error-busy = слишком много запросов подряд — подождите минуту и нажмите «Повторить»
app-file-open = Открыть { $name }
app-file-download = Скачать
app-size-bytes = { $value } Б
app-size-kb = { $value } КБ
app-size-mb = { $value } МБ
app-viewer-close = Закрыть
app-viewer-previous = Предыдущее фото
app-viewer-next = Следующее фото
app-viewer-count = { $n } из { $total }
app-filter-unfinished = Все незакрытые
app-rating-comment = Отзыв
app-hours = ч
app-minutes = мин
app-outside-telegram-title = Откройте в Telegram
app-outside-telegram = Это приложение службы поддержки работает внутри Telegram. Откройте бота в Telegram и нажмите кнопку меню рядом с полем ввода.
app-admin-targets-time = Цели SLA, рабочее время (часы и минуты)
app-admin-target-empty = Срок не может быть нулевым: хотя бы 1 минута.
language-ru = русском
language-en = английском
staff-canned-preview = Клиент получит это на { $language }:

    { $body }
staff-btn-send = ✅ Отправить клиенту

## API hardening

error-rate_limited = слишком много запросов подряд — подождите минуту и попробуйте снова
notice-files = Файлы клиента по заявке #{ $number }
intake-finish-first = Сейчас мы заполняем заявку: ответьте на вопрос выше или отправьте /cancel, чтобы прервать.

## Sandbox and demo

sandbox-stranger = Незнакомец: его нет в справочнике
sandbox-new-stranger = Новый незнакомый человек
sandbox-new-stranger-hint = Новый пользователь Telegram со случайным id и именем, которого служба не знает: попробуйте, что видит незнакомец
sandbox-attach = Прикрепить
sandbox-attach-photo = Фото
sandbox-attach-document = Документ
sandbox-attach-voice = Голосовое сообщение
sandbox-attach-sticker = Стикер
sandbox-document-name = счёт-фактура.pdf
sandbox-restarted = Песочница перезапускалась: прежние сообщения не сохраняются.
sandbox-pane-people = Люди
sandbox-pane-chat = Чат
sandbox-pane-miniapp = Мини-приложение
sandbox-language-hint = Язык страницы; для открытого чата — и язык бота: песочница отправит /language и выберет язык за человека, как он сделал бы в Telegram
sandbox-pane-mail = Почта
sandbox-mail-title = Почта
sandbox-mail-hint = Письмо в службу от любого адреса
sandbox-mail-subtitle = Письмо службе проходит через её настоящий приём почты, без сети; письма службы на этот адрес появятся ниже.
sandbox-mail-from = От кого
sandbox-mail-other = Другой адрес…
sandbox-mail-address = Адрес
sandbox-mail-name = Имя
sandbox-mail-to = Кому
sandbox-mail-subject = Тема
sandbox-mail-text = Текст
sandbox-mail-file = Файл
sandbox-mail-file-too-big = Файл больше 5 МБ.
sandbox-mail-list = Письма этого адреса
sandbox-mail-empty = Писем с этого адреса и на него пока нет.
sandbox-mail-no-subject = (без темы)
sandbox-mail-not-captured = Задан SMTP_URL: письма службы уходят через него в настоящие ящики и здесь не показываются.
sandbox-mail-created = Новая заявка
sandbox-mail-commented = Комментарий к заявке
sandbox-mail-reopened = заявка снова открыта
sandbox-mail-duplicate = Уже принято раньше (тот же Message-ID), ничего нового: заявка
sandbox-mail-bounce = Недоставленное письмо, отмечено в заявке
sandbox-mail-dropped-own_mail = Отброшено: это письмо самой службы, вернувшееся назад.
sandbox-mail-dropped-auto_reply = Отброшено: это автоответ.
sandbox-mail-quarantined = Задержано для администратора (мини-приложение → Настройки → Почта):
sandbox-call-title = 📞 Позвонить в службу
sandbox-call-hint = Как сообщает телефонная станция: в чаты 1-й линии приходит карточка звонящего
sandbox-call-from = Кто звонит
sandbox-call-other = Другой номер…
sandbox-call-number = Номер
sandbox-call-ring = Позвонить
sandbox-call-answerer = Отвечает
sandbox-call-answer = Ответить
sandbox-call-hangup = Положить трубку
sandbox-call-ringing = Звонит: в чаты 1-й линии пришла карточка звонка.
sandbox-call-answered = Разговор идёт, ответил(а):
sandbox-call-ended = Звонок окончен.
sandbox-call-missed = Пропущен: звонок в очереди на перезвон, перезвонить до
sandbox-call-open-chat = Открыть чат 1-й линии
sandbox-pane-webform = Форма
sandbox-webform-title = Форма на сайте
sandbox-webform-hint = Отправить заявку как посетитель сайта
sandbox-webform-subtitle = Настоящая публичная форма службы, как её видит телефон: заявка отсюда заводится по-настоящему (канал «Форма на сайте») и уходит 1-й линии.
sandbox-webform-off = Форма выключена (Мини-приложение → Настройки): её страница отвечает 404.
sandbox-webform-embed-title = На вашем сайте
sandbox-webform-embed-hint = Вставьте эту строку туда, где на сайте должна быть форма: она добавит форму во фрейме, который растёт по её высоте.
sandbox-webform-copy = Скопировать
sandbox-webform-copied = Скопировано.
sandbox-webform-copy-failed = Не удалось скопировать: строка выделена, скопируйте её сами (Ctrl+C).
sandbox-webform-after-title = После отправки
sandbox-webform-after-hint = Страница покажет номер заявки; 1-я линия получит о ней сообщение в чате, а заявка появится на доске Мини-приложения.
sandbox-webform-reload = Заполнить форму заново
sandbox-webform-open-tab = Открыть форму в новой вкладке ↗
sandbox-group = Группа клиента в Telegram
sandbox-group-subtitle = Сообщения клиентов в группе становятся заявками, ответы бота приходят сюда же
sandbox-group-speaker = Пишет в группу
stale-button-start-over = Эта кнопка уже неактуальна. Чтобы начать заново, нажмите «Новая заявка».

## Notices by e-mail: titles, facts, the reply line

mail-reply-above = ##- Ответьте выше этой строки -##
mail-open-ticket = Открыть заявку
mail-footer = Письмо от службы поддержки «{ $desk }», отправлено автоматически. Чтобы написать по заявке, просто ответьте на него.
mail-footer-plain = Письмо от службы поддержки «{ $desk }», отправлено автоматически.
mail-requester-offer_visit = Инженер предлагает время выезда по заявке #{ $number }:
    { $slots }
    Ответьте на это письмо и напишите, какое время вам удобно.
mail-requester-resolve = Заявка #{ $number } решена: { $resolution }
    Если проблема осталась, ответьте на это письмо — мы продолжим работу.
notice-title-with-subject = { $title }: { $subject }
notice-title-accepted = Заявка зарегистрирована
notice-title-created = Заявка зарегистрирована
notice-title-triage = Заявка принята в работу
notice-title-reprioritize = Изменён приоритет
notice-title-take = Инженер взял заявку
notice-title-assign = Назначен инженер
notice-title-return_to_queue = Заявка вернулась в очередь
notice-title-ask_customer = Вопрос по заявке
notice-title-resume = Заявка снова в работе
notice-title-escalate_line2 = Заявка передана на 2-ю линию
notice-title-schedule_visit = Назначен выезд инженера
notice-title-offer_visit = Выберите время выезда
notice-title-pick_visit = Выезд назначен
notice-title-check_in = Инженер на месте
notice-title-check_out = Инженер закончил работу на месте
notice-title-resolve = Заявка решена
notice-title-reopen = Заявка открыта снова
notice-title-cancel = Заявка отменена
notice-title-confirm = Заявка закрыта
notice-title-auto_close = Заявка закрыта
notice-title-comment = Ответ по заявке
notice-fact-number = Заявка
notice-fact-subject = Тема
notice-fact-status = Статус
notice-fact-priority = Приоритет
notice-fact-first-response-due = Ответим до
notice-fact-resolution-due = Срок решения
notice-fact-assignee = Исполнитель
notice-fact-requester = Заявитель
notice-fact-company = Компания
notice-fact-category = Категория
notice-fact-line = Линия
notice-fact-location = Место
notice-fact-visit = Выезд
notice-fact-rating = Оценка
notice-rating-value = { $rating } из 5

# Telephony (CTI): the 1st line's cards about calls, the call in a ticket's history, the board's callbacks
call-ringing = 📞 Входящий звонок: { $caller }
    { $company }
    { $tickets }
call-missed = ☎️ Пропущенный звонок: { $caller }
    { $company }
    Перезвонить до { $due } ({ $zone })
call-caller-known = { $name }, { $number }
call-hidden-number = номер скрыт
call-company = Компания: { $company }
call-company-unknown = Компания не определена
call-open-tickets = Открытые заявки:
call-no-open-tickets = Открытых заявок нет
call-ticket-line = #{ $number } { $subject } — { $status }
call-btn-create = 📝 Создать заявку
event-call = Звонок
app-event-call-answered = Звонок: ответил { $who }, { $duration }
app-event-call-answered-unknown = Звонок: { $duration }
app-event-call-missed = Пропущенный звонок
app-callbacks-title = Перезвонить
app-callback-due = до { $due }
app-callback-done = Готово
app-callback-unknown = Неизвестный абонент

# The website form (GET /form/<key>): refusals by field, the company line of the description
webform-company-line = Компания (как указано в форме): { $company }
webform-contact-line = Контакт (как указано в форме, не подтверждён): { $contact }
webform-error-invalid = Проверьте форму.
webform-error-required = Заполните это поле.
webform-error-too_long = Слишком длинно.
webform-error-email = Это не адрес электронной почты.
webform-error-phone = Это не номер телефона.
webform-error-contact = Укажите e-mail или телефон.
webform-error-category = Выберите категорию из списка.
webform-error-too_many = Слишком много заявок с вашего адреса. Попробуйте позже.
webform-error-token-missing = Форма устарела. Обновите страницу.
webform-error-token-forged = Форма устарела. Обновите страницу.
webform-error-token-expired = Форма была открыта слишком долго. Обновите страницу.
webform-error-token-too_fresh = Слишком быстро. Проверьте форму и отправьте ещё раз.
webform-error-rejected = Форму не удалось отправить.
webform-error-altcha-missing = Подтвердите, что вы не робот.
webform-error-altcha-invalid = Проверка не пройдена. Подтвердите ещё раз.
webform-error-altcha-expired = Проверка устарела. Подтвердите ещё раз.
webform-error-files-too-many = Слишком много файлов (не больше 10).
webform-error-files-too-large = Файл слишком большой (не больше 20 МБ).
webform-error-files-bad-type = Такой тип файла не принимается.
webform-page-title = Заявка в IT-поддержку
webform-page-intro = Опишите проблему и как с вами связаться. Мы ответим по почте или по телефону.
webform-page-name = Ваше имя
webform-page-email = E-mail
webform-page-phone = Телефон
webform-page-company = Компания
webform-page-category = Категория
webform-page-category-none = Не знаю
webform-page-description = Что случилось?
webform-page-files = Файлы (скриншоты, логи)
webform-page-trap = Оставьте это поле пустым
webform-page-submit = Отправить заявку
webform-page-success = Спасибо! Ваша заявка №{ $number } принята.
webform-page-failed = Не удалось отправить заявку. Попробуйте ещё раз.
webform-page-closed = Эта форма сейчас не принимает заявки. Свяжитесь с поддержкой другим способом.
webform-page-renewed = Форма устарела, и мы её обновили. Подтвердите ещё раз, что вы не робот, и отправьте.
event-requester_confirmed = Подтверждена заявителем
event-merged_in = К ней присоединена другая заявка
notice-title-requester_confirmed = Заявка подтверждена
notice-requester-requester_confirmed = Вы подтвердили заявку #{ $number }: теперь она ваша.
notice-title-confirm_web = Это вы отправили заявку #{ $number }?
mail-requester-confirm_web = Заявка #{ $number } отправлена через форму на нашем сайте с вашим адресом e-mail или номером телефона. Если это были вы, подтвердите её по ссылке — заявка будет оформлена на вас и вашу компанию:
    { $link }
    Если это были не вы, ничего не делайте: заявка останется неподтверждённой.
webform-confirm-title = Подтвердите заявку
webform-confirm-ask = Заявка #{ $number } отправлена через форму на нашем сайте с вашим адресом e-mail или номером телефона. Если это были вы, подтвердите её — заявка будет оформлена на вас и вашу компанию.
webform-confirm-button = Да, это я
webform-confirm-confirmed = Спасибо! Заявка #{ $number } подтверждена и оформлена на вас.
webform-confirm-already = Заявка #{ $number } уже подтверждена.
webform-confirm-refused = Заявку #{ $number } больше нельзя подтвердить по этой ссылке: она закрыта или поддержка уже разобралась с ней.
webform-confirm-invalid = Ссылка недействительна или устарела.
webform-confirm-follow = Следить за заявкой
mail-requester-status-link = Следить за заявкой, дополнить её или подтвердить решение:
    { $link }
webform-status-title = Заявка #{ $number }
webform-status-status = Статус:
webform-status-history = История
webform-status-comment = Добавить комментарий
webform-status-reason = Не решено? Напишите, что не так, и откройте заявку снова
webform-status-send = Отправить
webform-status-confirm = Да, решено
webform-status-reopen = Не решено: открыть снова
webform-status-sent = Комментарий добавлен.
webform-status-confirmed = Спасибо! Заявка закрыта.
webform-status-reopened = Заявка снова открыта.
webform-status-empty = Сначала напишите комментарий.
webform-status-reason-needed = Напишите, что не так, и откройте заявку снова.
webform-status-failed = Сейчас это сделать нельзя: заявка изменилась. Обновите страницу.
