"""Fixtures for tests in a real browser: Chromium driven by Playwright.

The tests need Chromium at /usr/bin/chromium (Debian's ``chromium``
package) and axe-core in node_modules (``npm ci``). On a developer machine
without them the tests are skipped with the install command. In CI (``CI``
set to ``true``) they fail instead, so a missing browser cannot pass as green.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from accounts.models import Role
from tests.browser.authenticator import StepClock
from tests.browser.pages import (
    DESKTOP,
    Account,
    Site,
    enrolled_account,
    unenrolled_account,
)

# Playwright's sync API runs an asyncio event loop in the test thread, and
# Django refuses ORM calls from a thread with a running loop. The tests call
# the ORM only between browser steps, never inside the loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def require_file(path: Path, install_hint: str) -> None:
    """Skip the test if ``path`` is missing, or fail it when running in CI."""
    if path.exists():
        return

    message = f"{path} is missing. Install it with: {install_hint}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    require_file(CHROMIUM, "sudo apt-get install chromium")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Return a function that opens a browser context, closed after the test.

    Keyword arguments go to ``Browser.new_context``. The default viewport is
    a laptop screen.
    """
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def step_clock() -> Iterator[StepClock]:
    clock = StepClock()
    yield clock
    clock.stop()


@pytest.fixture
def open_site(
    new_context: Callable[..., BrowserContext], live_server, transactional_db, step_clock
) -> Iterator[Callable[..., Site]]:
    """Return a function that opens the live site in a new browser context.

    After the test, any response with a 5xx status fails it, so a server
    error cannot hide behind a page that looks fine, and so does any
    console error, such as a Content-Security-Policy violation.
    """

    server_errors: list[str] = []

    def record_server_error(response: Response) -> None:
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.request.method} {response.url}")

    console_errors: list[str] = []

    def record_console_error(message: ConsoleMessage) -> None:
        # Chromium logs every 4xx response as an error too. The tests check
        # statuses themselves, so only the other errors count here.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            console_errors.append(f"{message.text} at {message.location.get('url')}")

    def open_tab(**options) -> Site:
        page: Page = new_context(**options).new_page()
        page.on("response", record_server_error)
        page.on("console", record_console_error)
        return Site(page, live_server.url, step_clock)

    yield open_tab
    assert server_errors == [], f"the server answered with an error: {server_errors}"
    assert console_errors == [], f"the browser reported errors: {console_errors}"


@pytest.fixture(params=["javascript", "no-javascript"])
def any_site(request, open_site: Callable[..., Site]) -> Site:
    """The site in a tab with JavaScript on, then again with it off."""
    return open_site(java_script_enabled=request.param == "javascript")


@pytest.fixture
def site(open_site: Callable[..., Site]) -> Site:
    return open_site()


@pytest.fixture
def axe_script() -> Path:
    require_file(AXE_SCRIPT, "npm ci (make test runs it)")
    return AXE_SCRIPT


@pytest.fixture
def alice(transactional_db) -> Account:
    """A user with role user and a confirmed authenticator app."""
    return enrolled_account("alice", full_name="Alice Liddell")


@pytest.fixture
def root(transactional_db) -> Account:
    """An admin with Django staff rights and a confirmed authenticator app."""
    return enrolled_account(
        "root", full_name="Ada Root", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def newcomer(transactional_db) -> Account:
    """A user who has not set up an authenticator app yet."""
    return unenrolled_account("newcomer", full_name="Nina Newcomer")
