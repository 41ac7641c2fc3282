package io.herald.delivery.receipt;

import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A receipt that shows an address can never be reached again (a hard bounce, a complaint,
 * an unknown or landline number, an unsubscribed recipient).
 *
 * @param tenant the tenant
 * @param userId the user whose address it is
 * @param channel {@code email} or {@code sms}
 * @param address the address as the receipt names it, or {@code null} when it names none
 * (a redacted complaint): the user's current one is then meant
 * @param reason why
 * @param eventId the event whose message showed it
 * @param at when the receipt was recorded
 * @param sentAt when the message the receipt is about was sent, or {@code null} when that
 * is not known (a reference written by an earlier release): the time of the evidence,
 * which an operator's later lift of the suppression outranks
 */
public record PermanentAddressFailure(String tenant, String userId, Channel channel, @Nullable String address,
		ReceiptReason reason, String eventId, Instant at, @Nullable Instant sentAt) {
}
