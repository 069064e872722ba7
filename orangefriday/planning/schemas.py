from datetime import date, datetime

from ninja import Field, Schema

from orangefriday.board.schemas import KindName, StatusName
from orangefriday.core.api import Id, InputSchema

from .models import DEFAULT_WEEKLY_CAPACITY
from .rules import MAX_CAPACITY


class TeamIn(InputSchema):
    name: str = Field(min_length=1, max_length=80)
    slug: str = Field("", max_length=50, description="Made from the name when empty")
    members: list[str] = Field(max_length=10, description="Usernames: 2 or 3 engineers")
    weekly_capacity: int = Field(DEFAULT_WEEKLY_CAPACITY, ge=0, le=MAX_CAPACITY)


class TeamPatch(InputSchema):
    members: list[str] | None = Field(None, max_length=10, description="Usernames")
    weekly_capacity: int | None = Field(None, ge=0, le=MAX_CAPACITY)


class ClaimIn(InputSchema):
    post_id: Id
    engineer: str | None = Field(
        None, description="The responsible member's username; you when omitted"
    )


class ShipIn(InputSchema):
    note: str = Field("", max_length=2000, description="Public note (Markdown)")


class ClaimOut(Schema):
    id: int
    team_id: int
    team: str = Field(description="The team's slug")
    post_id: int
    post_title: str
    post_url: str
    post_status: StatusName
    engineer: str
    week_start: date = Field(description="Monday of the week it was claimed for")
    claimed_at: datetime
    shipped_at: datetime | None
    rolled_over: bool = Field(description="Claimed in an earlier week, still being built")


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    product: str
    url: str
    members: list[str]
    weekly_capacity: int
    load: int = Field(description="Slots used this week: unshipped + shipped this week")
    in_progress: list[ClaimOut]
    shipped_this_week: list[ClaimOut]


class PlanPostOut(Schema):
    id: int
    title: str
    url: str
    kind: KindName
    status: StatusName
    votes_count: int
    claim: ClaimOut | None


class PlanOut(Schema):
    product: str
    week_start: date
    sort: str
    top: list[PlanPostOut]
    teams: list[TeamOut]
    unclaimed: list[int] = Field(description="Ids of the top posts no team has claimed")
