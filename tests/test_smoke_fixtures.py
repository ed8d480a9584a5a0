from django.urls import reverse


def test_signed_in_user_sees_profile(user_client, clock):
    response = user_client.get(reverse("users:me"))
    assert response.status_code == 200
    assert b"alice@example.com" in response.content
