"""The phase's dossier queued from the phase page, in headless Chromium against a live server: the
job's page shows it queued, follows its progress while the worker runs it, and offers the ZIP."""

import pytest

from muxiang.conftest import CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


@pytest.fixture
def contract(county, station, other_town):
    from muxiang.contracts.services import load_contract
    from muxiang.contracts.tests.test_dossier import SAMPLE

    return load_contract(SAMPLE)


def test_the_dossier_page_follows_the_worker_and_offers_the_zip(new_page, staff, contract, monkeypatch):
    from playwright.sync_api import expect

    from muxiang.jobs import services
    from muxiang.jobs.models import Job

    # given a worker that has not picked the job up yet (the queue only records it)
    queue = []
    monkeypatch.setattr(services, "enqueue", queue.append)
    page = new_page()
    sign_in(page, "liqiang")

    # when 李强 asks for phase 1's dossier on the phase page
    page.goto(f"/contracts/{contract.key}/phases/1/")
    page.get_by_role("button", name="生成验收资料包（ZIP）").click()

    # then the job's page shows it queued, and keeps asking for its progress
    expect(page.locator("#job-progress")).to_contain_text("排队中")
    (job_id,) = queue
    assert page.url.endswith(Job.objects.get(pk=job_id).get_absolute_url())

    # when the worker runs it
    services.run_job(job_id)

    # then the page, without a reload, shows it done with the ZIP to download
    link = page.get_by_role("link", name="下载")
    expect(link).to_be_visible()
    expect(page.locator("#job-progress")).to_contain_text("已完成")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".zip")
