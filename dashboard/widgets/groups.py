"""The Describe page's input groups in page order: the first three in the left column, the next
four in the right, the assumptions grid under both."""

from __future__ import annotations

from dashboard.widgets import (
    assumptions,
    data,
    fine_tuning,
    knowledge_base,
    models,
    task,
    team,
    traffic,
)
from dashboard.widgets.input_groups import Group

LEFT: tuple[Group, ...] = (task.GROUP, traffic.GROUP, team.GROUP)
RIGHT: tuple[Group, ...] = (data.GROUP, knowledge_base.GROUP, models.GROUP, fine_tuning.GROUP)
BELOW: tuple[Group, ...] = (assumptions.GROUP,)
GROUPS: tuple[Group, ...] = LEFT + RIGHT + BELOW
