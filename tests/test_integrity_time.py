"""Issue 10 item 6: dates in the configured time zone (UTC), never the session's; the wedding
countdown correct on the day it is read (refreshed by the refresh job); wedding-date changes reach
the milestones."""

from __future__ import annotations

from datetime import date, timedelta

from tests import health_data as hd
from tests.integrity_helpers import org_with_client

conn = hd.shared_connection()
ZONES = ("Etc/GMT+12", "Etc/GMT-14")  # UTC-12 and UTC+14: their dates always differ (26 hours apart)


def _utc_today(conn: hd.Conn) -> date:
    row = conn.execute("SELECT (now() AT TIME ZONE 'UTC')::date").fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def test_refresh_results_do_not_depend_on_the_session_time_zone(conn: hd.Conn) -> None:
    """On main the same data refreshed at the same instant gave overdue_tasks 2 under UTC-12 and 3
    under UTC+14. Now both count the milestones due before today in UTC."""
    organization, client = org_with_client(conn)
    today = _utc_today(conn)
    for offset in (-1, 0, 1):
        hd.milestone(conn, client, organization, target_completion_date=today + timedelta(days=offset))
    seen = []
    for zone in ZONES:
        conn.execute("SELECT set_config('TimeZone', %s, true)", (zone,))
        conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,))
        seen.append(hd.fetch(conn, "SELECT overdue_tasks, churn_risk_score FROM public.customer_health"
                                   " WHERE client_id = %s ORDER BY created_at DESC, id LIMIT 1", (client,))[0])
    assert seen[0] == seen[1]
    assert seen[0]["overdue_tasks"] == 1


def test_days_until_wedding_does_not_depend_on_the_session_time_zone(conn: hd.Conn) -> None:
    today = _utc_today(conn)
    organization, client = org_with_client(conn, wedding_date=today + timedelta(days=100))
    for zone in ZONES:
        conn.execute("SELECT set_config('TimeZone', %s, true)", (zone,))
        assert hd.milestone(conn, client, organization)["days_until_wedding"] == 100
        done = hd.milestone(conn, client, organization, status="completed")
        assert done["actual_completion_date"] == today


def test_the_refresh_job_keeps_the_countdown_current(conn: hd.Conn) -> None:
    """On main days_until_wedding was stored at write time and went stale daily."""
    today = _utc_today(conn)
    organization, client = org_with_client(conn, wedding_date=today + timedelta(days=100))
    milestone = hd.milestone(conn, client, organization)["id"]
    conn.execute("UPDATE public.success_milestones SET days_until_wedding = 107 WHERE id = %s", (milestone,))
    conn.execute("SELECT healthschema_private.refresh_customer_health()")
    rows = conn.execute("SELECT days_until_wedding FROM public.success_milestones WHERE id = %s", (milestone,))
    assert rows.fetchall() == [(100,)]


def test_a_new_wedding_date_reaches_the_milestones(conn: hd.Conn) -> None:
    """On main moving a wedding date changed neither the milestones' wedding_date nor their
    wedding-relative targets."""
    today = _utc_today(conn)
    old, new = today + timedelta(days=300), today + timedelta(days=400)
    organization, client = org_with_client(conn, wedding_date=old)
    conn.execute("SELECT healthschema_private.instantiate_milestone_templates()")
    conn.execute("UPDATE public.success_milestones m SET status = 'skipped' FROM public.milestone_templates t"
                 " WHERE t.id = m.template_id AND m.client_id = %s AND t.template_key = 'guest_list'", (client,))
    before = {r["template_key"]: r for r in hd.fetch(conn, """
        SELECT t.template_key, m.target_completion_date FROM public.success_milestones m
          JOIN public.milestone_templates t ON t.id = m.template_id WHERE m.client_id = %s""", (client,))}
    conn.execute("UPDATE public.clients SET wedding_date = %s WHERE id = %s", (new, client))
    conn.execute("SELECT healthschema_private.sync_client_changes(%s)", (client,))
    after = {r["template_key"]: r for r in hd.fetch(conn, """
        SELECT t.template_key, t.due_anchor, m.wedding_date, m.days_until_wedding, m.target_completion_date
          FROM public.success_milestones m JOIN public.milestone_templates t ON t.id = m.template_id
         WHERE m.client_id = %s""", (client,))}
    assert {r["wedding_date"] for r in after.values()} == {new}
    assert {r["days_until_wedding"] for r in after.values()} == {400}
    assert after["vendor_booking"]["target_completion_date"] == new - timedelta(days=180)
    assert after["final_details"]["target_completion_date"] == new - timedelta(days=7)
    # Client-anchored targets and finished (here: skipped) milestones keep their dates.
    assert after["onboarding"]["target_completion_date"] == before["onboarding"]["target_completion_date"]
    assert after["guest_list"]["target_completion_date"] == before["guest_list"]["target_completion_date"]
