"""“New project” from an investor's page (issue 18): the project form opens with the investor chosen;
an investor the user may not see is not chosen."""

from __future__ import annotations

from django.urls import reverse

from zhaoshang.investors.models import Investor


def test_the_investor_page_opens_the_project_form_with_the_investor_chosen(client, cast):
    investor = Investor.objects.create(name="温州投资有限公司", origin_province="浙江省", unit=cast.town_a)
    client.force_login(cast.operator_a)
    page = client.get(reverse("investors:detail", args=[investor.pk])).content.decode()
    link = f"{reverse('projects:create')}?investor={investor.pk}"
    assert f'href="{link}" data-testid="new-project"' in page
    form = client.get(link).context["form"]
    assert form["investors"].value() == [investor.pk]
    client.force_login(cast.leader)  # may not create projects: no link
    assert (
        'data-testid="new-project"'
        not in client.get(reverse("investors:detail", args=[investor.pk])).content.decode()
    )


def test_an_investor_of_another_unit_is_not_chosen(client, cast):
    foreign = Investor.objects.create(name="邻县投资方", origin_province="浙江省", unit=cast.other_town)
    client.force_login(cast.operator_a)
    form = client.get(f"{reverse('projects:create')}?investor={foreign.pk}").context["form"]
    assert not form["investors"].value()
    assert (
        "邻县投资方" not in client.get(f"{reverse('projects:create')}?investor={foreign.pk}").content.decode()
    )
