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
open-in-app = 📱 Open in the app
channel-miniapp = Mini App
channel-email = E-mail
channel-web = Website form
channel-phone = Phone
channel-telegram_group = Telegram group

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

## The bot: start, menu, language

start-hello = Hello, { $name }! This is the service desk. Describe a problem — we register a request and tell you about every step.
start-known = You are with “{ $company }”. Press “New request” to report a problem.
start-unknown = We don't know your company yet. Share your phone number with the button below and we'll find you in the directory. Or just file a request: the 1st line will take it.
start-joined = Done: you were added to “{ $company }” as { $role }.
start-joined-staff = Done: your role is { $role }.
start-already = You are already with “{ $company }”.
invite-unknown = This invite link was not found. Ask your manager for a new one.
invite-expired = This invite has expired. Ask your manager for a new link.
invite-used_up = This invite has already been used. Ask your manager for a new link.
invite-revoked = This invite was revoked. Ask your manager for a new link.
menu-new = 📝 New request
menu-mine = 📋 My requests
menu-share-phone = 📱 Share my number
contact-matched = Thank you! Found you: “{ $company }”.
contact-unmatched = Thank you, the number is saved. It is not in the directory — the 1st line will take your requests and confirm your company.
contact-not-yours = Please share your own number with the “Share my number” button.
language-choose = Choose a language:
language-set = Done, I speak English now.
unknown-command = I don't know that command. Here is what I can do: /new — new request, /my — my requests, /language — language, /help — help.
command-start = Start
command-new = New request
command-my = My requests
command-language = Language
command-help = Help
command-cancel = Cancel
command-group-status = The group's open requests
command-group-new = New request (in a private chat)
command-group-bind = Bind the group to a company
command-group-unbind = Unbind the group
invite-link = Invite link for the staff of “{ $company }” (valid { $days } days, { $uses } joins):
    { $link }
invite-not-allowed = Only a client company's managers can invite colleagues.

## The bot: a new request

intake-category = What happened? Choose a category:
intake-description = Describe the problem in one or more messages. You can send photos, documents, voice notes. When you're done, press “Done”.
intake-description-more = Added. Add more or press “Done”.
intake-description-needed = Please write at least a few words about the problem.
intake-too-long = That message is too long (over { $max } characters). Please shorten it.
intake-text-expected = I'm waiting for text. Please put it in words.
intake-done = ✅ Done
intake-impact = How many people are affected?
intake-urgency = How urgent is it?
intake-location = Where is it? Write the office, floor or address — or press “Skip”.
intake-skip = Skip
intake-summary = Please check your request:
    Category: { $category }
    Description: { $description }
    Files: { $files }
    Affected: { $impact }
    Urgency: { $urgency }
    Where: { $location }
intake-confirm = ✅ Send
intake-edit = ✏️ Edit
intake-cancel = ✖️ Cancel
intake-edit-what = What would you like to change?
intake-field-category = Category
intake-field-description = Description
intake-field-impact = People affected
intake-field-urgency = Urgency
intake-field-location = Place
intake-accepted = Request #{ $number } accepted. Priority: { $priority }. We will answer by { $due } ({ $zone }).
intake-cancelled = The request was not sent. Start again with /new.
intake-use-buttons = Please choose an option with the buttons under the message.
intake-stale-button = This button is out of date.
intake-not-yours = This is not your button.
intake-failed = Could not save the request: { $reason }. Please try again with /new.

## Notices from the outbox

notice-requester-created = Request #{ $number } is registered: “{ $subject }”. Priority: { $priority }. We will answer by { $firstDue }.
notice-requester-triage = Request #{ $number } is accepted. Priority: { $priority }. We will solve it by { $due }.
notice-requester-reprioritize = The priority of request #{ $number } changed: { $priority }. We will solve it by { $due }.
notice-requester-take = { $assignee } is working on request #{ $number }.
notice-requester-assign = Request #{ $number } is assigned to { $assignee }.
notice-requester-return_to_queue = Request #{ $number } is back in the queue — another engineer will take it.
notice-requester-ask_customer = A question about request #{ $number }: { $question }
    Reply to this message — your answer goes to the engineer.
notice-requester-resume = Request #{ $number } is in progress again.
notice-requester-escalate_line2 = Request #{ $number } was passed to our 2nd-line specialists.
notice-requester-schedule_visit = An engineer will come for request #{ $number }: { $slot }. { $address }
notice-requester-resolve = Request #{ $number } is resolved: { $resolution }
    Is the problem solved?
notice-requester-reopen = Request #{ $number } was reopened: { $reason }
notice-requester-cancel = Request #{ $number } was cancelled.
notice-requester-cancel-reason = Request #{ $number } was cancelled: { $reason }
notice-requester-confirm = Request #{ $number } is closed.
notice-requester-auto_close = Request #{ $number } was closed: we did not hear whether it was solved. If not, write to us.
notice-requester-comment = A reply about request #{ $number } ({ $author }):
    { $body }
notice-staff = #{ $number } · { $priority } · { $subject }
    { $event }{ $details }
notice-solved-yes = ✅ Yes, solved
notice-solved-no = ❌ No
event-created = New request
event-triage = Accepted
event-reprioritize = Priority changed
event-take = Taken
event-assign = Assigned to you
event-return_to_queue = Back in the queue
event-ask_customer = Question to the client
event-resume = The client answered, in progress again
event-escalate_line2 = Passed to the 2nd line
event-schedule_visit = Visit scheduled
event-resolve = Resolved
event-confirm = The client confirmed the solution
event-auto_close = Closed automatically
event-reopen = Reopened
event-cancel = Cancelled
event-rate = Client's rating
event-comment = The client wrote
event-internal_note = Internal note
event-sla_warning = ⚠️ SLA: 75 % of the time is used
event-sla_breached = 🔥 SLA: breached

## The bot: my requests, comments, confirmation

my-empty = You have no requests yet. New one — /new.
my-title = Your requests ({ $total }):
my-line = #{ $number } · { $status } · { $priority }{ $due }
my-due = { " " }· by { $due }
my-more = More ›
my-back = ‹ Back
card = Request #{ $number }: { $subject }
    Status: { $status }
    Priority: { $priority }
    Assignee: { $assignee }
    Resolution due: { $due }
