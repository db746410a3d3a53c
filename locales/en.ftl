## Words of the service desk

status-new = New
status-open = Open
status-in_progress = In progress
status-waiting_for_customer = Waiting for you
status-resolved = Resolved
status-closed = Closed
status-cancelled = Cancelled

priority-P1 = P1 — critical
priority-P2 = P2 — high
priority-P3 = P3 — medium
priority-P4 = P4 — low

channel-telegram = Telegram
channel-miniapp = Mini App
channel-email = E-mail
channel-web = Website form
channel-phone = Phone

impact-person = One person
impact-department = A department
impact-company = The whole company

urgency-low = It can wait
urgency-medium = It slows work down
urgency-high = Work has stopped

line-line1 = 1st line
line-line2 = 2nd line
line-field = On-site

role-client = Client
role-client_manager = Client manager
role-line1 = 1st line
role-line2 = 2nd line
role-field_engineer = Field engineer
role-supervisor = Supervisor
role-admin = Administrator

yes = yes
no = no
none = —

## CSV export of the ticket list

csv-number = Number
csv-created = Created
csv-company = Company
csv-requester = Requester
csv-channel = Channel
csv-category = Category
csv-subject = Subject
csv-priority = Priority
csv-status = Status
csv-line = Line
csv-assignee = Assignee
csv-first-response-due = First response due
csv-first-responded = First response
csv-first-response-met = First response on time
csv-resolution-due = Resolution due
csv-resolved = Resolved
csv-resolution-met = Resolved on time
csv-rating = Rating

## Period report

report-section = Section
report-key = Figure
report-value = Value
report-period = Period
report-company = Company
report-all-companies = All companies
report-total = Tickets
report-by-status = By status
report-by-priority = By priority
report-by-channel = By channel
report-by-category = By category
report-no-category = No category
report-sla = SLA
report-first-response-percent = First response on time, %
report-resolution-percent = Resolved on time, %
report-first-response-median = First response, median (business min)
report-first-response-p90 = First response, 90th percentile (business min)
report-resolution-median = Resolution, median (business min)
report-resolution-p90 = Resolution, 90th percentile (business min)
report-rating = Average rating
report-rating-count = Ratings
report-assignees = By assignee
report-assignee-tickets = { $name }: tickets
report-assignee-resolved = { $name }: resolved
report-assignee-percent = { $name }: resolved on time, %
report-assignee-median = { $name }: resolution, median (business min)
report-assignee-rating = { $name }: average rating
