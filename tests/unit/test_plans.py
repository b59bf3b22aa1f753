"""Apply and rollback plans (engine/plan.py), without a database."""

from __future__ import annotations

import pytest

from healthschema.engine.plan import apply_plan, rollback_plan
from healthschema.errors import ConfigError
from tests.unit.helpers import FILES, HEALTHS, STUB, row


def test_apply_plan_is_every_unapplied_health_migration_in_order() -> None:
    assert apply_plan(FILES, [row(HEALTHS[0])], None, with_stub=False) == HEALTHS[1:]


def test_apply_plan_includes_the_stub_only_when_asked() -> None:
    assert apply_plan(FILES, [], None, with_stub=True) == FILES
    assert apply_plan(FILES, [], None, with_stub=False) == HEALTHS


def test_apply_plan_stops_at_to_inclusive() -> None:
    assert apply_plan(FILES, [], HEALTHS[1].version, with_stub=False) == HEALTHS[:2]
    assert apply_plan(FILES, [], HEALTHS[1].id, with_stub=True) == STUB + HEALTHS[:2]


def test_apply_plan_to_a_stub_version_without_the_stub_is_empty() -> None:
    assert apply_plan(FILES, [], STUB[0].version, with_stub=False) == []


def test_apply_plan_rejects_an_unknown_version() -> None:
    with pytest.raises(ConfigError, match="not a known migration version"):
        apply_plan(FILES, [], "20990101000000", with_stub=False)


def test_rollback_plan_defaults_to_the_newest_one() -> None:
    ledger = [row(f) for f in FILES]
    assert rollback_plan(FILES, ledger, None, None, False) == [HEALTHS[-1]]


def test_rollback_plan_steps_to_and_all() -> None:
    ledger = [row(f) for f in FILES]
    assert rollback_plan(FILES, ledger, 2, None, False) == [HEALTHS[3], HEALTHS[2]]
    assert rollback_plan(FILES, ledger, None, HEALTHS[1].version, False) == [HEALTHS[3], HEALTHS[2]]
    assert rollback_plan(FILES, ledger, None, None, True) == FILES[::-1]


def test_rollback_plan_only_touches_applied_migrations() -> None:
    ledger = [row(f) for f in FILES[:3]]
    assert rollback_plan(FILES, ledger, 3, None, False) == FILES[:3][::-1]
    assert rollback_plan(FILES, ledger, None, None, True) == FILES[:3][::-1]


def test_rollback_plan_refuses_more_steps_than_applied() -> None:  # issue 9 item 7: it was silently 3
    with pytest.raises(ConfigError, match="--steps 5 asks for more than the 3 applied"):
        rollback_plan(FILES, [row(f) for f in FILES[:3]], 5, None, False)


@pytest.mark.parametrize(("steps", "to", "all_"), [(1, "20250901000100", False), (1, None, True),
                                                   (None, "20250901000100", True)])
def test_rollback_plan_rejects_two_selections(steps: int | None, to: str | None, all_: bool) -> None:
    with pytest.raises(ConfigError, match="only one of"):
        rollback_plan(FILES, [row(f) for f in FILES], steps, to, all_)


def test_rollback_plan_rejects_zero_steps() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        rollback_plan(FILES, [row(f) for f in FILES], 0, None, False)
