from django.core.cache import cache

from muxiang.core import permissions


def demo_loaded() -> bool:
    """Whether the sample data set is loaded; cached because every page shows it."""
    from muxiang.core.models import SiteState

    value = cache.get("muxiang:demo_loaded")
    if value is None:
        value = SiteState.objects.filter(key="demo", value__loaded=True).exists()
        cache.set("muxiang:demo_loaded", value, 60)
    return value


def platform(request):
    user = getattr(request, "user", None)
    return {
        "demo_loaded": demo_loaded(),
        "user_role": permissions.role_of(user),
        "can_read_audit": permissions.can_read_audit(user),
        "can_manage_users": permissions.can_manage_users(user),
        "is_station_manager": permissions.is_station_manager(user),
    }
