"""Template filters for showing security data that users typed or sent."""

from django import template

from accounts import escaping, user_agents

register = template.Library()


@register.filter
def visible_controls(value) -> str:
    """Show control and invisible characters as escapes; see accounts.escaping."""
    return escaping.visible_controls(str(value))


@register.filter
def device(user_agent: str) -> str:
    return user_agents.describe(user_agent or "")
