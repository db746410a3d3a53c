-- The report's per-day summary (db/schema.ts reportDays) kept current by a trigger on tickets, as SQLite's
-- migration 0015 does with its triggers: the same rows, so core/reports.ts can sum them the same way. On an
-- update only the kinds whose key or counted columns changed are taken out (old) and put back (new). A
-- TRUNCATE of tickets is not seen (row triggers): empty report_days with it.
CREATE FUNCTION report_days_add(
  p_company integer, p_day integer, p_kind text, p_value text, p_tickets integer, p_rating_sum integer,
  p_rating_count integer, p_fr_answered integer, p_fr_met integer, p_resolved integer, p_res_met integer,
  p_res_timed integer
) RETURNS void LANGUAGE sql AS $$
  insert into report_days as r (company_id, day, kind, value, tickets, rating_sum, rating_count, fr_answered, fr_met, resolved, res_met, res_timed)
  values (p_company, p_day, p_kind, p_value, p_tickets, p_rating_sum, p_rating_count, p_fr_answered, p_fr_met, p_resolved, p_res_met, p_res_timed)
  on conflict (company_id, day, kind, value) do update set
    tickets = r.tickets + excluded.tickets, rating_sum = r.rating_sum + excluded.rating_sum,
    rating_count = r.rating_count + excluded.rating_count, fr_answered = r.fr_answered + excluded.fr_answered,
    fr_met = r.fr_met + excluded.fr_met, resolved = r.resolved + excluded.resolved,
    res_met = r.res_met + excluded.res_met, res_timed = r.res_timed + excluded.res_timed
$$;
--> statement-breakpoint
-- One ticket's part in the summary, counted `sign` times (1 or -1), for the kinds listed ('spcka').
CREATE FUNCTION report_days_ticket(t tickets, sign integer, kinds text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  c integer := coalesce(t.company_id, 0);
  d integer := t.created_at / 86400000;
  live boolean := t.status <> 'cancelled';
BEGIN
  IF strpos(kinds, 's') > 0 THEN PERFORM report_days_add(c, d, 's', t.status, sign, 0, 0, 0, 0, 0, 0, 0); END IF;
  IF strpos(kinds, 'p') > 0 THEN PERFORM report_days_add(c, d, 'p', t.priority, sign, 0, 0, 0, 0, 0, 0, 0); END IF;
  IF strpos(kinds, 'c') > 0 THEN PERFORM report_days_add(c, d, 'c', t.channel, sign, 0, 0, 0, 0, 0, 0, 0); END IF;
  IF strpos(kinds, 'k') > 0 THEN
    PERFORM report_days_add(c, d, 'k', coalesce(t.category_id::text, ''), sign, 0, 0, 0, 0, 0, 0, 0);
  END IF;
  IF strpos(kinds, 'a') > 0 THEN
    PERFORM report_days_add(c, d, 'a', coalesce(t.assignee_id::text, ''), sign,
      sign * coalesce(t.rating, 0),
      sign * (t.rating is not null)::integer,
      sign * (live and t.first_response_met is not null)::integer,
      sign * (live and coalesce(t.first_response_met, false))::integer,
      sign * (live and t.resolution_met is not null)::integer,
      sign * (live and coalesce(t.resolution_met, false))::integer,
      sign * (live and t.resolution_met is not null and t.resolution_minutes is not null)::integer);
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION report_days_on_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kinds text := '';
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_days_ticket(NEW, 1, 'spcka');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM report_days_ticket(OLD, -1, 'spcka');
  ELSE
    IF OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.created_at IS DISTINCT FROM NEW.created_at THEN
      kinds := 'spcka';
    ELSE
      IF OLD.status IS DISTINCT FROM NEW.status THEN kinds := kinds || 's'; END IF;
      IF OLD.priority IS DISTINCT FROM NEW.priority THEN kinds := kinds || 'p'; END IF;
      IF OLD.channel IS DISTINCT FROM NEW.channel THEN kinds := kinds || 'c'; END IF;
      IF OLD.category_id IS DISTINCT FROM NEW.category_id THEN kinds := kinds || 'k'; END IF;
      IF OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.rating IS DISTINCT FROM NEW.rating OR OLD.first_response_met IS DISTINCT FROM NEW.first_response_met
        OR OLD.resolution_met IS DISTINCT FROM NEW.resolution_met
        OR OLD.resolution_minutes IS DISTINCT FROM NEW.resolution_minutes THEN
        kinds := kinds || 'a';
      END IF;
    END IF;
    IF kinds <> '' THEN
      PERFORM report_days_ticket(OLD, -1, kinds);
      PERFORM report_days_ticket(NEW, 1, kinds);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_days AFTER INSERT OR DELETE OR UPDATE OF company_id, created_at, status, priority, channel,
  category_id, assignee_id, rating, first_response_met, resolution_met, resolution_minutes
  ON tickets FOR EACH ROW EXECUTE FUNCTION report_days_on_tickets();
--> statement-breakpoint
-- Tickets stored before this migration (none on a new store).
INSERT INTO report_days (company_id, day, kind, value, tickets, rating_sum, rating_count, fr_answered, fr_met, resolved, res_met, res_timed)
SELECT coalesce(t.company_id, 0), t.created_at / 86400000, k.kind, k.value, count(*),
  sum(CASE WHEN k.kind = 'a' THEN coalesce(t.rating, 0) ELSE 0 END),
  sum(CASE WHEN k.kind = 'a' THEN (t.rating is not null)::integer ELSE 0 END),
  sum(CASE WHEN k.kind = 'a' THEN (t.status <> 'cancelled' and t.first_response_met is not null)::integer ELSE 0 END),
  sum(CASE WHEN k.kind = 'a' THEN (t.status <> 'cancelled' and coalesce(t.first_response_met, false))::integer ELSE 0 END),
  sum(CASE WHEN k.kind = 'a' THEN (t.status <> 'cancelled' and t.resolution_met is not null)::integer ELSE 0 END),
  sum(CASE WHEN k.kind = 'a' THEN (t.status <> 'cancelled' and coalesce(t.resolution_met, false))::integer ELSE 0 END),
  sum(CASE WHEN k.kind = 'a' THEN (t.status <> 'cancelled' and t.resolution_met is not null and t.resolution_minutes is not null)::integer ELSE 0 END)
FROM tickets t
CROSS JOIN LATERAL (VALUES ('s', t.status), ('p', t.priority), ('c', t.channel),
  ('k', coalesce(t.category_id::text, '')), ('a', coalesce(t.assignee_id::text, ''))) AS k(kind, value)
GROUP BY 1, 2, 3, 4;
