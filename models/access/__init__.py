"""Where permissions are decided: the named role sets (`roles.py`) and every right, one module per area.

A role is held at a unit (member and nhóm leader at a nhóm, team leader and deputy at a team, chi bộ
secretary at a village, khối dân vận head, commune Party secretary and admin at a commune) and covers
the units under it. From there:

- **Households**: every role sees (and may visit) the households under its unit (`sees_household`).
- **Concerns**: the village's leads (team leader, deputies, chi bộ secretary) and the commune's office
  (its two leads and the admin) see every concern of their village or commune; the volunteer who
  logged one and the person it is given to see it too. At the team level the village's leads and the
  office act; at the chi bộ level the secretary and the office; at the commune only the office
  (`ACTS_AT`). The household's name: to who logged it and to every leader but the admin, never for a
  complaint (`ConcernAccess.names_household`).
- **Digests**: a village's to its team's leader and deputies and its chi bộ secretary, and to the
  commune's two leads; the commune's to its two leads only; never to members, nhóm leaders or the admin.
- **Broadcasts**: the commune's leads to the commune, a team's leader and deputies to their team.
- **Group chats**: a nhóm leader binds the nhóm's; a team's leads the team's, its nhóm's and the
  village's chi bộ group; the chi bộ secretary the village's and its team's; the office the khối dân
  vận group and the villages' chi bộ groups (`BINDINGS`). Where no group chat is bound (or its
  platform cannot post to groups), a group's posts go to the people who make it up in the documents:
  the chi bộ secretary and the team's leader and deputies for a village's chi bộ group, the commune's
  two leads and every team leader for the khối dân vận group (`GROUP_MEMBERS`); they are told what the
  group would be told.
- **Households' volunteers**: a team's leader and deputies give a household left without one to a member or
  leader of one of the team's nhóm (`ASSIGNS_HOUSEHOLDS`, `TAKES_HOUSEHOLDS`).
- **Households nobody visited** (60 days), by name: a nhóm leader's nhóm, a team's leads' team
  (`STALE_LIST_AT`); the digest's spreadsheet lists them where its text names households.
- **Meetings**: a team's leader and deputies set them. **Reports**: who answers for a unit's report
  marks it submitted, and may take the mark back (nhóm leader, team leads, chi bộ secretary, the
  commune's leads; `REPORTS_FOR`); the commune's leads remind the units that owe one (`REMINDS_UNITS`).
- **Official reports** (the Word draft): a village's to its team's leader and deputies, its chi bộ
  secretary and the commune's two leads; the commune's to its two leads (`may_receive_report`); the
  scheduled draft to who answers for the report (`REPORTS_FOR`); the figures only people know are filled
  by a village's chi bộ secretary and team leader, the commune's by its two leads (`may_fill_report`); the
  chi bộ secretary and the commune Party secretary sign (`SIGNS_REPORT`).
- **Evaluation** (yearly ranking): a team's running score to its village's leads and the commune's two
  leads (every team of the commune); criteria scored by hand and the year's confirmation by the khối
  dân vận head alone (`models/access/evaluation.py`).
- **Campaigns**: the commune's leads create them for the commune, a team leader for the village
  (`CAMPAIGN_AUTHORS_AT`); whoever sees a household records its outcome; every leader whose area meets a
  campaign's follows its progress, and every leader but the admin reads its households' names within
  their own area. **"Dân vận khéo" models**: a team leader proposes, the khối dân vận head approves or
  returns; leaders list the approved ones (`models/access/campaigns.py`).
- **Surveys**: the commune's office writes the commune's surveys and reads their results; a household
  survey is answered by who sees the household; one for members and leaders goes to every role but the
  admin (`SURVEY_AUTHORS`, `SURVEYED`).
- **Menu**: everybody's entries, a nhóm leader's view of the nhóm (`nhom_led`), then the leaders' screens
  by the rights above (`menu_entries`); none for a person who holds no role any more; a menu longer than a
  phone's screen folds one level down (`menu_screens`).
- **Web console**: the leaders (`USES_CONSOLE`) get a login link; every page then asks the rights above.

Handlers, jobs and the web console ask these functions; SQL conditions come from the same sets.
"""

