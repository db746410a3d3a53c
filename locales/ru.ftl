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
channel-miniapp = Мини-приложение
channel-email = Эл. почта
channel-web = Форма на сайте
channel-phone = Телефон

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