card-history = History:
card-comment = 💬 Add a comment
comment-prompt = Write your comment on request #{ $number } as a reply to this message.
comment-added = Added to request #{ $number }.
comment-refused = Could not add it to the request: { $reason }
comment-unknown-message = I can't tell which request this is about. Reply to a message about a request, or open it in /my.
rate-ask = Thank you! Please rate the work on request #{ $number }:
rate-comment = Would you like to add a few words? Write them — or press “Skip”.
rate-thanks = Thank you for your rating!
reopen-ask = Sorry to hear that. What is wrong? Please describe it and we'll reopen the request.
reopen-done = Request #{ $number } is open again; the engineer knows.
action-refused = This can't be done now: { $reason }

## Why something could not be done

error-not_found = there is no such request
error-forbidden = you are not allowed to do that
error-invalid_transition = that is not possible in the request's current status
error-invalid_input = the data did not fit
error-stale = the request has changed meanwhile, please open it again
error-conflict = someone was quicker
error-configuration = a configuration error, we are on it

## Staff work: categories, on-site visits the client picks, check-in and check-out

event-categorize = Category changed
event-offer_visit = Visit times offered to the client
event-pick_visit = The client picked a visit time
event-check_in = Engineer on site
event-check_out = Engineer finished on site
notice-requester-offer_visit = The engineer offers on-site visit times for #{ $number }: choose one below
notice-requester-pick_visit = An engineer will come for request #{ $number }: { $slot }. { $address }
notice-requester-check_in = The engineer has arrived for request #{ $number }.
notice-requester-check_out = The engineer has finished on site for request #{ $number }.

## Staff: ticket cards, buttons, questions, the staff group, queues
staff-card-head = #{ $number } · { $priority } · { $status }
staff-card-unverified = not verified
staff-card-requester = 👤 { $name } · { $company }{ $phone }
staff-card-work = 🗂 { $category } · { $line } · 🔧 { $assignee }
staff-card-no-category = no category
staff-card-unassigned = nobody yet
staff-card-first-response = ⏱ Response: { $state }
staff-card-resolution = ⏱ Resolution: { $state }
staff-card-location = 📍 { $location }
staff-card-visit = 🚗 Visit { $slot }{ $state }
staff-card-visit-on-site = · on site since { $at }
staff-card-visit-done = · done at { $at }
staff-card-resolution-text = ✔️ Resolution: { $text }
duration-dh = { $days } d { $hours } h
duration-hm = { $hours } h { $minutes } min
duration-m = { $minutes } min
sla-left = by { $due } ({ $left } left)
sla-warning = ⚠️ by { $due } (only { $left } left)
sla-overdue = 🔥 overdue since { $due } (by { $over })
sla-paused = ⏸ paused ({ $left } left)
sla-met = ✅ met
sla-missed = ❌ missed
staff-btn-take = ✋ Take
staff-btn-accept = ✅ Accept
staff-btn-assign = 👤 Assign
staff-btn-decline = ↩️ Decline
staff-btn-unassign = ↩️ Unassign
staff-btn-to-queue = ↩️ Back to queue
staff-btn-priority = ⚡ Priority
staff-btn-category = 🗂 Category
staff-btn-escalate = ⬆️ 2nd line
staff-btn-visit = 🚗 On-site visit
staff-btn-reply = 💬 Reply
staff-btn-canned = 📋 Templates
staff-btn-note = 🔒 Note
staff-btn-ask = ❓ Ask the client
staff-btn-resolve = ✔️ Resolve
staff-btn-check-in = 📍 I have arrived
staff-btn-check-out = 🏁 Visit done
staff-btn-resume = ▶️ Resume work
staff-btn-refresh = 🔄 Refresh
staff-btn-not-request = 💬 Not a request
staff-btn-merge = 🔗 Join into #{ $number }
staff-btn-back = ⬅️ Back
staff-btn-open = Open the card
staff-not-allowed = This is not allowed for you.
staff-ticket-not-found = No such ticket.
staff-refreshed = Updated.
staff-card-outdated = The card was out of date: here is the current state. Nothing was changed.
staff-already-taken = Already taken by { $name }.
staff-done-take = #{ $number } is yours.
staff-done-not-request = #{ $number } cancelled: not a request.
staff-done-merge = #{ $joined } joined into #{ $kept }.
staff-done-return_to_queue = #{ $number } is back in the queue.
staff-done-resume = #{ $number } is in progress again.
staff-done-check_in = Arrival recorded; the client is told.
staff-done-check_out = Visit recorded as done.
staff-done-assign = Assigned.
staff-done-priority = Priority set.
staff-done-category = Category set.
staff-done-reply = Sent to the client.
staff-done-offer_visit = The times are sent to the client.
staff-visit-choose = Choose one to three times first.
staff-visit-send = 📨 Offer to the client ({ $count })
staff-prompt-ask = { $name }, reply to this message with your question to the client about #{ $number }.
staff-prompt-ask-placeholder = Question to the client
staff-prompt-resolve = { $name }, reply to this message with what was done for #{ $number }: the client will read it.
staff-prompt-resolve-placeholder = What was done
staff-prompt-reply = { $name }, reply to this message with your answer to the client about #{ $number }.
staff-prompt-reply-placeholder = Answer to the client
staff-prompt-note = { $name }, reply to this message with an internal note on #{ $number } (the client will not see it).
staff-prompt-note-placeholder = Internal note
staff-prompt-escalate = { $name }, reply to this message with why #{ $number } goes to the 2nd line.
staff-prompt-escalate-placeholder = Reason for escalation
staff-prompt-not-yours = This question was for someone else: press the button on the card yourself.
staff-prompt-text-expected = Please answer with text.
staff-prompt-done-ask = The question is sent; #{ $number } waits for the client.
staff-prompt-done-escalate = #{ $number } is passed to the 2nd line.
staff-prompt-done-resolve = #{ $number } is resolved; the client is asked to confirm.
staff-prompt-done-reply = Sent to the client.
staff-prompt-done-note = Internal note saved.
staff-topic-title = { $mark }#{ $number } · { $priority } · { $subject }
staff-topic-comment = 💬 { $author }: { $body }
staff-topic-note = 🔒 { $author }: { $body }
staff-topic-event = { $line }{ $author }
staff-relay-empty = Nothing to send: write the text after the command.
staff-group-not-here = Send /staffgroup in the staff supergroup with topics.
staff-group-no-topics = Turn on topics in this group's settings first, then send /staffgroup again.
staff-group-rights = Make me an administrator here with “Manage topics” and “Pin messages”, then send /staffgroup again.
staff-group-bound = “{ $title }” is the staff group now: every new ticket opens a topic here.
staff-group-unbound = This is no longer the staff group; cards go to private chats.

