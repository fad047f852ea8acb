"""Where permissions are decided."""

from models.access.scope import (
    COMMUNE_ROLES,
    LEADER_ROLES,
    Held,
    area_paths,
    covers,
    covers_area,
    covers_bound,
    is_commune_role,
    is_leader,
    roles,
    scope_params,
)

__all__ = ["COMMUNE_ROLES", "LEADER_ROLES", "Held", "area_paths", "covers", "covers_area", "covers_bound",
           "is_commune_role", "is_leader", "roles", "scope_params"]