from models.access.broadcasts import AUTHORS_AT, SILENCE_TOLD_TO, audience_roles, author_scopes, may_broadcast
from models.access.campaigns import (
    CAMPAIGN_AUTHORS_AT,
    campaign_author_units,
    campaign_view_area,
    follows_campaign,
    lists_models,
    may_create_campaign,
    may_propose_model,
    may_review_model,
    models_unit,
    names_area,
    names_campaign_households,
    proposing_teams,
    reviewing_communes,
)
from models.access.concerns import (
    ACTS_AT,
    ASSIGNABLE_AT_COMMUNE,
    ASSIGNEE_ORDER,
    TOLD_AT,
    ConcernAccess,
    concern_access,
    concern_leads,
    covering,
)
from models.access.digests import (
    DIGEST_AT,
    commune_of,
    covers_village,
    entitled,
    may_see_digest,
    may_see_digests,
    own_units,
    receives_digest,
)
from models.access.duties import (
    ASSIGNS_HOUSEHOLDS,
    REMINDS_UNITS,
    REPORTS_FOR,
    SETS_MEETINGS,
    TAKES_HOUSEHOLDS,
    answers_for,
    answers_for_unit,
    assigns_households,
    may_assign_households,
    may_mark_submitted,
    may_remind_units,
    may_set_meetings,
    sets_meetings,
    takes_households,
)
from models.access.evaluation import (
    CONFIRMS_EVALUATION,
    SCORES_BY_HAND,
    SEES_EVALUATION_AT,
    TOLD_RESULT,
    evaluation_commune,
    may_confirm_evaluation,
    may_score_by_hand,
    may_see_evaluation,
    may_see_evaluations,
    scoring_commune,
)
from models.access.groups import BINDINGS, GROUP_MEMBERS, binding_reach, group_member_roles, group_members, may_bind
from models.access.households import STALE_LIST_AT, stale_scopes
from models.access.menu import (
    MORE,
    commune_office,
    fold_entries,
    leads,
    menu_entries,
    menu_screens,
    nhom_led,
)
from models.access.reports import (
    FILLS_COMMUNE_REPORT,
    FILLS_VILLAGE_REPORT,
    REPORT_AT,
    SIGNS_REPORT,
    fill_units,
    may_fill_report,
    may_receive_report,
    report_units,
)
from models.access.roles import (
    CHI_BO,
    COMMUNE_AUDIENCE,
    COMMUNE_LEADS,
    COMMUNE_OFFICE,
    KHOI_HEAD,
    LEADERS,
    LEADERS_BUT_ADMIN,
    NHOM_LEADS,
    NHOM_ROLES,
    TEAM_AUDIENCE,
    TEAM_LEADS,
    VILLAGE_LEADS,
    role_in,
)
from models.access.scope import (
    Held,
    area_paths,
    covers,
    covers_area,
    covers_bound,
    listed_scope,
    roles,
    scope_params,
    sees_household,
)
from models.access.surveys import SURVEY_AUTHORS, SURVEYED, may_author_survey, survey_communes, surveyed
from models.access.web import USES_CONSOLE, may_use_console, uses_console_in

__all__ = [
    "CONFIRMS_EVALUATION", "KHOI_HEAD", "SCORES_BY_HAND", "SEES_EVALUATION_AT", "TOLD_RESULT",
    "evaluation_commune",
    "may_confirm_evaluation", "may_score_by_hand", "may_see_evaluation", "may_see_evaluations", "scoring_commune",
    "CAMPAIGN_AUTHORS_AT", "campaign_author_units", "campaign_view_area", "follows_campaign", "lists_models", "may_create_campaign",
    "may_propose_model", "may_review_model", "models_unit", "names_area", "names_campaign_households", "proposing_teams",
    "reviewing_communes",
    "ACTS_AT", "ASSIGNABLE_AT_COMMUNE", "ASSIGNEE_ORDER", "ASSIGNS_HOUSEHOLDS", "AUTHORS_AT", "BINDINGS", "CHI_BO", "GROUP_MEMBERS",
    "COMMUNE_AUDIENCE", "FILLS_COMMUNE_REPORT", "FILLS_VILLAGE_REPORT", "SIGNS_REPORT", "fill_units",
    "may_fill_report", "COMMUNE_LEADS", "COMMUNE_OFFICE", "DIGEST_AT", "LEADERS", "LEADERS_BUT_ADMIN", "MORE",
    "NHOM_LEADS", "NHOM_ROLES", "REMINDS_UNITS", "REPORT_AT", "REPORTS_FOR", "SETS_MEETINGS", "SILENCE_TOLD_TO",
    "STALE_LIST_AT", "SURVEYED", "SURVEY_AUTHORS", "TAKES_HOUSEHOLDS", "TEAM_AUDIENCE", "TEAM_LEADS", "TOLD_AT", "USES_CONSOLE", "VILLAGE_LEADS", "ConcernAccess", "Held",
    "answers_for", "answers_for_unit", "area_paths", "assigns_households", "audience_roles", "author_scopes",
    "binding_reach", "commune_of", "commune_office", "concern_access", "concern_leads", "covering", "covers",
    "covers_area", "covers_bound", "covers_village", "entitled", "fold_entries", "group_member_roles",
    "group_members", "leads", "listed_scope",
    "may_assign_households", "may_bind", "may_broadcast", "may_mark_submitted", "may_remind_units", "may_see_digest",
    "may_receive_report", "may_see_digests", "may_set_meetings", "may_use_console", "uses_console_in", "menu_entries", "menu_screens", "nhom_led",
    "own_units", "receives_digest", "report_units",
    "role_in", "roles", "scope_params", "sees_household", "sets_meetings", "stale_scopes", "survey_communes", "surveyed", "may_author_survey", "takes_households",
]