## A client company's own Telegram group (bot/features/client-group.ts)
group-bind-not-allowed = A group can be bound to a company by a desk admin or that company's manager.
group-bind-which = Which company is this group for? Send /bind with its name:
    { $companies }
group-bind-cannot-read = I cannot see this group's messages. Make me an administrator of the group (no rights needed) or turn my privacy mode off in @BotFather, then send /bind again.
group-bound = This group is now bound to { $company }. Write about problems here: each request gets a number and an answer time. A reply to a message about a request is added to it. /status shows the group's open requests, /unbind lets go.
group-unbound = The group is unbound: its messages no longer become requests.
group-not-bound = This group is not bound to any company.
group-status-none = No open requests from this group ({ $company }).
group-status-title = The group's open requests: { $count }
group-status-line = #{ $number } · { $subject } · { $status } · by { $due }
group-new-in-private = A step-by-step request is easier in a private chat with me:
group-new-button = New request
group-not-a-request = not a request, a chat message
group-merged-reason = joined with request #{ $number }
group-notices-link = 🔔 Tell me in private
group-notices-private = All right: about requests you leave in the group I will tell you here, in private.
group-notices-back = Tell me in the group
group-notices-in-group = All right: about requests from the group I tell you in the group again.
staff-queue-title = Queue: { $count } unassigned
staff-mine-title = Mine: { $count } open
staff-queue-empty = The queue is empty.
staff-mine-empty = You have no open tickets.
staff-queue-line = { $flag } #{ $number } · { $priority } · { $status } · { $subject }
    { $clock }: { $sla }
staff-clock-first_response = response
staff-clock-resolution = resolution
visit-picked = Done: the visit for #{ $number } is { $slot }. The engineer will come then.
command-queue = Unassigned tickets of my lines
command-mine = My open tickets

## Mini App

app-title = Service desk
app-open-in-telegram = Open this app from the bot in Telegram.
app-error = Could not do it: { $reason }
app-not-found = Nothing here.
app-loading = Loading…
app-done = Done
app-saved = Saved
app-save = Save
app-cancel = Cancel
app-back = Back
app-choose = Choose…
app-more = Show more
app-search = Search: number or words
app-me = Me
app-anyone = Anyone
app-system = System
app-copy = Copy
app-copied = Copied
app-tab-my = My requests
app-tab-company = Company
app-tab-all = All tickets
app-tab-reports = Reports
app-tab-board = Queue
app-tab-admin = Settings
app-tab-call = Call
app-call-title = Phone call
app-call-number = Caller's number
app-call-number-placeholder = +7 916 123-45-67 ext. 12
app-call-find = Find
app-call-extension = ext. { $extension }
app-call-bad-number = That does not look like a phone number: check the digits.
app-call-caller = Caller
app-call-unknown = Number not found
app-call-new-contact = New contact
app-call-name = Caller's name
app-call-no-company = No company
app-call-contract = Contract "{ $name }"
app-call-contract-ended = Contract "{ $name }" is not in force
app-call-no-contract = No contract
app-call-open-tickets = Open requests
app-call-add-to = Add to #{ $number }
app-call-what-said = What the caller said
app-call-new-instead = A new request instead
app-call-description-placeholder = What happened, in the caller's words
app-call-file = File the request
app-call-say-what = Write what the caller said.
app-call-created = Request #{ $number } filed
app-call-added = Added to request #{ $number }
app-call-open = Open #{ $number }
app-call-next = Next call
app-sla-answer-within = answer within { $left }
app-sla-solve-within = solve within { $left }
app-sla-overdue = overdue by { $over }
app-sla-paused = paused
app-due-at = due { $due }
app-duration-h = { $hours } h
app-duration-d = { $days } d
app-field-category = Category
app-field-description = Description
app-field-location = Place
app-my-title = My requests
app-my-empty = You have no requests yet.
app-new-request = New request
app-new-title = New request
app-new-description-placeholder = What happened? The more detail, the faster we solve it.
app-new-location-placeholder = Office, floor, room — or leave empty
app-new-incomplete = Describe the problem and choose who is affected and how urgent it is.
app-new-accepted = Request #{ $number } accepted
app-send = Send
app-field-status = Status
app-field-priority = Priority
app-field-priority-override = Priority (instead of the matrix)
app-field-sla = Deadline
app-field-requester = Requester
app-field-assignee = Assignee
app-field-line = Line
app-field-impact-urgency = Affected · urgency
app-field-created = Created
app-field-visit = On-site visit
app-field-rating = Rating
app-field-slot = Choose a time for the visit
app-field-slots = Visit times ({ $hours } h each, { $zone })
app-field-slot-n = Time { $n }
app-field-reason = Reason
app-field-question = Question to the client
app-field-resolution = What was done (the client will read it)
app-field-comment = A few words (optional)
app-field-note = Note (optional)
app-resolution-title = Resolution
app-solved-ask = Is the problem solved?
app-actions-title = Actions
app-timeline-title = History
app-comment-title = Comment
app-comment-placeholder = Write to the engineer
app-note-title = Internal note
app-internal-note = Internal note (the client will not see it)
app-internal = internal
app-send-comment = Send comment
app-send-note = Save note
app-file-photo = Photo
app-file-file = File
app-event-assign = Assigned
app-assign-unavailable = The list of engineers is not available to you.
app-act-triage = Accept
app-act-reprioritize = Priority
app-act-categorize = Category
app-act-take = Take
app-act-assign = Assign
app-act-return_to_queue = Back to queue
app-act-ask_customer = Ask the client
app-act-resume = Resume work
app-act-escalate_line2 = To the 2nd line
app-act-offer_visit = Offer visit times
app-act-pick_visit = Choose this time
app-act-check_in = I have arrived
app-act-check_out = Visit done
app-act-resolve = Resolve
app-act-confirm = Yes, solved
app-act-reopen = No, reopen
app-act-cancel = Cancel the request
app-act-rate = Rate
app-company-title = Company requests
app-all-title = All tickets
app-all-statuses = All statuses
app-open-work = Open work
app-all-priorities = All priorities
app-all-categories = All categories
app-all-companies = All companies
app-all-requesters = All requesters
app-all-lines = All lines
app-period-from = From
app-period-to = To
app-period-invalid = Choose the first and the last day of the period.
app-nothing-found = Nothing found.
app-export-xlsx = Excel (XLSX)
app-export-csv = CSV
app-board-title = Queue
app-board-counts = { $total } · overdue { $breached } · under an hour { $soon }
app-reports-title = Reports
app-preset-this_month = This month
app-preset-last_month = Last month
app-preset-this_quarter = This quarter
app-preset-custom = Dates…
app-kpi-first-response = first response on time ({ $met } of { $decided })
app-kpi-resolution = resolved on time ({ $met } of { $decided })
app-kpi-rating = average rating ({ $count })
app-chart-by-priority = Tickets by priority
app-chart-by-category = Tickets by category
app-times-title = Response and resolution times
app-median = Median
app-p90 = 90 %
app-first-response = First response
app-resolution = Resolution
app-business-time = In business hours of the contract.
app-engineer = Engineer
app-resolved = Resolved
app-on-time = On time
app-send-to-chat = Send to chat
app-report-sent = The bot will send the file to your chat.
app-admin-title = Settings
app-admin-companies = Companies
app-admin-contracts = Contracts
app-admin-calendars = Calendars
app-admin-categories = Categories
app-admin-people = People
app-admin-invites = Invites
app-admin-add = Add
app-admin-name = Name
app-admin-email-domain = Mail domain
app-admin-phone = Phone
app-admin-new-company = New company
app-admin-new-contract = New contract
app-admin-new-calendar = New calendar
app-admin-new-category = New category
app-admin-no-company = No company (unverified requests)
app-admin-starts = Starts
app-admin-ends = Ends
app-admin-calendar = Business calendar
app-admin-round-the-clock = 24/7
app-admin-targets = SLA targets, business minutes
app-admin-matrix = Priority matrix
app-admin-auto-close = Close resolved tickets after, business days
app-admin-time-zone = Time zone
app-admin-day-off = day off
app-admin-exceptions = Holidays and special days
app-admin-exceptions-hint =
    2026-11-04 Unity Day
    2026-12-31 09:00-15:00 Short day
