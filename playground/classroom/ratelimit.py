"""Login rate limiting: after too many failed logins for one username, or from one address, within a
window, further attempts are refused (429) until the window has passed. Counted in the database, so
every web process (and every worker host behind a load balancer) agrees."""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_PER_USERNAME = 5  # a guessed password for one account
MAX_PER_ADDRESS = 20  # a whole classroom behind one school NAT mistypes now and then


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "")[:64]


def _recent():
    return LoginFailure.objects.filter(at__gte=timezone.now() - WINDOW)


def blocked_for(request, username):
    """Seconds until this login may be tried again, or 0."""
    recent = _recent()
    by_name = recent.filter(username__iexact=username)
    by_ip = recent.filter(ip=client_ip(request))
    for failures, limit in ((by_name, MAX_PER_USERNAME), (by_ip, MAX_PER_ADDRESS)):
        if failures.count() >= limit:
            oldest = failures.order_by("-at")[limit - 1].at  # the window frees up when it ages out
            return max(1, int((oldest + WINDOW - timezone.now()).total_seconds()))
    return 0


def record_failure(request, username):
    LoginFailure.objects.create(username=username[:150], ip=client_ip(request))
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * WINDOW).delete()  # keep the table small


def clear(request, username):
    LoginFailure.objects.filter(Q(username__iexact=username)).delete()
