package io.herald.delivery.dispatch;

import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.delivery.receipt.PermanentAddressFailure;
import io.herald.delivery.receipt.PermanentFailureListener;
import io.herald.delivery.receipt.ReceiptReason;
import io.herald.delivery.retry.DeliveryDecisions;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a permanent failure of an email address or phone number into a
 * {@code suppress-address} command to routing, which then stops sending to that address
 * while the user's profile has it (docs/adr/033). Which failures do is decided by
 * {@link DeliveryDecisions#suppression}: a hard bounce ({@code bad_address}), a number
 * that is not one ({@code invalid_number}), an opt-out ({@code unsubscribed}). A dead
 * push token removes the device instead ({@code remove-device}).
 *
 * <p>
 * A provider's synchronous answer is handled by the dispatcher, whose batch writes the
 * command with its other outputs before it commits; the send ledger keeps the suppression
 * with the send's outcome, so that a request read again asks for it again
 * ({@link #command(Send, SuppressionReason, Instant, Instant)}). A receipt (a delivery
 * receipt, a bounce or complaint report) has its command written with its status
 * ({@link #recordsFor}).
 *
 * <p>
 * A command is about the address the send went to, and routing applies it only while the
 * profile still has that address, and only when its evidence (the provider's answer, the
 * send a receipt is about: {@code evidenceAt}) is not older than the last lift of the
 * channel's suppression: a late answer about an address the user has changed since, about
 * a message sent before an operator lifted the suppression, or about a user erased since,
 * changes nothing.
 *
 * <p>
 * It is also the receipts' {@link PermanentFailureListener}: a hard bounce, a complaint,
 * an unknown, landline or invalid number and an opt-out reported after the send suppress
 * the address the receipt names, with a command the receipt's status write carries.
 */
@Component
public class AddressSuppressions implements PermanentFailureListener {

	private final DispatchMetrics metrics;

	AddressSuppressions(DispatchMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * The suppression a rejection of a send asks for; empty when the rejection says
	 * nothing about the address, or the send has none (push).
	 */
	static Optional<SuppressionReason> reason(Send send, RejectionCause cause) {
		return DeliveryDecisions.suppression(send.channel(), cause).filter((reason) -> address(send) != null);
	}

	/**
	 * The command for a suppression of a send's address.
	 * @param at when the command is made
	 * @param evidenceAt when the provider answered the send
	 * @throws IllegalArgumentException for a send without an address (push)
	 */
	static UserCommand.SuppressAddress command(Send send, SuppressionReason reason, Instant at, Instant evidenceAt) {
		String address = address(send);
		if (address == null) {
			throw new IllegalArgumentException("a " + send.channel().wireName() + " send has no address to suppress");
		}
		DeliverNotification notification = send.notification();
		return new UserCommand.SuppressAddress(UserCommand.CONDITIONAL_SCHEMA_VERSION, notification.tenant(),
				notification.userId(), at, send.channel(), address, reason, notification.notificationId(), evidenceAt);
	}

	/**
	 * The command for a permanent failure a receipt reported, for the receipt's status
	 * write (counted here). A receipt that names no address (a redacted complaint)
	 * suppresses nothing: routing suppresses an address, never a channel.
	 */
	@Override
	public List<ProducerRecord<String, byte[]>> recordsFor(PermanentAddressFailure failure) {
		SuppressionReason reason = reason(failure.reason());
		if (failure.address() == null || reason == null) {
			return List.of();
		}
		Instant sentAt = failure.sentAt();
		UserCommand.SuppressAddress command = new UserCommand.SuppressAddress(
				(sentAt != null) ? UserCommand.CONDITIONAL_SCHEMA_VERSION : UserCommand.SCHEMA_VERSION,
				failure.tenant(), failure.userId(), failure.at(), failure.channel(), failure.address(), reason, null,
				sentAt);
		this.metrics.suppression(command);
		return List.of(new ProducerRecord<>(Topics.USER_COMMANDS.name(), command.key(),
				Topics.USER_COMMANDS.codec().encode(command)));
	}

	/** The suppression a receipt's reason makes, {@code null} for one that makes none. */
	static @Nullable SuppressionReason reason(ReceiptReason reason) {
		return switch (reason) {
			case BOUNCED -> SuppressionReason.BAD_ADDRESS;
			case COMPLAINED -> SuppressionReason.COMPLAINT;
			case UNKNOWN_DESTINATION, LANDLINE, INVALID_NUMBER -> SuppressionReason.INVALID_NUMBER;
			case UNSUBSCRIBED -> SuppressionReason.UNSUBSCRIBED;
			case REFUSED, UNREACHABLE, BLOCKED, CARRIER_FILTERED, UNDELIVERED -> null;
		};
	}

	private static @Nullable String address(Send send) {
		return switch (send.message()) {
			case ChannelMessage.Email email -> email.to();
			case ChannelMessage.Sms sms -> sms.to();
			case ChannelMessage.Push push -> null;
			case ChannelMessage.InApp inApp -> null;
		};
	}

}