app-admin-exceptions-count = { $count } special days
app-admin-code = Code
app-admin-name-ru = Name in Russian
app-admin-name-en = Name in English
app-admin-sort = Order
app-admin-active = Offered to clients
app-admin-inactive = switched off
app-admin-role = Role
app-admin-add-role = Add role
app-admin-remove = Remove
app-admin-invite-title = Invite link
app-admin-invite-create = Create link
app-weekday-mon = Monday
app-weekday-tue = Tuesday
app-weekday-wed = Wednesday
app-weekday-thu = Thursday
app-weekday-fri = Friday
app-weekday-sat = Saturday
app-weekday-sun = Sunday

## Sandbox

sandbox-title = tgdesk sandbox
sandbox-subtitle = Chat with the bot as any demo person and open the Mini App beside the chat — no Telegram needed.
sandbox-people = Demo people
sandbox-pick-person = Pick a person on the left to chat with the bot as them.
sandbox-chatting-as = You are writing as
sandbox-loading = Loading…
sandbox-empty-chat = No messages yet. Send /start.
sandbox-input-placeholder = Message
sandbox-send = Send
sandbox-send-photo = Send a photo (a picture is drawn for you; the text in the field becomes its caption)
sandbox-commands = Bot commands
sandbox-keyboard = Show or hide the bot's keyboard
sandbox-reply = Reply
sandbox-replying-to = Reply to
sandbox-cancel-reply = Cancel the reply
sandbox-you = You
sandbox-edited = edited
sandbox-photo = Photo
sandbox-voice = Voice message
sandbox-sticker = Sticker
sandbox-contact = Contact
sandbox-open-miniapp = Open Mini App
sandbox-close-miniapp = Close the Mini App
sandbox-miniapp-not-built = The Mini App is not built yet: run npx vite build --config miniapp/vite.config.ts and open it again.
sandbox-popup-ok = OK
sandbox-popup-cancel = Cancel
sandbox-offline = Lost the connection to the sandbox, reconnecting…
sandbox-error = Could not do it:

## Spreadsheet exports and sent reports
xlsx-sheet-summary = Summary
xlsx-sheet-assignees = Engineers
xlsx-sheet-tickets = Tickets
xlsx-col-resolved = Resolved
report-send-caption = Report for { $from } — { $to } ({ $zone }): { $company }

## Set-up: the first admin and the checklist (bot /setup and the Mini App's admin)

setup-item-desk = The desk's name and time zone
setup-item-staff_group = Staff group (a topic per ticket)
setup-item-line1 = 1st-line engineers
setup-item-line2 = 2nd-line engineers
setup-item-field_engineer = Field engineers
setup-item-company = The first client company with its contract and calendar
setup-item-clients = Clients: invite links or the directory
setup-item-miniapp = The Mini App's address (MINIAPP_URL)
setup-item-email = E-mail
setup-fact-desk = { $name } · { $timeZone }
setup-fact-desk-unnamed = unnamed · { $timeZone }
setup-fact-people = people: { $people }, invites: { $invites }
setup-fact-company = companies: { $companies }, under a contract now: { $covered }
setup-fact-clients = clients: { $people }, invites: { $invites }
setup-fact-later = comes in a later version
setup-progress = { $done } of { $total } done

## The bot: roles, /help and /setup

command-setup = Desk set-up
command-invite = Invite link
start-roles = Hello, { $name }! Your roles: { $roles }.
start-admin-setup = The desk is not fully set up yet: /setup shows what is left.
help-commands = Your commands:
help-hint-client = Reply to any of my messages about a request and your reply is added to it as a comment.
help-hint-staff = Ticket cards come here or to the staff group: act with the buttons under a card. A reply to a card goes to the client; start it with "!" for an internal note.
help-hint-manager = /invite — a link for your company's people. All of the company's requests and reports are in the Mini App.
help-hint-admin = /invite line1 | line2 | field_engineer | supervisor | admin — invite staff; /invite client <company number> — a client. In the staff group: /staffgroup.
setup-welcome = Done: you are the desk's admin. Send /setup to see what is left to set up.
setup-code-unknown = This set-up link was not found. Run npm run setup -- admin on the server for a new one.
setup-code-expired = This set-up link has expired (24 hours). Run npm run setup -- admin on the server for a new one.
setup-code-admin_exists = The desk already has an admin. Ask them for an invite link.
setup-not-allowed = Only admins can set up the desk.
setup-title = Setting up “{ $name }”
setup-title-unnamed = Setting up the desk
setup-tap = Tap an item to see where it is done.
setup-open-admin = ⚙️ Open administration
setup-how-desk = The desk's name: /setup name Alpha Service Desk
    Time zone: /setup zone Europe/Moscow (now { $timeZone }). The default contract's working hours follow it.
