"""The quick playground page: who may open it, and the way to the rest of the product."""
import pytest

pytestmark = pytest.mark.django_db


def test_the_playground_page_sends_anonymous_visitors_to_log_in_when_the_instance_asks(client, settings):
    settings.PLAYGROUND_ALLOW_ANONYMOUS = False
    page = client.get("/")
    assert page.status_code == 302 and page["Location"] == "/accounts/login/?next=/"
    settings.PLAYGROUND_ALLOW_ANONYMOUS = True
    page = client.get("/")
    assert page.status_code == 200 and b'data-testid="nav-login"' in page.content
