"""The outbox takes its emails in batches (COPY on PostgreSQL), in or out of a transaction."""

import pytest

from orangefriday.notifications.emails import Email, queue_emails
from orangefriday.notifications.models import OutboxEmail


@pytest.mark.django_db(transaction=True)
def test_emails_queued_outside_a_transaction_are_all_written_once(alice, bob):
    emails = [
        Email(f"test:{n}:fan:{fan.pk}", fan.pk, "Hi", "Body")
        for n in range(3)
        for fan in (alice, bob)
    ]

    assert queue_emails(emails) == 6
    assert queue_emails(emails) == 6  # offered again, written once

    assert OutboxEmail.objects.count() == 6
    assert set(OutboxEmail.objects.values_list("fan_id", flat=True)) == {alice.pk, bob.pk}
    assert all("unsubscribe" in body for body in OutboxEmail.objects.values_list("body", flat=True))