setup-how-staff_group = Create a Telegram group with topics (a forum), add the bot as an admin allowed to manage topics and pin messages, and send /staffgroup there. The bot opens a topic per ticket.
setup-how-company = Companies, contracts (SLA and priorities) and business calendars are set up in the Mini App: Administration → Companies, Contracts, Calendars.
setup-how-clients = Clients join by an invite link: /invite client <company number> (a manager: /invite client_manager <company number>). Or upload the directory (CSV or XLSX) in the Mini App: Administration → Directory. Company numbers:
setup-no-companies = No companies yet.
setup-needs-miniapp = The Mini App opens from the chat once MINIAPP_URL is set (the "Mini App's address" item).
setup-how-miniapp = The Mini App needs https. Set MINIAPP_URL (the address tgdesk is reachable at, e.g. https://desk.example.com/), register it with @BotFather (/newapp or Bot Settings → Menu Button) and restart tgdesk.
setup-how-email = Requests by e-mail: in the Mini App, Settings → Mail, add the support mailbox and the SMTP server answers go out through — or set IMAP_URL (several mailboxes, comma-separated), SMTP_URL and MAIL_FROM in the server's environment and restart tgdesk. See README, section "E-mail".
setup-staff-invite = A link for the role “{ $role }” (valid { $days } days, up to { $uses } people). Forward it to the engineers:
    { $link }
setup-desk-saved = Saved: { $name } · { $timeZone }
setup-name-bad = A name is 1 to 100 characters: /setup name Alpha Service Desk
setup-zone-bad = I don't know the time zone “{ $zone }”. Examples: Europe/Moscow, Asia/Yekaterinburg, Asia/Novosibirsk.

## Mini App: set-up

app-admin-setup = Set-up
app-setup-title = Getting the desk ready
app-setup-tap = Tap a line to do it or to see how.
app-setup-ready = All set: the desk is ready for clients.
app-setup-state-done = done
app-setup-state-todo = to do
app-setup-state-later = later
app-setup-desk-name = The desk's name (clients see it)
app-setup-desk-name-placeholder = e.g. Alpha IT service desk
app-setup-time-zone = Time zone
app-setup-time-zone-hint = The default working hours (Mon–Fri 9:00–18:00) and the production calendar follow this zone.
app-setup-fact-staff-group = group: { $title }
app-setup-how-staff_group =
    1. In Telegram, create a group and turn on Topics in its settings (it becomes a forum).
    2. Add this bot to the group as an admin with the rights "Manage topics" and "Pin messages".
    3. Send /staffgroup in the group. Every new ticket then gets its own topic there.
app-setup-how-miniapp =
    The Mini App needs an https address where tgdesk is reachable, e.g. https://desk.example.com/.
    1. In @BotFather send /newapp (or Bot Settings → Menu Button) and give it that address.
    2. Set the same address as MINIAPP_URL in the desk's configuration and restart tgdesk: the bot's menu button and "Open in the app" then lead here.

## Directory import

app-admin-directory = Directory
app-directory-intro = Upload a CSV or XLSX of your clients: one row per person — company, INN, mail domain, name, phone, e-mail, role (client or manager). A row without a person adds just the company. You see what will change first; nothing is written until you confirm.
app-directory-pick = Choose a file
app-directory-reading = Reading the file…
app-directory-file-name = File: { $name }
app-directory-count-new = new
app-directory-count-changed = to change
app-directory-count-unchanged = unchanged
app-directory-count-error = with errors
app-directory-status-new = new
app-directory-status-changed = changes
app-directory-status-unchanged = unchanged
app-directory-status-error = error
app-directory-col-line = Row
app-directory-col-status = Status
app-directory-col-company = Company
app-directory-col-person = Person
app-directory-changes = changes: { $fields }
app-directory-filter-all = All rows
app-directory-filter-error = Errors only
app-directory-filter-apply = To be written
app-directory-more = Rows not shown: { $count }
app-directory-ignored = Unknown columns skipped: { $columns }
app-directory-import = { $count ->
    [one] Import { $count } row
   *[other] Import { $count } rows
    }
app-directory-nothing = Everything is as in the file already: nothing to write.
app-directory-skipped = Rows with errors ({ $count }) will not be written: fix them in the file and upload it again.
app-directory-done = Done. Companies added: { $companiesCreated }, changed: { $companiesUpdated }. People added: { $peopleCreated }, changed: { $peopleUpdated }. Roles given: { $rolesAdded }, changed: { $rolesChanged }.
app-directory-stale = The directory or the file changed since the preview: here is the file again, check it and confirm once more.
app-directory-export = Export the directory
app-directory-export-hint = In the same format: edit the export and upload it back.
app-directory-export-csv = CSV
app-directory-export-xlsx = XLSX
app-directory-field-company = company
app-directory-field-inn = INN
app-directory-field-emailDomain = domain
app-directory-field-name = name
app-directory-field-phone = phone
app-directory-field-email = e-mail
app-directory-field-role = role
directory-reason-missing_company = neither a company nor an INN
directory-reason-bad_inn = the INN does not look like a number
directory-reason-bad_domain = not a mail domain
directory-reason-missing_name = no name
directory-reason-missing_contact = neither a phone nor an e-mail, and nobody of that name at the company
directory-reason-bad_phone = not a phone number
directory-reason-bad_email = not an e-mail address
directory-reason-bad_role = unknown role "{ $value }": client or manager
directory-reason-too_long = too long: { $field }
directory-reason-unknown_company = no company with INN { $company } in the file or the directory: give its name
directory-reason-ambiguous_company = there are several companies called "{ $company }": give the INN
directory-reason-duplicate_inn = this INN belongs to "{ $company }" already (row { $line })
directory-reason-domain_mismatch = row { $line } gives this company another domain
directory-reason-duplicate_person = this person is in row { $line } already
directory-reason-person_mismatch = the same person as in row { $line }, with other details
directory-reason-two_people = the phone belongs to one person and the e-mail to another
directory-reason-ambiguous_person = several people in the directory have this phone or e-mail
directory-reason-other_company = this person is a client of another company ({ $company }); move them by hand in People
directory-reason-staff_member = this is a member of the support staff, not a client
directory-file-too_large = the file is over { $megabytes } MB
directory-file-empty = the file is empty
directory-file-too_many_rows = the file has over { $limit } rows: split it
directory-file-no_header = the first row must name the columns: company (or INN), name, phone, e-mail, role
directory-file-unreadable = not a CSV or XLSX: save the sheet as .xlsx or .csv
directory-file-bad_csv = the CSV does not read (line { $line }): check the quotes
directory-file-no_file = the form has no file

## Mini App: the e-mail intake (admins)

app-admin-mail = Mail
app-mail-mailboxes = Mailboxes read
app-mail-unset = The desk reads no mailbox yet. Add one in the mail settings above, or set IMAP_URL (the mailboxes to read), SMTP_URL and MAIL_FROM (how notices go out by mail) in the server's environment and restart tgdesk; the README tells how.
app-mail-held = Held mail
app-mail-held-intro = Mail the desk could not take in by itself. Open the original to read it, take it in again (it becomes a request or a reply), or dismiss it.
app-mail-none = No held mail.
app-mail-no-subject = (no subject)
app-mail-no-sender = (sender unknown)
app-mail-size = { $kb } KB
app-mail-reason = Reason: { $reason }
app-mail-reason-unreadable = the mail cannot be read, no sender found
app-mail-reason-too_many_requests = the sender opened too many new requests within an hour (the brake on mail loops)
app-mail-reason-refused = the desk's rules refused it ({ $detail })
app-mail-original = Open the original (.eml)
app-mail-take = Take in again
app-mail-dismiss = Dismiss
app-mail-taken = Taken in: request #{ $number }.
app-mail-taken-nothing = Taken in: a returned mail of no known request, nothing to file.
app-mail-dropped-own_mail = This is the desk's own mail come back: dismissed.
app-mail-dropped-auto_reply = This is an auto-reply: dismissed.
app-mail-dismissed = The mail is dismissed.
app-mail-still-held = Still not taken in: { $reason }.
app-mail-decided = This mail has been decided on already.
app-mail-more = Only the newest { $count } are shown.
app-mail-settings = Mail settings
app-mail-settings-intro = The mailboxes the desk reads and the server it sends mail through. Passwords are kept in the desk's store and never shown again.
app-mail-settings-environment = Set by the server's environment (IMAP_URL, SMTP_URL, MAIL_FROM): change them there and restart tgdesk.
app-mail-settings-mailbox = Mailbox { $n }
app-mail-settings-mailbox-read = Mailbox
app-mail-settings-no-mailboxes = No mailbox yet: add the support mailbox the desk should read.
app-mail-settings-add-mailbox = Add a mailbox
app-mail-settings-remove = Remove
app-mail-settings-server = Server
app-mail-settings-port = Port
app-mail-settings-tls = Encrypted connection (IMAPS, usually port 993)
app-mail-settings-smtp-tls = Encrypted from the start (SMTPS, usually port 465; off: STARTTLS on 587)
app-mail-settings-user = User
app-mail-settings-password = Password
app-mail-settings-password-kept = A password is saved: leave the field empty to keep it.
app-mail-settings-password-kept-placeholder = saved
app-mail-settings-folder = Folder
app-mail-settings-smtp = Sending mail (SMTP)
app-mail-settings-smtp-hint = Notices and answers go out through this server. Leave the server empty to send no mail.
app-mail-settings-from = From
app-mail-settings-from-placeholder = Support <support@example.ru>
app-mail-settings-saving = Saving…
app-mail-settings-check = Check
app-mail-settings-checking = Checking…
app-mail-settings-saved = Mail settings saved.
app-mail-settings-need-server = Enter the server's name, e.g. imap.example.ru.
app-mail-settings-need-port = A port is a number from 1 to 65535.
app-mail-settings-need-user = Enter the user.
app-mail-settings-need-password = Enter the password.
app-mail-settings-need-from = Enter the address mail is sent from, e.g. Support <support@example.ru>.
app-mail-check-ok = Connected.
app-mail-check-failed = Did not connect: { $reason }.
app-mail-check-nothing = Nothing to check yet.
app-mail-check-reason-auth = wrong user or password
app-mail-check-reason-connection = the server refused the connection (is the server or the port wrong?)
app-mail-check-reason-host = there is no such server
app-mail-check-reason-timeout = no answer within 10 seconds
app-mail-check-reason-tls = the encrypted connection failed (try the other TLS setting or port)
app-mail-check-reason-folder = there is no such folder
app-mail-check-reason-protocol = the server there is not of this kind (is the port wrong?)
app-mail-check-reason-settings = the settings are incomplete
app-mail-check-reason-other = an error

## Mini App: channels (admins) — the website form and telephony

app-admin-channels = Channels
app-channels-form = Website form
app-channels-form-enabled = Form is on
app-channels-form-switch-hint = Off: the form's page, the snippet on your site and sending answer "not found" at once. On again: the same address.
app-channels-form-turned-on = The website form is on.
app-channels-form-turned-off = The website form is off.
app-channels-form-url = Form address
app-channels-form-embed = Snippet for your site
app-channels-form-embed-hint = Paste it where the form should stand: it shows the form in a frame that grows to its height. data-lang sets its language (ru or en); without it, the visitor's browser decides.
app-channels-cti = Telephony (CTI)
app-channels-cti-url = Webhook address for the PBX
app-channels-cti-hint = The PBX posts Zammad's generic CTI events here: newCall, answer and hangup, with callId, from, to and direction (form or JSON). The address is its password: keep it safe.
app-channels-cti-rotate = Change the token
app-channels-cti-rotate-confirm = A new address will be made; the old one stops working at once, so the PBX must be given the new one.
app-channels-cti-rotate-yes = Change it
app-channels-cti-rotated = New address made: put it into the PBX.

## The bot: messages outside a guided step, replies about closed tickets

offer-ask = Create a request with this text?
offer-ask-answer = Is this an answer about a request? Pick it — or create a new request with this text.
offer-ask-follows = Request #{ $number } is already closed. Create a new request with this text?
offer-files = Files: { $files }
offer-create = 📝 Create a request
offer-answer = ↩️ Answer to #{ $number }
offer-drop = ✖️ No, thanks
offer-dropped = All right, nothing filed. Press “New request” when you need one.
offer-already = This request is already accepted: #{ $number }.
offer-files-only = (files without a description)
offer-follows = Follows request #{ $number }, which is closed.
comment-added-resolved = Added to request #{ $number }. Is it solved?

## Crash-safe intake
intake-already-accepted = Request already accepted: #{ $number }.
intake-answer-again = The bot restarted and your last answer may not have been saved. Please answer the question below.
intake-description-resumed = Messages kept: { $count }. If something is missing, send it again; when that is all, press “Done”.
refused-role = your role may not do that
refused-status = not possible while the ticket is “{ $status }”
staff-refused-kept = Your text, so you need not type it again:
    { $text }

## Mini App: files and fixes
app-files-title = Files
app-file-add = 📎 Attach files
app-file-limits = Up to { $count } files, each up to { $megabytes } MB: photos, PDF, documents, text, archives.
app-file-remove = Remove
app-file-retry = Retry
app-file-uploaded = Uploaded
app-file-uploading = Uploading: { $percent } %
app-file-wait = Please wait: files are still uploading.
app-file-failed = Not uploaded: { $reason }
app-file-error-too_large = the file is over { $megabytes } MB
app-file-error-bad_type = we do not take such files — only photos, PDF, documents, text and archives
app-file-error-no_file = the file is empty or cannot be read
app-file-error-too_many = at most { $count } files at a time
app-file-error-network = no connection, please try again
app-file-error-busy = too many requests in a row — wait a minute and tap Retry
app-file-open = Open { $name }
app-file-download = Download
app-size-bytes = { $value } B
app-size-kb = { $value } KB
app-size-mb = { $value } MB
app-viewer-close = Close
app-viewer-previous = Previous photo
app-viewer-next = Next photo
app-viewer-count = { $n } of { $total }
app-filter-unfinished = All not closed
app-rating-comment = Feedback
app-hours = h
app-minutes = min
app-outside-telegram-title = Open in Telegram
app-outside-telegram = This service desk app works inside Telegram. Open the bot in Telegram and tap the menu button next to the message field.
app-admin-targets-time = SLA targets, business time (hours and minutes)
app-admin-target-empty = A target cannot be zero: at least 1 minute.
language-ru = Russian
language-en = English
staff-canned-preview = The client will get this in { $language }:

    { $body }
staff-btn-send = ✅ Send to the client

## API hardening

error-rate_limited = too many requests in a row — please wait a minute and try again
notice-files = The client's files for request #{ $number }
intake-finish-first = We are filling in a request now: answer the question above, or send /cancel to stop.

## Sandbox and demo

sandbox-stranger = Stranger: not in the directory
sandbox-new-stranger = New unknown person
sandbox-new-stranger-hint = A new Telegram user with a random id and name the desk does not know: try what a stranger gets
sandbox-attach = Attach
sandbox-attach-photo = Photo
sandbox-attach-document = Document
sandbox-attach-voice = Voice message
sandbox-attach-sticker = Sticker
sandbox-document-name = invoice.pdf
sandbox-restarted = The sandbox restarted: earlier messages are not kept.
sandbox-pane-people = People
sandbox-pane-chat = Chat
sandbox-pane-miniapp = Mini App
sandbox-language-hint = The page's language; for the chat in view the bot's too: the sandbox sends /language and picks it for the person, as they would in Telegram
sandbox-pane-mail = Mail
sandbox-mail-title = Mail
sandbox-mail-hint = Write to the desk by e-mail as anyone
sandbox-mail-subtitle = A mail to the desk goes through its real mail intake, with no network; the desk's mails to that address appear below.
sandbox-mail-from = From
sandbox-mail-other = Another address…
sandbox-mail-address = Address
sandbox-mail-name = Name
sandbox-mail-to = To
sandbox-mail-subject = Subject
sandbox-mail-text = Text
sandbox-mail-file = File
sandbox-mail-file-too-big = The file is over 5 MB.
sandbox-mail-list = Mails of this address
sandbox-mail-empty = No mails from this address or to it yet.
sandbox-mail-no-subject = (no subject)
sandbox-mail-not-captured = SMTP_URL is set: the desk's mails go out through it to the real mailboxes and are not shown here.
sandbox-mail-created = A new request
sandbox-mail-commented = A comment on request
sandbox-mail-reopened = the request is open again
sandbox-mail-duplicate = Taken in before (the same Message-ID), nothing new: request
sandbox-mail-bounce = A returned mail, noted on request
sandbox-mail-dropped-own_mail = Dropped: this is the desk's own mail come back.
sandbox-mail-dropped-auto_reply = Dropped: this is an auto-reply.
sandbox-mail-quarantined = Held for an admin (Mini App → Settings → Mail):
sandbox-call-title = 📞 Simulate a call
sandbox-call-hint = As the desk's phone system reports it: the 1st line's chats get the caller's card
sandbox-call-from = Caller
sandbox-call-other = Another number…
sandbox-call-number = Number
sandbox-call-ring = Ring
sandbox-call-answerer = Answers
sandbox-call-answer = Answer
sandbox-call-hangup = Hang up
sandbox-call-ringing = Ringing: the 1st line's chats got a card.
sandbox-call-answered = On the line, answered by
sandbox-call-ended = The call is over.
sandbox-call-missed = Missed: the call is in the callback queue, to call back by
sandbox-call-open-chat = Open the 1st line's chat
sandbox-pane-webform = Form
sandbox-webform-title = Website form
sandbox-webform-hint = Send a request as a visitor of the website
sandbox-webform-subtitle = The desk's real public form, as a phone shows it: a request sent here is filed for real (channel "Website form") and goes to the 1st line.
sandbox-webform-off = The form is switched off (Mini App → Settings): its page answers 404.
sandbox-webform-embed-title = On your website
sandbox-webform-embed-hint = Put this line where the form should be on a site: it adds the form in a frame that grows to the form's height.
sandbox-webform-copy = Copy
sandbox-webform-copied = Copied.
sandbox-webform-copy-failed = Could not copy: the line is selected, copy it yourself (Ctrl+C).
sandbox-webform-after-title = After sending
sandbox-webform-after-hint = The page shows the request's number; the 1st line gets a message about it in their chat, and the request is on the Mini App's board.
sandbox-webform-reload = Fill in the form again
sandbox-webform-open-tab = Open the form in a new tab ↗
sandbox-group = Client's Telegram group
sandbox-group-subtitle = Clients' messages in the group become requests; the bot answers here
sandbox-group-speaker = Posting as
stale-button-start-over = This button is out of date. To start again, press “New request”.

## Notices by e-mail: titles, facts, the reply line

mail-reply-above = ##- Please type your reply above this line -##
mail-open-ticket = Open the request
mail-footer = Sent automatically by the { $desk } service desk. To write about the request, just reply to this message.
mail-footer-plain = Sent automatically by the { $desk } service desk.
mail-requester-offer_visit = The engineer offers on-site visit times for request #{ $number }:
    { $slots }
    Reply to this message with the time that suits you.
mail-requester-resolve = Request #{ $number } is resolved: { $resolution }
    If the problem is still there, reply to this message and we will carry on.
notice-title-with-subject = { $title }: { $subject }
notice-title-accepted = Request received
notice-title-created = Request registered
notice-title-triage = Request accepted
notice-title-reprioritize = Priority changed
notice-title-take = An engineer took the request
notice-title-assign = Engineer assigned
notice-title-return_to_queue = Back in the queue
notice-title-ask_customer = A question about your request
notice-title-resume = In progress again
notice-title-escalate_line2 = Passed to the 2nd line
notice-title-schedule_visit = On-site visit scheduled
notice-title-offer_visit = Choose a visit time
notice-title-pick_visit = On-site visit scheduled
notice-title-check_in = The engineer is on site
notice-title-check_out = The engineer finished on site
notice-title-resolve = Request resolved
notice-title-reopen = Request reopened
notice-title-cancel = Request cancelled
notice-title-confirm = Request closed
notice-title-auto_close = Request closed
notice-title-comment = A reply about your request
notice-fact-number = Request
notice-fact-subject = Subject
notice-fact-status = Status
notice-fact-priority = Priority
notice-fact-first-response-due = We will answer by
notice-fact-resolution-due = To be solved by
notice-fact-assignee = Assignee
notice-fact-requester = Requester
notice-fact-company = Company
notice-fact-category = Category
notice-fact-line = Line
notice-fact-location = Place
notice-fact-visit = On-site visit
notice-fact-rating = Rating
notice-rating-value = { $rating } of 5

# Telephony (CTI): the 1st line's cards about calls, the call in a ticket's history, the board's callbacks
call-ringing = 📞 Incoming call: { $caller }
    { $company }
    { $tickets }
call-missed = ☎️ Missed call: { $caller }
    { $company }
    Call back by { $due } ({ $zone })
call-caller-known = { $name }, { $number }
call-hidden-number = number withheld
call-company = Company: { $company }
call-company-unknown = Company unknown
call-open-tickets = Open requests:
call-no-open-tickets = No open requests
call-ticket-line = #{ $number } { $subject } — { $status }
call-btn-create = 📝 Create request
event-call = Call
app-event-call-answered = Call: answered by { $who }, { $duration }
app-event-call-answered-unknown = Call: { $duration }
app-event-call-missed = Missed call
app-callbacks-title = Call back
app-callback-due = by { $due }
app-callback-done = Done
app-callback-unknown = Unknown caller

# The website form (GET /form/<key>): refusals by field, the company line of the description
webform-company-line = Company (as typed in the form): { $company }
webform-contact-line = Contact (as typed in the form, not confirmed): { $contact }
webform-error-invalid = Please check the form.
webform-error-required = Please fill this in.
webform-error-too_long = This is too long.
webform-error-email = This is not an e-mail address.
webform-error-phone = This is not a phone number.
webform-error-contact = Give an e-mail address or a phone number.
webform-error-category = Pick a category from the list.
webform-error-too_many = Too many requests from your address. Please try again later.
webform-error-token-missing = The form is out of date. Please reload the page.
webform-error-token-forged = The form is out of date. Please reload the page.
webform-error-token-expired = The form has been open too long. Please reload the page.
webform-error-token-too_fresh = That was too quick. Please check the form and send it again.
webform-error-rejected = The form could not be sent.
webform-error-altcha-missing = Please confirm you are not a robot.
webform-error-altcha-invalid = The check failed. Please confirm again.
webform-error-altcha-expired = The check has expired. Please confirm again.
webform-error-files-too-many = Too many files (at most 10).
webform-error-files-too-large = A file is too large (at most 20 MB).
webform-error-files-bad-type = A file's type is not accepted.
webform-page-title = Request to IT support
webform-page-intro = Describe the problem and how to reach you. We will answer by e-mail or phone.
webform-page-name = Your name
webform-page-email = E-mail
webform-page-phone = Phone
webform-page-company = Company
webform-page-category = Category
webform-page-category-none = Not sure
webform-page-description = What happened?
webform-page-files = Files (screenshots, logs)
webform-page-trap = Leave this field empty
webform-page-submit = Send request
webform-page-success = Thank you! Your request #{ $number } has been received.
webform-page-failed = The request could not be sent. Please try again.
webform-page-closed = This form is not taking requests now. Please contact support another way.
webform-page-renewed = The form was out of date and has been renewed. Confirm again that you are not a robot, then send it.
event-requester_confirmed = Confirmed by the requester
event-merged_in = Another request was joined into it
notice-title-requester_confirmed = Request confirmed
notice-requester-requester_confirmed = You confirmed request #{ $number }: it is yours now.
notice-title-confirm_web = Did you send request #{ $number }?
mail-requester-confirm_web = Request #{ $number } was sent from our website form with your e-mail address or phone number. If it was you, confirm it by this link, and the request will be filed under your name and company:
    { $link }
    If it was not you, ignore this mail: the request stays unconfirmed.
webform-confirm-title = Confirm your request
webform-confirm-ask = Request #{ $number } was sent from our website form with your e-mail address or phone number. If it was you, confirm it: it will be filed under your name and company.
webform-confirm-button = Yes, it was me
webform-confirm-confirmed = Thank you! Request #{ $number } is confirmed and filed under your name.
webform-confirm-already = Request #{ $number } is already confirmed.
webform-confirm-refused = Request #{ $number } can no longer be confirmed by this link: it is closed or support has already sorted it out.
webform-confirm-invalid = This link is not valid or has expired.
webform-confirm-follow = Follow the request
mail-requester-status-link = Follow the request, add to it, or confirm it is solved:
    { $link }
webform-status-title = Request #{ $number }
webform-status-status = Status:
webform-status-history = History
webform-status-comment = Add a comment
webform-status-reason = Not solved? Say what is still wrong, and reopen
webform-status-send = Send
webform-status-confirm = Yes, it is solved
webform-status-reopen = Not solved: reopen
webform-status-sent = Your comment was added.
webform-status-confirmed = Thank you! The request is closed.
webform-status-reopened = The request is open again.
webform-status-empty = Write a comment first.
webform-status-reason-needed = Say what is still wrong, then reopen.
webform-status-failed = This cannot be done now: the request has changed. Reload the page.
