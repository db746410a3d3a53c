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
help = /new — new request
    /my — my requests
    /language — language
    /cancel — stop the current step
    Reply to any of my messages about a request to add a comment to it.
command-start = Start
command-new = New request
command-my = My requests
command-language = Language
command-help = Help
command-cancel = Cancel
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
