"""Recovery codes: saving them at enrolment, downloading them, signing in with one."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.pages import Account, Site


def test_sign_in_with_recovery_code(any_site: Site, newcomer: Account):
    any_site.submit_password("newcomer")
    codes = any_site.enrol(newcomer)
    any_site.sign_out()

    any_site.sign_in_with_recovery_code(newcomer, codes[0])

    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.messages()).to_contain_text("You have 9 recovery codes left.")
    expect(any_site.fact("Recovery codes")).to_have_text("9 unused codes")


def test_used_recovery_code_rejected(any_site: Site, newcomer: Account):
    any_site.submit_password("newcomer")
    codes = any_site.enrol(newcomer)
    any_site.sign_out()
    any_site.sign_in_with_recovery_code(newcomer, codes[0])
    any_site.sign_out()

    any_site.sign_in_with_recovery_code(newcomer, codes[0])

    expect(any_site.page).to_have_url(any_site.url("accounts:recovery"))
    expect(any_site.field_errors("recovery_code")).to_contain_text("not valid or was already used")


def test_recovery_codes_download(any_site: Site, newcomer: Account):
    any_site.submit_password("newcomer")
    any_site.confirm_enrolment(newcomer)
    shown = any_site.shown_recovery_codes()

    with any_site.page.expect_download() as download_info:
        any_site.page.get_by_role("button", name="Download as a text file").click()

    download = download_info.value
    assert download.suggested_filename == "twofactor_site-recovery-codes.txt"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert "Recovery codes for newcomer" in lines[0]
    assert [line for line in lines if line in shown] == shown

    # The page is still there, and continuing needs the box ticked.
    any_site.submit("Continue")
    expect(any_site.field_errors("saved")).to_contain_text("Tick the box")
    assert any_site.shown_recovery_codes() == shown
    any_site.save_recovery_codes()
    expect(any_site.page).to_have_url(any_site.url("users:me"))
